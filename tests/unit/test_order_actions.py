"""The actions the domain offers agree with what `Order` accepts and with the roles the commands allow."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest

from pos_app.domain.discounts import apply_discount
from pos_app.domain.errors import DomainError, NotAllowedError
from pos_app.domain.order_actions import (
    ACTION_ROLES,
    OrderAction,
    actions_after_payment,
    allowed_actions,
    may_cook,
    may_take_orders,
)
from pos_app.domain.order_edits import OrderChanges, edit_order
from pos_app.domain.order_parts import Discount
from pos_app.domain.orders import Customer, Order, OrderStatus, OrderType, PaymentMethod
from pos_app.domain.staff import Role
from pos_app.messages.commands import (
    ApplyDiscountCommand,
    AssignOrderToDeliveryCommand,
    CancelOrderCommand,
    EditOrderCommand,
    MarkOrderDeliveredCommand,
    MarkOrderPickedUpCommand,
    MarkPizzaReadyCommand,
    PlaceOrderCommand,
    ProcessPaymentCommand,
    StartCookingCommand,
)
from tests.unit.test_order_aggregate import BUSINESS_DATE, FEE, TEN_PERCENT_INCLUDED, at, place, priced

COMMAND_OF = {
    OrderAction.PICK_UP: MarkOrderPickedUpCommand,
    OrderAction.SEND_OUT: AssignOrderToDeliveryCommand,
    OrderAction.DELIVER: MarkOrderDeliveredCommand,
    OrderAction.TAKE_PAYMENT: ProcessPaymentCommand,
    OrderAction.CANCEL: CancelOrderCommand,
    OrderAction.CANCEL_WITH_APPROVAL: CancelOrderCommand,
    OrderAction.EDIT: EditOrderCommand,
    OrderAction.START_COOKING: StartCookingCommand,
    OrderAction.MARK_READY: MarkPizzaReadyCommand,
    OrderAction.DISCOUNT: ApplyDiscountCommand,
}
A_CHANGE = OrderChanges(
    lines=priced([("margherita", "small", [], "")]),
    order_type=OrderType.DELIVERY,
    customer_name="Anna Conti",
    customer_address="Via Roma 1",
)
EDIT_TERMS: dict[str, Any] = {
    "tax": TEN_PERCENT_INCLUDED,
    "delivery_fee": FEE,
    "business_date": BUSINESS_DATE,
    "now": at(30),
    "staff_id": "x",
}
A_DISCOUNT = Discount(cents=100, reason="regular customer", fixed_cents=100)
STATES = list(itertools.product(OrderStatus, OrderType, (False, True), Role))


def order_as(status: OrderStatus, order_type: OrderType, paid: bool) -> Order:
    order = place(
        customer=Customer(name="Anna Conti", phone="5550102030", address="Via Roma 1"),
        payment_method=PaymentMethod.CARD if paid else PaymentMethod.CASH,
    )
    order.status, order.order_type = status, order_type
    assert order.paid is paid
    order.pull_events()
    return order


def accepts(do: Callable[[Order], None], order: Order) -> bool:
    """Whether the order accepts `do` (it raises a domain error, and changes nothing, when it does not)."""
    try:
        do(order)
    except DomainError:
        return False
    return True


def aggregate_accepts(action: OrderAction, role: Role, order: Order) -> bool:
    now = at(30)
    if action is OrderAction.PICK_UP:
        return accepts(lambda o: o.mark_picked_up(now, "x"), order)
    if action is OrderAction.SEND_OUT:
        return accepts(lambda o: o.assign_to_delivery("toni", now, "x"), order)
    if action is OrderAction.DELIVER:
        return accepts(lambda o: o.mark_delivered(now, "x"), order)
    if action is OrderAction.TAKE_PAYMENT:
        return accepts(lambda o: o.process_payment(PaymentMethod.CARD, None, now, "x"), order)
    if action is OrderAction.CANCEL:
        return accepts(lambda o: o.cancel("changed mind", role, now, "x"), order)
    if action is OrderAction.EDIT:
        return accepts(lambda o: edit_order(o, A_CHANGE, **EDIT_TERMS), order)
    if action is OrderAction.START_COOKING:
        return accepts(lambda o: o.start_cooking(now, "x"), order)
    if action is OrderAction.MARK_READY:  # the first item, not made yet
        return accepts(lambda o: o.mark_item_ready(0, now, "x"), order)
    if action is OrderAction.DISCOUNT:  # within the limit: what any role the command allows may give alone
        return accepts(lambda o: apply_discount(o, A_DISCOUNT, **EDIT_TERMS), order)
    # with approval: refused to the role alone as needing a manager, accepted with a manager's approval
    try:
        order.cancel("changed mind", role, now, "x")
    except NotAllowedError:
        return accepts(lambda o: o.cancel("changed mind", role, now, "x", approver=("mario", "Mario")), order)
    except DomainError:
        return False
    return False


def test_each_action_is_allowed_to_the_roles_its_command_allows() -> None:
    for action, command in COMMAND_OF.items():
        assert {role.value for role in ACTION_ROLES[action]} == command.allowed_roles, action


@pytest.mark.parametrize("status", list(OrderStatus))
def test_an_offered_action_is_one_the_order_accepts_from_that_role(status: OrderStatus) -> None:
    for (_, order_type, paid, role), action in itertools.product(
        [state for state in STATES if state[0] is status], OrderAction
    ):
        offered = allowed_actions(status, order_type, paid, role)
        role_may = role.value in COMMAND_OF[action].allowed_roles
        accepted = aggregate_accepts(action, role, order_as(status, order_type, paid))
        if action in offered:
            assert role_may, (action, role)
            assert accepted, (action, status, order_type, paid, role)
        elif action is OrderAction.CANCEL_WITH_APPROVAL and accepted and role_may:
            # the one rule the screens add: counter staff ask a manager only for an order not cooking yet
            assert status is not OrderStatus.PENDING
        else:
            assert not (role_may and accepted), (action, status, order_type, paid, role)


def test_the_hand_overs_waiting_for_payment_are_refused_now_and_accepted_once_paid() -> None:
    for status, order_type, _, role in STATES:
        waiting = actions_after_payment(status, order_type, False, role)

        assert waiting <= {OrderAction.PICK_UP, OrderAction.DELIVER}
        assert not waiting & allowed_actions(status, order_type, False, role)
        assert all(not aggregate_accepts(action, role, order_as(status, order_type, False)) for action in waiting)
        assert all(aggregate_accepts(action, role, order_as(status, order_type, True)) for action in waiting)
        assert actions_after_payment(status, order_type, True, role) == frozenset()


def test_counter_staff_see_the_cancel_of_a_pending_order_and_a_manager_of_any_open_one() -> None:
    pending, cooking = OrderStatus.PENDING, OrderStatus.COOKING

    assert OrderAction.CANCEL in allowed_actions(pending, OrderType.PICKUP, False, Role.COUNTER)
    assert allowed_actions(pending, OrderType.PICKUP, True, Role.COUNTER) & {
        OrderAction.CANCEL,
        OrderAction.CANCEL_WITH_APPROVAL,
    } == {OrderAction.CANCEL_WITH_APPROVAL}
    assert not allowed_actions(cooking, OrderType.PICKUP, False, Role.COUNTER) & {
        OrderAction.CANCEL,
        OrderAction.CANCEL_WITH_APPROVAL,
    }
    assert OrderAction.CANCEL in allowed_actions(cooking, OrderType.PICKUP, True, Role.MANAGER)
    assert allowed_actions(OrderStatus.DELIVERED, OrderType.DELIVERY, True, Role.MANAGER) == frozenset()


@pytest.mark.parametrize("role", list(Role))
def test_who_takes_orders_and_who_cooks_is_who_the_commands_allow(role: Role) -> None:
    assert may_take_orders(role) is (role.value in PlaceOrderCommand.allowed_roles)
    assert may_cook(role) is (role.value in StartCookingCommand.allowed_roles)
    assert may_cook(role) is (role.value in MarkPizzaReadyCommand.allowed_roles)


def test_counter_staff_and_a_manager_may_discount_an_order_until_the_kitchen_has_made_it() -> None:
    for status, order_type, paid, role in STATES:
        offered = OrderAction.DISCOUNT in allowed_actions(status, order_type, paid, role)

        assert offered is (
            status in {OrderStatus.PENDING, OrderStatus.COOKING} and role in ACTION_ROLES[OrderAction.EDIT]
        )
