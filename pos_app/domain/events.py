"""Domain events: past-tense facts, recorded by aggregates, stored in the event store, projected into read models.

Plain frozen dataclasses: no pydantic, no mediation. Every event says when it happened and who did it.
Amounts are integer cents.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID


@dataclass(frozen=True, slots=True, kw_only=True)
class DomainEvent:
    occurred_at: datetime
    staff_id: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderEvent(DomainEvent):
    order_id: UUID


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderItemData:
    menu_item_id: str
    name: str
    category: str
    size: str
    toppings: tuple[str, ...]
    topping_names: tuple[str, ...]
    special_instructions: str
    price_cents: int
    preparation_minutes: int
    allergies: tuple[str, ...] = ()
    """The customer's allergies on this line (allergen names)."""
    allergens: tuple[str, ...] = ()
    """What the line contains per the menu: the item's and its toppings' allergens."""
    needs_preparation: bool = True
    """False: nothing to make (a drink, a packaged dessert); the line is ready when placed."""
    quantity: int = 1
    """How many of the same on the line; `price_cents` is the line's (unit price × quantity)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderPlacedEvent(OrderEvent):
    order_number: int
    business_date: date
    order_type: str
    customer_name: str
    customer_phone: str
    customer_address: str | None
    items: tuple[OrderItemData, ...]
    subtotal_cents: int
    delivery_fee_cents: int
    tax_cents: int
    total_cents: int
    payment_method: str
    estimated_ready_at: datetime
    table_number: int | None = None
    """A dine-in order's table (None for pickup and delivery, and in events stored before tables were kept)."""
    covers: int | None = None
    """How many guests sit at the table, when the counter says."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CookingStartedEvent(OrderEvent):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class PizzaReadyEvent(OrderEvent):
    pizza_index: int
    actual_cooking_time_minutes: float


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderReadyEvent(OrderEvent):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderPickedUpEvent(OrderEvent):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderOutForDeliveryEvent(OrderEvent):
    driver_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderDeliveredEvent(OrderEvent):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderCancelledEvent(OrderEvent):
    """`business_date` is the business day of the cancellation: a refund is booked to it (None in events stored
    before it was recorded: their refund stays with the order's day). A refund or a void by staff who are not a
    manager names the manager who approved it on the till (`approver_id`, `approver_name`); `staff_name` is the
    name of `staff_id`."""

    reason: str
    previous_status: str
    refund_cents: int
    business_date: date | None = None
    staff_name: str | None = None
    approver_id: str | None = None
    approver_name: str | None = None
    kitchen_acknowledges: bool = False
    """The kitchen had the order (pending or cooking): its ticket stays, CANCELLED, until the kitchen acknowledges
    it. False in events stored before the kitchen acknowledged cancellations (their tickets left at once)."""
    reason_code: str | None = None
    """One of `CANCEL_REASONS` (pos_app/domain/cancel_reasons.py), None when only free text was given."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PaymentProcessedEvent(OrderEvent):
    payment_method: str
    amount_cents: int
    tendered_cents: int
    change_cents: int


@dataclass(frozen=True, slots=True, kw_only=True)
class LeftOpenOrderClosedEvent(OrderEvent):
    """A manager closed an order left open on an earlier business day: `outcome` "completed" (it was handed over;
    `status` is picked_up or delivered) or "cancelled" (with its `reason`, refunding what was paid)."""

    outcome: str
    reason: str
    previous_status: str
    status: str
    refund_cents: int


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderEditedEvent(OrderEvent):
    """The counter changed a placed order (pos_app/domain/order_edits.py): its lines, type, customer or table, as
    they are now, with the totals priced again. `ready_items` are the new lines' indexes the kitchen had already
    made (kept unchanged). Money: `paid_cents` is what is kept of what was taken; `balance_cents` is more to pay,
    `refund_cents` the change given back, booked to `business_date` (the day of the edit). `kitchen_changes` says
    what changed for the kitchen ("+ 1 × Diavola (large)", "− Margherita", "Capricciosa: no olives");
    `cooking_started` says the kitchen had started it. `previous_*` is the order as it was, for the read models
    that count it."""

    order_type: str
    customer_name: str
    customer_phone: str
    customer_address: str | None
    table_number: int | None
    covers: int | None
    items: tuple[OrderItemData, ...]
    ready_items: tuple[int, ...]
    subtotal_cents: int
    delivery_fee_cents: int
    tax_cents: int
    total_cents: int
    paid: bool
    paid_cents: int
    balance_cents: int
    refund_cents: int
    business_date: date
    kitchen_changes: tuple[str, ...]
    cooking_started: bool
    previous_order_type: str
    previous_items: tuple[OrderItemData, ...]
    previous_total_cents: int
    previous_tax_cents: int
    previous_delivery_fee_cents: int


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderDiscountedEvent(OrderEvent):
    """A discount given on an order (`line_index` None) or one of its lines (pos_app/domain/discounts.py), in place
    of any before: `discount_cents` off, from `percent_basis_points` or `fixed_cents`, for `reason`; the totals as
    they are now (the discount off before tax). The money as for an edit: `refund_cents` given back, booked to
    `business_date`. Above the store's limit, the approving manager (`approver_id`, `approver_name`)."""

    reason: str
    discount_cents: int
    percent_basis_points: int | None
    fixed_cents: int | None
    line_index: int | None
    subtotal_cents: int
    tax_cents: int
    total_cents: int
    paid: bool
    paid_cents: int
    balance_cents: int
    refund_cents: int
    business_date: date
    previous_total_cents: int
    previous_tax_cents: int
    approver_id: str | None = None
    approver_name: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class MenuUpdatedEvent(DomainEvent):
    item_id: str
    name: str
    description: str
    category: str
    base_price_cents: int
    preparation_minutes: int
    available: bool
    seasonal: bool
    sizes: tuple[str, ...]
    added: bool
    allergens: tuple[str, ...] = ()
    needs_preparation: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class StaffLoggedInEvent(DomainEvent):
    name: str
    role: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StaffLoggedOutEvent(DomainEvent):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class StaffLoginFailedEvent(DomainEvent):
    """A wrong PIN, at login or as the current PIN of a PIN change. `staff_id` is the account tried;
    `locked_until` is set when this failure locked it."""

    failed_attempts: int
    locked_until: datetime | None


@dataclass(frozen=True, slots=True, kw_only=True)
class StaffPinChangedEvent(DomainEvent):
    """`staff_id` changed their own PIN (the PIN is in no event)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class KitchenNoticeAcknowledgedEvent(OrderEvent):
    """The kitchen saw the notice on an order's ticket (`kind` "cancelled" or "changed"): a cancelled ticket leaves
    the queue, a changed one loses its notice."""

    kind: str


ALL_EVENTS: tuple[type[DomainEvent], ...] = (
    OrderPlacedEvent,
    CookingStartedEvent,
    PizzaReadyEvent,
    OrderReadyEvent,
    OrderPickedUpEvent,
    OrderOutForDeliveryEvent,
    OrderDeliveredEvent,
    OrderCancelledEvent,
    PaymentProcessedEvent,
    LeftOpenOrderClosedEvent,
    MenuUpdatedEvent,
    StaffLoggedInEvent,
    StaffLoggedOutEvent,
    StaffLoginFailedEvent,
    StaffPinChangedEvent,
    KitchenNoticeAcknowledgedEvent,
    OrderEditedEvent,
    OrderDiscountedEvent,
)
