"""The counter in edit mode: which placed order the cart holds, and the way out ("Stop editing")."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from pos_app.messages.dtos import OrderDto
from pos_app.ui.formatting import format_money


class EditBanner(QFrame):
    """Shown while the counter edits a placed order: "Changing order #12 (paid 34.48)". `stop_requested` when the
    counter person leaves the edit (the cart is cleared for a new order)."""

    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.text = QLabel(self)
        self.text.setObjectName("heading")
        self.text.setWordWrap(True)
        self.stop_button = QPushButton(self.tr("Stop editing"), self)
        self.stop_button.clicked.connect(self.stop_requested)
        layout = QHBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.stop_button)
        self.setVisible(False)

    def show_order(self, order: OrderDto) -> None:
        paid = f" · paid {format_money(order.amount_paid)}" if order.amount_paid else " · not paid yet"
        cooking = " · the kitchen has started it: it will see what changed" if order.status == "cooking" else ""
        self.text.setText(f"Changing order #{order.order_number}{paid}{cooking}")
        self.setVisible(True)


def edited_text(before: OrderDto, after: OrderDto) -> str:
    """What the counter says after saving: the new total and how the money is settled (a refund is what was
    paid before less what is kept now)."""
    text = f"Order #{after.order_number} changed — total {format_money(after.total_amount)}"
    refund = before.amount_paid - after.amount_paid
    if refund > 0:
        return f"{text} — give back {format_money(refund)}"
    if after.balance_due:
        return f"{text} — {format_money(after.balance_due)} more to pay (Orders: Take payment)"
    return text
