"""Locking the till always locks it, also while another process holds the store; the logout's audit event is
written once the store is free again, never skipped."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from contextlib import closing
from decimal import Decimal
from pathlib import Path

from pos_app.application.ports import AuditOutbox
from pos_app.bootstrap import create_app
from pos_app.config import Settings
from pos_app.messages.commands import LogoutCommand, UpdateMenuCommand
from pos_app.messages.queries import GetSessionQuery
from tests.conftest import wait_until
from tests.reliability.test_disk_trouble import HOLD_LOCK
from tests.support import FrozenClock, login


def events_of(path: Path, event_type: str) -> list[tuple[str | None]]:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute("SELECT staff_id FROM events WHERE event_type = ?", (event_type,)).fetchall()


async def test_logout_while_the_store_is_busy_locks_the_till_and_the_logout_is_written_when_it_is_free(
    tmp_path: Path,
) -> None:
    path = tmp_path / "store.db"
    settings = Settings(busy_timeout_ms=300)
    async with create_app(f"sqlite:///{path}", clock=FrozenClock(), settings=settings) as app:
        await login(app.mediator, "mario")
        holder = await asyncio.create_subprocess_exec(
            sys.executable, "-c", HOLD_LOCK, str(path), "2", stdout=asyncio.subprocess.PIPE
        )
        assert holder.stdout is not None
        assert (await holder.stdout.readline()).strip() == b"locked"
        price_change = UpdateMenuCommand(item_id="margherita", base_price=Decimal("0.01"))

        logout = await app.mediator.execute_async(LogoutCommand())
        session = await app.mediator.execute_async(GetSessionQuery())
        while_busy = await app.mediator.execute_async(price_change)
        waiting = len(app.provider.get_required_service(AuditOutbox))
        written_while_busy = events_of(path, "StaffLoggedOutEvent")
        await asyncio.wait_for(holder.wait(), timeout=10)
        await wait_until(lambda: events_of(path, "StaffLoggedOutEvent") != [], timeout=10)
        when_free = await app.mediator.execute_async(price_change)

    assert logout.is_success, logout
    assert session.data is None
    assert while_busy.status == 403
    assert when_free.status == 403
    assert waiting == 1
    assert written_while_busy == []
    assert events_of(path, "StaffLoggedOutEvent") == [("mario",)]
    assert events_of(path, "MenuUpdatedEvent") == []


async def test_a_waiting_logout_is_written_before_the_next_commit_and_only_once(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    settings = Settings(busy_timeout_ms=300)
    async with create_app(f"sqlite:///{path}", clock=FrozenClock(), settings=settings) as app:
        outbox = app.provider.get_required_service(AuditOutbox)
        await login(app.mediator, "mario")
        holder = await asyncio.create_subprocess_exec(
            sys.executable, "-c", HOLD_LOCK, str(path), "1", stdout=asyncio.subprocess.PIPE
        )
        assert holder.stdout is not None
        assert (await holder.stdout.readline()).strip() == b"locked"
        await app.mediator.execute_async(LogoutCommand())
        await asyncio.wait_for(holder.wait(), timeout=10)

        await login(app.mediator, "luigi")  # the next commit carries the waiting logout
        session = await app.mediator.execute_async(GetSessionQuery())
        await wait_until(lambda: len(outbox) == 0, timeout=10)

    with closing(sqlite3.connect(path)) as connection:
        kinds = [
            row
            for row in connection.execute("SELECT event_type, staff_id FROM events ORDER BY position")
            if row[0] in ("StaffLoggedInEvent", "StaffLoggedOutEvent")
        ]
    assert session.data is not None
    assert session.data.staff_id == "luigi"
    assert kinds == [
        ("StaffLoggedInEvent", "mario"),
        ("StaffLoggedOutEvent", "mario"),
        ("StaffLoggedInEvent", "luigi"),
    ]
