"""Schema migrations: an ordered list, applied in one transaction each; `PRAGMA user_version` holds the version.

Every store carries `PRAGMA application_id` = `APPLICATION_ID`, so a file of another program is never taken for
one (stores of schema 1 and 2 carry 0 and get it when they are migrated; see `infrastructure/store_file.py`).

A store made by any earlier version opens and keeps its data. A schema change is a new step here, never an edit
of an old one (`test_the_migrations_build_exactly_the_schema_the_code_declares` in
tests/integration/test_store.py checks that the steps add up to the current tables).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources

from sqlalchemy import Connection

Migration = Callable[[Connection], None]


def _sql_file(name: str) -> Migration:
    def apply(connection: Connection) -> None:
        script = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
        for statement in script.split(";"):
            if statement.strip():
                connection.exec_driver_sql(statement)

    apply.__doc__ = name
    return apply


MIGRATIONS: list[tuple[int, str, Migration]] = [
    (1, "orders, menu, staff, event store and read models", _sql_file("0001_initial.sql")),
    (
        2,
        "the order list's day index also orders by number (newest first without a sort)",
        _sql_file("0002_order_list_day_index.sql"),
    ),
    (4, "what kind of store this is (demo or real)", _sql_file("0004_store_info.sql")),
    (
        5,
        "the kitchen's load and the orders left open are found by business day; menu items re-filed by category",
        _sql_file("0005_business_day_kitchen.sql"),
    ),
    (
        7,
        "each processed command keeps the digest of its request (the same id with other details is refused)",
        _sql_file("0007_processed_command_digest.sql"),
    ),
    (
        8,
        "allergens on the menu and on order lines, items that need no preparation, kitchen notices",
        _sql_file("0008_allergens_and_kitchen_notices.sql"),
    ),
    (
        9,
        "an order's lines carry their quantity; a dine-in order its table and covers",
        _sql_file("0009_quantities_and_tables.sql"),
    ),
    (
        10,
        "an order keeps the money taken for it (an edit may leave a balance to pay or a refund due) and its discount",
        _sql_file("0010_order_changes.sql"),
    ),
]

LATEST_VERSION = MIGRATIONS[-1][0]

APPLICATION_ID = 0x4D504F53
"""`PRAGMA application_id` of every store ("MPOS"): the file is a store of this product."""


class NewerStoreError(Exception):
    """The store was written by a newer version of the app."""


def current_version(connection: Connection) -> int:
    return int(connection.exec_driver_sql("PRAGMA user_version").scalar_one())


def migrate(connection: Connection) -> list[int]:
    """Apply the missing steps and mark the file as a store (the caller holds the write transaction, and has checked
    that the file is a store: `store_file.check_store_file`). Returns the versions applied."""
    version = current_version(connection)
    if version > LATEST_VERSION:
        raise NewerStoreError(f"This store is at schema version {version}; this app knows up to {LATEST_VERSION}")
    applied = []
    for number, _, step in MIGRATIONS:
        if number > version:
            step(connection)
            connection.exec_driver_sql(f"PRAGMA user_version={number}")
            applied.append(number)
    if int(connection.exec_driver_sql("PRAGMA application_id").scalar_one()) != APPLICATION_ID:
        connection.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
    return applied
