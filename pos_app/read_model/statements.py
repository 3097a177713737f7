"""Prebuilt statements with bound parameters, built once per shape and reused: SQLAlchemy then skips building and
caching a new statement on every call (measured in docs/PERFORMANCE.md, "Prebuilt statements")."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import Table, bindparam, update
from sqlalchemy.sql.dml import Update

from pos_app.schema.dialects import Upsert

S = TypeVar("S")


class StatementCache:
    """Statements keyed by their shape (e.g. which columns an update sets)."""

    def __init__(self) -> None:
        self._statements: dict[Hashable, Any] = {}

    def get(self, key: Hashable, build: Callable[[], S]) -> S:
        statement = self._statements.get(key)
        if statement is None:
            statement = self._statements[key] = build()
        return statement


_cache = StatementCache()


def update_by_key(table: Table, key_column: str, columns: tuple[str, ...]) -> Update:
    """UPDATE table SET col = :col, … WHERE key = :_key."""
    return _cache.get(
        ("update", table.name, key_column, columns),
        lambda: (
            update(table)
            .where(table.c[key_column] == bindparam("_key"))
            .values({name: bindparam(name) for name in columns})
        ),
    )


def add_to_counters(table: Table, key_columns: tuple[str, ...], replace_columns: tuple[str, ...] = ()) -> Upsert:
    """INSERT a row, or add its counters to the existing row's: every column that is neither a key nor in
    `replace_columns` is a counter (the parameters give the amounts to add); `replace_columns` take the new value.
    Run it with `connection.execute(statement.on(connection), …)`."""

    def build(insert: Callable[..., Any]) -> Any:
        statement = insert(table)
        counters = [c.name for c in table.c if c.name not in key_columns and c.name not in replace_columns]
        set_ = {name: table.c[name] + statement.excluded[name] for name in counters}
        set_.update({name: statement.excluded[name] for name in replace_columns})
        return statement.on_conflict_do_update(index_elements=[table.c[name] for name in key_columns], set_=set_)

    return _cache.get(("add", table.name, key_columns, replace_columns), lambda: Upsert(build))
