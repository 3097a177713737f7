"""Prebuilt writes run straight on the driver (`pos_app/infrastructure/prepared.py`) leave the rows SQLAlchemy's own
execution leaves, report the same row counts and the same errors, and anything else still goes through SQLAlchemy."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    create_engine,
    insert,
    update,
)
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from pos_app.infrastructure import prepared
from pos_app.infrastructure.prepared import PreparedConnection, WriteResult
from pos_app.schema import HexUuid, Instant

metadata = MetaData()
things = Table(
    "things",
    metadata,
    Column("id", HexUuid, primary_key=True),
    Column("name", String(20), nullable=False),
    Column("count", Integer, nullable=False),
    Column("done", Boolean, nullable=False),
    Column("at", Instant, nullable=True),
    Column("note", String(20), nullable=True, default="python-side"),
)
INSERT = insert(things)
RENAME = update(things).where(things.c.id == bindparam("_key")).values(name=bindparam("name"))
_upsert = sqlite.insert(things)
ADD = _upsert.on_conflict_do_update(
    index_elements=[things.c.id], set_={"count": things.c.count + _upsert.excluded["count"]}
)
ONE = UUID(int=1)
TWO = UUID(int=2)
AT = datetime(2026, 12, 3, 18, 0, tzinfo=UTC)


def engine_at(path: Path, connection_class: type[Connection]) -> Engine:
    engine = create_engine(f"sqlite:///{path}")
    engine._connection_cls = connection_class
    metadata.create_all(engine)
    return engine


@pytest.fixture(params=[Connection, PreparedConnection], ids=["sqlalchemy", "prepared"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    made = engine_at(tmp_path / "things.db", request.param)
    yield made
    made.dispose()


def rows(engine: Engine) -> list[tuple[Any, ...]]:
    with sqlite3.connect(engine.url.database or "") as connection:
        return connection.execute("SELECT * FROM things ORDER BY id").fetchall()


def write_everything(connection: Connection) -> list[int]:
    counts = []
    thing = {"id": ONE, "name": "dough", "count": 1, "done": True, "at": AT, "note": "x"}
    counts.append(connection.execute(INSERT, thing).rowcount)
    many = [{"id": TWO, "name": "sauce", "count": 2, "done": False, "at": None, "note": "y"}]
    counts.append(connection.execute(INSERT, many).rowcount)
    counts.append(connection.execute(RENAME, {"_key": ONE, "name": "crust"}).rowcount)
    counts.append(connection.execute(RENAME, {"_key": UUID(int=9), "name": "none"}).rowcount)
    added = [
        {"id": ONE, "name": "crust", "count": 5, "done": True, "at": AT, "note": "x"},
        {"id": TWO, "name": "sauce", "count": 7, "done": False, "at": None, "note": "y"},
    ]
    counts.append(connection.execute(ADD, added).rowcount)
    return counts


def test_a_prepared_write_leaves_the_rows_and_counts_sqlalchemy_leaves(tmp_path: Path) -> None:
    results = {}
    for connection_class in (Connection, PreparedConnection):
        engine = engine_at(tmp_path / f"{connection_class.__name__}.db", connection_class)
        with engine.connect() as connection, connection.begin():
            counts = write_everything(connection)
        results[connection_class.__name__] = (counts, rows(engine))
        engine.dispose()

    assert results["PreparedConnection"] == results["Connection"]
    assert results["Connection"][1][0][1:5] == ("crust", 6, 1, "2026-12-03T18:00:00.000000+00:00")


def test_a_write_inside_a_transaction_takes_the_prepared_path_and_a_read_does_not(tmp_path: Path) -> None:
    engine = engine_at(tmp_path / "things.db", PreparedConnection)

    with engine.connect() as connection, connection.begin():
        written = connection.execute(INSERT, {"id": ONE, "name": "dough", "count": 1, "done": True, "note": None})
        read = connection.execute(things.select()).all()

    assert isinstance(written, WriteResult)
    assert [(row.id, row.name) for row in read] == [(ONE, "dough")]
    engine.dispose()


def test_a_write_needing_a_python_default_or_returning_goes_through_sqlalchemy(tmp_path: Path) -> None:
    engine = engine_at(tmp_path / "things.db", PreparedConnection)

    with engine.connect() as connection, connection.begin():
        defaulted = connection.execute(INSERT, {"id": ONE, "name": "dough", "count": 1, "done": True})
        returned = connection.execute(
            INSERT.returning(things.c.name), {"id": TWO, "name": "sauce", "count": 1, "done": False}
        )
        names = returned.scalars().all()

    assert not isinstance(defaulted, WriteResult)
    assert names == ["sauce"]
    assert [row[5] for row in rows(engine)] == ["python-side", "python-side"]
    engine.dispose()


def test_a_prepared_write_that_breaks_a_constraint_raises_sqlalchemys_error(engine: Engine) -> None:
    thing = {"id": ONE, "name": "dough", "count": 1, "done": True, "at": None, "note": None}

    with engine.connect() as connection, connection.begin():
        connection.execute(INSERT, thing)
        with pytest.raises(IntegrityError):
            connection.execute(INSERT, thing)


def test_the_prepared_statements_are_kept_within_their_bound(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prepared, "MAX_PREPARED", 2)
    monkeypatch.setattr(prepared, "_prepared", {})
    engine = engine_at(tmp_path / "things.db", PreparedConnection)

    with engine.connect() as connection, connection.begin():
        for number in range(5):
            statement = update(things).where(things.c.id == bindparam("_key")).values(count=number)
            connection.execute(statement, {"_key": ONE})

    assert len(prepared._prepared) <= 2
    engine.dispose()
