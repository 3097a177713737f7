"""`pos-app migrate`, run as a user would: on a SQLite store from before Alembic, one up to date, one that is not
there, and on PostgreSQL."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from pos_app.infrastructure.migrations import head_revision, upgrade_store
from tests.e2e.test_cli import folder_state, one_line_error, run
from tests.pg_server import ThrowawayServer

FIXTURE = Path(__file__).parents[1] / "fixtures" / "store-v1.db"


def test_migrate_upgrades_an_old_store_backs_it_up_first_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    shutil.copy(FIXTURE, path)

    first = run("migrate", "--database-url", f"sqlite:///{path}")
    second = run("migrate", "--database-url", f"sqlite:///{path}")

    assert first.returncode == 0, first.stderr
    backups = sorted(tmp_path.glob("store.db.before-*.bak"))
    assert len(backups) == 1
    assert first.stdout.splitlines() == [
        f"Upgraded the store at {path} to schema revision {head_revision()}: v2, v4, v5, v7, v8, v9, v10, 0001",
        f"The store as it was before is kept in {backups[0]}",
    ]
    with closing(sqlite3.connect(backups[0])) as copy:
        assert copy.execute("PRAGMA user_version").fetchone()[0] == 1
        assert copy.execute("SELECT count(*) FROM orders").fetchone()[0] == 3
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("SELECT count(*) FROM orders").fetchone()[0] == 3
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [(head_revision(),)]
    assert second.returncode == 0, second.stderr
    assert second.stdout.splitlines() == [
        f"The store at {path} is up to date (schema revision {head_revision()}); nothing applied"
    ]
    assert sorted(tmp_path.glob("store.db.before-*.bak")) == backups


def test_migrate_makes_no_store_where_there_is_none(tmp_path: Path) -> None:
    path = tmp_path / "store.db"

    completed = run("migrate", "--database-url", f"sqlite:///{path}")

    assert completed.returncode == 2
    assert "There is no store at" in one_line_error(completed)
    assert folder_state(tmp_path) == {}


def test_migrate_refuses_a_file_that_is_not_a_store_and_leaves_it_alone(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    path.write_bytes(b"not a database at all" * 50)
    before = folder_state(tmp_path)

    completed = run("migrate", "--database-url", f"sqlite:///{path}")

    assert completed.returncode == 2
    assert "not a database" in one_line_error(completed)
    assert folder_state(tmp_path) == before


@pytest.fixture
def postgres(postgres_server: ThrowawayServer) -> ThrowawayServer:
    """The session's throwaway server (tests/conftest.py)."""
    return postgres_server


def test_migrate_on_postgresql_reports_a_store_up_to_date_and_refuses_a_newer_one_or_an_empty_database(
    postgres: ThrowawayServer,
) -> None:
    store_url, newer_url, empty_url = postgres.new_database(), postgres.new_database(), postgres.new_database()
    for url in (store_url, newer_url):
        engine = create_engine(url, poolclass=NullPool)
        with engine.begin() as connection:
            upgrade_store(connection)
            if url == newer_url:
                connection.execute(text("UPDATE alembic_version SET version_num = 'f00dfeed'"))
        engine.dispose()
    shown = store_url.rpartition("@")[2]

    up_to_date = run("migrate", "--database-url", store_url)
    newer = run("migrate", "--database-url", newer_url)
    empty = run("migrate", "--database-url", empty_url)

    assert up_to_date.returncode == 0, up_to_date.stderr
    assert shown in up_to_date.stdout
    assert f"is up to date (schema revision {head_revision()}); nothing applied" in up_to_date.stdout
    assert newer.returncode == 2
    assert "f00dfeed, which this app does not know" in one_line_error(newer)
    assert empty.returncode == 2
    assert "There is no store in" in one_line_error(empty)
