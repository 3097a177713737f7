"""The main window: login by role, lock, status bar, remembered geometry and view, busy state, the bridge."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog, QLabel
from pytestqt.qtbot import QtBot

from pos_app.mediation import OperationResult
from pos_app.messages.commands import ChangePinCommand, LoginCommand, LogoutCommand
from pos_app.messages.dtos import OrderPageDto, StoreInfoDto
from pos_app.messages.queries import (
    GetKitchenQueueQuery,
    GetMenuQuery,
    GetOrdersQuery,
    GetStaffQuery,
    GetStoreInfoQuery,
)
from pos_app.ui.bridge import UiBridge
from pos_app.ui.main_window import MainWindow
from pos_app.ui.ui_mediator import UiMediator
from tests.conftest import drain_tasks, wait_signal, wait_until
from tests.ui.conftest import FakeMediator
from tests.ui.samples import MENU, STAFF, session, summary, ticket

SESSIONS = {s.id: session(s.id, s.role, s.name) for s in STAFF}


def answer_login(command: LoginCommand) -> OperationResult[Any]:
    return OperationResult.ok(SESSIONS[command.staff_id])


def fake() -> FakeMediator:
    return FakeMediator(
        {
            GetStaffQuery: OperationResult.ok(STAFF),
            LoginCommand: answer_login,
            GetMenuQuery: OperationResult.ok(MENU),
            GetKitchenQueueQuery: OperationResult.ok([ticket(1), ticket(2)]),
            GetOrdersQuery: OperationResult.ok(OrderPageDto(items=[summary(1)], total=1, page=1, page_size=1000)),
        }
    )


@pytest.fixture
async def window(qtbot: QtBot) -> Any:
    mediator = fake()
    main = MainWindow(UiMediator(mediator), UiBridge(), "Mario's Pizzeria", "/tmp/store.db")
    qtbot.addWidget(main)
    main.show()
    main.show_login()
    await main.wait_idle()
    yield main
    await main.wait_idle()
    await drain_tasks()


async def log_in(qtbot: QtBot, window: MainWindow, staff_id: str) -> None:
    login = window.login
    rect = login.staff_list.visualRect(login.model.index(login.model.row_of(staff_id)))
    qtbot.mouseClick(login.staff_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.keyClicks(login.pin, "1234")
    qtbot.mouseClick(login.login_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: window.session is not None)
    await window.wait_idle()


def tab_titles(window: MainWindow) -> list[str]:
    return [window.tabs.tabText(i) for i in range(window.tabs.count())]


@pytest.mark.parametrize(
    ("staff_id", "tabs"),
    [
        ("luigi", ["Counter", "Orders"]),
        ("rosa", ["Kitchen", "Orders"]),
        ("toni", ["Orders"]),
        ("mario", ["Counter", "Orders", "Kitchen"]),
    ],
)
async def test_the_role_decides_which_screens_are_shown(
    qtbot: QtBot, window: MainWindow, staff_id: str, tabs: list[str]
) -> None:
    await log_in(qtbot, window, staff_id)

    assert tab_titles(window) == tabs
    assert window.pages.currentIndex() == 1
    assert SESSIONS[staff_id].name in window.staff_status.text()
    assert window.kitchen.session is (SESSIONS[staff_id] if "Kitchen" in tabs else None)


async def test_the_lock_button_logs_out_and_returns_to_the_login_screen(qtbot: QtBot, window: MainWindow) -> None:
    await log_in(qtbot, window, "luigi")

    qtbot.mouseClick(window.lock_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: window.pages.currentIndex() == 0)

    assert window.session is None
    assert window.counter.session is None
    assert window.staff_status.text() == "Nobody logged in"
    assert window._mediator._mediator.sent_of(LogoutCommand)  # type: ignore[attr-defined]


async def test_the_status_bar_shows_the_store_and_its_state(window: MainWindow) -> None:
    window._mediator.store_state_changed.emit("The disk is full: changes cannot be saved")

    assert "Mario's Pizzeria" in window.store_status.text()
    assert "/tmp/store.db" in window.store_status.text()
    assert window.db_status.text() == "Store: The disk is full: changes cannot be saved"


@pytest.mark.parametrize("is_demo", [True, False])
async def test_the_status_bar_says_demo_on_a_demo_store_only(qtbot: QtBot, is_demo: bool) -> None:
    mediator = fake()
    mediator.responses[GetStoreInfoQuery] = OperationResult.ok(StoreInfoDto(name="Mario's Pizzeria", is_demo=is_demo))
    main = MainWindow(UiMediator(mediator), UiBridge(), "Mario's Pizzeria", "/tmp/store.db")
    qtbot.addWidget(main)
    main.show()

    main.show_login()
    await main.wait_idle()

    demo_labels = [
        label for label in main.statusBar().findChildren(QLabel) if label.text() == "DEMO" and label.isVisible()
    ]
    assert len(demo_labels) == (1 if is_demo else 0)
    assert mediator.sent_of(GetStoreInfoQuery)
    assert "/tmp/store.db" in main.store_status.text()
    await drain_tasks()


def answer_change_pin(command: ChangePinCommand) -> OperationResult[Any]:
    if command.current_pin != "2000":
        return OperationResult.failure(403, "The current PIN is wrong", {"current_pin": ["Wrong PIN"]})
    return OperationResult.ok(None)


async def test_change_pin_sends_the_current_and_the_new_pin_and_closes_when_it_succeeded(
    qtbot: QtBot, window: MainWindow
) -> None:
    window._mediator._mediator.responses[ChangePinCommand] = answer_change_pin  # type: ignore[attr-defined]
    await log_in(qtbot, window, "luigi")
    qtbot.mouseClick(window.change_pin_button, Qt.MouseButton.LeftButton)
    dialog = window.change_pin_dialog
    assert dialog is not None
    assert dialog.isVisible()
    finished: list[int] = []
    dialog.finished.connect(finished.append)
    qtbot.keyClicks(dialog.current_pin, "1111")
    qtbot.keyClicks(dialog.new_pin, "246810")
    qtbot.keyClicks(dialog.repeat_pin, "246810")

    qtbot.mouseClick(dialog.change_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: dialog.current_pin_error.isVisible())
    still_open = dialog.isVisible()
    current_pin_error = dialog.current_pin_error.text()
    qtbot.keyClicks(dialog.current_pin, "2000")
    qtbot.mouseClick(dialog.change_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: bool(finished))
    await drain_tasks()

    sent = window._mediator._mediator.sent_of(ChangePinCommand)  # type: ignore[attr-defined]
    assert sent == [
        ChangePinCommand(current_pin="1111", new_pin="246810"),
        ChangePinCommand(current_pin="2000", new_pin="246810"),
    ]
    assert still_open
    assert current_pin_error == "Wrong PIN"
    assert finished == [QDialog.DialogCode.Accepted.value]
    assert window.change_pin_dialog is None
    assert window.statusBar().currentMessage() == "PIN changed"


async def test_change_pin_with_two_different_new_pins_sends_nothing(qtbot: QtBot, window: MainWindow) -> None:
    await log_in(qtbot, window, "luigi")
    qtbot.mouseClick(window.change_pin_button, Qt.MouseButton.LeftButton)
    dialog = window.change_pin_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.current_pin, "2000")
    qtbot.keyClicks(dialog.new_pin, "246810")
    qtbot.keyClicks(dialog.repeat_pin, "246811")

    qtbot.mouseClick(dialog.change_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: dialog.repeat_pin_error.isVisible())
    await drain_tasks()

    assert window._mediator._mediator.sent_of(ChangePinCommand) == []  # type: ignore[attr-defined]
    assert dialog.isVisible()
    dialog.reject()


async def test_the_last_view_and_the_window_geometry_are_remembered(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    await log_in(qtbot, window, "mario")
    window.tabs.setCurrentWidget(window.kitchen)
    window.move(40, 50)
    saved = window.saveGeometry()
    window.close()
    restored: list[object] = []
    monkeypatch.setattr(MainWindow, "restoreGeometry", lambda self, geometry: restored.append(geometry) or True)

    second = MainWindow(UiMediator(fake()), UiBridge(), "Mario's Pizzeria", "/tmp/store.db")
    qtbot.addWidget(second)
    second.show()
    second.show_login()
    await second.wait_idle()
    await log_in(qtbot, second, "mario")

    assert QSettings().value("main/last_view") == "kitchen"
    assert second.tabs.currentWidget() is second.kitchen
    assert restored == [saved]
    await second.wait_idle()


async def test_a_kitchen_terminal_shows_only_the_kitchen_screen(qtbot: QtBot) -> None:
    single = MainWindow(UiMediator(fake()), UiBridge(), "Mario's Pizzeria", "store.db", single_view="kitchen")
    qtbot.addWidget(single)
    single.show()
    single.show_login()
    await single.wait_idle()

    await log_in(qtbot, single, "rosa")

    assert tab_titles(single) == ["Kitchen"]
    assert not single.tabs.tabBar().isVisible()
    assert "Kitchen" in single.windowTitle()
    await single.wait_idle()


async def test_a_counter_login_on_a_kitchen_terminal_is_refused(qtbot: QtBot) -> None:
    single = MainWindow(UiMediator(fake()), UiBridge(), "Mario's Pizzeria", "store.db", single_view="kitchen")
    qtbot.addWidget(single)
    single.show()
    single.show_login()
    await single.wait_idle()
    login = single.login
    login.select_staff("luigi")
    qtbot.keyClicks(login.pin, "2000")

    qtbot.mouseClick(login.login_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: login.error.isVisible())
    await drain_tasks()

    assert single.pages.currentIndex() == 0
    assert "cannot use it" in login.error.text()
    await single.wait_idle()


async def test_a_request_slower_than_150_ms_shows_a_busy_state(qtbot: QtBot) -> None:
    release = asyncio.Event()

    class Slow:
        async def execute_async(self, request: Any) -> Any:
            await release.wait()
            return OperationResult.ok(None)

    mediator = UiMediator(Slow())
    states: list[bool] = []
    mediator.busy_changed.connect(states.append)

    task = asyncio.get_running_loop().create_task(mediator.execute_async(GetMenuQuery()))
    await asyncio.sleep(0.05)
    busy_early = mediator.busy
    await wait_signal(mediator.busy_changed, timeout=2)
    release.set()
    await task

    assert busy_early is False
    assert states == [True, False]


async def test_a_fast_request_never_shows_a_busy_state() -> None:
    mediator = UiMediator(FakeMediator())
    states: list[bool] = []
    mediator.busy_changed.connect(states.append)

    await mediator.execute_async(GetMenuQuery())
    await asyncio.sleep(0.2)

    assert states == []


async def test_the_bridge_turns_a_burst_of_changes_into_one_signal_per_screen() -> None:
    bridge = UiBridge()
    kitchen: list[int] = []
    orders: list[int] = []
    bridge.kitchen_changed.connect(lambda: kitchen.append(1))
    bridge.orders_changed.connect(lambda: orders.append(1))

    for _ in range(5):
        bridge.notify(frozenset({"orders", "kitchen"}))
    await wait_signal(bridge.orders_changed)
    await asyncio.sleep(0.05)

    assert (len(kitchen), len(orders)) == (1, 1)
