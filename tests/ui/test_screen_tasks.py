"""A screen's refreshes end with the screen: a refresh still waiting for its answer when the screen closes or is
destroyed is cancelled, and never touches the widgets it would have filled."""

from __future__ import annotations

import asyncio
import gc
import sys
import warnings
from collections.abc import Iterator
from types import TracebackType
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QItemSelection
from PySide6.QtWidgets import QApplication, QDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from pos_app.mediation import OperationResult
from pos_app.messages.dtos import OrderPageDto
from pos_app.messages.queries import (
    GetKitchenQueueChangesQuery,
    GetKitchenQueueQuery,
    GetOrderByIdQuery,
    GetOrdersQuery,
    GetStaffQuery,
)
from pos_app.ui.bridge import UiBridge
from pos_app.ui.main_window import MainWindow
from pos_app.ui.slots import async_slot, spawn
from pos_app.ui.ui_mediator import UiMediator
from pos_app.ui.views.kitchen import KitchenView
from pos_app.ui.views.orders import OrdersView
from tests.conftest import wait_until
from tests.ui.conftest import FakeMediator
from tests.ui.samples import NOW, STAFF, session, summary, ticket

KITCHEN = session("rosa", "kitchen", "Rosa Bianchi")
MANAGER = session("mario", "manager", "Mario Rossi")
HeldBack = type[Any] | tuple[type[Any], ...]


class HeldMediator(FakeMediator):
    """Answers as FakeMediator, but requests of the `held` types wait for `release` first."""

    def __init__(self, responses: dict[type[Any], Any], held: HeldBack) -> None:
        super().__init__(responses)
        self.held = held
        self.release = asyncio.Event()
        self.waiting = 0

    async def execute_async(self, request: Any) -> Any:
        if isinstance(request, self.held):
            self.waiting += 1
            await self.release.wait()
        return await super().execute_async(request)


@pytest.fixture
def failures(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[BaseException]]:
    """What reached `sys.excepthook` (a background task that raised) and every warning, during the test. Closing
    the last window does not quit the application (as in the product), so the test's loop runs on."""
    caught: list[BaseException] = []
    quits = qapp.quitOnLastWindowClosed()
    qapp.setQuitOnLastWindowClosed(False)

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        caught.append(error)

    monkeypatch.setattr(sys, "excepthook", hook)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        yield caught
    qapp.setQuitOnLastWindowClosed(quits)
    caught.extend(Warning(str(w.message)) for w in seen)


def page(*numbers: int) -> OperationResult[OrderPageDto]:
    return OperationResult.ok(
        OrderPageDto(items=[summary(n) for n in numbers], total=len(numbers), page=1, page_size=50)
    )


async def settle(*tasks: asyncio.Task[Any]) -> None:
    """Let the released requests answer and every task run to its end."""
    await asyncio.wait(set(tasks), timeout=5)
    await asyncio.sleep(0)


async def test_a_refresh_waiting_for_its_answer_is_cancelled_when_the_screen_is_destroyed(
    qtbot: QtBot, failures: list[BaseException]
) -> None:
    mediator = HeldMediator({GetKitchenQueueQuery: OperationResult.ok([ticket(1)])}, GetKitchenQueueChangesQuery)
    view = KitchenView(mediator, now=lambda: NOW)
    view.set_session(KITCHEN)
    view.show()
    view.request_refresh()
    await wait_until(lambda: mediator.waiting == 1)
    refresh = view._refresh_task
    assert refresh is not None

    shiboken6.delete(view)
    mediator.release.set()
    await settle(refresh)

    assert refresh.cancelled()
    assert failures == []


async def test_a_refresh_waiting_for_its_answer_is_cancelled_when_the_screen_closes(
    qtbot: QtBot, failures: list[BaseException]
) -> None:
    mediator = HeldMediator({GetOrdersQuery: page(1, 2), GetStaffQuery: OperationResult.ok(STAFF)}, GetOrdersQuery)
    view = OrdersView(mediator)
    qtbot.addWidget(view)
    view.set_session(MANAGER)
    view.show()
    view.request_refresh()
    await wait_until(lambda: mediator.waiting == 1)
    refresh = view._refresh_task
    assert refresh is not None

    view.close()
    view.request_refresh()  # e.g. another terminal's commit arrives after the close
    mediator.release.set()
    await settle(refresh)

    assert refresh.cancelled()
    assert view._refresh_task is refresh  # no new refresh started on the closed screen
    assert view.model.rowCount() == 0
    assert failures == []


async def test_closing_the_window_cancels_the_refreshes_of_its_screens(
    qtbot: QtBot, failures: list[BaseException]
) -> None:
    mediator = HeldMediator(
        {GetOrdersQuery: page(1), GetKitchenQueueQuery: OperationResult.ok([ticket(1)])},
        (GetOrdersQuery, GetKitchenQueueChangesQuery),
    )
    window = MainWindow(UiMediator(mediator), UiBridge(), "Mario's Pizzeria", "/tmp/store.db")
    window.show()
    for screen in (window.orders, window.kitchen):
        screen.set_session(MANAGER)
        screen.request_refresh()
    await wait_until(lambda: mediator.waiting == 2)
    refreshes = [window.orders._refresh_task, window.kitchen._refresh_task]

    window.close()
    shiboken6.delete(window)
    mediator.release.set()
    await settle(*(task for task in refreshes if task is not None))

    assert [task is not None and task.cancelled() for task in refreshes] == [True, True]
    assert failures == []


async def test_a_slot_waiting_for_its_answer_is_cancelled_when_the_screen_is_destroyed(
    qtbot: QtBot, failures: list[BaseException]
) -> None:
    mediator = HeldMediator({GetOrdersQuery: page(1), GetStaffQuery: OperationResult.ok(STAFF)}, GetOrderByIdQuery)
    view = OrdersView(mediator)
    view.set_session(MANAGER)
    view.show()
    view.request_refresh()
    await view.wait_idle()
    view.table.selectRow(0)  # the selection's slot loads the order's detail
    await wait_until(lambda: mediator.waiting == 1)
    slots = [task for task in asyncio.all_tasks() if task is not asyncio.current_task() and not task.done()]
    assert slots

    shiboken6.delete(view)
    mediator.release.set()
    await settle(*slots)

    assert all(task.cancelled() for task in slots)
    assert failures == []


class BusyScreen(QWidget):
    """A screen whose slot disables its button while it waits, and enables it again in a `finally`."""

    def __init__(self, release: asyncio.Event) -> None:
        super().__init__()
        self.release = release
        self.button = QPushButton("Go", self)

    @async_slot()
    async def _on_button_clicked(self) -> None:
        self.button.setEnabled(False)
        try:
            await self.release.wait()
        finally:
            self.button.setEnabled(True)


async def test_a_slot_cleaning_up_after_its_screen_was_destroyed_ends_as_cancelled(
    qtbot: QtBot, failures: list[BaseException]
) -> None:
    release = asyncio.Event()
    screen = BusyScreen(release)
    screen.show()
    task: Any = screen._on_button_clicked()
    await wait_until(lambda: not screen.button.isEnabled())

    shiboken6.delete(screen)
    release.set()
    await settle(task)

    assert task.cancelled()
    assert failures == []


async def test_a_slot_of_an_object_that_is_not_a_widget_still_runs() -> None:
    ran: list[str] = []

    @async_slot()
    async def slot() -> None:
        ran.append("ran")

    call: Any = slot
    task = call(QItemSelection())  # a trailing argument the slot does not take is dropped
    await asyncio.wait({task})

    assert ran == ["ran"]


async def test_the_window_waits_for_a_screens_slot_in_flight_before_it_is_idle(
    qtbot: QtBot, failures: list[BaseException]
) -> None:
    """Shutdown and tests wait for the window to be idle: a slot still waiting for its answer (a click's command)
    must end first, or it resumes after the store or the loop is gone."""
    mediator = HeldMediator({GetOrdersQuery: page(1), GetStaffQuery: OperationResult.ok(STAFF)}, GetOrderByIdQuery)
    window = MainWindow(UiMediator(mediator), UiBridge(), "Mario's Pizzeria", "/tmp/store.db")
    qtbot.addWidget(window)
    window.show()
    orders = window.orders
    orders.set_session(MANAGER)
    orders.request_refresh()
    await orders.wait_idle()
    orders.table.selectRow(0)  # the selection's slot loads the order's detail and waits for it
    await wait_until(lambda: mediator.waiting == 1)

    idle = asyncio.ensure_future(window.wait_idle())
    await asyncio.sleep(0.05)  # room for a wrong answer: wait_idle must still be waiting on the held slot
    assert not idle.done()
    mediator.release.set()
    await asyncio.wait_for(idle, timeout=5)

    assert [task for task in asyncio.all_tasks() if task is not asyncio.current_task() and not task.done()] == []
    assert failures == []


async def test_closing_the_window_answers_an_open_dialog_so_shutdown_waits_for_nothing_else(
    qtbot: QtBot, failures: list[BaseException]
) -> None:
    window = MainWindow(UiMediator(FakeMediator({})), UiBridge(), "Mario's Pizzeria", "/tmp/store.db")
    qtbot.addWidget(window)
    window.show()
    dialog = QDialog(window.orders)
    answers: list[int] = []

    async def ask() -> None:  # as a slot asking a manager's approval waits for its dialog
        answer: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        dialog.finished.connect(answer.set_result)
        dialog.open()
        answers.append(await answer)

    spawn(window.orders, ask())
    await wait_until(dialog.isVisible)

    window.close()
    await asyncio.wait_for(window.wait_idle(), timeout=5)

    assert answers == [QDialog.DialogCode.Rejected.value]
    assert failures == []


async def test_a_task_cancelled_before_it_starts_leaves_no_coroutine_never_awaited(
    qtbot: QtBot, failures: list[BaseException]
) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    started: list[bool] = []

    async def refresh() -> None:
        started.append(True)

    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        task = spawn(owner, refresh(), refresh=True)
        task.cancel()  # a screen that closes at once: its refresh never takes its first step
        await asyncio.wait({task}, timeout=5)
        cancelled = task.cancelled()
        del task
        gc.collect()

    assert cancelled
    assert started == []
    assert [str(warning.message) for warning in seen] == []
    assert failures == []
