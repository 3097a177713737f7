"""Opening, creating, seeding and migrating the store."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import create_engine

import pos_app.infrastructure.records
import pos_app.read_model.catalog  # noqa: F401
from pos_app import bootstrap
from pos_app.bootstrap import App, NewStore, StoreOpenError, create_app
from pos_app.config import default_database_path, default_database_url
from pos_app.infrastructure.migrations import ALEMBIC_USER_VERSION, APPLICATION_ID, head_revision
from pos_app.messages.commands import LoginCommand
from pos_app.messages.queries import GetMenuQuery, GetStaffQuery, GetStoreInfoQuery
from pos_app.schema import Base
from tests.schema_description import describe_sqlite_schema
from tests.support import PINS, FrozenClock, login, placed, row_counts


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


async def test_the_migrations_build_exactly_the_schema_the_code_declares(
    app: App, db_path: Path, tmp_path: Path
) -> None:
    declared_path = tmp_path / "declared.db"
    declared = create_engine(f"sqlite:///{declared_path}")
    Base.metadata.create_all(declared)

    assert describe_sqlite_schema(app.database_path) == describe_sqlite_schema(declared_path)
    with sqlite3.connect(app.database_path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == ALEMBIC_USER_VERSION
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [(head_revision(),)]


async def test_the_store_runs_with_wal_full_sync_and_foreign_keys(app: App, db_path: Path) -> None:
    def pragmas(connection: object) -> tuple[object, ...]:
        return tuple(
            connection.exec_driver_sql(f"PRAGMA {name}").scalar_one()  # type: ignore[attr-defined]
            for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        )

    values = await app.database.read(pragmas)

    assert values == ("wal", 2, 1, 5000)


# --- which files are stores ----------------------------------------------------------------------------------------


def folder_state(folder: Path) -> dict[str, str]:
    """Every file in the folder with the sha256 of its bytes."""
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(folder.iterdir())}


def another_programs_database(application_id: int, wal: bool) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        with closing(sqlite3.connect(path)) as connection:
            if wal:
                connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(f"PRAGMA application_id={application_id}")
            connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
            connection.execute("INSERT INTO notes (text) VALUES ('buy flour')")
            connection.commit()

    return make


def store_tables_of_an_unknown_version(path: Path) -> None:
    with closing(sqlite3.connect(path)) as connection:
        for name in ("orders", "order_items", "events", "menu_items", "toppings", "staff"):
            connection.execute(f"CREATE TABLE {name} (id TEXT)")
        connection.execute("PRAGMA user_version=77")
        connection.commit()


def an_empty_database(path: Path) -> None:
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE scratch (x)")
        connection.execute("DROP TABLE scratch")
        connection.commit()


NOT_STORES = {
    "another program's, with its application id": another_programs_database(0x0F055112, wal=False),
    "another program's, with its application id, in WAL mode": another_programs_database(0x0F055112, wal=True),
    "another program's, with no application id": another_programs_database(0, wal=False),
    "another program's, with no application id, in WAL mode": another_programs_database(0, wal=True),
    "the store's tables at an unknown schema version": store_tables_of_an_unknown_version,
    "an empty database": an_empty_database,
}


@pytest.mark.parametrize("make", NOT_STORES.values(), ids=NOT_STORES.keys())
async def test_a_database_that_is_not_a_store_is_refused_and_left_byte_for_byte_as_it_was(
    tmp_path: Path, make: Callable[[Path], None]
) -> None:
    path = tmp_path / "store.db"
    make(path)
    before = folder_state(tmp_path)

    with pytest.raises(StoreOpenError, match=r"cannot be opened: .*not a store") as refused:
        async with create_app(f"sqlite:///{path}"):
            pass

    assert folder_state(tmp_path) == before
    assert str(path) in str(refused.value)


async def test_an_empty_file_is_refused_and_never_made_a_demo_store(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    path.touch()

    with pytest.raises(StoreOpenError, match="empty, not a store"):
        async with create_app(f"sqlite:///{path}"):
            pass

    assert folder_state(tmp_path) == {"store.db": hashlib.sha256(b"").hexdigest()}


async def test_every_new_store_is_marked_with_the_products_application_id(app: App, db_path: Path) -> None:
    with closing(sqlite3.connect(app.database_path)) as connection:
        marked = connection.execute("PRAGMA application_id").fetchone()[0]

    assert marked == APPLICATION_ID != 0


async def test_a_store_whose_creation_fails_leaves_nothing_behind_and_is_made_whole_next_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "shop" / "store.db"
    seed = bootstrap.seed_demo_data

    def fail(connection: object) -> None:
        raise OSError("the disk went away")

    monkeypatch.setattr(bootstrap, "seed_demo_data", fail)
    with pytest.raises(StoreOpenError, match="cannot be created: the disk went away"):
        async with create_app(f"sqlite:///{path}"):
            pass
    left = folder_state(path.parent)
    monkeypatch.setattr(bootstrap, "seed_demo_data", seed)
    async with create_app(f"sqlite:///{path}") as app:
        staff = await app.mediator.execute_async(GetStaffQuery())

    assert left == {}
    assert len(staff.data) == 4


async def test_a_store_that_is_not_there_is_refused_when_it_must_exist(tmp_path: Path) -> None:
    path = tmp_path / "shop" / "store.db"

    with pytest.raises(StoreOpenError, match="There is no store at"):
        async with create_app(f"sqlite:///{path}", create=False):
            pass

    assert not path.parent.exists()


# --- demo stores and real stores -------------------------------------------------------------------------------------


async def test_a_store_made_where_there_was_none_is_a_demo_store_and_says_so(app: App) -> None:
    info = await app.mediator.execute_async(GetStoreInfoQuery())

    assert info.is_success
    assert info.data.is_demo is True
    assert info.data.name == app.settings.store_name


async def test_a_new_real_store_has_the_menu_and_only_its_manager_with_their_own_pin(
    tmp_path: Path, clock: FrozenClock
) -> None:
    path = tmp_path / "store.db"
    new_store = NewStore(manager_id="anna", manager_name="  Anna Rossi ", manager_pin="482916")

    async with create_app(f"sqlite:///{path}", clock=clock, new_store=new_store) as app:
        staff = (await app.mediator.execute_async(GetStaffQuery())).data
        demo_logins = [
            await app.mediator.execute_async(LoginCommand(staff_id=staff_id, pin=pin)) for staff_id, pin in PINS.items()
        ]
        manager = await app.mediator.execute_async(LoginCommand(staff_id="anna", pin="482916"))
        menu = (await app.mediator.execute_async(GetMenuQuery())).data
        info = (await app.mediator.execute_async(GetStoreInfoQuery())).data
    async with create_app(f"sqlite:///{path}", clock=clock) as reopened:
        info_after_reopening = (await reopened.mediator.execute_async(GetStoreInfoQuery())).data

    assert [(s.id, s.name, s.role) for s in staff] == [("anna", "Anna Rossi", "manager")]
    assert [r.status for r in demo_logins] == [403] * 4
    assert manager.is_success
    assert len(menu) == 15
    assert info.is_demo is False
    assert info_after_reopening.is_demo is False
    with closing(sqlite3.connect(path)) as connection:
        (pin_hash,) = connection.execute("SELECT pin_hash FROM staff").fetchone()
        assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert pin_hash.startswith("scrypt$")
    assert "482916" not in pin_hash
    assert "482916" not in repr(new_store)


@pytest.mark.parametrize(
    ("manager_id", "manager_name", "manager_pin", "problem"),
    [
        ("anna", "Anna Rossi", "1000", "demo PINs"),
        ("anna", "Anna Rossi", "4000", "demo PINs"),
        ("anna", "Anna Rossi", "12", "4 to 8 digits"),
        ("anna", "Anna Rossi", "123456789", "4 to 8 digits"),
        ("anna", "Anna Rossi", "１２３４", "4 to 8 digits"),
        ("anna", "   ", "482916", "manager's name"),
        ("Anna Rossi", "Anna Rossi", "482916", "staff id"),
        ("", "Anna Rossi", "482916", "staff id"),
    ],
)
async def test_a_real_store_is_not_made_with_a_demo_pin_or_a_malformed_manager(
    tmp_path: Path, manager_id: str, manager_name: str, manager_pin: str, problem: str
) -> None:
    path = tmp_path / "store.db"
    new_store = NewStore(manager_id=manager_id, manager_name=manager_name, manager_pin=manager_pin)

    with pytest.raises(ValueError, match=problem):
        async with create_app(f"sqlite:///{path}", new_store=new_store):
            pass

    assert folder_state(tmp_path) == {}


async def test_a_new_store_is_never_made_over_an_existing_one(tmp_path: Path, clock: FrozenClock) -> None:
    path = tmp_path / "store.db"
    async with create_app(f"sqlite:///{path}", clock=clock) as first:
        await login(first.mediator, "luigi")
        await placed(first.mediator)
    before = folder_state(tmp_path)

    with pytest.raises(StoreOpenError, match="already a store"):
        async with create_app(
            f"sqlite:///{path}", new_store=NewStore(manager_id="anna", manager_name="Anna", manager_pin="482916")
        ):
            pass

    assert folder_state(tmp_path) == before


async def test_a_store_another_terminal_made_while_this_one_was_making_it_is_opened_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "store.db"
    create_store_file = bootstrap.create_store_file

    def the_other_terminal_first(target: Path, build: Callable[[object], None]) -> None:
        create_store_file(target, build)  # the other terminal's store, complete
        create_store_file(target, build)  # this one's, which finds it there

    monkeypatch.setattr(bootstrap, "create_store_file", the_other_terminal_first)
    async with create_app(f"sqlite:///{path}") as app:
        staff = await app.mediator.execute_async(GetStaffQuery())

    assert len(staff.data) == 4
    assert [name for name in folder_state(tmp_path) if not name.startswith("store.db")] == []
