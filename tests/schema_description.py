"""A store's schema as the tests compare it: tables, columns, keys, indexes with their conditions, defaults.

`alembic_version` (the history's bookkeeping) is left out: the models do not declare it.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, inspect

BOOKKEEPING = frozenset({"alembic_version"})


def _where(index: dict[str, Any], dialect: str) -> str | None:
    condition = index.get("dialect_options", {}).get(f"{dialect}_where")
    return None if condition is None else " ".join(str(condition).split())


def describe(engine: Engine, *, default_value: Any = None) -> dict[str, object]:
    """Every table's columns (name, type, nullable, default), primary key, foreign keys and indexes (name, columns,
    unique, the condition of a partial index). `default_value(sql, type)` turns a default's SQL into the value a
    column of that type stores (on SQLite TRUE and 1 are one default, and so are '0' and 0 for an INTEGER); without
    it the SQL is compared as it is spelled."""
    inspector = inspect(engine)
    dialect = engine.dialect.name
    value = default_value or (lambda sql, _: sql)
    return {
        table: (
            [
                (
                    c["name"],
                    str(c["type"]),
                    c["nullable"],
                    None if c["default"] is None else value(c["default"], c["type"]),
                )
                for c in inspector.get_columns(table)
            ],
            inspector.get_pk_constraint(table)["constrained_columns"],
            sorted(
                (tuple(f["constrained_columns"]), f["referred_table"], tuple(f["referred_columns"]), f["options"])
                for f in inspector.get_foreign_keys(table)
            ),
            sorted(
                (i["name"], tuple(i["column_names"]), bool(i["unique"]), _where(i, dialect))
                for i in inspector.get_indexes(table)
            ),
        )
        for table in sorted(set(inspector.get_table_names()) - BOOKKEEPING)
    }


def _sqlite_value(sql: str, column_type: object) -> object:
    with closing(sqlite3.connect(":memory:")) as connection:
        return connection.execute(f"SELECT CAST({sql} AS {column_type})").fetchone()[0]


def describe_sqlite_schema(path: Path) -> dict[str, object]:
    engine = create_engine(f"sqlite:///{path}")
    try:
        return describe(engine, default_value=_sqlite_value)
    finally:
        engine.dispose()
