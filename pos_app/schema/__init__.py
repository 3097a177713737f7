"""The store's one SQLAlchemy metadata (`Base`) and the column types every table of the store uses.

It defines no table. The write model's rows and the event store (`infrastructure/records.py`) and the read models'
`…_view` tables (`read_model/*.py`) are all declared on this base, so one metadata describes the whole file. It sits
in a layer of its own below both `infrastructure` and `read_model` (see pyproject.toml), so each may import it while
neither imports the other.

Instants are sortable UTC ISO-8601 text, dates ISO text, UUIDs 32 hex digits, money integer cents.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Index, String, Table, Uuid, text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator


class Instant(TypeDecorator[datetime]):
    """A timezone-aware datetime stored as `YYYY-MM-DDTHH:MM:SS.ffffff+00:00` (sorts as text)."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("instants must be timezone-aware")
        return value.astimezone(UTC).isoformat(timespec="microseconds")

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return None if value is None else datetime.fromisoformat(value)


class Day(TypeDecorator[date]):
    impl = String(10)
    cache_ok = True

    def process_bind_param(self, value: date | None, dialect: Dialect) -> str | None:
        return None if value is None else value.isoformat()

    def process_result_value(self, value: Any, dialect: Dialect) -> date | None:
        return None if value is None else date.fromisoformat(value)


HexUuid = Uuid(as_uuid=True, native_uuid=False)
"""A UUID as 32 hex digits on every backend (CHAR(32)), so raw SQL reads the same value from SQLite and PostgreSQL."""


def partial_index(name: str, *columns: str, where: str, unique: bool = False) -> Index:
    """An index over the rows `where` holds (SQLite and PostgreSQL both keep partial indexes)."""
    return Index(name, *columns, unique=unique, sqlite_where=text(where), postgresql_where=text(where))


class Base(DeclarativeBase):
    """One metadata for the whole store: write model, event store and read models."""


def table(record: type[Base]) -> Table:
    """The Core table of an ORM record class, typed as a `Table` for Core statements."""
    result = record.__table__
    assert isinstance(result, Table)
    return result
