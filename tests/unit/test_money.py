"""Money is integer cents: half-up rounding to the cent, exact decimals only, tax and order totals."""

from __future__ import annotations

import time
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.money import Money, TaxPolicy, order_totals, round_half_up, total

# rounding -------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cents", "expected"),
    [
        (Fraction(0), 0),
        (Fraction(7), 7),
        (Fraction(-7), -7),
        (Fraction(1, 3), 0),
        (Fraction(2, 3), 1),
        (Fraction(249, 100), 2),
        (Fraction(251, 100), 3),
        (Fraction(-249, 100), -2),
        (Fraction(-251, 100), -3),
    ],
)
def test_a_fraction_of_cents_rounds_to_the_nearest_cent(cents: Fraction, expected: int) -> None:
    rounded = round_half_up(cents)

    assert rounded == expected


@pytest.mark.parametrize(
    ("cents", "expected"),
    [
        (Fraction(1, 2), 1),
        (Fraction(3, 2), 2),
        (Fraction(5, 2), 3),
        (Fraction(16835, 10), 1684),
    ],
)
def test_an_exact_half_cent_rounds_up_not_to_even(cents: Fraction, expected: int) -> None:
    rounded = round_half_up(cents)

    assert rounded == expected


@pytest.mark.parametrize(
    ("cents", "expected"),
    [
        (Fraction(-1, 2), -1),
        (Fraction(-3, 2), -2),
        (Fraction(-5, 2), -3),
    ],
)
def test_a_negative_exact_half_cent_rounds_away_from_zero(cents: Fraction, expected: int) -> None:
    rounded = round_half_up(cents)

    assert rounded == expected


@given(st.fractions(max_denominator=10_000, min_value=-(10**9), max_value=10**9))
def test_rounding_lands_within_half_a_cent_and_breaks_ties_away_from_zero(cents: Fraction) -> None:
    rounded = round_half_up(cents)

    assert isinstance(rounded, int)
    assert abs(cents - rounded) <= Fraction(1, 2)
    if abs(cents - rounded) == Fraction(1, 2):
        assert abs(rounded) > abs(cents)


# Money --------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("cents", [12.99, Decimal("12.99"), "1299", True, None])
def test_money_is_made_of_integer_cents_only(cents: object) -> None:
    with pytest.raises(TypeError):
        Money(cents)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("amount", "cents"),
    [
        ("12.99", 1299),
        ("12.990", 1299),
        ("12.9", 1290),
        ("12", 1200),
        ("0", 0),
        ("0.01", 1),
        ("-3.50", -350),
        ("1E+2", 10_000),
    ],
)
def test_an_exact_decimal_amount_becomes_its_cents(amount: str, cents: int) -> None:
    money = Money.from_decimal(Decimal(amount))

    assert money == Money(cents)


@pytest.mark.parametrize("amount", ["12.995", "0.001", "-0.005", "19.4870"])
def test_an_amount_with_fractions_of_a_cent_is_rejected(amount: str) -> None:
    with pytest.raises(ValueError, match="fractions of a cent"):
        Money.from_decimal(Decimal(amount))


@pytest.mark.parametrize("amount", ["NaN", "sNaN", "Infinity", "-Infinity"])
def test_a_non_finite_decimal_is_not_an_amount_of_money(amount: str) -> None:
    with pytest.raises(ValueError, match="not an amount of money"):
        Money.from_decimal(Decimal(amount))


@pytest.mark.parametrize("amount", ["0E-30000000", "1E-30000000", "0E+30000000", "5E+31", "0E-31"])
def test_an_amount_with_a_huge_exponent_is_refused_without_computing_it(amount: str) -> None:
    started = time.perf_counter()

    with pytest.raises(ValueError, match="not an amount of money"):
        Money.from_decimal(Decimal(amount))

    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize(
    ("cents", "text"),
    [
        (1299, "12.99"),
        (1290, "12.90"),
        (5, "0.05"),
        (0, "0.00"),
        (-350, "-3.50"),
        (100_000, "1000.00"),
    ],
)
def test_cents_become_a_decimal_with_exactly_two_places(cents: int, text: str) -> None:
    amount = Money(cents).to_decimal()

    assert amount == Decimal(text)
    assert amount.as_tuple().exponent == -2
    assert str(Money(cents)) == text


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_cents_survive_a_round_trip_through_decimal(cents: int) -> None:
    money = Money(cents)

    again = Money.from_decimal(money.to_decimal())

    assert again == money


def test_money_adds_subtracts_and_multiplies_in_cents() -> None:
    pizza, drink = Money(1299), Money(350)

    assert pizza + drink == Money(1649)
    assert pizza - drink == Money(949)
    assert drink * 3 == Money(1050)
    assert total([pizza, drink, drink]) == Money(1999)
    assert total([]) == Money.zero() == Money(0)


def test_money_compares_by_cents() -> None:
    small, large = Money(999), Money(1000)

    assert small < large
    assert max(large, small) == large


def test_scaling_money_rounds_half_up_once() -> None:
    twelve_ninety_five = Money(1295)

    scaled = twelve_ninety_five.scaled(Fraction(13, 10))

    assert scaled == Money(1684)


# tax ----------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rate_basis_points", [-1, 10_001])
def test_a_tax_rate_outside_zero_to_one_hundred_percent_is_rejected(rate_basis_points: int) -> None:
    with pytest.raises(ValueError, match="between 0% and 100%"):
        TaxPolicy(rate_basis_points)


@pytest.mark.parametrize("rate_basis_points", [0, 10_000])
def test_zero_and_one_hundred_percent_are_valid_tax_rates(rate_basis_points: int) -> None:
    policy = TaxPolicy(rate_basis_points)

    assert policy.rate_basis_points == rate_basis_points


def test_inclusive_tax_is_the_part_of_the_price_that_is_tax() -> None:
    ten_percent_included = TaxPolicy(1000, prices_include_tax=True)

    tax = ten_percent_included.tax_on(Money(1100))

    assert tax == Money(100)


def test_exclusive_tax_is_the_rate_applied_to_the_price() -> None:
    ten_percent_on_top = TaxPolicy(1000, prices_include_tax=False)

    tax = ten_percent_on_top.tax_on(Money(1000))

    assert tax == Money(100)


def test_prices_include_tax_unless_the_policy_says_otherwise() -> None:
    policy = TaxPolicy(1000)

    tax = policy.tax_on(Money(1100))

    assert tax == Money(100)


def test_an_inclusive_tax_of_exactly_half_a_cent_rounds_up() -> None:
    twenty_percent_included = TaxPolicy(2000, prices_include_tax=True)

    tax = twenty_percent_included.tax_on(Money(1203))  # 1203 / 6 = 200.5 cents

    assert tax == Money(201)


def test_an_exclusive_tax_of_exactly_half_a_cent_rounds_up() -> None:
    ten_percent_on_top = TaxPolicy(1000, prices_include_tax=False)

    tax = ten_percent_on_top.tax_on(Money(1005))  # 100.5 cents

    assert tax == Money(101)


def test_a_zero_tax_rate_takes_no_tax() -> None:
    no_tax = TaxPolicy(0, prices_include_tax=False)

    tax = no_tax.tax_on(Money(2549))

    assert tax == Money(0)


# order totals -------------------------------------------------------------------------------------------------------


def test_with_inclusive_tax_the_total_is_the_lines_plus_the_delivery_fee() -> None:
    lines = [Money(1299), Money(950)]

    totals = order_totals(lines, Money(300), TaxPolicy(1000, prices_include_tax=True))

    assert totals.subtotal == Money(2249)
    assert totals.delivery_fee == Money(300)
    assert totals.total == Money(2549)
    assert totals.tax == Money(232)  # 2549 / 11 = 231.73 cents of it are tax


def test_with_exclusive_tax_the_tax_is_added_to_the_lines_and_delivery_fee() -> None:
    lines = [Money(1299), Money(950)]

    totals = order_totals(lines, Money(300), TaxPolicy(1000, prices_include_tax=False))

    assert totals.subtotal == Money(2249)
    assert totals.delivery_fee == Money(300)
    assert totals.tax == Money(255)  # 10% of 25.49 = 2.549
    assert totals.total == Money(2804)


def test_the_delivery_fee_is_taxed_with_the_lines() -> None:
    policy = TaxPolicy(1000, prices_include_tax=False)

    with_fee = order_totals([Money(1000)], Money(500), policy)

    assert with_fee.tax == Money(150)


def test_an_order_without_a_delivery_fee_totals_its_lines() -> None:
    lines = [Money(1949), Money(1499), Money(350)]

    totals = order_totals(lines, Money(0), TaxPolicy(2200))

    assert totals.subtotal == totals.total == Money(3798)


@given(
    lines=st.lists(st.integers(min_value=0, max_value=100_000), max_size=30),
    fee=st.integers(min_value=0, max_value=10_000),
    rate=st.integers(min_value=0, max_value=10_000),
    inclusive=st.booleans(),
)
def test_order_totals_are_whole_cents_and_add_up(lines: list[int], fee: int, rate: int, inclusive: bool) -> None:
    policy = TaxPolicy(rate, prices_include_tax=inclusive)

    totals = order_totals([Money(cents) for cents in lines], Money(fee), policy)

    for amount in (totals.subtotal, totals.delivery_fee, totals.tax, totals.total):
        assert type(amount.cents) is int
    assert totals.subtotal.cents == sum(lines)
    assert totals.delivery_fee.cents == fee
    assert totals.tax.cents >= 0
    if inclusive:
        assert totals.total.cents == sum(lines) + fee
        assert totals.tax.cents <= totals.total.cents
    else:
        assert totals.total.cents == sum(lines) + fee + totals.tax.cents
    exact_tax = Fraction(sum(lines) + fee) * Fraction(rate, 10_000)
    if inclusive:
        exact_tax /= 1 + Fraction(rate, 10_000)
    assert abs(totals.tax.cents - exact_tax) <= Fraction(1, 2)
