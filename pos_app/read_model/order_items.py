"""An order's items as the read models store them: one JSON object per item, written compactly."""

from __future__ import annotations

import json
from typing import Any

from pos_app.domain.events import OrderItemData


def dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def item_json(item: OrderItemData) -> dict[str, Any]:
    return {
        "menu_item_id": item.menu_item_id,
        "name": item.name,
        "category": item.category,
        "size": item.size,
        "toppings": list(item.topping_names),
        "notes": item.special_instructions,
        "price_cents": item.price_cents,
        "ready": False,
    }
