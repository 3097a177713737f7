"""Amounts people type, and amounts shown."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QLocale

from pos_app.ui.formatting import format_money, parse_money, plain_amount


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("20", "20.00"), ("20.5", "20.50"), ("20,50", "20.50"), (" € 12.99 ", "12.99"), ("100000", "100000.00")],
)
def test_an_amount_typed_the_usual_ways_is_read_exactly(typed: str, amount: str) -> None:
    assert parse_money(typed) == Decimal(amount)


@pytest.mark.parametrize("typed", ["", "abc", "1e30", "1E3", "12.345", "-5", "100000.01", "1,234.50", "NaN", "inf"])
def test_anything_else_is_not_an_amount_and_never_raises(typed: str) -> None:
    assert parse_money(typed) is None


def test_a_plain_amount_reads_back_in_a_locale_with_a_decimal_comma() -> None:
    QLocale.setDefault(QLocale(QLocale.Language.Italian, QLocale.Country.Italy))
    try:
        shown = format_money(Decimal("12345.50"))
        typed_back = parse_money(plain_amount(Decimal("12345.50")))
    finally:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))

    assert shown == "€ 12.345,50"
    assert typed_back == Decimal("12345.50")
