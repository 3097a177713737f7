"""Order intake: a new order's lines priced against the menu, its phone checked, and the order placed on the
store's terms (tax, delivery fee, kitchen). Plain values in, an `Order` out.

The place-order handler and the bulk history writer (pos_app/tools/history.py) both place orders through it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from pos_app.domain.customers import normalize_phone
from pos_app.domain.kitchen import KitchenLoad, KitchenPolicy, estimate_ready_time
from pos_app.domain.menu import Menu, PricedLine
from pos_app.domain.money import Money, TaxPolicy
from pos_app.domain.orders import Customer, Order, OrderType, PaymentMethod

LineChoice = tuple[str, str, Sequence[str], str]
"""One requested line: `(menu item id, size, topping ids, special instructions)`."""


@dataclass(frozen=True, slots=True, kw_only=True)
class StoreTerms:
    """What the store's settings say about every new order."""

    tax: TaxPolicy
    delivery_fee: Money
    kitchen: KitchenPolicy


@dataclass(frozen=True, slots=True)
class OrderIntake:
    """A new order checked against the menu: the customer's normalised phone and the priced lines."""

    phone: str
    lines: list[PricedLine]

    @classmethod
    def of(
        cls, customer_phone: str, items: Sequence[LineChoice], menu: Menu, allergies: Sequence[Sequence[str]] = ()
    ) -> OrderIntake:
        """Check the phone, then price every line; raises `ValidationFailedError` naming each bad field.
        `allergies[i]`: the customer's allergies on line i."""
        phone = normalize_phone(customer_phone)
        lines = menu.price_lines(items, "pizza_items", allergies)
        return cls(phone, lines)

    @property
    def kitchen_minutes(self) -> list[int]:
        """The preparation minutes of the items the kitchen makes (drinks and packaged desserts need none)."""
        return [
            line.item.preparation_minutes
            for line in self.lines
            if line.item.preparation_minutes > 0 and line.item.needs_preparation
        ]

    def make_order(
        self,
        *,
        order_id: UUID,
        number: int,
        business_date: date,
        order_type: OrderType,
        customer_name: str,
        customer_address: str | None,
        payment_method: PaymentMethod,
        amount_tendered: Money | None,
        load: KitchenLoad,
        terms: StoreTerms,
        now: datetime,
        staff_id: str | None,
    ) -> Order:
        """The placed order, its ready time estimated on the kitchen's current load."""
        return Order.place(
            order_id=order_id,
            number=number,
            business_date=business_date,
            order_type=order_type,
            customer=Customer(name=customer_name, phone=self.phone, address=customer_address),
            lines=self.lines,
            payment_method=payment_method,
            amount_tendered=amount_tendered,
            tax=terms.tax,
            delivery_fee=terms.delivery_fee,
            estimated_ready_at=estimate_ready_time(now, load, self.kitchen_minutes, terms.kitchen),
            now=now,
            staff_id=staff_id,
        )
