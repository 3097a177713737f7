"""Idempotency that cannot be tricked, on a real store.

The same id sent again with the same request gets the first result; with another request (other details, another
order, another command type) it is a 409 naming the id, and nothing is written. A replay is authorized like a fresh
request, and a terminal nobody is logged in on learns nothing about a request's fields.
"""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import uuid
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from pos_app.bootstrap import App, create_app
from pos_app.messages.commands import LogoutCommand, MarkOrderPickedUpCommand, PizzaItem, StartCookingCommand
from tests.support import FrozenClock, changed, fingerprint, login, place_order, placed

FIXTURE = Path(__file__).parents[1] / "fixtures" / "store-v1.db"


async def test_an_order_id_sent_again_with_other_details_is_a_conflict_naming_the_id_and_writes_nothing(
    app: App, db_path: Path
) -> None:
    await login(app.mediator, "luigi")
    first = place_order()
    await placed(app.mediator, order_id=first.order_id)
    before = fingerprint(db_path)

    other_name = await app.mediator.execute_async(first.model_copy(update={"customer_name": "Someone Else"}))
    other_pizzas = await app.mediator.execute_async(
        first.model_copy(update={"pizza_items": [PizzaItem(pizza_id="margherita", size="small")]})
    )
    same_again = await app.mediator.execute_async(first)

    assert (other_name.status, other_name.data) == (409, None)
    assert (other_pizzas.status, other_pizzas.data) == (409, None)
    assert str(first.order_id) in (other_name.error_message or "")
    assert same_again.status == 201
    assert changed(before, fingerprint(db_path)) == []


async def test_a_command_id_reused_on_another_order_or_another_command_is_a_conflict(app: App, db_path: Path) -> None:
    await login(app.mediator, "mario")
    one = (await placed(app.mediator, accept_kitchen_wait=True)).data.order_id
    two = (await placed(app.mediator, accept_kitchen_wait=True)).data.order_id
    command_id = uuid.uuid4()
    first = await app.mediator.execute_async(StartCookingCommand(order_id=one, command_id=command_id))
    before = fingerprint(db_path)

    other_order = await app.mediator.execute_async(StartCookingCommand(order_id=two, command_id=command_id))
    other_command = await app.mediator.execute_async(MarkOrderPickedUpCommand(order_id=one, command_id=command_id))
    same_again = await app.mediator.execute_async(StartCookingCommand(order_id=one, command_id=command_id))

    assert first.status == 200
    assert (other_order.status, other_order.data) == (409, None)
    assert (other_command.status, other_command.data) == (409, None)
    assert str(command_id) in (other_order.error_message or "")
    assert str(command_id) in (other_command.error_message or "")
    assert (same_again.status, same_again.data) == (200, first.data)
    assert changed(before, fingerprint(db_path)) == []


async def test_two_different_orders_sent_at_once_under_one_id_make_one_order_and_one_conflict(
    app: App, db_path: Path
) -> None:
    await login(app.mediator, "luigi")
    first = place_order()
    second = first.model_copy(update={"customer_name": "Someone Else"})

    results = await asyncio.gather(app.mediator.execute_async(first), app.mediator.execute_async(second))

    assert sorted(result.status for result in results) == [201, 409]
    with closing(sqlite3.connect(db_path)) as connection:
        names = connection.execute("SELECT customer_name FROM orders").fetchall()
    winner = first if results[0].status == 201 else second
    assert names == [(winner.customer_name,)]


async def test_a_replay_to_a_role_not_allowed_gets_403_and_none_of_the_customers_details(
    app: App, db_path: Path
) -> None:
    await login(app.mediator, "luigi")
    command = place_order(order_type="delivery", customer_address="Via Roma 1")
    await placed(app.mediator, order_id=command.order_id, order_type="delivery", customer_address="Via Roma 1")
    await login(app.mediator, "rosa")  # kitchen
    before = fingerprint(db_path)

    replay = await app.mediator.execute_async(command)

    assert (replay.status, replay.data) == (403, None)
    assert changed(before, fingerprint(db_path)) == []


async def test_a_locked_till_gets_403_before_any_field_detail_and_a_logged_in_user_gets_the_fields(
    app: App, db_path: Path
) -> None:
    invalid = place_order(customer_name=" ", order_type="delivery")  # no name, no address
    await login(app.mediator, "luigi")
    await app.mediator.execute_async(LogoutCommand())
    before = fingerprint(db_path)

    locked = await app.mediator.execute_async(invalid)
    after = fingerprint(db_path)
    await login(app.mediator, "luigi")
    logged_in = await app.mediator.execute_async(invalid)

    assert (locked.status, dict(locked.errors or {})) == (403, {})
    assert "customer" not in (locked.error_message or "")
    assert logged_in.status == 400
    assert {"customer_name", "customer_address"} <= set(logged_in.errors or {})
    assert changed(before, after) == []


async def test_a_command_processed_before_digests_were_kept_keeps_replaying_its_first_result(
    tmp_path: Path, clock: FrozenClock
) -> None:
    path = tmp_path / "store.db"
    shutil.copy(FIXTURE, path)
    with closing(sqlite3.connect(path)) as connection:
        key, stored = connection.execute(
            "SELECT key, payload FROM processed_commands WHERE command_type = 'PlaceOrderCommand' ORDER BY key"
        ).fetchone()
    order_id = uuid.UUID(key.split(":", 1)[1])

    async with create_app(f"sqlite:///{path}", clock=clock) as app:
        await login(app.mediator, "luigi")
        before = fingerprint(path)
        replay = await app.mediator.execute_async(place_order(order_id=order_id, accept_kitchen_wait=True))
        after = fingerprint(path)

    with closing(sqlite3.connect(path)) as connection:
        digests = connection.execute("SELECT digest FROM processed_commands WHERE key = ?", (key,)).fetchall()
    assert replay.status == 201
    assert replay.data.order_id == order_id
    assert replay.data.model_dump_json() == stored
    assert digests == [(None,)]
    assert changed(before, after) == []


async def test_an_order_takes_two_trips_to_the_writer_and_its_retry_is_answered_by_the_first(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    await login(app.mediator, "luigi")
    trips: list[object] = []
    real_on_writer = app.database.on_writer

    async def counted(fn: Any, *args: Any) -> Any:
        trips.append(fn)
        return await real_on_writer(fn, *args)

    monkeypatch.setattr(app.database, "on_writer", counted)
    command = place_order()

    first = await app.mediator.execute_async(command)
    placing_trips = len(trips)
    trips.clear()
    again = await app.mediator.execute_async(command)

    assert (first.status, again.status) == (201, 201)
    assert again.data == first.data
    assert placing_trips == 2  # the key looked up with the menu, the kitchen's load and the number; the commit
    assert len(trips) == 2  # the key looked up and found; the transaction rolled back
