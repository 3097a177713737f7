"""Refunds and voids need a manager: logged in, or approving on the counter's till with their id and PIN."""

from __future__ import annotations

import json
import logging
import sqlite3
from contextlib import closing
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from pos_app.bootstrap import App
from pos_app.messages.commands import CancelOrderCommand, ChangePinCommand, LoginCommand, StartCookingCommand
from pos_app.messages.queries import GetDailySalesQuery, GetSessionQuery
from tests.support import (
    MANAGER_APPROVAL,
    PINS,
    FrozenClock,
    dump_tables,
    login,
    placed,
    read_models_differing,
    snapshot,
)

SECRET_PIN = "864297"


def cancelled_events(path: Path) -> list[tuple[str, str | None]]:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute(
            "SELECT payload, staff_id FROM events WHERE event_type = 'OrderCancelledEvent' ORDER BY position"
        ).fetchall()


async def test_counter_staff_cannot_refund_a_paid_order_without_a_manager(app: App, db_path: Path) -> None:
    await login(app.mediator, "luigi")
    order = (await placed(app.mediator)).data  # cash, paid
    before = snapshot(db_path)

    refused = await app.mediator.execute_async(CancelOrderCommand(order_id=order.order_id, reason="changed mind"))

    assert refused.status == 403
    assert "manager's approval" in refused.error_message
    assert snapshot(db_path) == before


async def test_a_manager_approves_a_refund_on_the_counter_till_and_the_event_names_both(
    app: App, db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    await login(app.mediator, "mario")
    assert (
        await app.mediator.execute_async(ChangePinCommand(current_pin=PINS["mario"], new_pin=SECRET_PIN))
    ).is_success
    await login(app.mediator, "luigi")
    order = (await placed(app.mediator)).data
    caplog.set_level(logging.DEBUG)

    approved = await app.mediator.execute_async(
        CancelOrderCommand(order_id=order.order_id, reason="changed mind", approver_id="mario", approver_pin=SECRET_PIN)
    )
    session = (await app.mediator.execute_async(GetSessionQuery())).data

    assert approved.status == 200
    assert approved.data.status == "cancelled"
    assert session.staff_id == "luigi"  # the counter user stays logged in
    [(payload, staff_id)] = cancelled_events(db_path)
    event = json.loads(payload)
    assert staff_id == "luigi"
    assert (event["staff_name"], event["approver_id"], event["approver_name"]) == (
        "Luigi Verdi",
        "mario",
        "Mario Rossi",
    )
    assert event["refund_cents"] == 3448
    with closing(sqlite3.connect(db_path)) as connection:
        stored = "\n".join(str(row) for row in connection.execute("SELECT * FROM events"))
    assert SECRET_PIN not in stored
    assert all(
        SECRET_PIN not in record.getMessage() and SECRET_PIN not in str(record.__dict__) for record in caplog.records
    )


@pytest.mark.parametrize(
    ("approver_id", "approver_pin", "message"),
    [
        ("mario", "9999", "wrong PIN"),
        ("nobody", "1000", "wrong PIN"),
        ("luigi", PINS["luigi"], "not a manager"),
        ("mario", None, "manager's approval"),
    ],
)
async def test_a_refund_without_a_valid_manager_approval_is_refused_and_writes_no_refund(
    app: App, db_path: Path, approver_id: str, approver_pin: str | None, message: str
) -> None:
    await login(app.mediator, "luigi")
    order = (await placed(app.mediator)).data

    refused = await app.mediator.execute_async(
        CancelOrderCommand(
            order_id=order.order_id, approver_id=approver_id, approver_pin=approver_pin, reason="customer left"
        )
    )

    assert refused.status == 403
    assert message in refused.error_message
    assert cancelled_events(db_path) == []
    assert "approver_pin" in refused.errors or "approver_id" in refused.errors


async def test_wrong_approval_pins_count_toward_the_managers_lock(app: App) -> None:
    await login(app.mediator, "luigi")
    order = (await placed(app.mediator)).data
    limit = app.settings.lockout.max_failed_attempts

    answers = [
        await app.mediator.execute_async(
            CancelOrderCommand(
                order_id=order.order_id, approver_id="mario", approver_pin="9999", reason="customer left"
            )
        )
        for _ in range(limit)
    ]
    right_pin_now = await app.mediator.execute_async(
        CancelOrderCommand(order_id=order.order_id, **MANAGER_APPROVAL, reason="customer left")
    )
    manager_login = await app.mediator.execute_async(LoginCommand(staff_id="mario", pin=PINS["mario"]))

    assert [a.status for a in answers] == [403] * limit
    assert "locked" in answers[-1].error_message
    assert right_pin_now.status == 403
    assert "locked" in right_pin_now.error_message
    assert manager_login.status == 403


async def test_a_manager_cancelling_needs_no_second_approval_and_counter_staff_cancel_unpaid_pending_orders(
    app: App, db_path: Path
) -> None:
    await login(app.mediator, "luigi")
    unpaid = (await placed(app.mediator, amount_tendered=None)).data
    paid = (await placed(app.mediator)).data

    by_counter = await app.mediator.execute_async(CancelOrderCommand(order_id=unpaid.order_id, reason="customer left"))
    await login(app.mediator, "mario")
    by_manager = await app.mediator.execute_async(CancelOrderCommand(order_id=paid.order_id, reason="oven broke"))

    assert by_counter.status == 200
    assert by_manager.status == 200
    events = [json.loads(payload) for payload, _ in cancelled_events(db_path)]
    assert [(e["refund_cents"], e["approver_id"]) for e in events] == [(0, None), (3448, None)]


async def test_approval_lets_counter_staff_cancel_a_cooking_order(app: App) -> None:
    await login(app.mediator, "luigi")
    order = (await placed(app.mediator, amount_tendered=None)).data
    await login(app.mediator, "rosa")
    await app.mediator.execute_async(StartCookingCommand(order_id=order.order_id))
    await login(app.mediator, "luigi")

    refused = await app.mediator.execute_async(CancelOrderCommand(order_id=order.order_id, reason="customer left"))
    approved = await app.mediator.execute_async(
        CancelOrderCommand(order_id=order.order_id, **MANAGER_APPROVAL, reason="customer left")
    )

    assert refused.status == 403
    assert approved.status == 200


async def test_a_refund_is_booked_to_the_business_day_the_money_moved(
    app: App, db_path: Path, clock: FrozenClock
) -> None:
    await login(app.mediator, "luigi")
    clock.advance(hours=11)  # 23:00 on the 27th
    order = (await placed(app.mediator)).data
    clock.advance(hours=5, minutes=30)  # 04:30 on the 28th: a new business day (it starts at 04:00)
    await login(app.mediator, "mario")
    await app.mediator.execute_async(CancelOrderCommand(order_id=order.order_id, reason="wrong order"))

    ordered_day = (await app.mediator.execute_async(GetDailySalesQuery(date=date(2026, 11, 27)))).data
    refund_day = (await app.mediator.execute_async(GetDailySalesQuery(date=date(2026, 11, 28)))).data

    assert ordered_day.cash == Decimal("34.48")
    assert ordered_day.refunds == Decimal("0.00")
    assert ordered_day.cancelled_orders == 1
    assert refund_day.refunds == Decimal("34.48")
    assert refund_day.orders == 0
    live = dump_tables(db_path)
    await app.rebuild_read_models()
    assert read_models_differing(live, dump_tables(db_path)) == []
    assert dump_tables(db_path) == live


async def test_an_approved_cancel_keeps_no_trace_of_the_pin_in_its_idempotency_record(app: App, db_path: Path) -> None:
    """A digest of a short PIN is undone by trying them all: the approval PIN is left out of the request digest."""
    import hashlib
    import uuid

    from pos_app.application.behaviors.idempotency import request_digest

    await login(app.mediator, "mario")
    assert (
        await app.mediator.execute_async(ChangePinCommand(current_pin=PINS["mario"], new_pin=SECRET_PIN))
    ).is_success
    await login(app.mediator, "luigi")
    order = (await placed(app.mediator)).data
    command = CancelOrderCommand(
        order_id=order.order_id,
        reason="changed mind",
        approver_id="mario",
        approver_pin=SECRET_PIN,
        command_id=uuid.uuid4(),
    )

    approved = await app.mediator.execute_async(command)
    retried = await app.mediator.execute_async(command)

    assert approved.status == retried.status == 200
    assert retried.data == approved.data
    with closing(sqlite3.connect(db_path)) as connection:
        rows = connection.execute("SELECT * FROM processed_commands").fetchall()
    stored = "\n".join(str(row) for row in rows)
    assert SECRET_PIN not in stored
    assert request_digest(command) == request_digest(command.model_copy(update={"approver_pin": "0000"}))
    with_pin = json.dumps({"type": "CancelOrderCommand", "fields": command.model_dump(mode="json")}, sort_keys=True)
    assert hashlib.sha256(with_pin.encode()).hexdigest() not in stored
