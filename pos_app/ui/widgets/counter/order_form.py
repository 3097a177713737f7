"""The counter's order as its panels hold it: the command that places it (or saves the changes to a placed order
in the edit mode), and a refusal shown under the fields it names."""

from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

from pos_app.mediation import OperationResult
from pos_app.messages.commands import EditOrderCommand, PlaceOrderCommand
from pos_app.messages.dtos import OrderDto
from pos_app.ui.models.cart import CartModel
from pos_app.ui.views.base import set_error
from pos_app.ui.widgets.counter.cart_panel import CartPanel
from pos_app.ui.widgets.counter.customer_panel import CustomerPanel
from pos_app.ui.widgets.counter.payment_panel import PaymentPanel
from pos_app.ui.widgets.counter.place_panel import PlacePanel
from pos_app.ui.widgets.counter.table_panel import TablePanel


class OrderForm:
    def __init__(
        self,
        cart: CartModel,
        customer: CustomerPanel,
        table: TablePanel,
        cart_panel: CartPanel,
        payment: PaymentPanel,
        place: PlacePanel,
    ) -> None:
        self._cart, self._customer, self._table = cart, customer, table
        self._cart_panel, self._payment, self._place = cart_panel, payment, place

    def clear_errors(self) -> None:
        self._customer.clear_errors()
        for label in (self._payment.tendered_error, self._cart_panel.cart_error, self._place.form_error):
            set_error(label, None)

    def place_command(self, order_id: UUID, accept_wait: bool) -> PlaceOrderCommand | None:
        """The new order as the screen shows it (None: the cash tendered is wrong, and says so)."""
        payable, tendered = self._payment.tendered_for_order()
        if not payable:
            return None
        return PlaceOrderCommand(
            order_id=order_id,
            customer_phone=self._customer.phone.text().strip(),
            payment_method=self._payment.payment_method,  # type: ignore[arg-type]
            amount_tendered=tendered,
            accept_kitchen_wait=accept_wait,
            **self._order_fields(),
        )

    def edit_command(self, order: OrderDto) -> EditOrderCommand:
        """The placed `order` as the screen now shows it (its phone stays: it is who the customer is)."""
        return EditOrderCommand(
            order_id=order.order_id,
            command_id=uuid.uuid4(),
            customer_phone=order.customer_phone,
            expected_version=order.version,
            **self._order_fields(),
        )

    def _order_fields(self) -> dict[str, Any]:
        """What placing and editing an order both send: its lines, type, customer, and table when dine-in."""
        customer = self._customer
        dine_in = customer.order_type == "dine_in"
        delivery = customer.order_type == "delivery"
        return {
            "customer_name": customer.name.text().strip(),
            "customer_address": customer.address.text().strip() or None if delivery else None,
            "pizza_items": [line.as_item() for line in self._cart.lines],
            "order_type": customer.order_type,
            "table_number": self._table.table_number if dine_in else None,
            "covers": self._table.covers_count if dine_in else None,
        }

    def show_refusal(self, result: OperationResult[Any]) -> None:
        """Each message under the field it names; one that names no field above Place."""
        shown = self._customer.show_errors(result.errors)
        shown = self._table.show_errors(result.errors) or shown
        for field, messages in result.errors.items():
            label = self._payment.tendered_error if field == "amount_tendered" else None
            label = label or (self._cart_panel.cart_error if field.startswith("pizza_items") else None)
            if label is not None:
                set_error(label, " ".join(messages))
                shown = True
        if not shown:
            set_error(self._place.form_error, result.error_message)
