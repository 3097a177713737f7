"""What a new store starts with (data files in `resources/`, not code): the menu, and either the demo staff with
their published PINs (a demo store) or only the store's manager with a PIN of their own (a real store)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert, select

from pos_app.domain.allergens import join_allergens, parse_allergens
from pos_app.domain.menu import MenuItem, Size
from pos_app.domain.money import Money
from pos_app.domain.staff import Role, verify_pin
from pos_app.infrastructure.records import MenuItemRecord, StaffRecord, StoreInfoRecord, ToppingRecord
from pos_app.infrastructure.repositories import menu_item_values
from pos_app.schema import table


def resources_dir() -> Path:
    """`resources/` beside the package (a checkout or an editable install)."""
    return Path(__file__).resolve().parents[2] / "resources"


def _load(name: str) -> Any:
    return json.loads((resources_dir() / name).read_text(encoding="utf-8"))


def seed_demo_data(connection: Connection) -> None:
    """The menu and the demo staff (README lists their PINs): a store to try the app on."""
    seed_menu(connection)
    _insert_staff(connection, [(s["id"], s["name"], s["role"], s["pin_hash"]) for s in _load("staff.json")["staff"]])
    _write_store_info(connection, is_demo=True)


def seed_real_store(connection: Connection, manager_id: str, manager_name: str, manager_pin_hash: str) -> None:
    """The menu and the store's manager, alone: never the demo staff or their PINs."""
    seed_menu(connection)
    _insert_staff(connection, [(manager_id, manager_name, Role.MANAGER.value, manager_pin_hash)])
    _write_store_info(connection, is_demo=False)


def is_demo_pin(pin: str) -> bool:
    """Whether `pin` is one of the demo staff's published PINs."""
    return any(verify_pin(pin, s["pin_hash"]) for s in _load("staff.json")["staff"])


def read_is_demo(connection: Connection) -> bool:
    """Whether the store is a demo store (one with no record of its kind is taken for one)."""
    value = connection.execute(select(table(StoreInfoRecord).c.is_demo)).scalar_one_or_none()
    return True if value is None else bool(value)


def _write_store_info(connection: Connection, is_demo: bool) -> None:
    connection.execute(insert(table(StoreInfoRecord)), {"id": 1, "is_demo": is_demo})


def _insert_staff(connection: Connection, staff: list[tuple[str, str, str, str]]) -> None:
    connection.execute(
        insert(table(StaffRecord)),
        [
            {
                "id": staff_id,
                "name": name,
                "role": role,
                "pin_hash": pin_hash,
                "active": True,
                "failed_attempts": 0,
                "locked_until": None,
            }
            for staff_id, name, role, pin_hash in staff
        ],
    )


def seed_menu(connection: Connection) -> None:
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
                "allergens": join_allergens(parse_allergens(t.get("allergens", []))),
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
            allergens=parse_allergens(entry.get("allergens", [])),
            needs_preparation=entry.get("needs_preparation", True),
        )
        rows.append({"id": item.id, "sort_order": index, **menu_item_values(item)})
    connection.execute(insert(table(MenuItemRecord)), rows)
