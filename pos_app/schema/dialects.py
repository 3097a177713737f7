"""What SQLite and PostgreSQL each need of their own, side by side in this one place.

The store's statements are SQLAlchemy Core where that stays fast, and plain SQL (`driver_sql`) on the few hot reads
where building a Core statement costs more than the read. Both are written once for both backends:
- plain SQL marks its parameters with `?`; `driver_sql` hands it to psycopg with `%s` instead (SQLite's `?`);
- an upsert (`INSERT … ON CONFLICT … DO UPDATE`) is spelt the same by both, but SQLAlchemy builds it per dialect:
  `Upsert` keeps one statement for each and picks the connection's;
- `pos_casefold(text)` is a function on both: registered on each SQLite connection (Python's `str.casefold`), and
  created by the schema on PostgreSQL (`lower`, with ß folded to ss as casefold does).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import Connection, CursorResult
from sqlalchemy.util.typing import TupleAny

SQLITE = "sqlite"
POSTGRESQL = "postgresql"

PG_CASEFOLD_FUNCTION = (
    "CREATE OR REPLACE FUNCTION pos_casefold(value text) RETURNS text"
    " LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT replace(lower(value), 'ß', 'ss') $$"
)


@lru_cache(maxsize=512)
def _format_style(sql: str) -> str:
    """`?` parameters as psycopg's `%s` (a literal `%` doubled). The store's SQL has no `?` inside a literal."""
    return sql.replace("%", "%%").replace("?", "%s")


def driver_sql(connection: Connection, sql: str, params: Sequence[Any] = ()) -> CursorResult[*TupleAny]:
    """Run plain SQL written with `?` parameters on either backend."""
    if connection.dialect.name == POSTGRESQL:
        return connection.exec_driver_sql(_format_style(sql), tuple(params))
    return connection.exec_driver_sql(sql, tuple(params))


InsertBuilder = Callable[[Callable[..., Any]], Any]
"""Given the dialect's `insert` function (which has `on_conflict_do_update`), build the statement."""


@cache
def dialect_insert(name: str) -> Callable[..., Any]:
    """The `insert` of the dialect `name` (`sqlite`, `postgresql`), loaded when first needed: a till on a SQLite
    file never loads the PostgreSQL dialect."""
    insert: Callable[..., Any] = importlib.import_module(f"sqlalchemy.dialects.{name}").insert
    return insert


class Upsert:
    """One `INSERT … ON CONFLICT` statement, built for each backend the first time it runs there."""

    def __init__(self, build: InsertBuilder) -> None:
        self._build = build
        self._built: dict[str, Any] = {}

    def on(self, connection: Connection) -> Any:
        name = connection.dialect.name
        statement = self._built.get(name)
        if statement is None:
            statement = self._built[name] = self._build(dialect_insert(name))
        return statement
