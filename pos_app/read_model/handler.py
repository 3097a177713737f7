"""What every read-side query handler shares: the read store and the store's calendar; money as the DTOs carry it."""

from __future__ import annotations

from typing import Any

from pos_app.domain.money import Money
from pos_app.read_model.ports import BusinessCalendar, ReadStore


def money(cents: int) -> Any:
    return Money(int(cents)).to_decimal()


class ReadHandler:
    def __init__(self, store: ReadStore, calendar: BusinessCalendar) -> None:
        self._store = store
        self._calendar = calendar
