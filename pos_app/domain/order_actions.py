"""What may be done next to an order, and by whom: the status machine of `orders.py` as the screens ask it.

`allowed_actions(status, order_type, paid, role)` is what `Order` accepts from that role now; the roles are those
the commands allow (a unit test holds both to it). `actions_after_payment` names the hand-overs that wait only for
payment (shown, but not yet possible). Who takes orders and who cooks is decided here too.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from functools import cache

from pos_app.domain.order_edits import EDITABLE_STATUSES
from pos_app.domain.orders import FINAL_STATUSES, OrderStatus, OrderType
from pos_app.domain.staff import Role


class OrderAction(StrEnum):
    PICK_UP = "pick_up"
    SEND_OUT = "send_out"
    """Assign to a driver: out for delivery."""
    DELIVER = "deliver"
    TAKE_PAYMENT = "take_payment"
    CANCEL = "cancel"
    CANCEL_WITH_APPROVAL = "cancel_with_approval"
    """Cancel with a manager's approval on this till (a refund)."""
    EDIT = "edit"
    """Change the lines, type, customer or table (`EditOrderCommand`) until the kitchen has made it all."""
    START_COOKING = "start_cooking"
    MARK_READY = "mark_ready"
    """Mark an item the kitchen has made ready (the order is ready with its last one)."""
    DISCOUNT = "discount"
    """Take a percentage or an amount off the order or a line (`ApplyDiscountCommand`) while it may change; above
    the store's limit counter staff need a manager's approval on the till (the command asks for it)."""


COUNTER_STAFF = frozenset({Role.COUNTER, Role.MANAGER})
KITCHEN_STAFF = frozenset({Role.KITCHEN, Role.MANAGER})
ACTION_ROLES: Mapping[OrderAction, frozenset[Role]] = {
    OrderAction.PICK_UP: COUNTER_STAFF,
    OrderAction.SEND_OUT: frozenset({Role.COUNTER, Role.DRIVER, Role.MANAGER}),
    OrderAction.DELIVER: frozenset({Role.DRIVER, Role.MANAGER}),
    OrderAction.TAKE_PAYMENT: frozenset({Role.COUNTER, Role.DRIVER, Role.MANAGER}),
    OrderAction.CANCEL: COUNTER_STAFF,
    OrderAction.CANCEL_WITH_APPROVAL: COUNTER_STAFF,
    OrderAction.EDIT: COUNTER_STAFF,
    OrderAction.START_COOKING: KITCHEN_STAFF,
    OrderAction.MARK_READY: KITCHEN_STAFF,
    OrderAction.DISCOUNT: COUNTER_STAFF,
}
KITCHEN_ACTIONS = frozenset({OrderAction.START_COOKING, OrderAction.MARK_READY})
"""What the kitchen does to a ticket."""
PAYMENT_FIRST = frozenset({OrderAction.PICK_UP, OrderAction.DELIVER})
"""Hand-overs that need the order paid first."""


def may_take_orders(role: Role) -> bool:
    return role in COUNTER_STAFF


def may_cook(role: Role) -> bool:
    """Start cooking and mark pizzas ready."""
    return role in KITCHEN_STAFF


@cache
def allowed_actions(
    status: OrderStatus, order_type: OrderType, paid: bool, role: Role, money_taken: bool | None = None
) -> frozenset[OrderAction]:
    """What `role` may do to an order in `status` now; each is accepted by the `Order` method that does it.
    `money_taken`: some money was taken for it (True with `paid`; also after an edit made a paid order dearer, when
    it is no longer paid in full but cancelling it still refunds): None says the same as `paid`."""
    taken = paid if money_taken is None else money_taken
    possible = {
        OrderAction.PICK_UP: status is OrderStatus.READY and order_type is not OrderType.DELIVERY and paid,
        OrderAction.SEND_OUT: status is OrderStatus.READY and order_type is OrderType.DELIVERY,
        OrderAction.DELIVER: status is OrderStatus.OUT_FOR_DELIVERY and paid,
        OrderAction.TAKE_PAYMENT: not paid and status is not OrderStatus.CANCELLED,
        # Counter staff cancel an unpaid order that is not cooking yet; a manager any order still open.
        OrderAction.CANCEL: status not in FINAL_STATUSES
        and (role is Role.MANAGER or (status is OrderStatus.PENDING and not taken)),
        # A paid order not cooking yet: counter staff cancel it with a manager's approval (the refund). Once it
        # cooks, cancelling it is the manager's call.
        OrderAction.CANCEL_WITH_APPROVAL: role is not Role.MANAGER and status is OrderStatus.PENDING and taken,
        OrderAction.START_COOKING: status is OrderStatus.PENDING,
        # while cooking, an item not made yet is marked ready (a made one is refused: the ticket says which)
        OrderAction.MARK_READY: status is OrderStatus.COOKING,
        OrderAction.EDIT: status in EDITABLE_STATUSES,
        OrderAction.DISCOUNT: status in EDITABLE_STATUSES,
    }
    return frozenset(action for action, ok in possible.items() if ok and role in ACTION_ROLES[action])


@cache
def actions_after_payment(status: OrderStatus, order_type: OrderType, paid: bool, role: Role) -> frozenset[OrderAction]:
    """The hand-overs `role` could do to this order once it is paid (none when it is)."""
    if paid:
        return frozenset()
    return allowed_actions(status, order_type, True, role) & PAYMENT_FIRST
