"""Taking whole orders on the real main window and a real store file with the keyboard alone: every key goes to the
widget that has the focus (`QApplication.focusWidget()`), no mouse, no widget called; the store is then asked,
through the mediator, whether it holds what was keyed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from pos_app.bootstrap import App, create_app
from pos_app.messages.dtos import OrderPlacedDto
from pos_app.messages.queries import GetOrderByIdQuery
from pos_app.ui.bridge import UiBridge
from pos_app.ui.main_window import MainWindow
from pos_app.ui.models.menu import ToppingsModel
from pos_app.ui.ui_mediator import UiMediator
from pos_app.ui.views.counter import CounterView
from tests.conftest import drain_tasks, wait_until

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
async def terminal(tmp_path: Path, qtbot: QtBot) -> AsyncIterator[tuple[App, MainWindow]]:
    async with create_app(f"sqlite:///{tmp_path / 'store.db'}") as app:
        bridge = UiBridge()
        app.changes.subscribe(bridge.notify)
        window = MainWindow(UiMediator(app.mediator), bridge, app.settings.store_name, str(tmp_path))
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        window.activateWindow()
        window.show_login()
        await window.wait_idle()
        yield app, window
        await window.wait_idle()
    await drain_tasks()


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def key(qtbot: QtBot, name: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focused(), name, modifier)


def type_in(qtbot: QtBot, text: str) -> None:
    qtbot.keyClicks(focused(), text)


def select_all_and_type(qtbot: QtBot, text: str) -> None:
    """Replace what the focused field holds (a spin box starts at its lowest value)."""
    key(qtbot, Qt.Key.Key_A, CTRL)
    type_in(qtbot, text)


async def log_in_with_keys(qtbot: QtBot, window: MainWindow, staff_id: str, pin: str) -> None:
    login = window.login
    await wait_until(lambda: login.model.row_of(staff_id) >= 0)
    assert focused() is login.staff_list
    for _ in range(login.model.rowCount() + 1):
        if login.selected_staff is not None and login.selected_staff.id == staff_id:
            break
        key(qtbot, Qt.Key.Key_Right)
    assert login.selected_staff is not None
    assert login.selected_staff.id == staff_id
    assert focused() is login.staff_list  # the arrows kept the focus in the list
    type_in(qtbot, pin)  # digits typed on the list go to the PIN
    key(qtbot, Qt.Key.Key_Return)
    await wait_until(lambda: window.session is not None)
    await window.wait_idle()


def move_to_topping(qtbot: QtBot, window: MainWindow, topping_id: str) -> None:
    view = window.counter.toppings_view
    assert focused() is view
    for _ in range(view.model().rowCount() + 1):
        current = view.currentIndex().data(ToppingsModel.ToppingRole)
        if current is not None and current.id == topping_id:
            return
        key(qtbot, Qt.Key.Key_Right)
    raise AssertionError(f"{topping_id} is not offered")


async def take_dine_in_with_keys(
    qtbot: QtBot, counter: CounterView, searches: tuple[str, ...], phone: str, name: str, table: int, covers: int
) -> None:
    """A dine-in order paid by card, from the keys alone: each search's match added with Enter, the phone looked
    up, the name, dine-in (Alt+I) at `table` for `covers` (Alt+T, Tab), card (Alt+R), placed with F12."""
    key(qtbot, Qt.Key.Key_F, CTRL)
    for text in searches:
        type_in(qtbot, text)
        key(qtbot, Qt.Key.Key_Return)
    await wait_until(lambda: counter.cart.rowCount() == len(searches))
    key(qtbot, Qt.Key.Key_P, CTRL)
    type_in(qtbot, phone)
    key(qtbot, Qt.Key.Key_Return)
    type_in(qtbot, name)
    key(qtbot, Qt.Key.Key_I, ALT)
    key(qtbot, Qt.Key.Key_R, ALT)
    await wait_until(lambda: counter.customer_panel.order_type == "dine_in")
    key(qtbot, Qt.Key.Key_T, ALT)  # a dine-in order needs its table
    assert focused() is counter.table_panel.table
    select_all_and_type(qtbot, str(table))
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is counter.table_panel.covers
    select_all_and_type(qtbot, str(covers))
    await wait_until(lambda: counter.payment_panel.payment_method == "card")
    await counter.wait_idle()
    key(qtbot, Qt.Key.Key_F12)


async def placed_order(window: MainWindow, placed: list[OrderPlacedDto], count: int) -> OrderPlacedDto:
    await wait_until(lambda: len(placed) == count)
    await window.wait_idle()
    return placed[-1]


@pytest.mark.asyncio
async def test_a_delivery_and_a_dine_in_order_are_taken_with_the_keyboard_alone(
    qtbot: QtBot, terminal: tuple[App, MainWindow]
) -> None:
    app, window = terminal
    counter = window.counter
    placed: list[OrderPlacedDto] = []
    counter.order_placed.connect(placed.append)
    await log_in_with_keys(qtbot, window, "luigi", "2000")
    await wait_until(lambda: counter.menu_model.item("margherita") is not None)
    assert window.login.error.isHidden()  # no stale message on the way in

    # a large Margherita with ham and olives, well done, for delivery, cash 60
    assert focused() is counter.menu_search
    type_in(qtbot, "marg")
    key(qtbot, Qt.Key.Key_Down)
    assert focused() is counter.menu_grid
    key(qtbot, Qt.Key.Key_Return)
    assert counter.item_panel.current_item is not None
    assert counter.item_panel.current_item.id == "margherita"
    assert focused() is counter.size_buttons["medium"]
    key(qtbot, Qt.Key.Key_Right)  # the sizes are one Tab stop; the arrows choose
    assert focused() is counter.size_buttons["large"]
    assert counter.size_buttons["large"].isChecked()
    key(qtbot, Qt.Key.Key_Tab)
    move_to_topping(qtbot, window, "olives")
    key(qtbot, Qt.Key.Key_Space)
    move_to_topping(qtbot, window, "ham")
    key(qtbot, Qt.Key.Key_Space)
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is counter.notes
    type_in(qtbot, "well done")
    key(qtbot, Qt.Key.Key_Return)
    await wait_until(lambda: counter.cart.rowCount() == 1)
    assert focused() is counter.menu_search  # ready for the next item
    type_in(qtbot, "cola")
    key(qtbot, Qt.Key.Key_Return)
    await wait_until(lambda: counter.cart.rowCount() == 2)
    key(qtbot, Qt.Key.Key_P, CTRL)
    type_in(qtbot, "555 010 7788")
    key(qtbot, Qt.Key.Key_Return)
    assert focused() is counter.name
    type_in(qtbot, "Anna Conti")
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is counter.type_buttons["pickup"]
    key(qtbot, Qt.Key.Key_Right)  # the order types are one Tab stop; the arrows choose
    assert counter.customer_panel.order_type == "delivery"
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is counter.address
    type_in(qtbot, "Via Roma 12")
    key(qtbot, Qt.Key.Key_T, CTRL)
    assert focused() is counter.tendered
    type_in(qtbot, "60")
    await counter.wait_idle()
    key(qtbot, Qt.Key.Key_Return, CTRL)
    delivery = await placed_order(window, placed, 1)

    # Tiramisù and a Pepperoni, dine-in, by card, placed with F12
    await take_dine_in_with_keys(qtbot, counter, ("tira", "pepp"), "555 010 9900", "Bruno Neri", table=7, covers=4)
    dine_in = await placed_order(window, placed, 2)

    first = (await app.mediator.execute_async(GetOrderByIdQuery(order_id=delivery.order_id))).data
    second = (await app.mediator.execute_async(GetOrderByIdQuery(order_id=dine_in.order_id))).data
    assert first is not None
    assert second is not None
    assert [(i.pizza_id, i.size, i.toppings, i.special_instructions) for i in first.items] == [
        ("margherita", "large", ["olives", "ham"], "well done"),  # toppings in menu order
        ("cola", "medium", [], ""),
    ]
    assert (first.order_type, first.customer_name, first.customer_phone, first.customer_address) == (
        "delivery",
        "Anna Conti",
        "5550107788",  # the core keeps the digits
        "Via Roma 12",
    )
    assert (first.payment_method, first.amount_tendered, first.paid) == ("cash", Decimal("60.00"), True)
    assert first.change_due == Decimal("60.00") - first.total_amount
    assert [(i.pizza_id, i.size) for i in second.items] == [("tiramisu", "medium"), ("pepperoni", "medium")]
    assert (second.order_type, second.customer_name, second.customer_phone) == ("dine_in", "Bruno Neri", "5550109900")
    assert (second.payment_method, second.paid) == ("card", True)
    assert (second.table_number, second.covers) == (7, 4)
