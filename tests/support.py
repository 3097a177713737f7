"""Test helpers shared by the integration, end-to-end and UI tests."""

from __future__ import annotations

import hashlib
import sqlite3
import uuid
from contextlib import closing
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from pos_app.application.ports import Clock
from pos_app.mediation import Mediator, OperationResult, Request
from pos_app.messages import commands, queries
from pos_app.messages.commands import LoginCommand, PizzaItem, PlaceOrderCommand
from pos_app.read_model.catalog import READ_MODELS as READ_MODEL_CATALOGUE
from pos_app.read_model.definition import ReadModel

PINS = {"mario": "1000", "luigi": "2000", "rosa": "3000", "toni": "4000"}

LUNCH_ITEMS = [PizzaItem(pizza_id="margherita", size="large", toppings=["ham"]), PizzaItem(pizza_id="cola")]
"""A pizza and a drink: the order the soak and the store benchmark place again and again."""


async def serve_lunch_order(mediator: Mediator, order_id: uuid.UUID) -> None:
    """The kitchen makes a `LUNCH_ITEMS` order and it is picked up (the cola needs no preparation: it was ready when
    placed)."""
    for step in (
        commands.StartCookingCommand(order_id=order_id),
        commands.MarkPizzaReadyCommand(order_id=order_id, pizza_index=0),
        commands.MarkOrderPickedUpCommand(order_id=order_id),
    ):
        result = await mediator.execute_async(step)
        assert result.is_success, (step, result)


LUNCH = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
MANAGER_APPROVAL: dict[str, Any] = {"approver_id": "mario", "approver_pin": PINS["mario"]}
"""The fields of a manager approving a refund on the till of counter staff."""


class FrozenClock(Clock):
    """A clock that only moves when a test moves it."""

    def __init__(self, start: datetime = LUNCH) -> None:
        self.current = start

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


async def login(mediator: Mediator, staff_id: str) -> None:
    result = await mediator.execute_async(LoginCommand(staff_id=staff_id, pin=PINS[staff_id]))
    assert result.is_success, result


def place_order(**overrides: Any) -> PlaceOrderCommand:
    fields: dict[str, Any] = {
        "order_id": uuid.uuid4(),
        "customer_name": "Anna Conti",
        "customer_phone": "555 010 2030",
        "pizza_items": [
            PizzaItem(pizza_id="margherita", size="large", toppings=["ham"]),
            PizzaItem(pizza_id="pepperoni", size="medium", special_instructions="well done"),
        ],
        "payment_method": "cash",
        "amount_tendered": Decimal("100.00"),
    }
    fields.update(overrides)
    return PlaceOrderCommand(**fields)


async def placed(mediator: Mediator, **overrides: Any) -> OperationResult[Any]:
    result = await mediator.execute_async(place_order(**overrides))
    assert result.status == 201, result
    return result


TABLES = (
    "orders",
    "order_items",
    "events",
    "order_numbers",
    "processed_commands",
    "menu_items",
    "toppings",
    "staff",
    "order_list_view",
    "kitchen_queue_view",
    "customer_view",
    "customer_item_view",
    "sales_daily_view",
    "sales_item_daily_view",
    "kitchen_daily_view",
)
READ_MODELS = TABLES[8:]


StoreRef = Path | str
"""A store as the tests look into it: a SQLite file, or a database URL (SQLite or a PostgreSQL server)."""


def query_store(store: StoreRef, statements: list[str]) -> list[list[tuple[Any, ...]]]:
    """The rows each statement reads, straight from the store (not through the app)."""
    if isinstance(store, str) and not store.startswith("sqlite"):
        import psycopg

        from pos_app.infrastructure.postgres import plain_url

        with psycopg.connect(plain_url(store)) as server:
            return [[tuple(row) for row in server.execute(sql).fetchall()] for sql in statements]  # type: ignore[arg-type]
    path = Path(store.removeprefix("sqlite:///")) if isinstance(store, str) else store
    with closing(sqlite3.connect(path)) as connection:
        return [connection.execute(sql).fetchall() for sql in statements]


def row_counts(store: StoreRef) -> dict[str, int]:
    counts = query_store(store, [f"SELECT count(*) FROM {name}" for name in TABLES])
    return {name: rows[0][0] for name, rows in zip(TABLES, counts, strict=True)}


def dump_tables(store: StoreRef, names: tuple[str, ...] = READ_MODELS) -> dict[str, list[tuple[Any, ...]]]:
    dumps = query_store(store, [f"SELECT * FROM {name}" for name in names])
    return {name: sorted(rows, key=repr) for name, rows in zip(names, dumps, strict=True)}


def tables_of(read_model: ReadModel, dump: dict[str, list[tuple[Any, ...]]]) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of one read model's tables, out of a `dump_tables` dump."""
    return {read_table.name: dump[read_table.name] for read_table in read_model.tables}


def read_models_differing(
    live: dict[str, list[tuple[Any, ...]]], rebuilt: dict[str, list[tuple[Any, ...]]]
) -> list[str]:
    """The read models (by name) whose tables differ between two dumps: which one a rebuild got wrong."""
    return [m.name for m in READ_MODEL_CATALOGUE if tables_of(m, live) != tables_of(m, rebuilt)]


def snapshot(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (the write model, the event store and the read models)."""
    return dump_tables(path, TABLES)


def request_catalogue() -> list[type[Request[Any]]]:
    """Every concrete request class defined in the commands and queries modules."""
    found: list[type[Request[Any]]] = []
    for module in (commands, queries):
        for name, value in vars(module).items():
            if (
                isinstance(value, type)
                and issubclass(value, Request)
                and value.__module__ == module.__name__
                and value.__name__ == name
                and value.__pydantic_generic_metadata__["origin"] is None
            ):
                found.append(value)
    return found


Fingerprint = dict[str, tuple[int, str]]
"""Per table of a store: its row count and the digest of its rows."""


def rows_digest(rows: list[Any]) -> str:
    """sha256 of the rows' repr (lone surrogates, which hostile text can hold, are escaped rather than refused)."""
    return hashlib.sha256(repr(rows).encode("utf-8", "backslashreplace")).hexdigest()


def table_names(store: StoreRef) -> list[str]:
    """Every table of the store, by name."""
    if isinstance(store, str) and not store.startswith("sqlite"):
        sql = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    return [row[0] for row in query_store(store, [sql])[0]]


def fingerprint(store: StoreRef) -> Fingerprint:
    """Row count and digest of the rows of every table in the store (rows in a fixed order on either backend)."""
    names = table_names(store)
    tables = query_store(store, [f'SELECT * FROM "{name}"' for name in names])
    return {name: (len(rows), rows_digest(sorted(rows, key=repr))) for name, rows in zip(names, tables, strict=True)}


def changed(before: Fingerprint, after: Fingerprint) -> list[str]:
    """The tables whose rows differ between two fingerprints."""
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
