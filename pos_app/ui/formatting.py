"""The only place amounts and times become text."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal

from PySide6.QtCore import QLocale

CURRENCY_SYMBOL = "€"


def format_money(amount: Decimal, symbol: bool = True) -> str:
    """`€ 1,234.50` in the user's locale (its digit grouping and decimal point). Exact: no float on the way."""
    locale = QLocale()
    cents = int((amount * 100).to_integral_value())
    sign = "-" if cents < 0 else ""
    whole, fraction = divmod(abs(cents), 100)
    text = f"{sign}{locale.toString(whole)}{locale.decimalPoint()}{fraction:02d}"
    return f"{CURRENCY_SYMBOL} {text}" if symbol else text


_AMOUNT = re.compile(r"\d{1,6}(?:[.,]\d{1,2})?")


def parse_money(text: str) -> Decimal | None:
    """What a person typed as an amount (`12`, `12.5`, `12,50`), or None when it is not one (at most 100,000.00)."""
    cleaned = text.strip().replace(CURRENCY_SYMBOL, "").replace(" ", "")
    if not _AMOUNT.fullmatch(cleaned):
        return None
    value = Decimal(cleaned.replace(",", "."))
    return value.quantize(Decimal("0.01")) if value <= 100_000 else None


def plain_amount(amount: Decimal) -> str:
    """An amount as `parse_money` reads it back in any locale: `12.50`."""
    return f"{amount:.2f}"


def format_time(instant: datetime | None) -> str:
    return "" if instant is None else instant.astimezone().strftime("%H:%M")


def format_minutes(seconds: float) -> str:
    minutes = int(seconds // 60)
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"
