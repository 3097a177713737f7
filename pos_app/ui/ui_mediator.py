"""The screens' door to the mediator: shows a busy state for slow requests and tracks the store's health."""

from __future__ import annotations

from typing import Any, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal

from pos_app.mediation import OperationResult, Request
from pos_app.ui.protocols import Sender

R = TypeVar("R")
BUSY_AFTER_MS = 150


class UiMediator(QObject):
    """Wraps the mediator: `busy_changed(True)` when a request takes over 150 ms, `store_state_changed(text)`
    when the store stops (503) or starts answering again."""

    busy_changed = Signal(bool)
    store_state_changed = Signal(str)

    def __init__(self, mediator: Sender, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._mediator = mediator
        self._in_flight = 0
        self._busy = False
        self.store_state = "OK"
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(BUSY_AFTER_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

    @property
    def busy(self) -> bool:
        return self._busy

    async def execute_async(self, request: Request[R]) -> R:
        self._in_flight += 1
        if self._in_flight == 1:
            self._timer.start()
        try:
            result = await self._mediator.execute_async(request)
        finally:
            self._in_flight -= 1
            if self._in_flight == 0:
                self._timer.stop()
                self._set_busy(False)
        self._track_store(result)
        return result

    def _track_store(self, result: Any) -> None:
        if not isinstance(result, OperationResult):
            return
        if result.status == 503 and "accept_kitchen_wait" not in result.errors:
            state = result.error_message or "The store is unavailable"
        elif result.status < 500:
            state = "OK"
        else:
            return
        if state != self.store_state:
            self.store_state = state
            self.store_state_changed.emit(state)

    def _on_timer_timeout(self) -> None:
        if self._in_flight:
            self._set_busy(True)

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busy_changed.emit(busy)
