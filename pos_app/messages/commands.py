"""Commands: the writes a screen can ask for. Each returns an `OperationResult`."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, ClassVar, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from pos_app.mediation import Command, OperationResult
from pos_app.messages.dtos import MenuItemDto, OrderDto, OrderPlacedDto, SessionDto
from pos_app.messages.types import (
    AllergenName,
    Amount,
    CancelReasonName,
    Identifier,
    OrderTypeName,
    PaymentMethodName,
    PizzaSize,
    RequiresRole,
    RoleName,
    ShortText,
)

COUNTER: frozenset[RoleName] = frozenset({"counter", "manager"})
KITCHEN: frozenset[RoleName] = frozenset({"kitchen", "manager"})
MANAGER: frozenset[RoleName] = frozenset({"manager"})


class PizzaItem(BaseModel):
    """One line of an order: a menu item (pizza, side or drink) in a size, with toppings and notes."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    pizza_id: Identifier
    size: PizzaSize = "medium"
    toppings: Annotated[list[Identifier], Field(max_length=20)] = Field(default_factory=list)
    special_instructions: ShortText = ""
    allergies: Annotated[list[AllergenName], Field(max_length=14)] = Field(default_factory=list)
    """The customer's allergies for this line: the kitchen ticket shows them in its ALLERGY band."""
    quantity: Annotated[int, Field(ge=1, le=50)] = 1
    """How many of the same: the line costs the unit price (rounded once) × quantity."""


class OrderCommand(RequiresRole):
    """Marker for commands on one order; `command_id` makes a retry return the first result."""

    idempotent: ClassVar[bool] = True


class PlaceOrderCommand(Command[OperationResult[OrderPlacedDto]], OrderCommand):
    allowed_roles: ClassVar[frozenset[RoleName]] = COUNTER

    order_id: UUID
    customer_name: Annotated[str, Field(max_length=80)]
    customer_phone: Annotated[str, Field(max_length=30)]
    customer_address: Annotated[str | None, Field(max_length=200)] = None
    pizza_items: Annotated[list[PizzaItem], Field(max_length=50)]
    payment_method: PaymentMethodName
    order_type: OrderTypeName = "pickup"
    amount_tendered: Amount | None = None
    accept_kitchen_wait: bool = False
    table_number: Annotated[int | None, Field(ge=1, le=999)] = None
    """Required for a dine-in order; ignored for pickup and delivery."""
    covers: Annotated[int | None, Field(ge=1, le=99)] = None
    """How many guests at the table (optional, dine-in only)."""

    @property
    def idempotency_key(self) -> UUID:
        return self.order_id


class _OrderChange(OrderCommand):
    """A change to an existing order: each such command has `order_id` and an optional `command_id`."""

    command_id: UUID | None

    @property
    def idempotency_key(self) -> UUID | None:
        return self.command_id


class StartCookingCommand(Command[OperationResult[OrderDto]], _OrderChange):
    allowed_roles: ClassVar[frozenset[RoleName]] = KITCHEN
    order_id: UUID
    command_id: UUID | None = None


class MarkPizzaReadyCommand(Command[OperationResult[OrderDto]], _OrderChange):
    allowed_roles: ClassVar[frozenset[RoleName]] = KITCHEN
    order_id: UUID
    pizza_index: Annotated[int, Field(ge=0, le=1000)]
    command_id: UUID | None = None


class MarkOrderPickedUpCommand(Command[OperationResult[OrderDto]], _OrderChange):
    allowed_roles: ClassVar[frozenset[RoleName]] = COUNTER
    order_id: UUID
    command_id: UUID | None = None


class AssignOrderToDeliveryCommand(Command[OperationResult[OrderDto]], _OrderChange):
    allowed_roles: ClassVar[frozenset[RoleName]] = frozenset({"counter", "driver", "manager"})
    order_id: UUID
    driver_id: Identifier
    command_id: UUID | None = None


class MarkOrderDeliveredCommand(Command[OperationResult[OrderDto]], _OrderChange):
    allowed_roles: ClassVar[frozenset[RoleName]] = frozenset({"driver", "manager"})
    order_id: UUID
    command_id: UUID | None = None


class CancelOrderCommand(Command[OperationResult[OrderDto]], _OrderChange):
    """Counter staff may cancel a pending unpaid order; a paid one (a refund), or one already cooking, needs a
    manager: logged in, or approving on this till with `approver_id` and `approver_pin` (checked like a login).
    A reason is required: `reason_code` from the short list, and/or free text in `reason` ("other" needs the text);
    none at all is a 400 on `reason`, nothing written."""

    allowed_roles: ClassVar[frozenset[RoleName]] = COUNTER
    order_id: UUID
    reason: ShortText = ""
    reason_code: CancelReasonName | None = None
    command_id: UUID | None = None
    approver_id: Identifier | None = None
    approver_pin: Annotated[str | None, Field(max_length=16, repr=False)] = None


class CloseLeftOpenOrderCommand(Command[OperationResult[OrderDto]], _OrderChange):
    """The manager closes an order left open on an earlier business day (see `GetLeftOpenOrdersQuery`):
    "completed" (it was handed over) or "cancelled" (a reason is required; what was paid is refunded).
    An order of today, or one already closed, is refused with 409."""

    allowed_roles: ClassVar[frozenset[RoleName]] = MANAGER
    order_id: UUID
    outcome: Literal["completed", "cancelled"]
    reason: ShortText = ""
    command_id: UUID | None = None


class ProcessPaymentCommand(Command[OperationResult[OrderDto]], _OrderChange):
    allowed_roles: ClassVar[frozenset[RoleName]] = frozenset({"counter", "driver", "manager"})
    order_id: UUID
    payment_method: PaymentMethodName
    amount_tendered: Amount | None = None
    command_id: UUID | None = None


class EditOrderCommand(Command[OperationResult[OrderDto]], _OrderChange):
    """Counter staff change a placed order until the kitchen has made it all (pending or cooking): its lines, type,
    customer name and address, table. The lines are priced again as when placing; the order keeps what was paid
    and shows the balance to pay (take it with `ProcessPaymentCommand`) or the refund given. After cooking
    started the event tells the kitchen what changed. The phone must stay the order's (it is who the customer is).
    `expected_version` (`OrderDto.version`) refuses with 409 an edit of an order changed since it was read."""

    allowed_roles: ClassVar[frozenset[RoleName]] = COUNTER
    order_id: UUID
    command_id: UUID | None = None
    pizza_items: Annotated[list[PizzaItem], Field(max_length=50)]
    order_type: OrderTypeName
    customer_name: Annotated[str, Field(max_length=80)]
    customer_phone: Annotated[str, Field(max_length=30)]
    customer_address: Annotated[str | None, Field(max_length=200)] = None
    table_number: Annotated[int | None, Field(ge=1, le=999)] = None
    covers: Annotated[int | None, Field(ge=1, le=99)] = None
    expected_version: Annotated[int | None, Field(ge=0)] = None


class ApplyDiscountCommand(Command[OperationResult[OrderDto]], _OrderChange):
    """A discount on a placed order (`line_index` None) or one of its lines, while it can still be edited: a
    `percent` (e.g. 10 for 10%) or a fixed `amount`, with a reason; it replaces any discount before. Above the
    store's limit (`Settings.discount_limit_percent` of the subtotal) counter staff need a manager's approval on
    this till (`approver_id`, `approver_pin`), else 403 on `approver_pin`."""

    allowed_roles: ClassVar[frozenset[RoleName]] = COUNTER
    order_id: UUID
    command_id: UUID | None = None
    percent: Annotated[Decimal | None, Field(gt=0, le=100, decimal_places=2)] = None
    amount: Amount | None = None
    line_index: Annotated[int | None, Field(ge=0, le=49)] = None
    reason: Annotated[str, Field(max_length=200)]
    approver_id: Identifier | None = None
    approver_pin: Annotated[str | None, Field(max_length=16, repr=False)] = None


class UpdateMenuCommand(Command[OperationResult[MenuItemDto]], RequiresRole):
    """Add a menu item (all of name, category, base price given) or change the fields given of an existing one."""

    allowed_roles: ClassVar[frozenset[RoleName]] = MANAGER
    idempotent: ClassVar[bool] = False

    item_id: Identifier
    name: Annotated[str | None, Field(max_length=60)] = None
    description: ShortText | None = None
    category: Annotated[str | None, Field(max_length=20)] = None
    base_price: Amount | None = None
    preparation_time_minutes: Annotated[int | None, Field(ge=0, le=180)] = None
    available: bool | None = None
    is_seasonal: bool | None = None
    available_sizes: Annotated[list[PizzaSize] | None, Field(min_length=1, max_length=3)] = None
    allergens: Annotated[list[AllergenName] | None, Field(max_length=14)] = None
    needs_preparation: bool | None = None
    """False for what the kitchen does not make (drinks, packaged desserts): ready when placed."""


class LoginCommand(Command[OperationResult[SessionDto]]):
    """Log a staff member in on this terminal; the requests that follow act as them until `LogoutCommand`."""

    staff_id: Identifier
    pin: Annotated[str, Field(max_length=16, repr=False)]


class LogoutCommand(Command[OperationResult[None]]):
    pass


class ChangePinCommand(Command[OperationResult[None]], RequiresRole):
    """The logged-in staff member changes their own PIN, giving the current one. A wrong current PIN counts toward
    the lock like a wrong PIN at login; the new PIN is 4 to 8 digits and differs from the current one."""

    current_pin: Annotated[str, Field(max_length=16, repr=False)]
    new_pin: Annotated[str, Field(max_length=16, repr=False)]


class AcknowledgeKitchenNoticeCommand(Command[OperationResult[None]], _OrderChange):
    """The kitchen saw the CANCELLED or CHANGED notice on a ticket: a cancelled ticket leaves the queue, a changed
    one loses its notice. A ticket without a notice is refused with 409."""

    allowed_roles: ClassVar[frozenset[RoleName]] = KITCHEN
    order_id: UUID
    command_id: UUID | None = None
