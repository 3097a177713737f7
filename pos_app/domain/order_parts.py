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
        )


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
