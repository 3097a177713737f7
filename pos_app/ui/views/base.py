"""What every screen shares: the session it acts for, and refreshes that never overlap or pile up."""

from __future__ import annotations

import asyncio
import logging
import math
import time
from typing import Any

from PySide6.QtCore import Signal, SignalInstance
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QWidget

from pos_app.mediation import OperationResult
from pos_app.messages.dtos import SessionDto
from pos_app.ui.protocols import Sender
from pos_app.ui.slots import cancel_refreshes, is_alive, report_failure, spawn

__all__ = ["NOTICE_TIMEOUT_S", "ScreenView", "error_label", "report_failure", "set_error", "show_result_error"]

logger = logging.getLogger("pos_app.ui")

FULL_READ_EVERY_S = 60.0
"""A screen that refreshes from changes (`changes_position`) reads everything again at least this often: the
safety net for read models rebuilt by another terminal, which no event announces."""

NOTICE_TIMEOUT_S = 1.5
"""How long a screen that the UI bridge refreshes waits, after its own command, for the bridge's notice to start a
refresh before it starts one itself. The notice normally comes within the bridge's 30 ms: the bound only keeps a
button from staying disabled if a notice is ever lost, at the price of one extra query in that case."""


class ScreenView(QWidget):
    """A screen. `request_refresh()` (connect it to the bridge's signals with `refresh_on`) runs `refresh()` soon;
    while one runs, further requests fold into a single re-run. `refreshed` is emitted after each refresh. A refresh
    is cancelled when the screen (or its window, see `stop_refreshing`) closes or the screen is destroyed.

    After a command of its own a screen does not refresh itself: the bridge's after-commit notice does (one refresh
    per change, for every screen that shows it). `refreshed_since(mark)` waits for that refresh, so a screen can keep
    its buttons disabled until it shows the command's outcome."""

    refreshed = Signal()
    """Emitted when a refresh has finished."""

    def __init__(self, mediator: Sender, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._mediator = mediator
        self.session: SessionDto | None = None
        self._refresh_task: asyncio.Task[None] | None = None
        self._refresh_again = False
        self._stopped = False
        self._notified = False
        self._refreshes_started = 0
        self._refreshes_finished = 0  # the start number of the last refresh that finished
        self._refresh_progress: asyncio.Future[None] | None = None
        self._position: int | None = None
        self._full_read_at = -math.inf

    def set_session(self, session: SessionDto | None) -> None:
        """Who is using the screen; subclasses enable what the role allows."""
        self.session = session
        self.read_everything_next()  # the rows carry what the last session could do to them

    # refreshing from what changed ------------------------------------------------------------------------------
    def changes_position(self) -> int | None:
        """The event position to ask for changes after (`changed_since`), or None when the next read must be a
        whole one: the first, after another session, or `FULL_READ_EVERY_S` after the last whole read."""
        if self._position is None or time.monotonic() - self._full_read_at >= FULL_READ_EVERY_S:
            return None
        return self._position

    def keep_position(self, position: int, *, whole: bool) -> None:
        """The answer just applied reflects `position`; `whole` when it was a whole read, not only changes."""
        self._position = position
        if whole:
            self._full_read_at = time.monotonic()

    def read_everything_next(self) -> None:
        self._position = None

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
        self._refresh_task.add_done_callback(self._on_refresh_task_done)

    def refresh_on(self, signal: SignalInstance) -> None:
        """Refresh whenever `signal` says what the screen shows changed (the UI bridge's signals), while someone
        uses the screen (it has a session: a locked terminal, or a screen the role does not see, reads nothing).
        The screen then leaves the refresh after its own commands to that signal (see `refreshed_since`)."""
        signal.connect(self._on_change_noticed)
        self._notified = True

    def _on_change_noticed(self) -> None:
        if self.session is not None:
            self.request_refresh()

    def refresh_mark(self) -> int:
        """A mark for `refreshed_since`: take it when a command has been answered."""
        return self._refreshes_started

    async def refreshed_since(self, mark: int) -> None:
        """Return once a refresh that started after `mark` has finished, so the screen shows what was committed
        before the mark was taken. A screen refreshed by notices (`refresh_on`) gives the notice up to
        `NOTICE_TIMEOUT_S` to start that refresh, then starts one itself; a screen nobody notifies starts it at
        once. Returns early when the screen stops refreshing (closed, destroyed)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + (NOTICE_TIMEOUT_S if self._notified else 0.0)
        while self._refreshes_finished <= mark:
            if self._stopped or not is_alive(self):
                return
            running = self._refresh_task is not None and not self._refresh_task.done()
            if self._refreshes_started > mark and not running:
                return  # it was cancelled before it finished
            timeout: float | None = None
            if self._refreshes_started <= mark and deadline != math.inf:
                timeout = deadline - loop.time()
                if timeout <= 0:
                    if self._notified:
                        logger.info("no change notice after a command: %s refreshes itself", type(self).__name__)
                    self.request_refresh()
                    deadline, timeout = math.inf, None
            if self._refresh_progress is None or self._refresh_progress.done():
                self._refresh_progress = loop.create_future()
            await asyncio.wait({self._refresh_progress}, timeout=timeout)

    async def _refresh_until_settled(self) -> None:
        while True:
            self._refresh_again = False
            self._refreshes_started += 1
            number = self._refreshes_started
            self._report_refresh_progress()
            await self.refresh()
            if not is_alive(self):  # destroyed while the refresh was on its way
                return
            self._refreshes_finished = number
            self.refreshed.emit()
            self._report_refresh_progress()
            if not self._refresh_again:
                return

    def _on_refresh_task_done(self, _task: asyncio.Task[None]) -> None:
        self._report_refresh_progress()

    def _report_refresh_progress(self) -> None:
        if self._refresh_progress is not None and not self._refresh_progress.done():
            self._refresh_progress.set_result(None)

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
