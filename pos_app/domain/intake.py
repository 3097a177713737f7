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
from pos_app.domain.errors import ValidationFailedError
from pos_app.domain.kitchen import KitchenLoad, KitchenPolicy, estimate_ready_time
from pos_app.domain.menu import Menu, PricedLine
from pos_app.domain.money import Money, TaxPolicy
from pos_app.domain.orders import Customer, Order, OrderType, PaymentMethod

LineChoice = tuple[str, str, Sequence[str], str]
"""One requested line: `(menu item id, size, topping ids, special instructions)`."""


def price_lines(
    items: Sequence[LineChoice],
    menu: Menu,
    quantities: Sequence[int] | None = None,
    allergies: Sequence[Sequence[str]] = (),
) -> list[PricedLine]:
    """The lines priced on the menu: each unit price rounded once, times its quantity (exact in cents);
    `allergies[i]`: the customer's allergies on line i."""
    lines = menu.price_lines(items, "pizza_items", allergies)
    if quantities is None:
        return lines
    priced: list[PricedLine] = []
    errors: dict[str, list[str]] = {}
    for index, (line, quantity) in enumerate(zip(lines, quantities, strict=True)):
        try:
            priced.append(line.times(quantity))
        except ValidationFailedError as error:
            errors[f"pizza_items[{index}].quantity"] = list(error.errors.get("quantity", []))
    if errors:
        raise ValidationFailedError.for_fields(errors)
    return priced


def kitchen_minutes(lines: Sequence[PricedLine]) -> list[int]:
    """One entry per pizza the kitchen makes: a line of 2 is two pizzas in the oven (drinks and packaged desserts,
    which need no preparation, are none)."""
    return [
        line.item.preparation_minutes
        for line in lines
        for _ in range(line.quantity)
        if line.item.preparation_minutes and line.item.needs_preparation
    ]


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
        cls,
        customer_phone: str,
        items: Sequence[LineChoice],
        menu: Menu,
        quantities: Sequence[int] | None = None,
        allergies: Sequence[Sequence[str]] = (),
    ) -> OrderIntake:
        """Check the phone, then price every line (`quantities[i]` of line i, one each when None; `allergies[i]`:
        the customer's allergies on line i); raises `ValidationFailedError` naming each bad field."""
        phone = normalize_phone(customer_phone)
        return cls(phone, price_lines(items, menu, quantities, allergies))

    @property
    def kitchen_minutes(self) -> list[int]:
        """The preparation minutes of each item the kitchen makes, one per pizza of a line of several (drinks and
        packaged desserts need none)."""
        return kitchen_minutes(self.lines)

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
        table_number: int | None = None,
        covers: int | None = None,
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
            table_number=table_number,
            covers=covers,
        )
