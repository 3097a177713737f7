"""Opening, creating, seeding and migrating the store."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

import pos_app.infrastructure.records
import pos_app.read_model.tables  # noqa: F401
from pos_app.bootstrap import App, StoreOpenError, create_app
from pos_app.config import default_database_path, default_database_url
from pos_app.infrastructure.migrations import LATEST_VERSION
from pos_app.messages.queries import GetMenuQuery, GetStaffQuery
from pos_app.read_model.schema import Base
from tests.support import FrozenClock, login, placed, row_counts


async def test_a_new_store_is_created_migrated_and_seeded_with_the_demo_menu_and_staff(app: App) -> None:
    staff = await app.mediator.execute_async(GetStaffQuery())
    await login(app.mediator, "luigi")

    menu = await app.mediator.execute_async(GetMenuQuery())

    assert {s.id: s.role for s in staff.data} == {
        "mario": "manager",
        "luigi": "counter",
        "rosa": "kitchen",
        "toni": "driver",
    }
    prices = {item.id: str(item.base_price) for item in menu.data}
    assert prices["margherita"] == "12.99"
    assert prices["pepperoni"] == "14.99"
    assert prices["supreme"] == "17.99"
    assert {"quattro_formaggi", "diavola", "hawaiian", "veggie"} <= set(prices)
    assert sum(item.is_seasonal for item in menu.data) == 1
    assert {"side", "drink"} <= {item.category for item in menu.data}
    margherita = next(item for item in menu.data if item.id == "margherita")
    assert {"extra_cheese", "mushrooms", "olives", "ham", "basil"} <= {t.id for t in margherita.available_toppings}
    assert margherita.available_sizes == ["small", "medium", "large"]


async def test_an_existing_store_is_opened_as_it_is(db_path: Path, clock: FrozenClock) -> None:
    async with create_app(f"sqlite+aiosqlite:///{db_path}", clock=clock) as first:
        await login(first.mediator, "luigi")
        await placed(first.mediator)
    before = row_counts(db_path)

    async with create_app(f"sqlite:///{db_path}", clock=clock):
        after = row_counts(db_path)

    assert after == before
    assert before["orders"] == 1
    assert before["menu_items"] == 15


async def test_the_default_store_is_a_file_under_the_user_data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))

    path = default_database_path()

    assert path.is_relative_to(tmp_path / "data")
    assert default_database_url().endswith(str(path))
    async with create_app() as app:
        assert app.database_path == path
    assert path.exists()


async def test_an_in_memory_store_is_refused() -> None:
    with pytest.raises(ValueError, match="must be a file"):
        async with create_app("sqlite+aiosqlite:///:memory:"):
            pass


async def test_a_file_that_is_not_a_store_is_reported_and_never_replaced(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    path.write_bytes(b"this is a shopping list, not a database" * 100)
    original = path.read_bytes()

    with pytest.raises(StoreOpenError, match="cannot be opened"):
        async with create_app(f"sqlite:///{path}"):
            pass

    assert path.read_bytes() == original


async def test_the_migrations_build_exactly_the_schema_the_code_declares(app: App, tmp_path: Path) -> None:
    declared_path = tmp_path / "declared.db"
    declared = create_engine(f"sqlite:///{declared_path}")
    Base.metadata.create_all(declared)

    def describe(path: Path) -> dict[str, object]:
        inspector = inspect(create_engine(f"sqlite:///{path}"))
        return {
            table: (
                [(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)],
                sorted((i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in inspector.get_indexes(table)),
                inspector.get_pk_constraint(table)["constrained_columns"],
            )
            for table in sorted(inspector.get_table_names())
        }

    assert describe(app.database_path) == describe(declared_path)
    with sqlite3.connect(app.database_path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION


async def test_the_store_runs_with_wal_full_sync_and_foreign_keys(app: App) -> None:
    def pragmas(connection: object) -> tuple[object, ...]:
        return tuple(
            connection.exec_driver_sql(f"PRAGMA {name}").scalar_one()  # type: ignore[attr-defined]
            for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        )

    values = await app.database.read(pragmas)

    assert values == ("wal", 2, 1, 5000)
