"""What the read side needs: a way to run a read on the store, and the store's calendar."""

from __future__ import annotations

import abc
from collections.abc import Callable
from datetime import date, datetime
from typing import TypeVar

from sqlalchemy import Connection

T = TypeVar("T")


class ReadStore(abc.ABC):
    @abc.abstractmethod
    async def read(self, fn: Callable[[Connection], T]) -> T:
        """Run `fn(connection)` in one read transaction, off the event loop."""


class BusinessCalendar(abc.ABC):
    @abc.abstractmethod
    def now(self) -> datetime: ...

    @abc.abstractmethod
    def today(self) -> date:
        """The store's business date now."""
