"""What the order costs and how it is paid: the core's quote of the cart (totals, line prices, change) and cash
(tendered, Exact), card or pay later."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.messages.dtos import OrderQuoteDto
from pos_app.messages.queries import PriceOrderQuery
from pos_app.ui.formatting import format_money, parse_money, plain_amount
from pos_app.ui.keymap import show_keys
from pos_app.ui.models.cart import CartModel
from pos_app.ui.protocols import Sender
from pos_app.ui.views.base import error_label, set_error
from pos_app.ui.widgets.counter.background import BackgroundTasks, first_error


class PaymentPanel(QWidget):
    """Asks the core to price `cart` whenever the cart, the order type (`set_order_type`), the payment method or
    the cash tendered change, and shows the answer; `quote_failed(message)` when the core cannot price it."""

    quote_failed = Signal(str)

    def __init__(self, mediator: Sender, cart: CartModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._mediator = mediator
        self._cart = cart
        self._background = BackgroundTasks(self)
        self._quote_generation = 0
        self.order_type = "pickup"
        self.last_quote: OrderQuoteDto | None = None
        self._empty_cart_quote: OrderQuoteDto | None = None  # the core's answer for an empty pickup cart, no cash
        self.subtotal = QLabel(self)
        self.tax = QLabel(self)
        self.delivery_fee = QLabel(self)
        self.total = QLabel(self)
        self.total.setObjectName("total")
        totals = QGridLayout()
        totals.setVerticalSpacing(2)
        rows: tuple[tuple[str, QLabel], ...] = (
            ("Subtotal", self.subtotal),
            ("Delivery fee", self.delivery_fee),
            ("incl. tax", self.tax),
            ("Total", self.total),
        )
        for row, (caption, figure) in enumerate(rows):
            totals.addWidget(QLabel(self.tr(caption), self), row, 0)
            figure.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            totals.addWidget(figure, row, 1)

        self.payment_group = QButtonGroup(self)
        self.cash_button = QPushButton(self.tr("Cash"), self)
        self.card_button = QPushButton(self.tr("Card"), self)
        self.later_button = QPushButton(self.tr("Pay later"), self)
        for button, action in ((self.cash_button, "cash"), (self.card_button, "card"), (self.later_button, "later")):
            button.setCheckable(True)
            show_keys(button, "counter", action, mnemonic=True)
            self.payment_group.addButton(button)
        self.cash_button.setAccessibleName(self.tr("Pay by cash"))
        self.card_button.setAccessibleName(self.tr("Pay by card"))
        self.cash_button.setChecked(True)
        self.payment_group.buttonToggled.connect(self._on_payment_group_button_toggled)
        self.tendered = QLineEdit(self)
        self.tendered.setPlaceholderText(self.tr("Cash tendered"))
        self.tendered.setMaxLength(10)
        self.tendered.setAccessibleName(self.tr("Cash tendered"))
        show_keys(self.tendered, "counter", "tendered")
        self.tendered.textChanged.connect(self._on_tendered_text_changed)
        self.exact_button = QPushButton(self.tr("Exact"), self)
        show_keys(self.exact_button, "counter", "exact", mnemonic=True)
        self.exact_button.setAccessibleName(self.tr("Exact amount tendered"))
        self.exact_button.clicked.connect(self._on_exact_button_clicked)
        self.change = QLabel(self)
        self.change.setObjectName("heading")
        self.tendered_error = error_label(self)

        payment = QHBoxLayout()
        payment.addWidget(self.cash_button)
        payment.addWidget(self.card_button)
        payment.addWidget(self.later_button)
        payment.addWidget(self.tendered, 1)
        payment.addWidget(self.exact_button)
        bottom = QHBoxLayout()
        bottom.addLayout(totals, 1)
        change_box = QVBoxLayout()
        change_box.addWidget(self.change)
        change_box.addWidget(self.tendered_error)
        bottom.addLayout(change_box, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(payment)
        layout.addLayout(bottom)
        cart.rowsInserted.connect(self.schedule_quote)
        cart.rowsRemoved.connect(self.schedule_quote)
        cart.dataChanged.connect(self._on_cart_data_changed)

    @property
    def payment_method(self) -> str:
        return "card" if self.card_button.isChecked() else "cash"

    def tendered_for_quote(self) -> Decimal | None:
        return parse_money(self.tendered.text()) if self.cash_button.isChecked() else None

    def tendered_for_order(self) -> tuple[bool, Decimal | None]:
        """Whether the payment can be sent, and the cash tendered; a missing or unreadable amount is shown."""
        text = self.tendered.text().strip()
        cash = self.cash_button.isChecked()
        tendered = parse_money(text) if cash and text else None
        if cash and text and tendered is None:
            set_error(self.tendered_error, self.tr("Enter an amount such as 20 or 20.50"))
            return False, None
        if cash and tendered is None:
            set_error(self.tendered_error, self.tr("Enter the cash tendered, or choose Pay later"))
            return False, None
        return True, tendered

    def _on_payment_group_button_toggled(self, *_: object) -> None:
        cash = self.cash_button.isChecked()
        self.tendered.setEnabled(cash)
        self.exact_button.setEnabled(cash)
        if not cash:
            set_error(self.tendered_error, None)
        self.schedule_quote()

    def _on_tendered_text_changed(self, text: str) -> None:
        if text.strip() and parse_money(text) is None:
            set_error(self.tendered_error, self.tr("Enter an amount such as 20 or 20.50"))
        else:
            set_error(self.tendered_error, None)
        self.schedule_quote()

    def _on_exact_button_clicked(self) -> None:
        if self.last_quote is not None:
            self.tendered.setText(plain_amount(self.last_quote.total_amount))

    def set_order_type(self, order_type: str) -> None:
        self.order_type = order_type
        self.schedule_quote()

    # the quote ------------------------------------------------------------------------------------------------------
    def _on_cart_data_changed(self, top_left: Any, bottom_right: Any, roles: Any = ()) -> None:
        if not (top_left.column() == bottom_right.column() == 4):  # a price arriving is no change to the order
            self.schedule_quote()

    def schedule_quote(self, *_: object) -> None:
        self._quote_generation += 1
        self._background.start(self._quote(self._quote_generation))

    async def _quote(self, generation: int) -> None:
        if generation != self._quote_generation:
            return  # changed again before this quote started: only the latest is asked for (one per action)
        query = PriceOrderQuery(
            pizza_items=[line.as_item() for line in self._cart.lines],
            order_type=self.order_type,  # type: ignore[arg-type]
            amount_tendered=self.tendered_for_quote(),
        )
        result = await self._mediator.execute_async(query)
        if generation != self._quote_generation:
            return
        if not result.is_success or result.data is None:
            self.quote_failed.emit(first_error(result))
            return
        if not query.pizza_items and query.order_type == "pickup" and query.amount_tendered is None:
            self._empty_cart_quote = result.data
        self._show_quote(result.data)

    def _show_quote(self, quote: OrderQuoteDto) -> None:
        self.last_quote = quote
        self._cart.set_prices([line.price for line in quote.lines])
        self.subtotal.setText(format_money(quote.subtotal))
        self.delivery_fee.setText(format_money(quote.delivery_fee))
        self.tax.setText(format_money(quote.tax))
        self.total.setText(format_money(quote.total_amount))
        if quote.change_due is not None and self.tendered.text().strip():
            self.change.setText(self.tr("Change ") + format_money(quote.change_due))
        elif quote.short_by is not None:
            self.change.setText(self.tr("Short by ") + format_money(quote.short_by))
        else:
            self.change.setText("")

    def reset(self) -> None:
        """Cash, nothing tendered yet (call once the cart and the order type are reset too). The core's price of
        an empty pickup cart, once known, is shown again without asking."""
        self.tendered.clear()
        self.cash_button.setChecked(True)
        known = self._empty_cart_quote
        if known is not None and self._cart.rowCount() == 0 and self.order_type == "pickup":
            self._quote_generation += 1  # the quotes scheduled by the reset are not needed
            self._show_quote(known)

    async def wait_idle(self) -> None:
        await self._background.wait()
