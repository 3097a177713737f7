"""The bulk history writer makes exactly the tables the real path makes from the same script."""

from __future__ import annotations

import asyncio
from datetime import UTC
from pathlib import Path

from sqlalchemy import Connection

from pos_app.bootstrap import create_app
from pos_app.config import Settings
from pos_app.infrastructure.repositories import load_menu
from pos_app.messages.commands import LoginCommand
from pos_app.tools.history import BulkHistoryWriter, HistoryShape, generate
from tests.support import PINS, FrozenClock, snapshot

SHAPE = HistoryShape(orders=120, days=3, today_orders=60, open_tickets=15, loyal_share=0.1, cancel_share=0.08, seed=11)
TODAY = FrozenClock().now().date()


async def real_path(path: Path) -> int:
    clock = FrozenClock()
    async with create_app(f"sqlite:///{path}", clock=clock, settings=Settings(timezone="UTC")) as app:
        menu = await app.database.read(load_menu)
        steps = list(generate(SHAPE, menu, TODAY, zone=UTC))
        clock.current = steps[0].at
        assert (await app.mediator.execute_async(LoginCommand(staff_id="mario", pin=PINS["mario"]))).is_success
        for step in steps:
            clock.current = step.at
            result = await app.mediator.execute_async(step.command)
            assert result.is_success, (step, result)
    return len(steps)


async def bulk_path(path: Path) -> int:
    async with create_app(f"sqlite:///{path}", settings=Settings(timezone="UTC")) as app:
        settings = app.settings

        def write(connection: Connection) -> int:
            writer = BulkHistoryWriter(connection, settings)
            steps = list(generate(SHAPE, writer.menu, TODAY, zone=UTC))
            writer.log_in(steps[0].at)
            for step in steps:
                writer.apply(step)
            writer.finish()
            return len(steps)

        return await app.database.on_writer(app.database.run_sync, write)


def test_the_bulk_history_writer_makes_the_tables_the_real_path_makes(tmp_path: Path) -> None:
    real, bulk = tmp_path / "real.db", tmp_path / "bulk.db"

    steps_real = asyncio.run(real_path(real))
    steps_bulk = asyncio.run(bulk_path(bulk))

    assert steps_real == steps_bulk > 500
    real_tables, bulk_tables = snapshot(real), snapshot(bulk)
    assert real_tables.keys() == bulk_tables.keys()
    for name in real_tables:
        assert real_tables[name] == bulk_tables[name], name
