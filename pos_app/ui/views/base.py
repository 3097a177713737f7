"""What every screen shares: the session it acts for, and refreshes that never overlap or pile up."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QWidget

from pos_app.mediation import OperationResult
from pos_app.messages.dtos import SessionDto
from pos_app.ui.protocols import Sender
from pos_app.ui.slots import cancel_refreshes, is_alive, report_failure, spawn

__all__ = ["ScreenView", "error_label", "report_failure", "set_error", "show_result_error"]

logger = logging.getLogger("pos_app.ui")


class ScreenView(QWidget):
    """A screen. `request_refresh()` (connect it to the bridge's signals) runs `refresh()` soon; while one runs,
    further requests fold into a single re-run. `refreshed` is emitted after each refresh. A refresh is cancelled
    when the screen (or its window, see `stop_refreshing`) closes or the screen is destroyed."""

    refreshed = Signal()

    def __init__(self, mediator: Sender, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._mediator = mediator
        self.session: SessionDto | None = None
        self._refresh_task: asyncio.Task[None] | None = None
        self._refresh_again = False
        self._stopped = False

    def set_session(self, session: SessionDto | None) -> None:
        """Who is using the screen; subclasses enable what the role allows."""
        self.session = session

    @property
    def role(self) -> str | None:
        return self.session.role if self.session else None

    def request_refresh(self) -> None:
        if self._stopped or not is_alive(self):
            return
        if self._refresh_task is not None and not self._refresh_task.done():
            self._refresh_again = True
            return
        self._refresh_task = spawn(self, self._refresh_until_settled(), refresh=True)

    async def _refresh_until_settled(self) -> None:
        while True:
            self._refresh_again = False
            await self.refresh()
            if not is_alive(self):  # destroyed while the refresh was on its way
                return
            self.refreshed.emit()
            if not self._refresh_again:
                return

    def stop_refreshing(self) -> None:
        """The screen closes: cancel its refreshes (and those of the widgets in it); no new one starts until the
        screen is shown again."""
        self._stopped = True
        self._refresh_again = False
        cancel_refreshes(self)

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        if event.isAccepted():
            self.stop_refreshing()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stopped:
            self._stopped = False
            self.request_refresh()

    async def refresh(self) -> None:
        """Re-read what the screen shows. Subclasses override."""

    async def wait_idle(self) -> None:
        """For shutdown and tests: let a running refresh finish."""
        while self._refresh_task is not None and not self._refresh_task.done():
            await asyncio.wait({self._refresh_task})


def show_result_error(label: QLabel, result: OperationResult[Any]) -> None:
    """Put a failed result's message in a label (and log it); nothing else changes."""
    label.setText(result.error_message or "Something went wrong")
    label.setVisible(True)
    logger.info("request refused: %s %s", result.status, result.error_message)


def error_label(parent: QWidget) -> QLabel:
    """A red line under a field for the message about that field; hidden while empty."""
    label = QLabel(parent)
    label.setObjectName("fieldError")
    label.setWordWrap(True)
    label.setVisible(False)
    return label


def set_error(label: QLabel, text: str | None) -> None:
    label.setText(text or "")
    label.setVisible(bool(text))
