"""Answers carry what the logged-in staff member may do to each order, decided by the domain for their role: fresh
answers, cached ones and a retried command's stored one alike; and a session says whether its role takes orders and
cooks."""

from __future__ import annotations

import uuid

from pos_app.bootstrap import App
from pos_app.messages.commands import LoginCommand, ProcessPaymentCommand, StartCookingCommand
from pos_app.messages.dtos import OrderActionsDto
from pos_app.messages.queries import GetKitchenQueueQuery, GetOrderByIdQuery, GetOrdersQuery, GetSessionQuery
from tests.support import PINS, login, placed

UNPAID = {"payment_method": "cash", "amount_tendered": None}


async def test_the_order_list_says_per_role_what_may_be_done_to_each_order(app: App) -> None:
    await login(app.mediator, "luigi")
    unpaid = (await placed(app.mediator, **UNPAID)).data.order_id
    paid = (await placed(app.mediator, payment_method="card", amount_tendered=None)).data.order_id
    seen: dict[str, dict[uuid.UUID, OrderActionsDto]] = {}

    for staff_id in ("luigi", "rosa", "toni", "mario"):
        await login(app.mediator, staff_id)
        seen[staff_id] = (await app.mediator.execute_async(GetOrdersQuery())).data.actions

    assert seen["luigi"] == {
        unpaid: OrderActionsDto(actions=("cancel", "discount", "edit", "take_payment")),
        paid: OrderActionsDto(actions=("cancel_with_approval", "discount", "edit")),
    }
    assert seen["rosa"] == {}
    assert seen["toni"] == {unpaid: OrderActionsDto(actions=("take_payment",))}
    assert seen["mario"] == {
        unpaid: OrderActionsDto(actions=("cancel", "discount", "edit", "take_payment")),
        paid: OrderActionsDto(actions=("cancel", "discount", "edit")),
    }


async def test_a_retried_commands_stored_answer_gets_the_actions_of_who_sends_it(app: App) -> None:
    await login(app.mediator, "luigi")
    order_id = (await placed(app.mediator, **UNPAID)).data.order_id
    payment = ProcessPaymentCommand(order_id=order_id, payment_method="card", command_id=uuid.uuid4())

    first = await app.mediator.execute_async(payment)
    await login(app.mediator, "mario")
    replayed = await app.mediator.execute_async(payment)
    detail = await app.mediator.execute_async(GetOrderByIdQuery(order_id=order_id))

    assert first.data.actions == ("cancel_with_approval", "discount", "edit")
    assert replayed.data.actions == ("cancel", "discount", "edit")
    assert detail.data.actions == ("cancel", "discount", "edit")
    assert detail.data.actions_after_payment == ()


async def test_a_session_says_whether_its_role_takes_orders_and_cooks(app: App) -> None:
    sessions = {}

    for staff_id in ("luigi", "rosa", "toni", "mario"):
        answer = await app.mediator.execute_async(LoginCommand(staff_id=staff_id, pin=PINS[staff_id]))
        current = await app.mediator.execute_async(GetSessionQuery())
        assert current.data == answer.data
        sessions[staff_id] = (answer.data.may_take_orders, answer.data.may_cook)

    assert sessions == {"luigi": (True, False), "rosa": (False, True), "toni": (False, False), "mario": (True, True)}


async def test_each_kitchen_ticket_says_what_the_kitchen_may_do_to_it_now(app: App) -> None:
    await login(app.mediator, "luigi")
    waiting = (await placed(app.mediator)).data.order_id
    cooking = (await placed(app.mediator)).data.order_id
    seen: dict[str, dict[uuid.UUID, tuple[str, ...]]] = {}

    await login(app.mediator, "rosa")
    assert (await app.mediator.execute_async(StartCookingCommand(order_id=cooking))).status == 200
    for staff_id in ("rosa", "mario", "luigi"):
        await login(app.mediator, staff_id)
        tickets = (await app.mediator.execute_async(GetKitchenQueueQuery())).data
        seen[staff_id] = {ticket.order_id: ticket.actions for ticket in tickets}

    assert seen["rosa"] == {waiting: ("start_cooking",), cooking: ("mark_ready",)}
    assert seen["mario"] == seen["rosa"]
    assert seen["luigi"] == {waiting: (), cooking: ()}  # the counter does not cook
