"""The store's schema base, its column types, and the event store table.

Instants are sortable UTC ISO-8601 text, dates ISO text, UUIDs 32 hex digits, money integer cents.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Integer, String, Table, Text, Uuid
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
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


class Base(DeclarativeBase):
    """One metadata for the whole store: write model, event store and read models."""


class EventRecord(Base):
    """The event store: every domain event, in commit order, with who did it and when."""

    __tablename__ = "events"

    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[UUID | None] = mapped_column(Uuid, index=True)
    event_type: Mapped[str] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text)
    staff_id: Mapped[str | None] = mapped_column(String(40))
    occurred_at: Mapped[datetime] = mapped_column(Instant)


def table(record: type[Base]) -> Table:
    """The Core table of an ORM record class, typed as a `Table` for Core statements."""
    result = record.__table__
    assert isinstance(result, Table)
    return result
