"""The menu and staff repositories and the processed commands: rows to domain objects and back (the orders' are in
`order_repository.py`). They run on a database thread (see `db.py`).

Each async method is one hop to that thread; writes wait in the unit of work until its commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, update

from pos_app.application.ports import MenuRepository, ProcessedCommands, StaffRepository, StoredResult
from pos_app.domain.allergens import join_allergens, parse_allergens, split_allergens
from pos_app.domain.menu import Menu, MenuItem, Size, Topping
from pos_app.domain.money import Money
from pos_app.domain.staff import Role, Staff
from pos_app.infrastructure.records import (
    MenuItemRecord,
    ProcessedCommandRecord,
    StaffRecord,
    ToppingRecord,
)
from pos_app.infrastructure.transaction import Transaction
from pos_app.read_model.statements import update_by_key
from pos_app.schema import table
from pos_app.schema.dialects import driver_sql

menu_t = table(MenuItemRecord)
toppings_t = table(ToppingRecord)
staff_t = table(StaffRecord)
processed_t = table(ProcessedCommandRecord)

# Prebuilt statements with bound parameters (see pos_app/read_model/statements.py for why).
SELECT_STAFF = select(staff_t).where(staff_t.c.id == bindparam("_key"))
SELECT_ACTIVE_STAFF = select(staff_t).where(staff_t.c.active.is_(True)).order_by(staff_t.c.name)
SAVE_STAFF = update_by_key(staff_t, "id", ("pin_hash", "failed_attempts", "locked_until", "active"))
PROCESSED_COLUMNS = (processed_t.c.status, processed_t.c.payload, processed_t.c.digest, processed_t.c.command_type)
SELECT_PROCESSED = select(*PROCESSED_COLUMNS).where(processed_t.c.key == bindparam("_key"))
INSERT_PROCESSED = insert(processed_t)


# menu ---------------------------------------------------------------------------------------------------------------


MENU_ROWS_SQL = (
    "SELECT id, name, description, category, base_price_cents, preparation_minutes, available, seasonal, sizes,"
    " takes_toppings, allergens, needs_preparation FROM menu_items ORDER BY sort_order, id"
)
TOPPING_ROWS_SQL = "SELECT id, name, price_cents, available, allergens FROM toppings ORDER BY sort_order, id"
_menu_memo: tuple[tuple[Any, ...], Menu] | None = None


def load_menu(connection: Connection) -> Menu:
    """The menu as domain objects. Every order reads it: the rows are read each time (so a change by any terminal
    is seen at once), and turned into objects again only when they differ from the last read. Read-only."""
    global _menu_memo
    rows = (
        tuple(driver_sql(connection, MENU_ROWS_SQL).fetchall()),
        tuple(driver_sql(connection, TOPPING_ROWS_SQL).fetchall()),
    )
    memo = _menu_memo
    if memo is not None and memo[0] == rows:
        return memo[1]
    items = {
        row[0]: MenuItem(
            id=row[0],
            name=row[1],
            description=row[2],
            category=row[3],
            base_price=Money(row[4]),
            preparation_minutes=row[5],
            available=bool(row[6]),
            seasonal=bool(row[7]),
            sizes=tuple(Size(s) for s in row[8].split(",") if s),
            takes_toppings=bool(row[9]),
            allergens=parse_allergens(split_allergens(row[10])),
            needs_preparation=bool(row[11]),
        )
        for row in rows[0]
    }
    toppings = {
        row[0]: Topping(
            id=row[0],
            name=row[1],
            price=Money(row[2]),
            available=bool(row[3]),
            allergens=parse_allergens(split_allergens(row[4])),
        )
        for row in rows[1]
    }
    menu = Menu(items=items, toppings=toppings)
    _menu_memo = (rows, menu)
    return menu


def menu_item_values(item: MenuItem) -> dict[str, Any]:
    return {
        "name": item.name,
        "description": item.description,
        "category": item.category,
        "base_price_cents": item.base_price.cents,
        "preparation_minutes": item.preparation_minutes,
        "available": item.available,
        "seasonal": item.seasonal,
        "sizes": ",".join(size.value for size in item.sizes),
        "takes_toppings": item.takes_toppings,
        "allergens": join_allergens(item.allergens),
        "needs_preparation": item.needs_preparation,
    }


def save_menu_item(connection: Connection, item: MenuItem, added: bool) -> None:
    if added:
        last = connection.execute(select(func.coalesce(func.max(menu_t.c.sort_order), 0))).scalar_one()
        connection.execute(insert(menu_t).values(id=item.id, sort_order=int(last) + 1, **menu_item_values(item)))
    else:
        connection.execute(update(menu_t).where(menu_t.c.id == item.id).values(**menu_item_values(item)))


class SqlMenuRepository(MenuRepository):
    def __init__(self, uow: Transaction) -> None:
        self._uow = uow

    async def get_menu(self) -> Menu:
        return await self._uow.run(load_menu)

    async def save_item(self, item: MenuItem, added: bool) -> None:
        self._uow.defer(save_menu_item, item, added)


# staff --------------------------------------------------------------------------------------------------------------


def _staff(row: Any) -> Staff:
    return Staff(
        id=row.id,
        name=row.name,
        role=Role(row.role),
        pin_hash=row.pin_hash,
        active=row.active,
        failed_attempts=row.failed_attempts,
        locked_until=row.locked_until,
    )


def load_staff(connection: Connection, staff_id: str) -> Staff | None:
    row = connection.execute(SELECT_STAFF, {"_key": staff_id}).one_or_none()
    return None if row is None else _staff(row)


def list_staff(connection: Connection) -> list[Staff]:
    rows = connection.execute(SELECT_ACTIVE_STAFF)
    return [_staff(row) for row in rows]


def save_staff(connection: Connection, staff: Staff) -> None:
    connection.execute(
        SAVE_STAFF,
        {
            "_key": staff.id,
            "pin_hash": staff.pin_hash,
            "failed_attempts": staff.failed_attempts,
            "locked_until": staff.locked_until,
            "active": staff.active,
        },
    )


class SqlStaffRepository(StaffRepository):
    def __init__(self, uow: Transaction) -> None:
        self._uow = uow

    async def get(self, staff_id: str) -> Staff | None:
        return await self._uow.run(load_staff, staff_id)

    async def list_active(self) -> Sequence[Staff]:
        return await self._uow.run(list_staff)

    async def save(self, staff: Staff) -> None:
        self._uow.defer(save_staff, staff)


# processed commands ---------------------------------------------------------------------------------------------


def _stored(row: Any) -> StoredResult | None:
    return None if row is None else StoredResult(row.status, row.payload, row.digest, row.command_type)


def load_processed(connection: Connection, key: str) -> StoredResult | None:
    return _stored(connection.execute(SELECT_PROCESSED, {"_key": key}).one_or_none())


@cache
def any_processed_sql(count: int) -> str:
    """Plain SQL for the rows of `count` keys (every command looks its keys up: a Core `IN` is rendered anew for
    each call)."""
    return (
        'SELECT "key", status, payload, digest, command_type FROM processed_commands'
        f' WHERE "key" IN ({", ".join("?" * count)}) ORDER BY processed_at, "key"'
    )


def load_any_processed(connection: Connection, keys: Sequence[str]) -> StoredResult | None:
    """The row of the first key if it has one, else the earliest row of the others."""
    rows = driver_sql(connection, any_processed_sql(len(keys)), keys).all()
    own = [row for row in rows if row.key == keys[0]]
    return _stored((own or rows)[0]) if rows else None


def save_processed(connection: Connection, key: str, command_type: str, result: StoredResult, at: datetime) -> None:
    connection.execute(
        INSERT_PROCESSED,
        {
            "key": key,
            "command_type": command_type,
            "status": result.status,
            "payload": result.payload,
            "processed_at": at,
            "digest": result.digest,
        },
    )


class SqlProcessedCommands(ProcessedCommands):
    def __init__(self, uow: Transaction) -> None:
        self._uow = uow

    async def get(self, key: str) -> StoredResult | None:
        return await self._uow.run(load_processed, key)

    async def get_any(self, keys: Sequence[str]) -> StoredResult | None:
        return await self._uow.run(load_any_processed, keys)

    async def add(self, key: str, command_type: str, result: StoredResult, at: datetime) -> None:
        self._uow.defer(save_processed, key, command_type, result, at)
