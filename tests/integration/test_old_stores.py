"""A store written by an earlier version opens, keeps its data and keeps working.

`tests/fixtures/store-v1.db` was made by schema version 1 through the real write path (three orders: one picked
up, one unpaid delivery, one cancelled; rollback journal, as a copied file might be). Every later schema change
must open it.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from pos_app.bootstrap import create_app
from pos_app.infrastructure.migrations import LATEST_VERSION
from pos_app.messages.queries import GetCustomerQuery, GetOrderByIdQuery, GetOrdersQuery
from tests.reliability.conftest import partial_orders
from tests.support import LUNCH, FrozenClock, dump_tables, login, placed

FIXTURE = Path(__file__).parents[1] / "fixtures" / "store-v1.db"


async def test_a_version_1_store_opens_with_its_orders_and_takes_new_ones(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    shutil.copy(FIXTURE, path)
    clock = FrozenClock(LUNCH)

    async with create_app(f"sqlite:///{path}", clock=clock) as app:
        await login(app.mediator, "luigi")
        listed = (await app.mediator.execute_async(GetOrdersQuery())).data
        details = [
            (await app.mediator.execute_async(GetOrderByIdQuery(order_id=o.order_id))).data for o in listed.items
        ]
        customer = (await app.mediator.execute_async(GetCustomerQuery(phone="555 010 2030"))).data
        new = (await placed(app.mediator)).data
        before_rebuild = dump_tables(path)
        await app.rebuild_read_models()

    assert sorted((o.order_number, o.status) for o in listed.items) == [
        (1, "picked_up"),
        (2, "pending"),
        (3, "cancelled"),
    ]
    assert all(d.timeline and d.timeline[0].event_type == "OrderPlacedEvent" for d in details)
    assert customer.total_orders == 2
    assert new.order_number == 4
    assert dump_tables(path) == before_rebuild
    assert partial_orders(path) == []
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert FIXTURE.read_bytes()[:16] == b"SQLite format 3\x00"
