"""The demo menu and demo staff a new store starts with (data files in `resources/`, not code)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert

from pos_app.domain.menu import MenuItem, Size
from pos_app.domain.money import Money
from pos_app.infrastructure.records import MenuItemRecord, StaffRecord, ToppingRecord
from pos_app.infrastructure.repositories import menu_item_values
from pos_app.read_model.schema import table


def resources_dir() -> Path:
    """`resources/` beside the package (a checkout or an editable install)."""
    return Path(__file__).resolve().parents[2] / "resources"


def _load(name: str) -> Any:
    return json.loads((resources_dir() / name).read_text(encoding="utf-8"))


def seed_demo_data(connection: Connection) -> None:
    menu = _load("menu.json")
    connection.execute(
        insert(table(ToppingRecord)),
        [
            {
                "id": t["id"],
                "name": t["name"],
                "price_cents": Money.from_decimal(Decimal(t["price"])).cents,
                "available": True,
                "sort_order": index,
            }
            for index, t in enumerate(menu["toppings"])
        ],
    )
    rows = []
    for index, entry in enumerate(menu["items"]):
        category = entry["category"]
        sizes = entry.get("sizes") or (["small", "medium", "large"] if category == "pizza" else ["medium"])
        item = MenuItem(
            id=entry["id"],
            name=entry["name"],
            description=entry.get("description", ""),
            category=category,
            base_price=Money.from_decimal(Decimal(entry["price"])),
            preparation_minutes=int(entry["minutes"]),
            available=entry.get("available", True),
            seasonal=entry.get("seasonal", False),
            sizes=tuple(Size(s) for s in sizes),
            takes_toppings=category == "pizza",
        )
        rows.append({"id": item.id, "sort_order": index, **menu_item_values(item)})
    connection.execute(insert(table(MenuItemRecord)), rows)
    staff = _load("staff.json")["staff"]
    connection.execute(
        insert(table(StaffRecord)),
        [
            {
                "id": s["id"],
                "name": s["name"],
                "role": s["role"],
                "pin_hash": s["pin_hash"],
                "active": True,
                "failed_attempts": 0,
                "locked_until": None,
            }
            for s in staff
        ],
    )
