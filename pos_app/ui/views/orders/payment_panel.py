"""Taking payment for the selected order: cash (with the amount tendered) or card. The screen sends the command
when `confirm_button` is clicked; Back or Esc closes the panel (`closed`)."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from pos_app.messages.dtos import OrderDto, OrderSummaryDto
from pos_app.ui.formatting import format_money, parse_money
from pos_app.ui.views.base import error_label, set_error


class PaymentPanel(QFrame):
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._idle = True
        self.setObjectName("panel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)  # the order's detail gives way
        self.heading = QLabel(self)
        self.heading.setObjectName("sectionHeading")
        self.cash_button = QPushButton(self.tr("Cash"), self)
        self.card_button = QPushButton(self.tr("Card"), self)
        self.method_group = QButtonGroup(self)
        for button in (self.cash_button, self.card_button):
            button.setCheckable(True)
            self.method_group.addButton(button)
        self.cash_button.setChecked(True)
        self.cash_button.toggled.connect(self._on_cash_button_toggled)
        self.tendered_label = QLabel(self.tr("Cash tendered"), self)
        self.tendered_edit = QLineEdit(self)
        self.tendered_edit.setPlaceholderText(self.tr("e.g. 50.00"))
        self.tendered_label.setBuddy(self.tendered_edit)
        self.tendered_error = error_label(self)
        self.confirm_button = QPushButton(self.tr("Confirm payment"), self)
        self.confirm_button.setObjectName("primary")
        self.close_button = QPushButton(self.tr("Back"), self)
        self.close_button.clicked.connect(self._on_close_button_clicked)
        self.tendered_edit.returnPressed.connect(self.confirm_button.click)
        self.close_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        self.close_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.close_shortcut.activated.connect(self.close_button.click)

        method = QHBoxLayout()
        method.addWidget(self.cash_button)
        method.addWidget(self.card_button)
        method.addStretch(1)
        amount = QHBoxLayout()  # a row of its own: the amount keeps its width in a narrow pane
        amount.addWidget(self.tendered_label)
        amount.addWidget(self.tendered_edit, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.confirm_button, 1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(method)
        layout.addLayout(amount)
        layout.addWidget(self.tendered_error)
        layout.addLayout(buttons)
        self.setVisible(False)

    def set_order(self, order: OrderSummaryDto | OrderDto) -> None:
        due = order.balance_due if isinstance(order, OrderDto) and order.balance_due else order.total_amount
        still = " still due" if due != order.total_amount else ""
        self.heading.setText(f"Take payment for #{order.order_number}: {format_money(due)}{still}")

    def open(self) -> None:
        """Show the panel afresh: cash, nothing tendered yet."""
        self.tendered_edit.clear()
        self.cash_button.setChecked(True)
        self.setVisible(True)

    def focus_field(self) -> None:
        self.tendered_edit.setFocus()

    def set_idle(self, idle: bool) -> None:
        self._idle = idle
        for widget in (self.confirm_button, self.close_button, self.cash_button, self.card_button):
            widget.setEnabled(idle)
        self.tendered_edit.setEnabled(idle and self.cash_button.isChecked())

    @property
    def method(self) -> str:
        return "cash" if self.cash_button.isChecked() else "card"

    def tendered(self) -> Decimal | None:
        """The cash tendered as typed; None for card or when it is not an amount (then the panel says so)."""
        if not self.cash_button.isChecked():
            return None
        amount = parse_money(self.tendered_edit.text())
        if amount is None:
            set_error(self.tendered_error, self.tr("Enter the cash tendered, e.g. 50 or 50.00"))
            self.tendered_edit.setFocus()
        return amount

    def _on_close_button_clicked(self) -> None:
        self.setVisible(False)
        set_error(self.tendered_error, None)
        self.closed.emit()

    def _on_cash_button_toggled(self, checked: bool) -> None:
        self.tendered_edit.setEnabled(checked and self._idle)
        self.tendered_label.setEnabled(checked)
        if not checked:
            self.tendered_edit.clear()
            set_error(self.tendered_error, None)
