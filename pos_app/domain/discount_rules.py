"""What a discount takes off: a percentage of a line or of the subtotal, rounded half-up to the cent once, or a
fixed amount (never more than what it is on); the store's limit; what an edit keeps of it."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from pos_app.domain.errors import ValidationFailedError
from pos_app.domain.money import Money, round_half_up
from pos_app.domain.order_parts import Discount, OrderItem


def discount_for(
    items: list[OrderItem],
    *,
    reason: str,
    percent_basis_points: int | None = None,
    fixed_cents: int | None = None,
    line_index: int | None = None,
) -> Discount:
    """The discount on `items` (a line's price, or their subtotal), its amount rounded once; raises naming the
    field that is wrong."""
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = ["Say why the discount is given"]
    if (percent_basis_points is None) == (fixed_cents is None):
        errors["value"] = ["Give a percentage or an amount"]
    elif percent_basis_points is not None and not 0 < percent_basis_points <= 10_000:
        errors["value"] = ["A percentage is more than 0 and at most 100"]
    elif fixed_cents is not None and fixed_cents <= 0:
        errors["value"] = ["An amount is more than 0.00"]
    if line_index is not None and not 0 <= line_index < len(items):
        errors["line_index"] = [f"Choose a line from 1 to {len(items)}"]
    if errors:
        raise ValidationFailedError.for_fields(errors)
    base = items[line_index].price_cents if line_index is not None else sum(i.price_cents for i in items)
    if percent_basis_points is not None:
        cents = round_half_up(Fraction(base * percent_basis_points, 10_000))
    else:
        cents = fixed_cents or 0
        if cents > base:
            raise ValidationFailedError.for_fields({"value": [f"At most {Money(base)}"]})
    return Discount(
        reason=reason.strip(),
        cents=cents,
        percent_basis_points=percent_basis_points,
        fixed_cents=fixed_cents,
        line_index=line_index,
    )


def over_limit(discount: Discount, subtotal_cents: int, limit_percent: int) -> bool:
    """Whether the discount takes off more than `limit_percent` of the order's subtotal: an order's percentage is
    compared as given (10% is within a 10% limit, whatever the rounding of its cents), anything else by its cents."""
    if discount.percent_basis_points is not None and discount.line_index is None:
        return discount.percent_basis_points > limit_percent * 100
    return discount.cents * 100 > limit_percent * subtotal_cents


def kept_after_edit(discount: Discount | None, items: list[OrderItem]) -> Discount | None:
    """An edit keeps an order's discount, worked out again on the new lines; a line's discount goes with its line
    (the lines are new)."""
    if discount is None or discount.line_index is not None:
        return None
    again = (
        discount_for(
            items, reason=discount.reason, percent_basis_points=discount.percent_basis_points, fixed_cents=None
        )
        if discount.percent_basis_points is not None
        else None
    )
    if again is not None:
        return replace(again, approver_id=discount.approver_id)
    subtotal = sum(i.price_cents for i in items)
    return replace(discount, cents=min(discount.fixed_cents or 0, subtotal))
