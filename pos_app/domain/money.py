"""Money is integer cents. Rounding is half-up, to the cent, in one place."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

CENT = Decimal("0.01")
MAX_EXPONENT = 30
"""`Money.from_decimal` refuses amounts written with an exponent beyond ±30 (it would compute 10**exponent)."""


def round_half_up(value: Fraction) -> int:
    """Round a fraction of cents to whole cents, halves away from zero."""
    if value < 0:
        return -round_half_up(-value)
    numerator, denominator = value.numerator, value.denominator
    return (2 * numerator + denominator) // (2 * denominator)


@dataclass(frozen=True, slots=True, order=True)
class Money:
    cents: int

    def __post_init__(self) -> None:
        if not isinstance(self.cents, int) or isinstance(self.cents, bool):
            raise TypeError(f"Money needs integer cents, not {self.cents!r}")

    @classmethod
    def zero(cls) -> Money:
        return cls(0)

    @classmethod
    def from_decimal(cls, amount: Decimal) -> Money:
        """Exact amounts only: `Decimal("12.99")` is fine, `Decimal("12.995")` is an error."""
        if not amount.is_finite():
            raise ValueError(f"{amount} is not an amount of money")
        sign, digits, exponent = amount.as_tuple()
        if not isinstance(exponent, int) or not -MAX_EXPONENT <= exponent <= MAX_EXPONENT:
            raise ValueError("not an amount of money: its exponent is out of range")
        value = int("".join(map(str, digits)) or "0")
        if exponent >= -2:
            cents = value * 10 ** (exponent + 2)
        else:
            cents, remainder = divmod(value, 10 ** (-exponent - 2))
            if remainder:
                raise ValueError(f"{amount} has fractions of a cent")
        return cls(-cents if sign else cents)

    def to_decimal(self) -> Decimal:
        return (Decimal(self.cents) / 100).quantize(CENT)

    def scaled(self, factor: Fraction) -> Money:
        """Multiply by an exact factor, rounding half-up to the cent once."""
        return Money(round_half_up(self.cents * factor))

    def __add__(self, other: Money) -> Money:
        return Money(self.cents + other.cents)

    def __sub__(self, other: Money) -> Money:
        return Money(self.cents - other.cents)

    def __mul__(self, times: int) -> Money:
        return Money(self.cents * times)

    def __str__(self) -> str:
        return f"{self.to_decimal()}"


def total(amounts: list[Money]) -> Money:
    return Money(sum(amount.cents for amount in amounts))


@dataclass(frozen=True, slots=True)
class TaxPolicy:
    """Tax as a rate in basis points (1000 = 10%), included in the prices or added on top."""

    rate_basis_points: int
    prices_include_tax: bool = True

    def __post_init__(self) -> None:
        if not 0 <= self.rate_basis_points <= 10_000:
            raise ValueError("a tax rate is between 0% and 100%")

    def tax_on(self, taxable: Money) -> Money:
        """The tax part of `taxable` (inclusive prices) or the tax to add to it (exclusive prices)."""
        rate = Fraction(self.rate_basis_points, 10_000)
        if self.prices_include_tax:
            return taxable.scaled(rate / (1 + rate))
        return taxable.scaled(rate)


@dataclass(frozen=True, slots=True)
class Totals:
    subtotal: Money
    delivery_fee: Money
    tax: Money
    total: Money


def order_totals(lines: list[Money], delivery_fee: Money, tax: TaxPolicy, discount: Money | None = None) -> Totals:
    """The one formula: total = Σ lines − discount + delivery fee, with tax included in it or added to it. The
    discount (already rounded to the cent, once) comes off before tax: the tax part is that of what is paid."""
    subtotal = total(lines)
    taxable = subtotal - (discount or Money(0)) + delivery_fee
    tax_amount = tax.tax_on(taxable)
    grand_total = taxable if tax.prices_include_tax else taxable + tax_amount
    return Totals(subtotal, delivery_fee, tax_amount, grand_total)
