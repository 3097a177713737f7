"""Editing a placed order: new lines, type, customer name and address, table; priced again; the money settled.

The counter may edit an order while the kitchen has not finished it (pending or cooking). The order keeps what was
paid (`Order.paid_cents`): a dearer order leaves a balance to pay (`ProcessPaymentCommand` takes it), a cheaper one
gives the difference back (`refund_cents` in the event, booked to the day of the edit). A line kept exactly as it
was keeps its ready state; a changed line is a new one for the kitchen. After cooking started the edit is allowed
too, and the event says so (`cooking_started`) with what changed for the kitchen (`kitchen_changes`). The phone
stays: it is who the customer is (their history and favourites are kept by it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from pos_app.domain.discount_rules import kept_after_edit
from pos_app.domain.errors import InvalidTransitionError, ValidationFailedError
from pos_app.domain.events import OrderEditedEvent, OrderReadyEvent
from pos_app.domain.menu import PricedLine
from pos_app.domain.money import Money, TaxPolicy, order_totals
from pos_app.domain.order_parts import (
    Customer,
    OrderItem,
    OrderStatus,
    OrderType,
    order_problems,
    ready_what_needs_no_preparation,
)
from pos_app.domain.orders import Order

EDITABLE_STATUSES = frozenset({OrderStatus.PENDING, OrderStatus.COOKING})
"""An order can be changed until the kitchen has made all of it."""

ItemKey = tuple[str, str, tuple[str, ...], str, int, tuple[str, ...]]


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderChanges:
    """The order as the counter wants it now (the lines priced by `intake.price_lines`)."""

    lines: Sequence[PricedLine]
    order_type: OrderType
    customer_name: str
    customer_address: str | None
    table_number: int | None = None
    covers: int | None = None


def may_edit(status: OrderStatus) -> bool:
    return status in EDITABLE_STATUSES


def edit_order(
    order: Order,
    changes: OrderChanges,
    *,
    tax: TaxPolicy,
    delivery_fee: Money,
    business_date: date,
    now: datetime,
    staff_id: str | None,
) -> None:
    """Apply `changes` to `order` and record `OrderEditedEvent` (and `OrderReadyEvent` when every line left is
    made); raises, changing nothing, when the order is past changing or a field is wrong."""
    if not may_edit(order.status):
        state = order.status.value.replace("_", " ")
        raise InvalidTransitionError(f"Order #{order.number} is {state}: it can no longer be changed")
    _check(changes)
    order_type = changes.order_type
    items = _kept_ready(order.items, [OrderItem.from_line(line) for line in changes.lines])
    nothing_to_make = ready_what_needs_no_preparation(items, now)  # a drink added is ready at once
    customer = Customer(
        name=changes.customer_name.strip(),
        phone=order.customer.phone,
        address=(changes.customer_address or "").strip() or None if order_type is OrderType.DELIVERY else None,
    )
    dine_in = order_type is OrderType.DINE_IN
    table, covers = (changes.table_number, changes.covers) if dine_in else (None, None)
    kitchen_changes = describe_changes(order.items, items, order, order_type, table)
    if not kitchen_changes and (customer, covers) == (order.customer, order.covers):
        raise ValidationFailedError.for_fields({"pizza_items": ["Nothing was changed"]})
    discount = kept_after_edit(order.discount, items)
    fee = delivery_fee if order_type is OrderType.DELIVERY else Money(0)
    off = Money(discount.cents) if discount else None
    totals = order_totals([line.price for line in changes.lines], fee, tax, off)
    before = (order.order_type, tuple(i.snapshot() for i in order.items), order.total_cents, order.tax_cents)
    previous_fee = order.delivery_fee_cents
    order.order_type, order.customer, order.items = order_type, customer, items
    order.table_number, order.covers, order.discount = table, covers, discount
    order.subtotal_cents, order.delivery_fee_cents = totals.subtotal.cents, totals.delivery_fee.cents
    order.tax_cents, order.total_cents = totals.tax.cents, totals.total.cents
    refund = settle_payment(order)
    order._record(
        OrderEditedEvent(
            occurred_at=now,
            staff_id=staff_id,
            order_id=order.id,
            order_type=order_type.value,
            customer_name=customer.name,
            customer_phone=customer.phone,
            customer_address=customer.address,
            table_number=table,
            covers=covers,
            items=tuple(item.snapshot() for item in items),
            ready_items=tuple(index for index, item in enumerate(items) if item.ready_at is not None),
            subtotal_cents=order.subtotal_cents,
            delivery_fee_cents=order.delivery_fee_cents,
            tax_cents=order.tax_cents,
            total_cents=order.total_cents,
            paid=order.paid,
            paid_cents=order.paid_cents,
            balance_cents=order.total_cents - order.paid_cents,
            refund_cents=refund,
            business_date=business_date,
            kitchen_changes=tuple(kitchen_changes),
            cooking_started=order.status is OrderStatus.COOKING,
            previous_order_type=before[0].value,
            previous_items=before[1],
            previous_total_cents=before[2],
            previous_tax_cents=before[3],
            previous_delivery_fee_cents=previous_fee,
        )
    )
    if order.status in (OrderStatus.PENDING, OrderStatus.COOKING) and nothing_to_make:
        order.status, order.ready_at = OrderStatus.READY, now
        order._record(OrderReadyEvent(occurred_at=now, staff_id=staff_id, order_id=order.id))


def settle_payment(order: Order) -> int:
    """After the total changed: what was paid beyond the new total is given back (returned: the refund, in
    cents); the order is paid when what it keeps covers the total, else the balance is due."""
    refund = max(0, order.paid_cents - order.total_cents)
    order.paid_cents -= refund
    order.paid = order.paid_cents > 0 and order.paid_cents >= order.total_cents
    return refund


def _check(changes: OrderChanges) -> None:
    errors = order_problems(
        changes.order_type,
        changes.customer_name,
        changes.customer_address,
        bool(changes.lines),
        changes.table_number,
        changes.covers,
    )
    if errors:
        raise ValidationFailedError.for_fields(errors)


def _key(item: OrderItem) -> ItemKey:
    return (item.menu_item_id, item.size, item.toppings, item.special_instructions, item.quantity, item.allergies)


def _kept_ready(old: Sequence[OrderItem], new: list[OrderItem]) -> list[OrderItem]:
    """The new lines, each one the kitchen already made (the same line, unchanged) keeping its ready time."""
    made = [item for item in old if item.ready_at is not None]
    for item in new:
        match = next((done for done in made if _key(done) == _key(item)), None)
        if match is not None:
            item.ready_at = match.ready_at
            made.remove(match)
    return new


def item_name(item: OrderItem) -> str:
    """ "Margherita (large)", "Cola": a line's item as the kitchen names it."""
    return f"{item.name} ({item.size})" if item.category == "pizza" else item.name


def item_label(item: OrderItem) -> str:
    """ "2 × Margherita (large)", "Cola": a line as the kitchen names it."""
    return f"{item.quantity} × {item_name(item)}" if item.quantity > 1 else item_name(item)


def describe_changes(
    old: Sequence[OrderItem], new: Sequence[OrderItem], order: Order, order_type: OrderType, table: int | None
) -> list[str]:
    """What changed, for the kitchen: "+ 1 × Diavola (large)", "− Margherita (medium)", "Capricciosa: no olives",
    "Now delivery", "Table 9". Empty when the lines, type and table are as they were."""
    removed = list(old)
    added: list[OrderItem] = []
    for item in new:
        same = next((was for was in removed if _key(was) == _key(item)), None)
        if same is not None:
            removed.remove(same)
        else:
            added.append(item)
    lines: list[str] = []
    for item in added:
        was = next((r for r in removed if r.menu_item_id == item.menu_item_id), None)
        if was is None:
            lines.append(f"+ {item.quantity} × {item_name(item)}")
            continue
        removed.remove(was)
        lines.append(f"{item.name}: {'; '.join(_differences(was, item))}")
    lines.extend(f"− {item_label(item)}" for item in removed)
    if order_type is not order.order_type:
        lines.append(f"Now {order_type.value.replace('_', '-')}")
    if table != order.table_number and table is not None:
        lines.append(f"Table {table}")
    return lines


def _differences(was: OrderItem, now: OrderItem) -> list[str]:
    """How one line changed: "medium → large", "no olives", "+ ham", "× 2 → × 3", "note: well done"."""
    found = []
    if was.quantity != now.quantity:
        found.append(f"× {was.quantity} → × {now.quantity}")
    if was.size != now.size:
        found.append(f"{was.size} → {now.size}")
    found += [f"no {name.lower()}" for name in was.topping_names if name not in now.topping_names]
    found += [f"+ {name.lower()}" for name in now.topping_names if name not in was.topping_names]
    if was.special_instructions != now.special_instructions:
        found.append(f"note: {now.special_instructions}" if now.special_instructions else "no note")
    if was.allergies != now.allergies:
        found.append(f"ALLERGY: {', '.join(now.allergies)}" if now.allergies else "no allergies")
    return found
