"""What the core returns to the screens. Money is `Decimal`, times are timezone-aware."""

from __future__ import annotations

import datetime as dt
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from pos_app.messages.types import (
    AllergenName,
    KitchenAlert,
    OrderStatusName,
    OrderTypeName,
    PaymentMethodName,
    PizzaSize,
    RoleName,
)


class Dto(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ToppingDto(Dto):
    id: str
    name: str
    price: Decimal
    allergens: list[AllergenName] = []


class MenuItemDto(Dto):
    id: str
    name: str
    description: str
    category: str
    base_price: Decimal
    preparation_time_minutes: int
    available: bool
    is_seasonal: bool
    available_sizes: list[PizzaSize]
    available_toppings: list[ToppingDto]
    allergens: list[AllergenName] = []
    needs_preparation: bool = True


class OrderPlacedDto(Dto):
    order_id: UUID
    order_number: int
    total_amount: Decimal
    tax_amount: Decimal
    estimated_ready_time: datetime
    paid: bool
    change_due: Decimal | None = None


class QuoteLineDto(Dto):
    pizza_id: str
    name: str
    size: PizzaSize
    topping_names: list[str]
    price: Decimal
    quantity: int = 1
    """How many of the same; `price` is the line's."""


class OrderQuoteDto(Dto):
    """What a cart costs, by the same formula that places the order."""

    lines: list[QuoteLineDto]
    subtotal: Decimal
    delivery_fee: Decimal
    tax: Decimal
    total_amount: Decimal
    change_due: Decimal | None
    short_by: Decimal | None


class OrderItemDto(Dto):
    index: int
    pizza_id: str
    name: str
    size: PizzaSize
    toppings: list[str]
    topping_names: list[str]
    special_instructions: str
    price: Decimal
    ready: bool
    quantity: int = 1
    """How many of the same; `price` is the line's (unit price × quantity)."""
    allergies: list[AllergenName] = []
    """The customer's allergies on this line (an edit sends them back)."""


class TimelineEntryDto(Dto):
    position: int
    event_type: str
    occurred_at: datetime
    staff_id: str | None
    description: str


class OrderDto(Dto):
    order_id: UUID
    order_number: int
    business_date: date
    order_type: OrderTypeName
    status: OrderStatusName
    customer_name: str
    customer_phone: str
    customer_address: str | None
    items: list[OrderItemDto]
    subtotal: Decimal
    delivery_fee: Decimal
    tax: Decimal
    total_amount: Decimal
    payment_method: PaymentMethodName
    paid: bool
    amount_tendered: Decimal | None
    change_due: Decimal | None
    placed_at: datetime
    estimated_ready_time: datetime
    started_at: datetime | None
    ready_at: datetime | None
    completed_at: datetime | None
    driver_id: str | None
    cancel_reason: str | None
    table_number: int | None = None
    covers: int | None = None
    amount_paid: Decimal = Decimal("0.00")
    """The money taken for the order, net of refunds."""
    balance_due: Decimal = Decimal("0.00")
    """More to pay after an edit made it dearer (0 when paid in full or nothing taken yet: see `paid`)."""
    version: int = 0
    """The order's version as stored, for `EditOrderCommand.expected_version`."""
    discount: Decimal = Decimal("0.00")
    """Taken off before tax (`total_amount` is after it)."""
    discount_reason: str | None = None
    discount_line: int | None = None
    """The line the discount is on (its index), None for the whole order."""
    timeline: list[TimelineEntryDto] = []
    """The order's events, oldest first: filled by `GetOrderByIdQuery`, empty in command results."""
    actions: tuple[str, ...] = ()
    """What the logged-in staff member may do to the order now (`OrderAction` values: "pick_up", "send_out",
    "deliver", "take_payment", "cancel", "cancel_with_approval", "edit", "discount"), filled per request for their
    role."""
    actions_after_payment: tuple[str, ...] = ()
    """The hand-overs ("pick_up", "deliver") they could do once the order is paid."""


class OrderStatusDto(Dto):
    order_id: UUID
    order_number: int
    status: OrderStatusName
    estimated_ready_time: datetime
    items_ready: int
    items_total: int


class OrderSummaryDto(Dto):
    order_id: UUID
    order_number: int
    business_date: date
    placed_at: datetime
    customer_name: str
    customer_phone: str
    customer_address: str | None
    order_type: OrderTypeName
    items_summary: str
    item_count: int
    total_amount: Decimal
    status: OrderStatusName
    paid: bool
    payment_method: PaymentMethodName
    estimated_ready_time: datetime
    ready_at: datetime | None
    completed_at: datetime | None
    driver_id: str | None
    table_number: int | None = None
    """A dine-in order's table."""


class OrderActionsDto(Dto):
    """What the logged-in staff member may do to one order, as on `OrderDto`."""

    actions: tuple[str, ...] = ()
    """What the logged-in staff member may do to the order now (`OrderAction` values: "pick_up", "send_out",
    "deliver", "take_payment", "cancel", "cancel_with_approval"), filled per request for their role."""
    actions_after_payment: tuple[str, ...] = ()
    """The hand-overs ("pick_up", "deliver") they could do once the order is paid."""


class OrderPageDto(Dto):
    items: list[OrderSummaryDto]
    total: int
    page: int
    page_size: int
    actions: dict[UUID, OrderActionsDto] = {}
    """By order id, what the logged-in staff member may do to each order listed that has anything to do (filled per
    request for their role; an order not in it has nothing to do)."""
    position: int = 0
    """The event store's position this page reflects: ask again with `changed_since=position` for what changes next."""
    changes_only: bool = False
    """True when `items` are only the day's orders changed after the query's `changed_since` (every one, newest
    first, not paged); False when they are the page itself (also when too much changed to tell)."""
    business_date: date | None = None
    """The business day listed (a screen that follows today sees the rollover here)."""


class KitchenItemDto(Dto):
    index: int
    name: str
    category: str
    size: PizzaSize
    toppings: list[str]
    special_instructions: str
    ready: bool
    quantity: int = 1
    """How many of the same, made together and marked ready as one line."""
    allergens: list[AllergenName] = []
    """What the line contains, per the menu (the item's and its toppings')."""
    allergies: list[AllergenName] = []
    """The customer's allergies on this line."""
    note_allergy_words: list[str] = []
    """The allergy words found in its note ("nut allergy" → ["nut", "allergy"])."""
    needs_preparation: bool = True
    """False: a drink or packaged dessert, ready when placed; the ticket lists it apart."""

    @property
    def allergy_alert(self) -> bool:
        return bool(self.allergies or self.note_allergy_words)


class KitchenNoticeDto(Dto):
    """What the kitchen must see before the ticket may leave or go on: "cancelled" or "changed", with details."""

    kind: str
    details: list[str] = []
    raised_at: datetime


class KitchenDisplayDto(Dto):
    """The store's settings for the kitchen screen."""

    alert: KitchenAlert = "flash"
    """What a new ticket does: flash its card, chime, both, or nothing."""
    notice_sound: bool = True
    """Chime when a ticket gets a CANCELLED or CHANGED notice."""
    near_minutes: int = 8
    """Minutes since placing after which a ticket is amber (the legend says so; the ticket's `near_at` decides)."""
    late_minutes: int = 15


class KitchenTicketDto(Dto):
    order_id: UUID
    order_number: int
    order_type: OrderTypeName
    customer_name: str
    status: OrderStatusName
    placed_at: datetime
    started_at: datetime | None
    estimated_ready_time: datetime
    completed_at: datetime | None
    items: list[KitchenItemDto]
    notice: KitchenNoticeDto | None = None
    near_at: datetime | None = None
    """When the ticket turns amber: the sooner of the store's elapsed-time threshold and near its promised time."""
    late_at: datetime | None = None
    """When it turns red: the sooner of the store's late threshold and its promised time."""
    table_number: int | None = None
    """A dine-in order's table."""
    actions: tuple[str, ...] = ()
    """What the logged-in staff may do to it now ("start_cooking", "mark_ready"), as the domain says."""
    queue_position: int = 0
    """Its place in the queue: first in, first out (the event position at which it was placed)."""

    @property
    def next_item_index(self) -> int | None:
        return next((item.index for item in self.items if not item.ready), None)

    @property
    def allergy_alert(self) -> bool:
        return any(item.allergy_alert for item in self.items)


class KitchenQueueChangesDto(Dto):
    """The kitchen queue, or what changed in it since a position (`GetKitchenQueueChangesQuery`)."""

    position: int
    """The event store's position this answer reflects: ask again with `changed_since=position`."""
    business_date: date
    """The business day whose tickets these are (a new day starts a new queue)."""
    changes_only: bool
    """True: `tickets` are the open tickets changed after `changed_since` and `closed` the tickets that left the
    queue since; False: `tickets` is the whole queue, first in first out."""
    tickets: list[KitchenTicketDto]
    closed: list[UUID] = []


class CustomerDto(Dto):
    phone: str
    name: str
    address: str | None
    addresses: list[str]
    total_orders: int
    total_spent: Decimal
    favorite_pizzas: list[str]
    first_order_at: datetime
    last_order_at: datetime
    last_order_id: UUID | None
    """Their last order that was not cancelled (what "repeat last order" brings back); None when every order of
    theirs was cancelled."""


class OrderHistoryDto(Dto):
    customer_phone: str
    customer_name: str | None
    orders: list[OrderSummaryDto]
    total_orders: int
    total_spent: Decimal
    favorite_pizzas: list[str]
    page: int
    page_size: int


class PopularPizzaDto(Dto):
    pizza_id: str
    name: str
    quantity: int
    revenue: Decimal


class DailySalesDto(Dto):
    date: dt.date
    orders: int
    cancelled_orders: int
    items_sold: int
    total_sales: Decimal
    tax: Decimal
    delivery_fees: Decimal
    cash: Decimal
    card: Decimal
    refunds: Decimal
    unpaid: Decimal
    average_order: Decimal
    pickup_orders: int
    delivery_orders: int
    dine_in_orders: int
    top_items: list[PopularPizzaDto]


class KitchenPerformanceDto(Dto):
    start: date
    end: date
    orders_completed: int
    items_completed: int
    average_cooking_minutes: float
    average_ready_minutes: float
    on_time_orders: int
    late_orders: int
    on_time_rate: float


class StaffDto(Dto):
    id: str
    name: str
    role: RoleName


class SessionDto(Dto):
    staff_id: str
    name: str
    role: RoleName
    logged_in_at: datetime
    may_take_orders: bool = False
    """The role places orders (the counter screen's Place order)."""
    may_cook: bool = False
    """The role starts cooking and marks pizzas ready."""


class StoreInfoDto(Dto):
    """The store the app runs on: a demo store holds the demo staff and their published PINs."""

    name: str
    is_demo: bool
