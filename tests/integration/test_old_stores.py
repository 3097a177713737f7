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
from pos_app.infrastructure.migrations import ALEMBIC_USER_VERSION, APPLICATION_ID, head_revision
from pos_app.messages.queries import GetCustomerQuery, GetOrderByIdQuery, GetOrdersQuery, GetStoreInfoQuery
from tests.reliability.conftest import partial_orders
from tests.support import LUNCH, FrozenClock, dump_tables, login, placed, read_models_differing

FIXTURE = Path(__file__).parents[1] / "fixtures" / "store-v1.db"


async def test_a_version_1_store_opens_with_its_orders_and_takes_new_ones(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    shutil.copy(FIXTURE, path)
    clock = FrozenClock(LUNCH)
    with sqlite3.connect(path) as connection:
        marked_before = connection.execute("PRAGMA application_id").fetchone()[0]

    async with create_app(f"sqlite:///{path}", clock=clock) as app:
        info = (await app.mediator.execute_async(GetStoreInfoQuery())).data
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
    assert read_models_differing(before_rebuild, dump_tables(path)) == []
    assert dump_tables(path) == before_rebuild
    assert partial_orders(path) == []
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == ALEMBIC_USER_VERSION
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [(head_revision(),)]
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert marked_before == 0
    assert info.is_demo  # every store made before the store knew its kind holds the demo staff
    assert FIXTURE.read_bytes()[:16] == b"SQLite format 3\x00"


def wal_beside(path: Path) -> bool:
    return Path(f"{path}-wal").exists()


async def test_a_version_1_store_open_in_another_terminal_with_its_wal_beside_it_opens(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    shutil.copy(FIXTURE, path)
    other_terminal = sqlite3.connect(path)
    try:
        other_terminal.execute("PRAGMA journal_mode=WAL")
        other_terminal.execute("UPDATE staff SET failed_attempts = 1 WHERE id = 'rosa'")
        other_terminal.commit()
        assert wal_beside(path)

        async with create_app(f"sqlite:///{path}", clock=FrozenClock(LUNCH)) as app:
            await login(app.mediator, "luigi")
            listed = (await app.mediator.execute_async(GetOrdersQuery())).data
    finally:
        other_terminal.close()

    assert listed.total == 3
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert connection.execute("SELECT failed_attempts FROM staff WHERE id = 'rosa'").fetchone()[0] == 1


async def test_upgrading_re_files_items_whose_category_changed_in_the_toppings_rule_and_the_reports(
    tmp_path: Path,
) -> None:
    path = tmp_path / "store.db"
    shutil.copy(FIXTURE, path)
    with sqlite3.connect(path) as connection:  # as an older version left a pizza made a side: the rule and reports
        connection.execute("UPDATE menu_items SET category = 'side' WHERE id = 'margherita'")
        sold_as_pizza = connection.execute(
            "SELECT count(*) FROM sales_item_daily_view WHERE menu_item_id = 'margherita' AND category = 'pizza'"
        ).fetchone()[0]

    async with create_app(f"sqlite:///{path}", clock=FrozenClock(LUNCH)):
        pass

    with sqlite3.connect(path) as connection:
        takes_toppings = connection.execute("SELECT takes_toppings FROM menu_items WHERE id = 'margherita'").fetchone()
        report_categories = connection.execute(
            "SELECT DISTINCT category FROM sales_item_daily_view WHERE menu_item_id = 'margherita'"
        ).fetchall()
        customer_categories = connection.execute(
            "SELECT DISTINCT category FROM customer_item_view WHERE menu_item_id = 'margherita'"
        ).fetchall()
    assert sold_as_pizza > 0
    assert takes_toppings == (0,)
    assert report_categories == [("side",)]
    assert customer_categories == [("side",)]
