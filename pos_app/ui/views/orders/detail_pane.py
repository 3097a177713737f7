"""The right-hand pane of the Orders screen: the selected order's detail, the banner and error lines under it, then
its actions, or the payment or cancel panel that stands in for them while open."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from pos_app.ui.theme import FOCUS
from pos_app.ui.views.base import error_label
from pos_app.ui.views.orders.action_bar import OrderActionBar
from pos_app.ui.views.orders.cancel_panel import CancelPanel
from pos_app.ui.views.orders.order_detail import OrderDetail
from pos_app.ui.views.orders.payment_panel import PaymentPanel

PANE_STYLE = """
#detailPane QPushButton { border: 1px solid #bdbdbd; background: #f5f5f5; }
#detailPane QPushButton:hover { background: #eeeeee; }
#detailPane QPushButton:disabled { color: #9e9e9e; background: #fafafa; border-color: #e0e0e0; }
#detailPane QPushButton:checked { background: #ffcdd2; border: 2px solid #c62828; padding: 3px 13px; }
#detailPane QPushButton#primary { background: #c62828; color: white; border: none; }
#detailPane QPushButton#primary:disabled { background: #e0a0a0; }
#detailPane QFrame#panel { background: #fafafa; border: 1px solid #e0e0e0; border-radius: 6px; }
#detailPane QLabel#unpaid { color: #c62828; font-weight: bold; }
#detailPane QPushButton:focus, #detailPane QPushButton#primary:focus { border: 3px solid FOCUS_COLOUR; }
""".replace("FOCUS_COLOUR", FOCUS)


class OrderDetailPane(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailPane")
        self.detail = OrderDetail(self)
        self.change_banner = QLabel(self)
        self.change_banner.setObjectName("banner")
        self.change_banner.setVisible(False)
        self.error = error_label(self)
        self.action_bar = OrderActionBar(self)
        self.payment_panel = PaymentPanel(self)
        self.cancel_panel = CancelPanel(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 0, 0, 0)
        layout.addWidget(self.detail, 1)
        for widget in (self.change_banner, self.error, self.action_bar, self.payment_panel, self.cancel_panel):
            layout.addWidget(widget)
        self.setMinimumWidth(400)  # the list keeps its main columns beside it at 1024 px
        self.setStyleSheet(PANE_STYLE)

    def show_actions(self, shown: bool) -> None:
        """Show the action buttons when there are any, unless an open panel stands in for them."""
        panel_open = self.payment_panel.isVisibleTo(self) or self.cancel_panel.isVisibleTo(self)
        self.action_bar.setVisible(shown and not panel_open)
