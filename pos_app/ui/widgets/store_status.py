"""How the main window shows the store's health: the status bar's store label, and a banner across every screen
while the store server cannot be reached (the app reconnects by itself; nothing on the screens is reset)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

RECONNECTING = "Reconnecting to the store server…"
RECONNECTING_BANNER = (
    "Reconnecting to the store server… The cart and what you typed are kept, and an order sent now is saved once "
    "the server is back."
)
TROUBLE_STYLE = "color: #c62828; font-weight: bold;"


class ReconnectBanner(QLabel):
    """Shown across the top of the window while the store server is lost."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr(RECONNECTING_BANNER), parent)
        self.setObjectName("reconnectBanner")
        self.setAccessibleName(self.tr("Store server connection lost"))
        self.setWordWrap(True)
        self.setStyleSheet("color: white; background: #c62828; font-weight: bold; padding: 6px 12px;")
        self.setVisible(False)


class StoreStatusLabel(QLabel):
    """ "Store: OK", the store's trouble as the last request met it, or "Reconnecting…" while the server is lost."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Store: OK"), parent)
        self.state = "OK"
        self.reachable = True

    def show_state(self, state: str) -> None:
        """What the last request said of the store ("OK", or why it could not serve)."""
        self.state = state
        self._show()

    def show_reachable(self, reachable: bool) -> None:
        self.reachable = reachable
        if reachable:
            self.state = "OK"  # the server answers again (the next request says so if the store has other trouble)
        self._show()

    def _show(self) -> None:
        if not self.reachable:
            self.setText(self.tr(RECONNECTING))
            self.setStyleSheet(TROUBLE_STYLE)
            return
        self.setText(self.tr("Store: ") + self.state)
        self.setStyleSheet("" if self.state == "OK" else TROUBLE_STYLE)
