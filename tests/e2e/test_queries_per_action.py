"""How many queries one click costs, on the real main window over a real store file.

After a command, the UI bridge's after-commit notice is the only trigger of refreshes: each screen that shows orders
re-reads once, and the screen that sent the command keeps its buttons disabled until that refresh has finished.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos_app.bootstrap import App, create_app
from pos_app.mediation import Request
from pos_app.messages.commands import MarkPizzaReadyCommand, StartCookingCommand
from pos_app.ui.bridge import UiBridge
from pos_app.ui.main_window import MainWindow
from pos_app.ui.ui_mediator import UiMediator
from tests.conftest import drain_tasks, wait_until
from tests.e2e.test_screens_on_a_real_store import log_in, select_order
from tests.support import FrozenClock, placed


class CountingMediator:
    """The app's mediator, counting the requests the window sends by type name, and the bridge's notices."""

    def __init__(self, app: App, bridge: UiBridge) -> None:
        self._mediator = app.mediator
        self.counts: Counter[str] = Counter()
        self.notices: Counter[str] = Counter()
        self.notice_on_its_way = False  # a commit was announced; the bridge has not passed it on yet
        app.changes.subscribe(self._on_change)
        bridge.orders_changed.connect(lambda: self._on_notice("orders"))
        bridge.kitchen_changed.connect(lambda: self._on_notice("kitchen"))
        bridge.menu_changed.connect(lambda: self._on_notice("menu"))

    def _on_change(self, _topics: frozenset[str]) -> None:
        self.notice_on_its_way = True

    def _on_notice(self, topic: str) -> None:
        self.notice_on_its_way = False
        self.notices.update([topic])

    async def execute_async(self, request: Request[Any]) -> Any:
        self.counts[type(request).__name__] += 1
        return await self._mediator.execute_async(request)


Terminal = tuple[App, MainWindow, CountingMediator]


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def staff_id() -> str:
    """Who logs in: Mario, the manager, sees the counter, orders and kitchen screens."""
    return "mario"


@pytest.fixture
async def manager_terminal(tmp_path: Path, qtbot: QtBot, clock: FrozenClock, staff_id: str) -> AsyncIterator[Terminal]:
    """The real window on a fresh store, `staff_id` logged in."""
    path = tmp_path / "store.db"
    async with create_app(f"sqlite:///{path}", clock=clock) as app:
        bridge = UiBridge()
        unsubscribe = app.changes.subscribe(bridge.notify)
        counting = CountingMediator(app, bridge)  # subscribed after the bridge: it sees the bridge's notices first
        window = MainWindow(UiMediator(counting), bridge, app.settings.store_name, str(path))
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        window.show_login()
        await window.wait_idle()
        await log_in(qtbot, window, "mario")  # places the orders of the test through `app.mediator`
        if staff_id != "mario":
            await log_in(qtbot, window, staff_id)
        yield app, window, counting
        await window.wait_idle()
        await drain_tasks()
        unsubscribe()


async def settled(window: MainWindow, counting: CountingMediator) -> None:
    """Wait until the window has read everything the last change asked for, then start counting afresh."""
    await wait_until(lambda: not counting.notice_on_its_way, timeout=3)
    await window.wait_idle()
    await drain_tasks()
    counting.counts.clear()
    counting.notices.clear()


async def after_the_notices(window: MainWindow, counting: CountingMediator) -> None:
    """Wait for the bridge's notices of the command's commit, and for the refreshes they started."""
    await wait_until(lambda: counting.notices["orders"] >= 1 and counting.notices["kitchen"] >= 1, timeout=3)
    await window.wait_idle()
    await drain_tasks()


async def kitchen_click(window: MainWindow, counting: CountingMediator, qtbot: QtBot, key: Qt.Key) -> dict[str, int]:
    """Press `key` on the kitchen screen; wait for its buttons to come back and everything to settle: the counts."""
    kitchen = window.kitchen
    await settled(window, counting)
    commands = counting.counts.total()
    qtbot.keyClick(kitchen.tickets, key)
    await wait_until(lambda: counting.counts.total() > commands)
    await wait_until(lambda: not kitchen.busy, timeout=3)
    await after_the_notices(window, counting)
    return dict(counting.counts)


async def test_each_kitchen_click_reads_the_kitchen_queue_once_and_the_order_list_once(
    qtbot: QtBot, manager_terminal: Terminal
) -> None:
    app, window, counting = manager_terminal
    await placed(app.mediator, payment_method="card", amount_tendered=None)
    kitchen = window.kitchen
    window.tabs.setCurrentWidget(kitchen)
    await wait_until(lambda: kitchen.model.rowCount() == 1, timeout=3)
    qtbot.keyClick(kitchen.tickets, Qt.Key.Key_1)
    await wait_until(kitchen.start_button.isEnabled)
    queue_reads: list[int] = []
    kitchen.refreshed.connect(lambda: queue_reads.append(len(queue_reads)))

    start = await kitchen_click(window, counting, qtbot, Qt.Key.Key_S)
    shown_after_start = kitchen.selected_ticket()
    ready = await kitchen_click(window, counting, qtbot, Qt.Key.Key_Space)
    shown_after_ready = kitchen.selected_ticket()

    assert start == {
        "StartCookingCommand": 1,
        "GetKitchenQueueChangesQuery": 1,
        "GetOrdersQuery": 1,
        "GetLeftOpenOrdersQuery": 1,  # a manager's orders screen also reads the orders left open
    }
    assert ready == {
        "MarkPizzaReadyCommand": 1,
        "GetKitchenQueueChangesQuery": 1,
        "GetOrdersQuery": 1,
        "GetLeftOpenOrdersQuery": 1,
    }
    assert shown_after_start is not None
    assert shown_after_start.status == "cooking"  # the buttons came back once the queue showed the change
    assert shown_after_ready is not None
    assert shown_after_ready.items[0].ready
    assert len(queue_reads) == 2


async def test_taking_payment_on_the_orders_screen_reads_the_list_and_the_detail_once(
    qtbot: QtBot, manager_terminal: Terminal
) -> None:
    app, window, counting = manager_terminal
    await placed(app.mediator, payment_method="cash", amount_tendered=None)
    orders = window.orders
    window.tabs.setCurrentWidget(orders)
    await wait_until(lambda: orders.model.rowCount() == 1, timeout=3)
    select_order(window, 1)
    await wait_until(lambda: orders.payment_button.isVisible() and orders.payment_button.isEnabled())
    await settled(window, counting)

    qtbot.mouseClick(orders.payment_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(orders.tendered_edit, "50")
    qtbot.mouseClick(orders.confirm_payment_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: orders.change_banner.isVisible(), timeout=3)
    await wait_until(lambda: orders.cancel_button.isEnabled())
    paid_shown = orders.model.orders[0].paid
    await after_the_notices(window, counting)

    assert paid_shown is True  # the actions came back only once the list showed the payment
    assert dict(counting.counts) == {
        "ProcessPaymentCommand": 1,
        "GetOrdersQuery": 1,
        "GetLeftOpenOrdersQuery": 1,
        "GetOrderByIdQuery": 1,  # the detail of the selected order, whose row changed
        "GetKitchenQueueChangesQuery": 1,  # the kitchen screen shows orders too
    }


async def test_marking_an_order_picked_up_reads_the_list_and_the_detail_once(
    qtbot: QtBot, manager_terminal: Terminal
) -> None:
    app, window, counting = manager_terminal
    order_id = (await placed(app.mediator, payment_method="card", amount_tendered=None)).data.order_id
    for command in (
        StartCookingCommand(order_id=order_id),
        MarkPizzaReadyCommand(order_id=order_id, pizza_index=0),
        MarkPizzaReadyCommand(order_id=order_id, pizza_index=1),
    ):
        assert (await app.mediator.execute_async(command)).is_success
    orders = window.orders
    window.tabs.setCurrentWidget(orders)
    await wait_until(lambda: bool(orders.model.orders) and orders.model.orders[0].status == "ready", timeout=3)
    select_order(window, 1)
    await wait_until(lambda: orders.picked_up_button.isVisible() and orders.picked_up_button.isEnabled())
    await settled(window, counting)

    qtbot.mouseClick(orders.picked_up_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: counting.counts["MarkOrderPickedUpCommand"] == 1)
    await wait_until(lambda: orders.model.orders[0].status == "picked_up", timeout=3)
    await after_the_notices(window, counting)

    assert dict(counting.counts) == {
        "MarkOrderPickedUpCommand": 1,
        "GetOrdersQuery": 1,
        "GetLeftOpenOrdersQuery": 1,
        "GetOrderByIdQuery": 1,
        "GetKitchenQueueChangesQuery": 1,
    }


async def test_closing_an_order_left_open_reads_the_list_and_the_left_open_orders_once(
    qtbot: QtBot, manager_terminal: Terminal, clock: FrozenClock
) -> None:
    app, window, counting = manager_terminal
    await placed(app.mediator, payment_method="card", amount_tendered=None)
    clock.advance(days=1)
    orders = window.orders
    window.tabs.setCurrentWidget(orders)
    orders.request_refresh()
    left_open = orders.left_open
    await wait_until(lambda: left_open.toggle_button.isVisible(), timeout=3)
    qtbot.mouseClick(left_open.toggle_button, Qt.MouseButton.LeftButton)
    left_open.table.selectRow(0)
    await wait_until(left_open.completed_button.isEnabled)
    await settled(window, counting)

    qtbot.mouseClick(left_open.completed_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: counting.counts["CloseLeftOpenOrderCommand"] == 1)
    await wait_until(lambda: not left_open.toggle_button.isVisible(), timeout=3)
    await after_the_notices(window, counting)

    assert dict(counting.counts) == {
        "CloseLeftOpenOrderCommand": 1,
        "GetOrdersQuery": 1,
        "GetLeftOpenOrdersQuery": 1,
        "GetKitchenQueueChangesQuery": 1,
    }


@pytest.mark.parametrize("staff_id", ["luigi"])
async def test_at_the_counter_taking_payment_reads_only_the_screens_the_counter_sees(
    qtbot: QtBot, manager_terminal: Terminal
) -> None:
    app, window, counting = manager_terminal
    await placed(app.mediator, payment_method="cash", amount_tendered=None)
    orders = window.orders
    window.tabs.setCurrentWidget(orders)
    await wait_until(lambda: orders.model.rowCount() == 1, timeout=3)
    select_order(window, 1)
    await wait_until(lambda: orders.payment_button.isVisible() and orders.payment_button.isEnabled())
    await settled(window, counting)

    qtbot.mouseClick(orders.payment_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(orders.tendered_edit, "50")
    qtbot.mouseClick(orders.confirm_payment_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: orders.change_banner.isVisible(), timeout=3)
    await after_the_notices(window, counting)

    assert window.screens_for("counter") == ("counter", "orders")
    assert dict(counting.counts) == {
        "ProcessPaymentCommand": 1,
        "GetOrdersQuery": 1,
        "GetOrderByIdQuery": 1,  # no kitchen queue: the counter has no kitchen screen; no left-open orders either
    }
