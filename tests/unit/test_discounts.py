"""Discount arithmetic: rounded once to the cent, taken off before tax, the store's limit."""

from __future__ import annotations

import pytest

from pos_app.domain.discount_rules import discount_for, over_limit
from pos_app.domain.errors import ValidationFailedError
from pos_app.domain.money import Money, TaxPolicy, order_totals
from pos_app.domain.order_parts import OrderItem


def item(cents: int) -> OrderItem:
    return OrderItem("p", "P", "pizza", "medium", (), (), "", cents, 12)


LINES = [item(1949), item(1499)]  # 34.48


def test_a_percentage_is_rounded_half_up_once_on_the_exact_subtotal() -> None:
    assert discount_for(LINES, reason="r", percent_basis_points=1000).cents == 345  # 3.448
    assert discount_for(LINES, reason="r", percent_basis_points=1250, line_index=1).cents == 187  # 1.87375


def test_the_discount_comes_off_before_tax_included_in_the_prices() -> None:
    totals = order_totals([Money(1949), Money(1499)], Money(0), TaxPolicy(1000), Money(345))

    assert (totals.subtotal, totals.tax, totals.total) == (Money(3448), Money(282), Money(3103))


def test_the_discount_comes_off_before_tax_added_on_top() -> None:
    totals = order_totals([Money(3448)], Money(300), TaxPolicy(1000, prices_include_tax=False), Money(345))

    # taxable 34.48 − 3.45 + 3.00 = 34.03; tax 3.403 → 3.40
    assert (totals.tax, totals.total) == (Money(340), Money(3743))


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"reason": " ", "percent_basis_points": 500}, "reason"),
        ({"reason": "r"}, "value"),
        ({"reason": "r", "percent_basis_points": 500, "fixed_cents": 100}, "value"),
        ({"reason": "r", "percent_basis_points": 10_001}, "value"),
        ({"reason": "r", "fixed_cents": 1500, "line_index": 1}, "value"),
        ({"reason": "r", "fixed_cents": 100, "line_index": 2}, "line_index"),
    ],
)
def test_a_discount_that_cannot_be_given_names_its_field(fields: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationFailedError) as caught:
        discount_for(LINES, **fields)  # type: ignore[arg-type]

    assert field in caught.value.errors


def test_the_limit_is_a_share_of_the_subtotal_and_an_order_percentage_is_compared_as_given() -> None:
    ten = discount_for(LINES, reason="r", percent_basis_points=1000)  # 3.45 is a hair above 10% of 34.48
    fixed = discount_for(LINES, reason="r", fixed_cents=345)
    eleven = discount_for(LINES, reason="r", percent_basis_points=1100)

    assert not over_limit(ten, 3448, 10)
    assert over_limit(fixed, 3448, 10)
    assert over_limit(eleven, 3448, 10)
