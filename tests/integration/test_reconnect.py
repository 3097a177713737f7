"""A lost store server: the app reconnects by itself, a command in flight is sent again with its idempotency key
once the server is back (or refused clearly), and nothing acknowledged is lost.

These tests stop and restart a PostgreSQL server of their own (the session's shared server is left alone).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from pos_app.application.errors import StoreUnreachableError
from pos_app.bootstrap import App, create_app
from pos_app.config import Settings
from pos_app.messages.queries import GetOrderByIdQuery
from tests.conftest import wait_until
from tests.pg_server import ThrowawayServer
from tests.support import FrozenClock, login, place_order, placed, query_store

RETRYING = "trying again once it is back"


@pytest.fixture(scope="module")
def own_server() -> Iterator[ThrowawayServer]:
    server = ThrowawayServer()
    server.base_url = ""  # a cluster of this module's own, even where the suite runs on a given server
    server.start()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def server(own_server: ThrowawayServer) -> Iterator[ThrowawayServer]:
    yield own_server
    own_server.restart()  # whatever a test did, the next one finds it running


def orders_with(url: str, order_id: Any) -> int:
    return int(query_store(url, [f"SELECT count(*) FROM orders WHERE id = '{order_id.hex}'"])[0][0][0])


def order_count(url: str) -> int:
    return int(query_store(url, ["SELECT count(*) FROM orders"])[0][0][0])


def track_reachable(app: App) -> list[bool]:
    seen: list[bool] = []
    app.database.on_reachable = seen.append
    return seen


async def test_after_a_server_restart_the_app_reconnects_by_itself_and_keeps_what_was_acknowledged(
    server: ThrowawayServer,
) -> None:
    url = server.new_database()
    async with create_app(url, clock=FrozenClock()) as app:
        seen = track_reachable(app)
        await login(app.mediator, "luigi")
        before = (await placed(app.mediator)).data.order_id

        await asyncio.to_thread(server.restart)
        await wait_until(lambda: seen[-2:] == [False, True], timeout=15)
        assert app.database.reachable
        after = (await placed(app.mediator)).data.order_id
        kept = await app.mediator.execute_async(GetOrderByIdQuery(order_id=before))

    assert kept.status == 200
    assert order_count(url) == 2
    assert orders_with(url, before) == orders_with(url, after) == 1


async def test_a_command_sent_while_the_server_is_down_lands_once_when_it_is_back(
    server: ThrowawayServer, caplog: pytest.LogCaptureFixture
) -> None:
    url = server.new_database()
    async with create_app(url, clock=FrozenClock()) as app:
        seen = track_reachable(app)
        await login(app.mediator, "luigi")
        acknowledged = (await placed(app.mediator)).data.order_id
        await asyncio.to_thread(server.stop)
        await wait_until(lambda: not app.database.reachable, timeout=15)

        command = place_order()
        with caplog.at_level(logging.WARNING, logger="pos_app.requests"):
            sending = asyncio.create_task(app.mediator.execute_async(command))
            await wait_until(lambda: RETRYING in caplog.text, timeout=15)  # it failed once and waits
            assert not sending.done()
            await asyncio.to_thread(server.restart)
            result = await asyncio.wait_for(sending, timeout=20)
        again = await app.mediator.execute_async(command)

    assert result.status == 201, result
    assert again.status == 201
    assert again.data == result.data
    assert seen[0] is False
    assert seen[-1] is True
    assert orders_with(url, command.order_id) == 1
    assert orders_with(url, acknowledged) == 1
    assert order_count(url) == 2


async def test_a_command_whose_server_does_not_come_back_in_time_is_refused_clearly_and_writes_nothing(
    server: ThrowawayServer,
) -> None:
    url = server.new_database()
    async with create_app(url, clock=FrozenClock(), settings=Settings(reconnect_wait_seconds=1.0)) as app:
        await login(app.mediator, "luigi")
        acknowledged = (await placed(app.mediator)).data.order_id
        await asyncio.to_thread(server.stop)
        command = place_order()
        result = await app.mediator.execute_async(command)
        await asyncio.to_thread(server.restart)
        await wait_until(lambda: app.database.reachable, timeout=15)
        later = await app.mediator.execute_async(command)  # sending it again is safe

    assert result.status == 503
    assert result.error_message is not None
    assert "store server cannot be reached" in result.error_message
    assert "try again" in result.error_message
    assert later.status == 201
    assert orders_with(url, command.order_id) == 1
    assert orders_with(url, acknowledged) == 1


async def test_a_command_whose_commit_landed_but_whose_answer_was_lost_is_replayed_not_done_twice(
    store_url: str, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with create_app(store_url, clock=FrozenClock()) as app:
        await login(app.mediator, "luigi")
        database = app.database
        real_on_writer = database.on_writer
        lost: list[str] = []

        async def answer_lost_once(fn: Any, *args: Any) -> Any:
            result = await real_on_writer(fn, *args)
            if getattr(fn, "__name__", "") == "_commit_sync" and not lost:
                lost.append("commit")  # the commit reached the store; its answer did not reach the till
                raise StoreUnreachableError("Reconnecting to the store server…")
            return result

        monkeypatch.setattr(database, "on_writer", answer_lost_once)
        command = place_order()
        result = await app.mediator.execute_async(command)

    assert lost == ["commit"]
    assert result.status == 201, result
    assert orders_with(store_url, command.order_id) == 1
    assert order_count(store_url) == 1
