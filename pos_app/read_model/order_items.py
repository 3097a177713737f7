"""An order's items as the read models store them: one JSON object per item, written compactly."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Hashable, Iterable
from typing import Any, TypeVar

from pos_app.domain.events import OrderEditedEvent, OrderItemData

K = TypeVar("K", bound=Hashable)


def dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def item_json(item: OrderItemData) -> dict[str, Any]:
    """The item as stored; `"quantity"` only on a line of more than one (rows written before quantities were kept
    read the same as rebuilt ones): read it with `quantity_of`."""
    stored = {
        "menu_item_id": item.menu_item_id,
        "name": item.name,
        "category": item.category,
        "size": item.size,
        "toppings": list(item.topping_names),
        "notes": item.special_instructions,
        "price_cents": item.price_cents,
        "ready": False,
    }
    if item.quantity != 1:
        stored["quantity"] = item.quantity
    return stored


def quantity_of(item: dict[str, Any]) -> int:
    """How many of the same a stored item is (1 unless it says)."""
    return int(item.get("quantity", 1))


def pizza_count(items: list[dict[str, Any]]) -> int:
    """How many pieces the stored items are, a line of 2 counting two."""
    return sum(quantity_of(item) for item in items)


def weighted(pairs: Iterable[tuple[K, int]]) -> Counter[K]:
    """Counts by key, each pair adding its number (a line of 2 Margherita counts two)."""
    counts: Counter[K] = Counter()
    for key, number in pairs:
        counts[key] += number
    return counts


def edited_items(event: OrderEditedEvent) -> list[dict[str, Any]]:
    """An edited order's items as stored (the kitchen queue keeps its own, with the kitchen's ready flags)."""
    return [item_json(item) for item in event.items]
