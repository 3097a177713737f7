"""The counter panels' background requests (prices), and how a failed answer reads."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

from PySide6.QtCore import QObject

from pos_app.mediation import OperationResult
from pos_app.ui.slots import spawn


class BackgroundTasks:
    """Tasks a widget starts on its own (not slots): cancelled with the widget; `wait()` lets them finish."""

    def __init__(self, owner: QObject) -> None:
        self._owner = owner
        self._tasks: set[asyncio.Task[None]] = set()

    def start(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = spawn(self._owner, coroutine)  # cancelled if the owner is destroyed first
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def wait(self) -> None:
        while self._tasks:
            await asyncio.wait(set(self._tasks))


def first_error(result: OperationResult[Any], field: str | None = None) -> str:
    """The message to show for a failed result: the one about `field` if there is one, else the first."""
    if field is not None and field in result.errors:
        return " ".join(result.errors[field])
    for messages in result.errors.values():
        return " ".join(messages)
    return result.error_message or "Something went wrong"
