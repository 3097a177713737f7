"""The values an order is made of: its status, type and payment method, its items and its customer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from pos_app.domain.events import OrderItemData
from pos_app.domain.menu import PricedLine


class OrderStatus(StrEnum):
    PENDING = "pending"
    COOKING = "cooking"
    READY = "ready"
    PICKED_UP = "picked_up"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


OPEN_STATUSES = frozenset({OrderStatus.PENDING, OrderStatus.COOKING})
FINAL_STATUSES = frozenset({OrderStatus.PICKED_UP, OrderStatus.DELIVERED, OrderStatus.CANCELLED})


class OrderType(StrEnum):
    PICKUP = "pickup"
    DELIVERY = "delivery"
    DINE_IN = "dine_in"


class PaymentMethod(StrEnum):
    CASH = "cash"
    CARD = "card"


@dataclass(slots=True)
class OrderItem:
    menu_item_id: str
    name: str
    category: str
    size: str
    toppings: tuple[str, ...]
    topping_names: tuple[str, ...]
    special_instructions: str
    price_cents: int
    preparation_minutes: int
    ready_at: datetime | None = None
    allergies: tuple[str, ...] = ()
    allergens: tuple[str, ...] = ()
    needs_preparation: bool = True
    quantity: int = 1
    """How many of the same on this line ("2 × Margherita"); `price_cents` is the line's, for all of them. The
    kitchen makes the line's pizzas together and marks the line ready as one."""

    def snapshot(self) -> OrderItemData:
        return OrderItemData(
            menu_item_id=self.menu_item_id,
            name=self.name,
            category=self.category,
            size=self.size,
            toppings=self.toppings,
            topping_names=self.topping_names,
            special_instructions=self.special_instructions,
            price_cents=self.price_cents,
            preparation_minutes=self.preparation_minutes,
            allergies=self.allergies,
            allergens=self.allergens,
            needs_preparation=self.needs_preparation,
            quantity=self.quantity,
        )

    @classmethod
    def from_line(cls, line: PricedLine) -> OrderItem:
        return cls(
            menu_item_id=line.item.id,
            name=line.item.name,
            category=line.item.category,
            size=line.size.value,
            toppings=tuple(t.id for t in line.toppings),
            topping_names=tuple(t.name for t in line.toppings),
            special_instructions=line.special_instructions,
            price_cents=line.price.cents,
            preparation_minutes=line.item.preparation_minutes,
            allergies=tuple(a.value for a in line.allergies),
            allergens=tuple(a.value for a in line.allergens),
            needs_preparation=line.item.needs_preparation,
            quantity=line.quantity,
        )

    @property
    def unit_price_cents(self) -> int:
        return self.price_cents // self.quantity


def ready_what_needs_no_preparation(items: Sequence[OrderItem], now: datetime) -> bool:
    """A new order's items that need no preparation (drinks, packaged desserts) are ready when it is placed.
    Returns whether that leaves nothing to prepare (the order is ready at once)."""
    for item in items:
        if not item.needs_preparation:
            item.ready_at = now
    return all(item.ready_at is not None for item in items)


@dataclass(slots=True, kw_only=True)
class Customer:
    name: str
    phone: str
    address: str | None


MAX_TABLE = 999
MAX_COVERS = 99


def table_problems(order_type: OrderType, table_number: int | None, covers: int | None) -> dict[str, list[str]]:
    """A dine-in order needs its table (1 to 999); covers (guests) are optional, 1 to 99. Pickup and delivery
    orders have neither (what is sent for them is ignored)."""
    if order_type is not OrderType.DINE_IN:
        return {}
    errors: dict[str, list[str]] = {}
    if table_number is None:
        errors["table_number"] = ["A dine-in order needs its table number"]
    elif not 1 <= table_number <= MAX_TABLE:
        errors["table_number"] = [f"A table number is 1 to {MAX_TABLE}"]
    if covers is not None and not 1 <= covers <= MAX_COVERS:
        errors["covers"] = [f"Covers (guests) are 1 to {MAX_COVERS}"]
    return errors


def order_problems(
    order_type: OrderType,
    customer_name: str,
    customer_address: str | None,
    has_lines: bool,
    table_number: int | None,
    covers: int | None,
) -> dict[str, list[str]]:
    """What keeps an order of these parts from being placed, or an order from being edited into them, by field."""
    errors = table_problems(order_type, table_number, covers)
    if not has_lines:
        errors["pizza_items"] = ["Add at least one item"]
    if not customer_name.strip():
        errors["customer_name"] = ["Enter the customer's name"]
    if order_type is OrderType.DELIVERY and not (customer_address or "").strip():
        errors["customer_address"] = ["A delivery needs an address"]
    return errors


@dataclass(frozen=True, slots=True, kw_only=True)
class Discount:
    """A discount on an order (`line_index` None) or on one of its lines: `percent_basis_points` (1000 = 10%) or a
    fixed `amount_cents`, with its reason. `cents` is what it takes off, rounded half-up to the cent once."""

    reason: str
    cents: int
    percent_basis_points: int | None = None
    fixed_cents: int | None = None
    line_index: int | None = None
    approver_id: str | None = None
