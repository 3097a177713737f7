"""The Order aggregate and its status machine.

pending → cooking → ready → picked_up (pickup, dine-in) | out_for_delivery → delivered (delivery);
cancelled from pending by counter staff, later only by a manager. Each item is marked ready on its own; the order
is ready when its last item is. Every change records an event; an illegal change raises and changes nothing.
The values it is made of (status, type, items, customer) are in `order_parts.py` and importable from here too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from uuid import UUID

from pos_app.domain.errors import InvalidTransitionError, NotAllowedError, ValidationFailedError
from pos_app.domain.events import (
    CookingStartedEvent,
    DomainEvent,
    LeftOpenOrderClosedEvent,
    OrderCancelledEvent,
    OrderDeliveredEvent,
    OrderOutForDeliveryEvent,
    OrderPickedUpEvent,
    OrderPlacedEvent,
    OrderReadyEvent,
    PaymentProcessedEvent,
    PizzaReadyEvent,
)
from pos_app.domain.menu import PricedLine
from pos_app.domain.money import Money, TaxPolicy, order_totals
from pos_app.domain.order_parts import (
    FINAL_STATUSES,
    OPEN_STATUSES,
    Customer,
    Discount,
    OrderItem,
    OrderStatus,
    OrderType,
    PaymentMethod,
    order_problems,
    ready_what_needs_no_preparation,
)
from pos_app.domain.staff import Role

__all__ = [
    "FINAL_STATUSES",
    "OPEN_STATUSES",
    "Customer",
    "Order",
    "OrderItem",
    "OrderStatus",
    "OrderType",
    "PaymentMethod",
]


@dataclass(slots=True, kw_only=True)
class Order:
    id: UUID
    number: int
    business_date: date
    order_type: OrderType
    customer: Customer
    items: list[OrderItem]
    status: OrderStatus
    placed_at: datetime
    estimated_ready_at: datetime
    subtotal_cents: int
    delivery_fee_cents: int
    tax_cents: int
    total_cents: int
    payment_method: PaymentMethod
    paid: bool = False
    paid_cents: int = 0  # the money taken (net of refunds); below `total_cents` after an edit, the balance is due
    tendered_cents: int = 0
    change_cents: int = 0
    started_at: datetime | None = None
    ready_at: datetime | None = None
    completed_at: datetime | None = None
    cancelled_at: datetime | None = None
    cancel_reason: str | None = None
    driver_id: str | None = None
    placed_by: str | None = None
    table_number: int | None = None
    covers: int | None = None
    discount: Discount | None = None  # taken off before tax (pos_app/domain/discounts.py)
    version: int = 0
    _events: list[DomainEvent] = field(default_factory=list, repr=False)

    # placing ------------------------------------------------------------------------------------------------------
    @classmethod
    def place(
        cls,
        *,
        order_id: UUID,
        number: int,
        business_date: date,
        order_type: OrderType,
        customer: Customer,
        lines: Sequence[PricedLine],
        payment_method: PaymentMethod,
        amount_tendered: Money | None,
        tax: TaxPolicy,
        delivery_fee: Money,
        estimated_ready_at: datetime,
        now: datetime,
        staff_id: str | None,
        table_number: int | None = None,
        covers: int | None = None,
    ) -> Order:
        errors = order_problems(order_type, customer.name, customer.address, bool(lines), table_number, covers)
        fee = delivery_fee if order_type is OrderType.DELIVERY else Money(0)
        totals = order_totals([line.price for line in lines], fee, tax)
        if amount_tendered is not None:
            if payment_method is not PaymentMethod.CASH:
                errors["amount_tendered"] = ["Only cash is tendered"]
            elif amount_tendered < totals.total:
                short = totals.total - amount_tendered
                errors["amount_tendered"] = [f"Short by {short}: the total is {totals.total}"]
        if errors:
            raise ValidationFailedError.for_fields(errors)
        order = cls(
            id=order_id,
            number=number,
            business_date=business_date,
            order_type=order_type,
            customer=Customer(
                name=customer.name.strip(),
                phone=customer.phone,
                address=(customer.address or "").strip() or None,
            ),
            items=[OrderItem.from_line(line) for line in lines],
            status=OrderStatus.PENDING,
            placed_at=now,
            estimated_ready_at=estimated_ready_at,
            subtotal_cents=totals.subtotal.cents,
            delivery_fee_cents=totals.delivery_fee.cents,
            tax_cents=totals.tax.cents,
            total_cents=totals.total.cents,
            payment_method=payment_method,
            placed_by=staff_id,
            table_number=table_number if order_type is OrderType.DINE_IN else None,
            covers=covers if order_type is OrderType.DINE_IN else None,
        )
        order._record(
            OrderPlacedEvent(
                occurred_at=now,
                staff_id=staff_id,
                order_id=order_id,
                order_number=number,
                business_date=business_date,
                order_type=order_type.value,
                customer_name=order.customer.name,
                customer_phone=order.customer.phone,
                customer_address=order.customer.address,
                items=tuple(item.snapshot() for item in order.items),
                subtotal_cents=order.subtotal_cents,
                delivery_fee_cents=order.delivery_fee_cents,
                tax_cents=order.tax_cents,
                total_cents=order.total_cents,
                payment_method=payment_method.value,
                estimated_ready_at=estimated_ready_at,
                table_number=order.table_number,
                covers=order.covers,
            )
        )
        if payment_method is PaymentMethod.CARD or amount_tendered is not None:
            order._take_payment(payment_method, amount_tendered, now, staff_id)
        if ready_what_needs_no_preparation(order.items, now):
            order.status, order.ready_at = OrderStatus.READY, now
            order._record(OrderReadyEvent(occurred_at=now, staff_id=staff_id, order_id=order_id))
        return order

    # kitchen ------------------------------------------------------------------------------------------------------
    def start_cooking(self, now: datetime, staff_id: str | None) -> None:
        if self.status is not OrderStatus.PENDING:
            raise InvalidTransitionError(f"Order #{self.number} is {self.status.value}, not waiting to be cooked")
        self.status = OrderStatus.COOKING
        self.started_at = now
        self._record(CookingStartedEvent(occurred_at=now, staff_id=staff_id, order_id=self.id))

    def mark_item_ready(self, index: int, now: datetime, staff_id: str | None) -> None:
        if not 0 <= index < len(self.items):
            raise ValidationFailedError(
                f"Order #{self.number} has {len(self.items)} items",
                {"pizza_index": [f"Choose an item from 0 to {len(self.items) - 1}"]},
            )
        if self.status is OrderStatus.PENDING:
            raise InvalidTransitionError(f"Start cooking order #{self.number} first")
        item = self.items[index]
        if item.ready_at is not None:
            raise InvalidTransitionError(f"{item.name} of order #{self.number} is already ready")
        if self.status is not OrderStatus.COOKING:
            raise InvalidTransitionError(f"Order #{self.number} is {self.status.value}")
        item.ready_at = now
        started = self.started_at or now
        minutes = max(0.0, (now - started).total_seconds() / 60)
        self._record(
            PizzaReadyEvent(
                occurred_at=now,
                staff_id=staff_id,
                order_id=self.id,
                pizza_index=index,
                actual_cooking_time_minutes=round(minutes, 2),
            )
        )
        if all(i.ready_at is not None for i in self.items):
            self.status = OrderStatus.READY
            self.ready_at = now
            self._record(OrderReadyEvent(occurred_at=now, staff_id=staff_id, order_id=self.id))

    @property
    def next_item_to_cook(self) -> int | None:
        return next((i for i, item in enumerate(self.items) if item.ready_at is None), None)

    # hand-over ----------------------------------------------------------------------------------------------------
    def mark_picked_up(self, now: datetime, staff_id: str | None) -> None:
        if self.order_type is OrderType.DELIVERY:
            raise InvalidTransitionError(f"Order #{self.number} is a delivery: send it out for delivery")
        self._require(OrderStatus.READY, "picked up")
        self._require_paid("handing it over")
        self.status = OrderStatus.PICKED_UP
        self.completed_at = now
        self._record(OrderPickedUpEvent(occurred_at=now, staff_id=staff_id, order_id=self.id))

    def assign_to_delivery(self, driver_id: str, now: datetime, staff_id: str | None) -> None:
        if self.order_type is not OrderType.DELIVERY:
            raise InvalidTransitionError(f"Order #{self.number} is not a delivery")
        self._require(OrderStatus.READY, "sent out")
        self.status = OrderStatus.OUT_FOR_DELIVERY
        self.driver_id = driver_id
        self._record(
            OrderOutForDeliveryEvent(occurred_at=now, staff_id=staff_id, order_id=self.id, driver_id=driver_id)
        )

    def mark_delivered(self, now: datetime, staff_id: str | None) -> None:
        self._require(OrderStatus.OUT_FOR_DELIVERY, "delivered")
        self._require_paid("marking it delivered")
        self.status = OrderStatus.DELIVERED
        self.completed_at = now
        self._record(OrderDeliveredEvent(occurred_at=now, staff_id=staff_id, order_id=self.id))

    # cancelling and paying ----------------------------------------------------------------------------------------
    def cancel(
        self,
        reason: str,
        role: Role,
        now: datetime,
        staff_id: str | None,
        *,
        business_date: date | None = None,
        staff_name: str | None = None,
        approver: tuple[str, str] | None = None,
        reason_code: str | None = None,
    ) -> None:
        """Cancel as `role`, for `reason` (never empty; see `cancel_reasons.py`); a manager's `approver` (id, name),
        checked by the caller, lets staff do what a manager may. A refund (the order is paid) needs a manager or a
        manager's approval."""
        if approver is not None:
            role = Role.MANAGER
        if self.status in FINAL_STATUSES:
            raise InvalidTransitionError(f"Order #{self.number} is {self.status.value} and cannot be cancelled")
        if not reason.strip():
            raise ValidationFailedError.for_fields({"reason": ["Say why the order is cancelled"]})
        if self.status is not OrderStatus.PENDING and role is not Role.MANAGER:
            raise NotAllowedError(
                f"Order #{self.number} is {self.status.value}: only a manager can cancel it now",
                {"approver_pin": ["A manager's PIN is needed"]},
            )
        if self.paid_cents and role is not Role.MANAGER:
            raise NotAllowedError(
                f"Order #{self.number} is paid: cancelling it refunds {Money(self.paid_cents)}, "
                "which needs a manager's approval (manager and PIN)",
                {"approver_pin": ["A manager's PIN is needed"]},
            )
        previous = self.status
        refund, self.paid_cents = self.paid_cents, 0  # what was taken goes back
        self.status = OrderStatus.CANCELLED
        self.cancelled_at = now
        self.cancel_reason = reason
        self._record(
            OrderCancelledEvent(
                occurred_at=now,
                staff_id=staff_id,
                order_id=self.id,
                reason=reason,
                previous_status=previous.value,
                refund_cents=refund,
                business_date=business_date,
                staff_name=staff_name,
                approver_id=approver[0] if approver else None,
                approver_name=approver[1] if approver else None,
                kitchen_acknowledges=previous in OPEN_STATUSES,
                reason_code=reason_code,
            )
        )

    def close_left_open(self, outcome: str, reason: str, today: date, now: datetime, staff_id: str | None) -> None:
        """A manager closes an order left open on an earlier business day: "completed" (it was handed over) or
        "cancelled" (a reason is required; what was paid is refunded)."""
        if self.status in FINAL_STATUSES:
            raise InvalidTransitionError(f"Order #{self.number} is already {self.status.value.replace('_', ' ')}")
        if self.business_date >= today:
            raise InvalidTransitionError(
                f"Order #{self.number} is from today, not left open: finish or cancel it the usual way"
            )
        if outcome not in ("completed", "cancelled"):
            raise ValidationFailedError.for_fields({"outcome": ["Choose completed or cancelled"]})
        reason = reason.strip()
        if outcome == "cancelled" and not reason:
            raise ValidationFailedError.for_fields({"reason": ["Say why the order is cancelled"]})
        previous = self.status
        refund = 0
        if outcome == "completed":
            self.status = OrderStatus.DELIVERED if self.order_type is OrderType.DELIVERY else OrderStatus.PICKED_UP
            self.completed_at = now
        else:
            refund, self.paid_cents = self.paid_cents, 0
            self.status = OrderStatus.CANCELLED
            self.cancelled_at = now
            self.cancel_reason = reason
        self._record(
            LeftOpenOrderClosedEvent(
                occurred_at=now,
                staff_id=staff_id,
                order_id=self.id,
                outcome=outcome,
                reason=reason,
                previous_status=previous.value,
                status=self.status.value,
                refund_cents=refund,
            )
        )

    def process_payment(
        self, method: PaymentMethod, amount_tendered: Money | None, now: datetime, staff_id: str | None
    ) -> None:
        if self.status is OrderStatus.CANCELLED:
            raise InvalidTransitionError(f"Order #{self.number} is cancelled")
        if self.is_paid:
            raise InvalidTransitionError(f"Order #{self.number} is already paid")
        if method is PaymentMethod.CASH:
            if amount_tendered is None:
                raise ValidationFailedError("Enter the cash tendered", {"amount_tendered": ["Enter the cash tendered"]})
            if amount_tendered.cents < self.total_cents - self.paid_cents:
                due = Money(self.total_cents - self.paid_cents)
                short = due - amount_tendered
                owed = f"the total is {due}" if not self.paid_cents else f"{due} is still due"
                raise ValidationFailedError(f"Short by {short}", {"amount_tendered": [f"Short by {short}: {owed}"]})
        elif amount_tendered is not None:
            raise ValidationFailedError("Only cash is tendered", {"amount_tendered": ["Only cash is tendered"]})
        self._take_payment(method, amount_tendered, now, staff_id)

    @property
    def is_paid(self) -> bool:
        return self.paid

    def _take_payment(self, method: PaymentMethod, tendered: Money | None, now: datetime, staff_id: str | None) -> None:
        amount = self.total_cents - self.paid_cents  # the total, or after an edit what is still due
        tendered_cents = tendered.cents if tendered is not None else amount
        self.payment_method, self.paid, self.paid_cents = method, True, self.total_cents
        self.tendered_cents = tendered_cents
        self.change_cents = tendered_cents - amount
        self._record(
            PaymentProcessedEvent(
                occurred_at=now,
                staff_id=staff_id,
                order_id=self.id,
                payment_method=method.value,
                amount_cents=amount,
                tendered_cents=tendered_cents,
                change_cents=self.change_cents,
            )
        )

    # events -------------------------------------------------------------------------------------------------------
    def _require(self, status: OrderStatus, action: str) -> None:
        if self.status is not status:
            raise InvalidTransitionError(
                f"Order #{self.number} is {self.status.value.replace('_', ' ')}: it can be {action} "
                f"only when {status.value.replace('_', ' ')}"
            )

    def _require_paid(self, action: str) -> None:
        if not self.is_paid:
            raise InvalidTransitionError(f"Order #{self.number} is not paid: take payment before {action}")

    def _record(self, event: DomainEvent) -> None:
        self._events.append(event)

    def pull_events(self) -> list[DomainEvent]:
        events, self._events = self._events, []
        return events

    @property
    def pending_events(self) -> Sequence[DomainEvent]:
        return tuple(self._events)
