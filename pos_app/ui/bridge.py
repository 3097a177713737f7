"""The UI bridge: turns the core's change notifications into Qt signals, coalesced into one per burst, and tells the
screens when the store server is lost and back (`store_reachable_changed`)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

COALESCE_MS = 30


class UiBridge(QObject):
    orders_changed = Signal()
    kitchen_changed = Signal()
    menu_changed = Signal()
    store_reachable_changed = Signal(bool)
    """False while the store server cannot be reached (the app reconnects by itself), True once it is back."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store_reachable = True
        self._pending: set[str] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COALESCE_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

    def notify(self, topics: frozenset[str]) -> None:
        """Called (on the Qt thread) after each commit here and when another process commits."""
        self._pending |= topics
        if not self._timer.isActive():
            self._timer.start()

    def _on_timer_timeout(self) -> None:
        topics, self._pending = self._pending, set()
        if "orders" in topics:
            self.orders_changed.emit()
        if "kitchen" in topics:
            self.kitchen_changed.emit()
        if "menu" in topics:
            self.menu_changed.emit()

    def set_store_reachable(self, reachable: bool) -> None:
        """Called (on the Qt thread) when the store server is lost or back. Back, every screen reads again: what
        other terminals committed meanwhile was not heard."""
        if reachable == self.store_reachable:
            return
        self.store_reachable = reachable
        self.store_reachable_changed.emit(reachable)
        if reachable:
            self.notify(frozenset({"orders", "kitchen", "menu"}))
