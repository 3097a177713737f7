"""Shared field types of the messages. Enumerations are lowercase strings; money is `Decimal` with two places."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, ClassVar, Literal

from pydantic import AfterValidator, Field

PizzaSize = Literal["small", "medium", "large"]
OrderTypeName = Literal["pickup", "delivery", "dine_in"]
PaymentMethodName = Literal["cash", "card"]
OrderStatusName = Literal["pending", "cooking", "ready", "picked_up", "out_for_delivery", "delivered", "cancelled"]
RoleName = Literal["counter", "kitchen", "driver", "manager"]
AllergenName = Literal[
    "gluten", "crustaceans", "eggs", "fish", "peanuts", "soy", "milk",
    "nuts", "celery", "mustard", "sesame", "sulphites", "lupin", "molluscs",
]  # fmt: skip
"""The fourteen allergens the EU requires to be declared (pos_app/domain/allergens.py has the same list)."""
KitchenAlert = Literal["none", "flash", "chime", "both"]
CancelReasonName = Literal["changed_mind", "waited_too_long", "wrong_order", "duplicate", "other"]
"""Why an order is cancelled (the words are in pos_app/domain/cancel_reasons.py)."""
TimePeriod = Literal["today", "last_7_days", "last_30_days", "last_90_days", "all_time"]

ALL_ROLES: frozenset[RoleName] = frozenset({"counter", "kitchen", "driver", "manager"})

AMOUNT_MAX_DIGITS = 20
AMOUNT_EXPONENTS = range(-20, 21)


def _bounded_amount(value: Decimal) -> Decimal:
    """Refuse what no person types (`0E-30000000`, a hundred digits): the digits and the exponent are bounded, so
    turning the amount into cents never computes a huge power of ten."""
    _, digits, exponent = value.as_tuple()
    if len(digits) > AMOUNT_MAX_DIGITS or not isinstance(exponent, int) or exponent not in AMOUNT_EXPONENTS:
        raise ValueError("Enter an amount such as 12.50")
    return value


Amount = Annotated[
    Decimal,
    Field(ge=0, le=Decimal("100000"), decimal_places=2, allow_inf_nan=False),
    AfterValidator(_bounded_amount),
]
"""An amount of money a person typed: 0.00 to 100000.00, whole cents, at most 20 digits and an exponent within ±20."""

ShortText = Annotated[str, Field(max_length=200)]
Identifier = Annotated[str, Field(min_length=1, max_length=40)]


class RequiresRole:
    """Marker: only staff logged in with one of `allowed_roles` may send this request."""

    allowed_roles: ClassVar[frozenset[RoleName]] = ALL_ROLES
