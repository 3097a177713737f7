"""The Alembic history: the same schema from nothing and from a store made before it, on SQLite and PostgreSQL;
a backup before an existing SQLite store is upgraded; a store from a newer app refused."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.pool import NullPool

import pos_app.infrastructure.records
import pos_app.read_model.catalog  # noqa: F401
from pos_app.bootstrap import StoreOpenError, create_app
from pos_app.infrastructure import store_backup
from pos_app.infrastructure.migrations import (
    ALEMBIC_USER_VERSION,
    BASELINE_REVISION,
    HEAD_REVISION,
    NewerStoreError,
    head_revision,
    pending,
    upgrade_store,
)
from pos_app.schema import Base
from tests.pg_server import ThrowawayServer
from tests.schema_description import describe, describe_sqlite_schema
from tests.support import LUNCH, TABLES, FrozenClock, row_counts

FIXTURE = Path(__file__).parents[1] / "fixtures" / "store-v1.db"
LEGACY_STEPS = ["v2", "v4", "v5", "v7", "v8", "v9", "v10"]


def sqlite_engine(path: Path) -> Engine:
    return create_engine(f"sqlite:///{path}", poolclass=NullPool)


def upgrade_file(path: Path) -> store_backup.Path | None:
    engine = sqlite_engine(path)
    try:
        with engine.begin() as connection:
            return upgrade_store(connection).backup
    finally:
        engine.dispose()


def backups_beside(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}.before-*.bak"))


def test_the_newest_revision_the_fast_path_knows_is_the_history_s_head() -> None:
    assert head_revision() == HEAD_REVISION


# --- SQLite ----------------------------------------------------------------------------------------------------------


def test_a_version_1_store_reaches_through_the_sql_steps_and_the_stamp_the_schema_the_history_builds(
    tmp_path: Path,
) -> None:
    old, new = tmp_path / "old.db", tmp_path / "new.db"
    shutil.copy(FIXTURE, old)
    engine = sqlite_engine(old)
    with engine.begin() as connection:
        to_apply = pending(connection)
        applied = upgrade_store(connection).applied
    engine.dispose()
    upgrade_file(new)

    assert to_apply == applied == [*LEGACY_STEPS, BASELINE_REVISION]
    assert describe_sqlite_schema(old) == describe_sqlite_schema(new)
    for path in (old, new):
        with closing(sqlite3.connect(path)) as connection:
            assert connection.execute("PRAGMA user_version").fetchone()[0] == ALEMBIC_USER_VERSION
            assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [(head_revision(),)]


def test_the_history_from_nothing_builds_the_declared_schema_on_sqlite(tmp_path: Path) -> None:
    declared = tmp_path / "declared.db"
    engine = sqlite_engine(declared)
    Base.metadata.create_all(engine)
    engine.dispose()
    new = tmp_path / "new.db"

    backup = upgrade_file(new)

    assert describe_sqlite_schema(new) == describe_sqlite_schema(declared)
    assert backup is None
    assert backups_beside(new) == []


def test_an_existing_store_is_backed_up_beside_itself_before_it_is_upgraded_and_only_then(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    shutil.copy(FIXTURE, path)
    before = row_counts(path)

    backup = upgrade_file(path)
    again = upgrade_file(path)

    assert backup is not None
    assert backups_beside(path) == [backup]
    assert backup.name.startswith(f"store.db.before-{head_revision()}-")
    assert again is None
    with closing(sqlite3.connect(backup)) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert copy.execute("PRAGMA user_version").fetchone()[0] == 1
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert {name: copy.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in TABLES} == before
    assert not Path(f"{backup}-wal").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []


async def test_opening_an_old_store_backs_it_up_and_a_new_store_is_not_backed_up(tmp_path: Path) -> None:
    old = tmp_path / "old" / "store.db"
    old.parent.mkdir()
    shutil.copy(FIXTURE, old)
    new = tmp_path / "new" / "store.db"

    async with create_app(f"sqlite:///{old}", clock=FrozenClock(LUNCH)):
        pass
    async with create_app(f"sqlite:///{new}", clock=FrozenClock(LUNCH)):
        pass
    async with create_app(f"sqlite:///{old}", clock=FrozenClock(LUNCH)):
        pass

    assert len(backups_beside(old)) == 1
    assert backups_beside(new) == []


async def test_a_store_that_cannot_be_backed_up_is_not_upgraded_and_is_left_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "store.db"
    shutil.copy(FIXTURE, path)
    original = path.read_bytes()
    monkeypatch.setattr(store_backup, "backup_path", lambda store, revision, now: tmp_path / "gone" / "x.bak")

    with pytest.raises(StoreOpenError, match="could not be copied"):
        async with create_app(f"sqlite:///{path}", clock=FrozenClock(LUNCH)):
            pass

    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 1
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "alembic_version" not in tables
    assert "store_info" not in tables
    assert len(path.read_bytes()) == len(original)


async def test_a_store_at_a_revision_this_app_does_not_know_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    async with create_app(f"sqlite:///{path}", clock=FrozenClock(LUNCH)):
        pass
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'f00dfeed'")
        connection.commit()

    with pytest.raises(StoreOpenError, match="revision f00dfeed, which this app does not know"):
        async with create_app(f"sqlite:///{path}", clock=FrozenClock(LUNCH)):
            pass

    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [("f00dfeed",)]
    assert backups_beside(path) == []


def test_a_store_from_before_alembic_at_a_version_past_the_sql_steps_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    shutil.copy(FIXTURE, path)
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA user_version=11")

    engine = sqlite_engine(path)
    with pytest.raises(NewerStoreError, match="schema version 11"), engine.begin() as connection:
        upgrade_store(connection)
    engine.dispose()


# --- PostgreSQL ------------------------------------------------------------------------------------------------------


@pytest.fixture
def postgres(postgres_server: ThrowawayServer) -> ThrowawayServer:
    """The session's throwaway server (tests/conftest.py)."""
    return postgres_server


@pytest.fixture
def pg_engine(postgres: ThrowawayServer) -> Iterator[Engine]:
    engine = create_engine(postgres.new_database(), poolclass=NullPool)
    try:
        yield engine
    finally:
        engine.dispose()


def test_the_history_from_nothing_builds_the_declared_schema_on_postgresql(
    postgres: ThrowawayServer, pg_engine: Engine
) -> None:
    declared = create_engine(postgres.new_database(), poolclass=NullPool)
    Base.metadata.create_all(declared)

    with pg_engine.begin() as connection:
        applied = upgrade_store(connection).applied

    assert applied == [head_revision()]
    assert describe(pg_engine) == describe(declared)
    declared.dispose()


def test_the_history_on_postgresql_runs_once_and_gives_the_case_folding_function(pg_engine: Engine) -> None:
    with pg_engine.begin() as connection:
        upgrade_store(connection)

    with pg_engine.begin() as connection:
        again = upgrade_store(connection)
        folded = connection.execute(text("SELECT pos_casefold('STRAßE Ärger'), pos_casefold(NULL)")).one()
        volatility = connection.execute(text("SELECT provolatile FROM pg_proc WHERE proname = 'pos_casefold'")).one()
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).all()

    assert again.applied == []
    assert again.backup is None
    assert tuple(folded) == ("strasse ärger", None)
    assert volatility == ("i",)  # IMMUTABLE, so an index may use it
    assert revision == [(head_revision(),)]


def test_a_postgresql_store_at_a_revision_this_app_does_not_know_is_refused(pg_engine: Engine) -> None:
    with pg_engine.begin() as connection:
        upgrade_store(connection)
        connection.execute(text("UPDATE alembic_version SET version_num = 'f00dfeed'"))

    with pytest.raises(NewerStoreError, match="f00dfeed"), pg_engine.begin() as connection:
        upgrade_store(connection)
