"""The real screens on real stores (create_app on a temp SQLite file), driven by clicks and keys.

A counter terminal and a kitchen terminal are two apps on one file, as on two machines sharing it.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from pos_app.bootstrap import App, NewStore, create_app
from pos_app.ui.bridge import UiBridge
from pos_app.ui.main_window import MainWindow
from pos_app.ui.models.menu import MenuModel, ToppingsModel
from pos_app.ui.ui_mediator import UiMediator
from tests.conftest import drain_tasks, wait_until
from tests.support import PINS, query_store, row_counts

Terminal = tuple[App, MainWindow]


@pytest.fixture
async def stores(store_url: str, qtbot: QtBot) -> AsyncIterator[Any]:
    """Opens terminals on one store (a file, or a PostgreSQL server): `await open_terminal(view=None)` → (app,
    window)."""
    path = store_url
    windows: list[MainWindow] = []
    async with AsyncExitStack() as stack:

        async def open_terminal(view: str | None = None) -> Terminal:
            app = await stack.enter_async_context(create_app(store_url))
            bridge = UiBridge()
            app.changes.subscribe(bridge.notify)
            window = MainWindow(UiMediator(app.mediator), bridge, app.settings.store_name, app.database.location, view)
            qtbot.addWidget(window)
            window.resize(1366, 768)
            window.show()
            window.show_login()
            await window.wait_idle()
            windows.append(window)
            return app, window

        yield open_terminal, path
        for window in windows:
            await window.wait_idle()
        await drain_tasks()


async def log_in(qtbot: QtBot, window: MainWindow, staff_id: str, pin: str | None = None) -> None:
    login = window.login
    await wait_until(lambda: login.model.row_of(staff_id) >= 0)
    rect = login.staff_list.visualRect(login.model.index(login.model.row_of(staff_id)))
    qtbot.mouseClick(login.staff_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    for digit in pin or PINS[staff_id]:
        qtbot.mouseClick(login.keys[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(login.login_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: window.session is not None)
    await window.wait_idle()


async def click_menu_item(qtbot: QtBot, window: MainWindow, item_id: str) -> None:
    counter = window.counter
    await wait_until(lambda: counter.menu_model.item(item_id) is not None)
    for row in range(counter.menu_filter.rowCount()):
        index = counter.menu_filter.index(row, 0)
        if index.data(MenuModel.ItemRole).id == item_id:
            rect = counter.menu_view.visualRect(index)
            qtbot.mouseClick(counter.menu_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            await counter.wait_idle()
            return
    raise AssertionError(f"{item_id} is not on the screen")


def tick_topping(qtbot: QtBot, window: MainWindow, topping_id: str) -> None:
    view = window.counter.toppings_view
    model = window.counter.toppings_model
    for row in range(model.rowCount()):
        index = model.index(row)
        if index.data(ToppingsModel.ToppingRole).id == topping_id:
            rect = view.visualRect(index)
            qtbot.mouseClick(
                view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.left() + 10, rect.center().y())
            )
            return
    raise AssertionError(f"{topping_id} is not offered")


async def build_order(qtbot: QtBot, window: MainWindow, phone: str) -> None:
    counter = window.counter
    window.tabs.setCurrentWidget(counter)
    assert counter.isVisible()
    await click_menu_item(qtbot, window, "margherita")
    qtbot.mouseClick(counter.size_buttons["large"], Qt.MouseButton.LeftButton)
    tick_topping(qtbot, window, "ham")
    qtbot.mouseClick(counter.add_button, Qt.MouseButton.LeftButton)
    await click_menu_item(qtbot, window, "pepperoni")
    tick_topping(qtbot, window, "mushrooms")
    qtbot.keyClicks(counter.notes, "well done")
    qtbot.mouseClick(counter.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(counter.phone, phone)
    qtbot.keyClicks(counter.name, "Anna Conti")
    await counter.wait_idle()


def select_order(window: MainWindow, number: int) -> None:
    orders = window.orders
    for row in range(orders.proxy.rowCount()):
        order = orders.proxy.order_at(row)
        if order is not None and order.order_number == number:
            orders.table.selectRow(row)
            return
    raise AssertionError(f"order #{number} is not listed")


async def test_an_order_goes_from_the_counter_through_a_second_kitchen_terminal_to_pickup(
    qtbot: QtBot, stores: Any
) -> None:
    open_terminal, path = stores
    _, counter_window = await open_terminal()
    _, kitchen_window = await open_terminal(view="kitchen")
    await log_in(qtbot, counter_window, "luigi")
    await log_in(qtbot, kitchen_window, "rosa")
    counter = counter_window.counter

    await build_order(qtbot, counter_window, "555 010 2030")
    qtbot.keyClicks(counter.tendered, "50")
    await counter.wait_idle()
    change_shown = counter.change.text()
    qtbot.mouseClick(counter.place_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: counter.banner.isVisible())
    kitchen = kitchen_window.kitchen
    await wait_until(lambda: kitchen.model.rowCount() == 1, timeout=3)
    ticket = kitchen.model.index(0).data(kitchen.model.TicketRole)
    qtbot.keyClick(kitchen.tickets, Qt.Key.Key_1)
    qtbot.mouseClick(kitchen.start_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: kitchen.model.index(0).data(kitchen.model.TicketRole).status == "cooking")
    await wait_until(kitchen.ready_button.isEnabled)  # as a cook would: the next key once the screen is ready
    qtbot.keyClick(kitchen.tickets, Qt.Key.Key_Space)
    await wait_until(lambda: kitchen.model.index(0).data(kitchen.model.TicketRole).items[0].ready)
    await wait_until(kitchen.ready_button.isEnabled)
    qtbot.keyClick(kitchen.tickets, Qt.Key.Key_Space)
    await wait_until(lambda: kitchen.model.rowCount() == 0)
    counter_window.tabs.setCurrentWidget(counter_window.orders)
    orders = counter_window.orders
    await wait_until(lambda: any(o.status == "ready" for o in orders.model.orders), timeout=3)
    select_order(counter_window, ticket.order_number)
    await wait_until(lambda: orders.picked_up_button.isVisible() and orders.picked_up_button.isEnabled())
    qtbot.mouseClick(orders.picked_up_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: orders.model.orders[0].status == "picked_up")
    for window in (counter_window, kitchen_window):
        await window.wait_idle()  # the Picked up click's own task ends inside the test, never after its loop

    assert "Order #1" in counter.banner.text()
    assert change_shown.endswith("14.52")  # 50.00 − (19.49 + 15.99): margherita L + ham, pepperoni + mushrooms
    assert [(i.name, i.size, i.toppings) for i in ticket.items] == [
        ("Margherita", "large", ["Ham"]),
        ("Pepperoni", "medium", ["Mushrooms"]),
    ]
    assert ticket.items[1].special_instructions == "well done"
    sql = "SELECT event_type FROM events WHERE order_id IS NOT NULL ORDER BY position"
    events = [row[0] for row in query_store(path, [sql])[0]]
    assert events == [
        "OrderPlacedEvent",
        "PaymentProcessedEvent",
        "CookingStartedEvent",
        "PizzaReadyEvent",
        "PizzaReadyEvent",
        "OrderReadyEvent",
        "OrderPickedUpEvent",
    ]


async def test_a_bad_phone_number_is_shown_next_to_the_field_and_nothing_is_written(qtbot: QtBot, stores: Any) -> None:
    open_terminal, path = stores
    _, window = await open_terminal()
    await log_in(qtbot, window, "luigi")
    await build_order(qtbot, window, "12")
    qtbot.mouseClick(window.counter.card_button, Qt.MouseButton.LeftButton)
    before = row_counts(path)

    qtbot.mouseClick(window.counter.place_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: window.counter.phone_error.isVisible())

    assert "7 digits" in window.counter.phone_error.text()
    assert window.counter.cart.rowCount() == 2
    assert row_counts(path) == before


async def test_a_counter_user_cannot_see_manager_actions(qtbot: QtBot, stores: Any) -> None:
    open_terminal, _ = stores
    _, counter_window = await open_terminal()
    _, kitchen_window = await open_terminal(view="kitchen")
    await log_in(qtbot, counter_window, "luigi")
    await log_in(qtbot, kitchen_window, "rosa")
    await build_order(qtbot, counter_window, "555 010 2030")
    qtbot.mouseClick(counter_window.counter.card_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(counter_window.counter.place_button, Qt.MouseButton.LeftButton)
    kitchen = kitchen_window.kitchen
    await wait_until(lambda: kitchen.model.rowCount() == 1, timeout=3)
    qtbot.keyClick(kitchen.tickets, Qt.Key.Key_1)
    qtbot.mouseClick(kitchen.start_button, Qt.MouseButton.LeftButton)
    counter_window.tabs.setCurrentWidget(counter_window.orders)
    orders = counter_window.orders
    await wait_until(lambda: bool(orders.model.orders) and orders.model.orders[0].status == "cooking", timeout=3)

    select_order(counter_window, 1)
    await counter_window.wait_idle()
    await drain_tasks()

    assert not orders.cancel_button.isVisible()
    assert "Kitchen" not in [counter_window.tabs.tabText(i) for i in range(counter_window.tabs.count())]


async def test_two_kitchen_terminals_see_each_others_changes_within_a_second(qtbot: QtBot, stores: Any) -> None:
    open_terminal, _ = stores
    _, counter_window = await open_terminal()
    _, first = await open_terminal(view="kitchen")
    _, second = await open_terminal(view="kitchen")
    await log_in(qtbot, counter_window, "luigi")
    await log_in(qtbot, first, "rosa")
    await log_in(qtbot, second, "mario")
    await build_order(qtbot, counter_window, "555 010 2030")
    qtbot.mouseClick(counter_window.counter.card_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(counter_window.counter.place_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: first.kitchen.model.rowCount() == 1 and second.kitchen.model.rowCount() == 1, timeout=3)

    qtbot.keyClick(first.kitchen.tickets, Qt.Key.Key_1)
    qtbot.mouseClick(first.kitchen.start_button, Qt.MouseButton.LeftButton)
    started = time.perf_counter()
    status = second.kitchen.model.index(0).data
    await wait_until(lambda: status(second.kitchen.model.TicketRole).status == "cooking", timeout=1.0)
    seen_after = time.perf_counter() - started
    qtbot.keyClick(second.kitchen.tickets, Qt.Key.Key_1)
    await wait_until(second.kitchen.ready_button.isEnabled)
    qtbot.keyClick(second.kitchen.tickets, Qt.Key.Key_Space)
    started = time.perf_counter()
    await wait_until(
        lambda: first.kitchen.model.index(0).data(first.kitchen.model.TicketRole).items[0].ready, timeout=1.0
    )
    seen_back_after = time.perf_counter() - started

    assert seen_after < 1.0
    assert seen_back_after < 1.0


async def test_a_demo_store_says_demo_in_the_status_bar(stores: Any) -> None:
    open_terminal, _ = stores

    _, window = await open_terminal()

    assert window.demo_status.isVisible()
    assert window.demo_status.text() == "DEMO"


async def test_on_a_real_store_the_manager_changes_their_pin_in_the_main_window_and_logs_in_with_it(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "store.db"
    new_store = NewStore(manager_id="anna", manager_name="Anna Rossi", manager_pin="482916")
    async with create_app(f"sqlite:///{path}", new_store=new_store) as app:
        window = MainWindow(UiMediator(app.mediator), UiBridge(), app.settings.store_name, str(path))
        qtbot.addWidget(window)
        window.show()
        window.show_login()
        await window.wait_idle()
        demo_shown = window.demo_status.isVisible()
        await log_in(qtbot, window, "anna", "482916")
        qtbot.mouseClick(window.change_pin_button, Qt.MouseButton.LeftButton)
        dialog = window.change_pin_dialog
        assert dialog is not None
        qtbot.keyClicks(dialog.current_pin, "482916")
        qtbot.keyClicks(dialog.new_pin, "7351")
        qtbot.keyClicks(dialog.repeat_pin, "7351")
        qtbot.mouseClick(dialog.change_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: window.change_pin_dialog is None)
        qtbot.mouseClick(window.lock_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: window.session is None)
        await window.wait_idle()
        await log_in(qtbot, window, "anna", "7351")
        await window.wait_idle()
        await drain_tasks()

    assert demo_shown is False
    assert window.session is not None
    assert window.session.staff_id == "anna"
    assert [window.login.model.index(row).data() for row in range(window.login.model.rowCount())] == [
        "Anna Rossi\nManager"
    ]
