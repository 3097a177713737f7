"""Order transitions, roles, payment, approvals and logins through the real mediator, behaviors and handlers over
`FakeUnitOfWork`: the rules of tests/integration/test_order_flow.py, test_role_matrix.py and test_approvals.py,
with no file. The last tests call a handler directly on a `FakeUnitOfWork`."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from pos_app.application.commands.orders import StartCookingHandler
from pos_app.application.ports import RequestContext, SignedInStaff
from pos_app.domain.errors import ConcurrencyError
from pos_app.domain.orders import OrderStatus
from pos_app.domain.staff import Role
from pos_app.mediation import Request
from pos_app.messages.commands import (
    AssignOrderToDeliveryCommand,
    CancelOrderCommand,
    LoginCommand,
    MarkOrderDeliveredCommand,
    MarkOrderPickedUpCommand,
    MarkPizzaReadyCommand,
    ProcessPaymentCommand,
    StartCookingCommand,
    UpdateMenuCommand,
)
from pos_app.messages.queries import GetOrderByIdQuery
from tests.support import MANAGER_APPROVAL, PINS, login, place_order, placed
from tests.unit.fakes import AuditOutbox, FakeApp, FakeStore, FakeUnitOfWork, fake_app

DELIVERY: dict[str, Any] = {"order_type": "delivery", "customer_address": "Via Roma 1"}


@pytest.fixture
def app() -> FakeApp:
    return fake_app()


async def ok(app: FakeApp, request: Request[Any]) -> Any:
    result = await app.mediator.execute_async(request)
    assert result.is_success, (request, result)
    return result.data


async def ready_order(app: FakeApp, **overrides: Any) -> UUID:
    """As the manager: an order placed, cooked and ready."""
    app.sign_in("mario")
    order_id: UUID = (await placed(app.mediator, accept_kitchen_wait=True, **overrides)).data.order_id
    await ok(app, StartCookingCommand(order_id=order_id))
    for index in (0, 1):
        await ok(app, MarkPizzaReadyCommand(order_id=order_id, pizza_index=index))
    return order_id


def event_names(app: FakeApp, order_id: UUID) -> list[str]:
    return [type(e).__name__ for e in app.store.events if getattr(e, "order_id", None) == order_id]


# transitions ----------------------------------------------------------------------------------------------------


async def test_the_pickup_story_moves_pending_to_cooking_to_ready_to_picked_up(app: FakeApp) -> None:
    await login(app.mediator, "luigi")
    order_id = (await placed(app.mediator)).data.order_id
    await login(app.mediator, "rosa")

    started = await app.mediator.execute_async(StartCookingCommand(order_id=order_id))
    app.clock.advance(minutes=10)
    first = await app.mediator.execute_async(MarkPizzaReadyCommand(order_id=order_id, pizza_index=0))
    last = await app.mediator.execute_async(MarkPizzaReadyCommand(order_id=order_id, pizza_index=1))
    await login(app.mediator, "luigi")
    handed = await app.mediator.execute_async(MarkOrderPickedUpCommand(order_id=order_id))

    assert [started.data.status, first.data.status, last.data.status] == ["cooking", "cooking", "ready"]
    assert handed.data.status == "picked_up"
    assert event_names(app, order_id) == [
        "OrderPlacedEvent",
        "PaymentProcessedEvent",
        "CookingStartedEvent",
        "PizzaReadyEvent",
        "PizzaReadyEvent",
        "OrderReadyEvent",
        "OrderPickedUpEvent",
    ]
    staff = [e.staff_id for e in app.store.events if getattr(e, "order_id", None) == order_id]
    assert staff == ["luigi", "luigi", "rosa", "rosa", "rosa", "rosa", "luigi"]
    timeline = (await app.mediator.execute_async(GetOrderByIdQuery(order_id=order_id))).data.timeline
    assert [e.event_type for e in timeline] == event_names(app, order_id)


async def test_illegal_transitions_answer_409_and_change_nothing(app: FakeApp) -> None:
    await login(app.mediator, "luigi")
    order_id = (await placed(app.mediator)).data.order_id
    await login(app.mediator, "rosa")
    before = app.store.orders[order_id]

    too_early = await app.mediator.execute_async(MarkPizzaReadyCommand(order_id=order_id, pizza_index=0))
    app.sign_in("mario")
    not_ready = await app.mediator.execute_async(MarkOrderPickedUpCommand(order_id=order_id))
    paid_twice = await app.mediator.execute_async(ProcessPaymentCommand(order_id=order_id, payment_method="card"))
    missing = await app.mediator.execute_async(StartCookingCommand(order_id=uuid.uuid4()))

    assert [too_early.status, not_ready.status, paid_twice.status, missing.status] == [409, 409, 409, 404]
    assert app.store.orders[order_id] == before
    assert event_names(app, order_id) == ["OrderPlacedEvent", "PaymentProcessedEvent"]


async def test_a_pickup_cannot_be_sent_out_and_a_delivery_cannot_be_picked_up(app: FakeApp) -> None:
    pickup = await ready_order(app)
    delivery = await ready_order(app, **DELIVERY)

    sent = await app.mediator.execute_async(AssignOrderToDeliveryCommand(order_id=pickup, driver_id="toni"))
    picked = await app.mediator.execute_async(MarkOrderPickedUpCommand(order_id=delivery))
    no_driver = await app.mediator.execute_async(AssignOrderToDeliveryCommand(order_id=delivery, driver_id="rosa"))

    assert (sent.status, picked.status) == (409, 409)
    assert no_driver.status == 400
    assert "driver_id" in no_driver.errors


async def test_a_stale_order_is_refused_at_the_commit_and_the_newer_change_stays() -> None:
    store = FakeStore()
    app = fake_app(store=store)
    await login(app.mediator, "luigi")
    order_id = (await placed(app.mediator)).data.order_id
    stale_uow = FakeUnitOfWork(store, AuditOutbox())
    await stale_uow.begin(write=True)
    stale = await stale_uow.orders.get(order_id)
    assert stale is not None
    await login(app.mediator, "mario")
    await ok(app, CancelOrderCommand(order_id=order_id, reason="customer left"))

    stale.start_cooking(app.clock.now(), "rosa")
    with pytest.raises(ConcurrencyError):
        await stale_uow.commit()

    assert store.orders[order_id].status is OrderStatus.CANCELLED
    assert not stale_uow.committed
    assert "CookingStartedEvent" not in event_names(app, order_id)


async def test_the_start_cooking_handler_changes_the_order_only_when_its_unit_of_work_commits() -> None:
    store = FakeStore()
    app = fake_app(store=store)
    await login(app.mediator, "luigi")
    order_id = (await placed(app.mediator)).data.order_id
    context = RequestContext()
    context.staff = SignedInStaff("rosa", "Rosa Bianchi", Role.KITCHEN, app.clock.now())
    uow = FakeUnitOfWork(store, AuditOutbox())
    await uow.begin(write=True)

    handled = await StartCookingHandler(uow, app.clock, context).handle_async(StartCookingCommand(order_id=order_id))
    status_before_commit = store.orders[order_id].status
    await uow.commit()

    assert (handled.status, handled.data.status) == (200, "cooking")
    assert status_before_commit is OrderStatus.PENDING
    assert store.orders[order_id].status is OrderStatus.COOKING
    assert [type(e).__name__ for e in uow.committed_events] == ["CookingStartedEvent"]
    assert uow.committed_events[0].staff_id == "rosa"


async def test_a_failed_command_rolls_back_and_the_fake_store_keeps_nothing() -> None:
    store = FakeStore()
    uow = FakeUnitOfWork(store, AuditOutbox())
    context = RequestContext()
    app = fake_app(store=store)

    await uow.begin(write=True)
    result = await StartCookingHandler(uow, app.clock, context).handle_async(StartCookingCommand(order_id=uuid.uuid4()))
    await uow.rollback()

    assert result.status == 404
    assert (store.orders, store.events, store.commits) == ({}, [], 0)


# roles ----------------------------------------------------------------------------------------------------------

ROLE_CASES = [
    (StartCookingCommand, "luigi"),
    (StartCookingCommand, "toni"),
    (MarkPizzaReadyCommand, "toni"),
    (MarkOrderPickedUpCommand, "rosa"),
    (AssignOrderToDeliveryCommand, "rosa"),
    (CancelOrderCommand, "rosa"),
    (ProcessPaymentCommand, "rosa"),
]


@pytest.mark.parametrize(("command_type", "staff_id"), ROLE_CASES)
async def test_a_role_not_allowed_gets_403_and_nothing_is_written(
    app: FakeApp, command_type: type[Any], staff_id: str
) -> None:
    order_id = await ready_order(app, **DELIVERY)
    fields: dict[str, Any] = {"order_id": order_id}
    if command_type is MarkPizzaReadyCommand:
        fields["pizza_index"] = 0
    if command_type is AssignOrderToDeliveryCommand:
        fields["driver_id"] = "toni"
    if command_type is ProcessPaymentCommand:
        fields["payment_method"] = "card"
    request = command_type(**fields)
    app.sign_in(staff_id)
    before = app.store.state()

    refused = await app.mediator.execute_async(request)

    assert app.store.staff[staff_id].role.value not in command_type.allowed_roles
    assert (refused.status, refused.data) == (403, None)
    assert "may not do this" in refused.error_message
    assert app.store.state() == before


async def test_kitchen_staff_cannot_place_orders_and_counter_staff_cannot_change_the_menu(app: FakeApp) -> None:
    app.sign_in("rosa")
    order = await app.mediator.execute_async(place_order())
    app.sign_in("luigi")
    menu = await app.mediator.execute_async(UpdateMenuCommand(item_id="margherita", base_price=Decimal("1.00")))

    assert (order.status, menu.status) == (403, 403)
    assert app.store.orders == {}
    assert app.store.menu.items["margherita"].base_price.cents == 1299


async def test_nobody_logged_in_gets_403_log_in_first(app: FakeApp) -> None:
    result = await app.mediator.execute_async(StartCookingCommand(order_id=uuid.uuid4()))

    assert (result.status, result.error_message) == (403, "Log in first")


async def test_wrong_pins_are_refused_and_five_in_a_row_lock_the_account(app: FakeApp) -> None:
    results = [await app.mediator.execute_async(LoginCommand(staff_id="luigi", pin="9999")) for _ in range(5)]
    right_pin_while_locked = await app.mediator.execute_async(LoginCommand(staff_id="luigi", pin="2000"))
    app.clock.advance(minutes=6)
    right_pin_later = await app.mediator.execute_async(LoginCommand(staff_id="luigi", pin="2000"))
    unknown = await app.mediator.execute_async(LoginCommand(staff_id="nobody", pin="1234"))

    assert all(r.status == 403 for r in results)
    assert "locked" in results[-1].error_message
    assert right_pin_while_locked.status == 403
    assert "locked" in right_pin_while_locked.error_message
    assert right_pin_later.is_success
    assert app.session.current is not None
    assert app.session.current.staff_id == "luigi"
    assert unknown.error_message == results[0].error_message


# payment --------------------------------------------------------------------------------------------------------


async def test_the_driver_collects_cash_on_a_delivery_before_marking_it_delivered(app: FakeApp) -> None:
    order_id = await ready_order(app, amount_tendered=None, **DELIVERY)
    await login(app.mediator, "toni")

    out = await app.mediator.execute_async(AssignOrderToDeliveryCommand(order_id=order_id, driver_id="toni"))
    unpaid = await app.mediator.execute_async(MarkOrderDeliveredCommand(order_id=order_id))
    short = await app.mediator.execute_async(
        ProcessPaymentCommand(order_id=order_id, payment_method="cash", amount_tendered=Decimal("10.00"))
    )
    paid = await app.mediator.execute_async(
        ProcessPaymentCommand(order_id=order_id, payment_method="cash", amount_tendered=Decimal("40.00"))
    )
    delivered = await app.mediator.execute_async(MarkOrderDeliveredCommand(order_id=order_id))

    assert (out.data.status, out.data.driver_id) == ("out_for_delivery", "toni")
    assert unpaid.status == 409
    assert "not paid" in unpaid.error_message
    assert short.status == 400
    assert paid.data.change_due == Decimal("2.52")  # 34.48 + 3.00 delivery
    assert delivered.data.status == "delivered"


async def test_a_driver_may_mark_delivered_and_take_payment_only_on_deliveries_assigned_to_them(
    app: FakeApp,
) -> None:
    with_mario = await ready_order(app, amount_tendered=None, **DELIVERY)
    await ok(app, AssignOrderToDeliveryCommand(order_id=with_mario, driver_id="mario"))
    unassigned = await ready_order(app, amount_tendered=None, **DELIVERY)
    pickup = await ready_order(app, amount_tendered=None)
    app.sign_in("toni")
    before = app.store.state()

    answers = [
        await app.mediator.execute_async(request)
        for order_id in (with_mario, unassigned, pickup)
        for request in (
            ProcessPaymentCommand(order_id=order_id, payment_method="card"),
            MarkOrderDeliveredCommand(order_id=order_id),
        )
    ]

    assert [answer.status for answer in answers] == [403] * 6
    assert all("not a delivery assigned to you" in (answer.error_message or "") for answer in answers)
    assert app.store.state() == before


async def test_the_counter_and_the_manager_keep_taking_payment_on_any_delivery(app: FakeApp) -> None:
    orders = [await ready_order(app, amount_tendered=None, **DELIVERY) for _ in range(2)]
    for order_id in orders:
        await ok(app, AssignOrderToDeliveryCommand(order_id=order_id, driver_id="toni"))

    app.sign_in("luigi")
    by_counter = await app.mediator.execute_async(ProcessPaymentCommand(order_id=orders[0], payment_method="card"))
    app.sign_in("mario")
    by_manager = await app.mediator.execute_async(ProcessPaymentCommand(order_id=orders[1], payment_method="card"))

    assert (by_counter.status, by_manager.status) == (200, 200)
    assert all(app.store.orders[order_id].paid for order_id in orders)


# cancelling and approvals ---------------------------------------------------------------------------------------


async def test_counter_staff_cancel_a_pending_unpaid_order_but_a_refund_needs_a_manager(app: FakeApp) -> None:
    await login(app.mediator, "luigi")
    unpaid = (await placed(app.mediator, amount_tendered=None)).data.order_id
    paid = (await placed(app.mediator)).data.order_id
    before_refund = app.store.state()

    by_counter = await app.mediator.execute_async(CancelOrderCommand(order_id=unpaid, reason="customer left"))
    refused = await app.mediator.execute_async(CancelOrderCommand(order_id=paid, reason="changed mind"))
    after_refusal = app.store.state()
    approved = await app.mediator.execute_async(
        CancelOrderCommand(order_id=paid, reason="changed mind", **MANAGER_APPROVAL)
    )

    assert by_counter.data.status == "cancelled"
    assert refused.status == 403
    assert "manager's approval" in refused.error_message
    assert after_refusal[0][paid] == before_refund[0][paid]
    assert approved.data.status == "cancelled"
    assert app.session.current is not None
    assert app.session.current.staff_id == "luigi"
    (cancelled,) = [e for e in app.store.events if type(e).__name__ == "OrderCancelledEvent" and e.order_id == paid]
    assert (cancelled.approver_id, cancelled.refund_cents) == ("mario", 3448)


async def test_wrong_approval_pins_count_toward_the_managers_lock(app: FakeApp) -> None:
    await login(app.mediator, "luigi")
    order_id = (await placed(app.mediator)).data.order_id
    limit = 5

    answers = [
        await app.mediator.execute_async(
            CancelOrderCommand(order_id=order_id, approver_id="mario", approver_pin="9999", reason="customer left")
        )
        for _ in range(limit)
    ]
    right_pin_now = await app.mediator.execute_async(
        CancelOrderCommand(order_id=order_id, **MANAGER_APPROVAL, reason="customer left")
    )
    manager_login = await app.mediator.execute_async(LoginCommand(staff_id="mario", pin=PINS["mario"]))

    assert [a.status for a in answers] == [403] * limit
    assert "locked" in answers[-1].error_message
    assert (right_pin_now.status, manager_login.status) == (403, 403)
    assert app.store.staff["mario"].locked_until is not None
    assert app.store.orders[order_id].status is OrderStatus.PENDING
