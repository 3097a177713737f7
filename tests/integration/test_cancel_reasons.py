"""Cancelling needs a reason, through create_app on a SQLite file: none is a 400 with nothing written; a reason from
the list is recorded in words; the timeline shows a refund only when money was taken."""

from __future__ import annotations

import uuid
from pathlib import Path

from pos_app.bootstrap import App
from pos_app.messages.commands import CancelOrderCommand
from pos_app.messages.queries import GetOrderByIdQuery
from tests.support import MANAGER_APPROVAL, login, placed, row_counts


async def test_a_cancel_without_a_reason_is_refused_and_nothing_is_written(app: App, db_path: Path) -> None:
    await login(app.mediator, "luigi")
    order = (await placed(app.mediator, amount_tendered=None)).data
    before = row_counts(db_path)

    blank = await app.mediator.execute_async(CancelOrderCommand(order_id=order.order_id, reason="   "))
    other_unsaid = await app.mediator.execute_async(CancelOrderCommand(order_id=order.order_id, reason_code="other"))

    assert (blank.status, other_unsaid.status) == (400, 400)
    assert "reason" in blank.errors
    assert "reason" in other_unsaid.errors
    assert row_counts(db_path) == before


async def test_a_reason_from_the_list_is_recorded_in_words_with_its_note(app: App) -> None:
    await login(app.mediator, "luigi")
    order = (await placed(app.mediator, amount_tendered=None)).data

    result = await app.mediator.execute_async(
        CancelOrderCommand(order_id=order.order_id, reason_code="wrong_order", reason="meant a pepperoni")
    )
    detail = (await app.mediator.execute_async(GetOrderByIdQuery(order_id=order.order_id))).data

    assert result.status == 200
    assert detail.cancel_reason == "Wrong order: meant a pepperoni"
    assert detail.timeline[-1].description == "Cancelled while pending: Wrong order: meant a pepperoni"


async def test_an_unpaid_order_cancelled_shows_no_refund_and_a_paid_one_its_refund(app: App) -> None:
    await login(app.mediator, "luigi")
    unpaid = (await placed(app.mediator, amount_tendered=None)).data
    paid = (await placed(app.mediator)).data  # cash 34.48

    await app.mediator.execute_async(CancelOrderCommand(order_id=unpaid.order_id, reason_code="duplicate"))
    await app.mediator.execute_async(
        CancelOrderCommand(order_id=paid.order_id, reason_code="waited_too_long", **MANAGER_APPROVAL)
    )
    unpaid_line = (await app.mediator.execute_async(GetOrderByIdQuery(order_id=unpaid.order_id))).data.timeline[-1]
    paid_line = (await app.mediator.execute_async(GetOrderByIdQuery(order_id=paid.order_id))).data.timeline[-1]

    assert "refund" not in unpaid_line.description
    assert "refund 34.48" in paid_line.description


async def test_a_retried_cancel_answers_the_first_result_and_writes_nothing_more(app: App, db_path: Path) -> None:
    await login(app.mediator, "luigi")
    order = (await placed(app.mediator, amount_tendered=None)).data
    command = CancelOrderCommand(order_id=order.order_id, reason_code="changed_mind", command_id=uuid.uuid4())

    first = await app.mediator.execute_async(command)
    after_first = row_counts(db_path)
    retried = await app.mediator.execute_async(command)

    assert first.status == retried.status == 200
    assert retried.data == first.data
    assert row_counts(db_path) == after_first
