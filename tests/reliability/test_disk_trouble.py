"""The disk misbehaves: the store is read-only, full, locked by another process, deleted or damaged. The app says
so clearly, keeps serving what it can, loses nothing it acknowledged, and never replaces a damaged file."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
import textwrap
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

from pos_app.bootstrap import App, create_app
from pos_app.config import Settings
from pos_app.messages.commands import PizzaItem
from pos_app.messages.queries import GetOrdersQuery
from tests.reliability.conftest import integrity, partial_orders
from tests.support import FrozenClock, login, place_order, placed, row_counts


async def orders_listed(app: App) -> int:
    return int((await app.mediator.execute_async(GetOrdersQuery())).data.total)


def reconnect_with(engine: Engine, connect: Any) -> None:
    """From now on the engine's connections come from `connect()` (a real sqlite3 connection)."""
    engine.dispose()
    event.listen(engine, "do_connect", lambda dialect, record, cargs, cparams: connect())


async def test_a_read_only_store_refuses_changes_clearly_and_still_answers_reads(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    clock = FrozenClock()
    async with create_app(f"sqlite:///{path}", clock=clock) as app:
        await login(app.mediator, "luigi")
        kept = await placed(app.mediator)
        reconnect_with(
            app.database.write_engine,
            lambda: sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False),
        )

        refused = await app.mediator.execute_async(place_order())
        listed = await orders_listed(app)

    assert refused.status == 503
    assert "read-only" in refused.error_message
    assert listed == 1
    assert row_counts(path)["orders"] == 1
    assert kept.data.order_number == 1
    assert integrity(path) == "ok"


async def test_a_full_disk_refuses_the_order_clearly_writes_nothing_and_recovers_when_space_returns(
    tmp_path: Path,
) -> None:
    path = tmp_path / "store.db"
    clock = FrozenClock()
    limit = {"pages": 0}

    def limited() -> sqlite3.Connection:
        connection = sqlite3.connect(path, check_same_thread=False)
        connection.execute(f"PRAGMA max_page_count = {limit['pages']}")  # SQLite's own SQLITE_FULL
        return connection

    async with create_app(f"sqlite:///{path}", clock=clock) as app:
        await login(app.mediator, "luigi")
        await placed(app.mediator)
        with sqlite3.connect(path) as probe:
            limit["pages"] = probe.execute("PRAGMA page_count").fetchone()[0]
        reconnect_with(app.database.write_engine, limited)
        before = row_counts(path)
        big = [PizzaItem(pizza_id="supreme", special_instructions="x" * 200)] * 50

        refused = [
            await app.mediator.execute_async(
                place_order(pizza_items=big, payment_method="card", amount_tendered=None, accept_kitchen_wait=True)
            )
            for _ in range(5)
        ]
        after_refusals = row_counts(path)
        limit["pages"] = 1_000_000
        app.database.write_engine.dispose()
        recovered = await app.mediator.execute_async(place_order())

    assert [r.status for r in refused] == [503] * 5, refused
    assert "disk is full" in refused[0].error_message
    assert after_refusals == before
    assert recovered.status == 201
    assert partial_orders(path) == []
    assert integrity(path) == "ok"


HOLD_LOCK = textwrap.dedent(
    """
    import sqlite3, sys, time
    connection = sqlite3.connect(sys.argv[1], isolation_level=None)
    connection.execute("BEGIN EXCLUSIVE")
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
    connection.execute("COMMIT")
    """
)


async def test_a_store_locked_by_another_process_for_too_long_answers_busy_and_the_retry_makes_one_order(
    tmp_path: Path,
) -> None:
    path = tmp_path / "store.db"
    settings = Settings(busy_timeout_ms=300)
    async with create_app(f"sqlite:///{path}", clock=FrozenClock(), settings=settings) as app:
        await login(app.mediator, "luigi")
        holder = await asyncio.create_subprocess_exec(
            sys.executable, "-c", HOLD_LOCK, str(path), "1.5", stdout=asyncio.subprocess.PIPE
        )
        assert holder.stdout is not None
        assert (await holder.stdout.readline()).strip() == b"locked"
        command = place_order()

        busy = await app.mediator.execute_async(command)
        await asyncio.wait_for(holder.wait(), timeout=10)
        retried = await app.mediator.execute_async(command)

    assert busy.status == 503
    assert "busy" in busy.error_message
    assert "locked" not in busy.error_message
    assert retried.status == 201
    assert row_counts(path)["orders"] == 1


def remove_store_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


async def test_a_store_file_deleted_under_the_running_app_stops_all_writes_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    async with create_app(f"sqlite:///{path}", clock=FrozenClock()) as app:
        await login(app.mediator, "luigi")
        await placed(app.mediator)
        remove_store_files(path)
        for _ in range(50):
            if app.database.unavailable_reason:
                break
            await asyncio.sleep(0.05)

        refused = await app.mediator.execute_async(place_order())

    assert refused.status == 503
    assert "was removed" in refused.error_message
    assert not path.exists()


async def test_a_damaged_store_is_reported_and_left_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    async with create_app(f"sqlite:///{path}", clock=FrozenClock()) as app:
        await login(app.mediator, "luigi")
        for _ in range(30):
            await placed(app.mediator, accept_kitchen_wait=True)
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        root = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = 'order_list_view'").fetchone()[0]
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    data[start : start + page_size] = b"\xde\xad" * (page_size // 2)
    path.write_bytes(bytes(data))
    damaged = path.read_bytes()

    async with create_app(f"sqlite:///{path}", clock=FrozenClock()) as app:
        await login(app.mediator, "luigi")
        listing = await app.mediator.execute_async(GetOrdersQuery())

    assert listing.status == 503
    assert "damaged" in listing.error_message
    assert path.read_bytes() == damaged
