"""A retried command gets its first result back before anything else looks at it.

The retry of an order placed at 21:59:59 must not be refused at 22:00:01 because the store has closed, nor be
refused because the terminal was locked meanwhile: it was already accepted. This behavior runs first; the
transaction behavior looks again inside the write transaction, so two copies sent at once still make one order.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pos_app.application.behaviors.transaction import idempotency_key
from pos_app.application.errors import StoreUnavailableError
from pos_app.application.ports import UnitOfWork
from pos_app.application.results import ResultCodec
from pos_app.mediation import Command, NextHandler, PipelineBehavior


class IdempotencyBehavior(PipelineBehavior[Any, Any]):
    applies_to: ClassVar[tuple[type[Any], ...]] = (Command,)

    def __init__(self, uow: UnitOfWork, codec: ResultCodec) -> None:
        self._uow = uow
        self._codec = codec

    async def handle_async(self, request: Any, next_handler: NextHandler) -> Any:
        key = idempotency_key(request)
        if key is not None:
            try:
                stored = await self._uow.processed.get(key)  # a read of its own, before any transaction
            except StoreUnavailableError:
                stored = None  # the transaction looks again, and reports the store's trouble as a 503
            if stored is not None:
                return self._codec.decode(type(request), stored)
        return await next_handler()
