"""Discounts: a percentage or a fixed amount off an order or one of its lines, with a reason.

What comes off is rounded half-up to the cent once (a percentage of the line's or the subtotal's exact cents), then
the order's totals are computed by the one formula with the discount taken off before tax (`order_totals`): the
tax part is the tax of what the customer pays. Above the store's limit (`discount_limit_percent` of the subtotal)
a discount needs a manager (logged in, or approving on the till). One discount per order: a new one replaces it.
The money is settled as for an edit: a paid order gives the difference back (`refund_cents`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from pos_app.domain.discount_rules import discount_for, over_limit
from pos_app.domain.errors import InvalidTransitionError
from pos_app.domain.events import OrderDiscountedEvent
from pos_app.domain.money import Money, TaxPolicy, order_totals
from pos_app.domain.order_edits import may_edit, settle_payment
from pos_app.domain.order_parts import Discount, OrderType
from pos_app.domain.orders import Order

__all__ = ["apply_discount", "discount_for", "over_limit"]


def apply_discount(
    order: Order,
    discount: Discount,
    *,
    tax: TaxPolicy,
    delivery_fee: Money,
    business_date: date,
    now: datetime,
    staff_id: str | None,
    approver: tuple[str, str] | None = None,
) -> None:
    """Give `discount` on `order` (in place of any before) and record `OrderDiscountedEvent`."""
    if not may_edit(order.status):
        state = order.status.value.replace("_", " ")
        raise InvalidTransitionError(f"Order #{order.number} is {state}: it can no longer be discounted")
    previous_total, previous_tax = order.total_cents, order.tax_cents
    fee = delivery_fee if order.order_type is OrderType.DELIVERY else Money(0)
    totals = order_totals([Money(i.price_cents) for i in order.items], fee, tax, Money(discount.cents))
    order.discount = replace(discount, approver_id=approver[0] if approver else None)
    order.tax_cents, order.total_cents = totals.tax.cents, totals.total.cents
    refund = settle_payment(order)
    order._record(
        OrderDiscountedEvent(
            occurred_at=now,
            staff_id=staff_id,
            order_id=order.id,
            reason=discount.reason,
            discount_cents=discount.cents,
            percent_basis_points=discount.percent_basis_points,
            fixed_cents=discount.fixed_cents,
            line_index=discount.line_index,
            subtotal_cents=order.subtotal_cents,
            tax_cents=order.tax_cents,
            total_cents=order.total_cents,
            paid=order.paid,
            paid_cents=order.paid_cents,
            balance_cents=order.total_cents - order.paid_cents,
            refund_cents=refund,
            business_date=business_date,
            previous_total_cents=previous_total,
            previous_tax_cents=previous_tax,
            approver_id=approver[0] if approver else None,
            approver_name=approver[1] if approver else None,
        )
    )
