"""A request that failed because the store server was lost is sent again, unchanged, once the server is back.

It runs inside the domain-errors behavior and outside the transaction, so each try is a transaction of its own that
first looks up the command's idempotency key: a command whose commit reached the server just before the connection
dropped replays its stored result instead of running twice; one that did not commit runs again. If the server does
not answer within `Settings.reconnect_wait_seconds` the caller gets a 503 saying so (and that sending it again is
safe), and nothing of this try was written. A store file is never unreachable: nothing changes there.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from pos_app.application.errors import StoreUnreachableError
from pos_app.application.ports import StoreConnection
from pos_app.config import Settings
from pos_app.mediation import Command, NextHandler, PipelineBehavior

logger = logging.getLogger("pos_app.requests")

RETRY_PAUSE_SECONDS = 0.1
"""The least time between two tries, so a server that takes connections but drops them is not hammered."""
NOT_REACHED = "The store server cannot be reached; nothing was saved — try again when it is back"
NOT_CONFIRMED = (
    "The store server was lost while saving and has not come back, so it is not known whether this was saved; "
    "send it again once the server is back (it will not be done twice)"
)


class AlwaysReachable(StoreConnection):
    """A store that is never lost (what a service collection without a `StoreConnection` gets)."""

    async def wait_until_reachable(self, timeout: float) -> bool:
        return True


ALWAYS_REACHABLE = AlwaysReachable()


class ReconnectBehavior(PipelineBehavior[Any, Any]):
    def __init__(self, settings: Settings, store: StoreConnection = ALWAYS_REACHABLE) -> None:
        self._store = store
        self._wait_seconds = settings.reconnect_wait_seconds

    async def handle_async(self, request: Any, next_handler: NextHandler) -> Any:
        deadline = time.monotonic() + self._wait_seconds
        while True:
            try:
                return await next_handler()
            except StoreUnreachableError as error:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise self._refusal(request, error) from error
                logger.warning("%s: the store server was lost; trying again once it is back", type(request).__name__)
                await asyncio.sleep(min(RETRY_PAUSE_SECONDS, left))
                if not await self._store.wait_until_reachable(max(0.0, deadline - time.monotonic())):
                    raise self._refusal(request, error) from error

    @staticmethod
    def _refusal(request: Any, error: StoreUnreachableError) -> StoreUnreachableError:
        if not isinstance(request, Command):
            return StoreUnreachableError("The store server cannot be reached; try again when it is back")
        return StoreUnreachableError(NOT_CONFIRMED if error.while_saving else NOT_REACHED)
