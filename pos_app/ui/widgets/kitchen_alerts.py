"""The kitchen screen's alerts: a new ticket flashes its card and/or chimes (the store's `kitchen_alert` setting), a
ticket that gets a CANCELLED or CHANGED notice chimes (`kitchen_notice_sound`). The queue as first loaded alerts
nothing. Tests observe `alerted` and `chimed` (and `chimes`): the chime itself is the system's beep."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from pos_app.messages.dtos import KitchenDisplayDto, KitchenTicketDto
from pos_app.ui.models.kitchen_queue import KitchenQueueModel

FLASH_TOGGLE_MS = 500
FLASH_TOGGLES = 20
"""A new ticket's card blinks for ten seconds."""


class KitchenAlerts(QObject):
    alerted = Signal(str, list)
    """("new_ticket" | "notice", the order ids)."""
    chimed = Signal()

    def __init__(self, model: KitchenQueueModel, display: KitchenDisplayDto, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self.display = display
        self._seen: set[UUID] | None = None
        self._notices: set[tuple[UUID, str, datetime]] = set()
        self._toggles_left = 0
        self.chimes = 0
        self.flash_timer = QTimer(self)
        self.flash_timer.setInterval(FLASH_TOGGLE_MS)
        self.flash_timer.timeout.connect(self._on_flash_timer_timeout)

    @property
    def flashes(self) -> bool:
        return self.display.alert in ("flash", "both")

    @property
    def rings(self) -> bool:
        return self.display.alert in ("chime", "both")

    def queue_changed(self, tickets: Sequence[KitchenTicketDto]) -> None:
        """The queue as just read: alert for the tickets and notices not seen before."""
        ids = {ticket.order_id for ticket in tickets}
        notices = {(t.order_id, t.notice.kind, t.notice.raised_at) for t in tickets if t.notice is not None}
        seen, known_notices = self._seen, self._notices
        self._seen, self._notices = ids, notices
        if seen is None:
            return
        new = [ticket.order_id for ticket in tickets if ticket.order_id not in seen]
        if new:
            self.alerted.emit("new_ticket", new)
            if self.flashes:
                self._model.flash(new)
                self._toggles_left = FLASH_TOGGLES
                self.flash_timer.start()
            if self.rings:
                self.chime()
        fresh = [order_id for order_id, _, _ in notices - known_notices]
        if fresh:
            self.alerted.emit("notice", fresh)
            if self.display.notice_sound and not (new and self.rings):
                self.chime()

    def reset(self) -> None:
        """Forget what was seen (another session): the next queue is a first load."""
        self._seen = None
        self._notices = set()

    def chime(self) -> None:
        self.chimes += 1
        QApplication.beep()
        self.chimed.emit()

    def _on_flash_timer_timeout(self) -> None:
        self._toggles_left -= 1
        if self._toggles_left <= 0:
            self.flash_timer.stop()
            self._model.stop_flashing()
        else:
            self._model.toggle_flash()
