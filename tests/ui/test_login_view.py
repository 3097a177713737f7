"""The login screen: names, PIN by keyboard and keypad, refusals."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos_app.mediation import OperationResult
from pos_app.messages.commands import LoginCommand
from pos_app.messages.queries import GetStaffQuery
from pos_app.ui.models.staff import StaffListModel
from pos_app.ui.views.login import LoginView
from tests.conftest import drain_tasks, wait_signal
from tests.ui.conftest import FakeMediator
from tests.ui.samples import STAFF, session


def answer_login(command: LoginCommand) -> OperationResult[Any]:
    if command.pin == "2000":
        return OperationResult.ok(session())
    return OperationResult.forbidden("Unknown staff member or wrong PIN")


@pytest.fixture
async def view(qtbot: QtBot) -> Any:
    mediator = FakeMediator({GetStaffQuery: OperationResult.ok(STAFF), LoginCommand: answer_login})
    login = LoginView(mediator)
    qtbot.addWidget(login)
    login.show()
    login.request_refresh()
    await login.wait_idle()
    yield login
    await drain_tasks()


def test_the_staff_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    model = StaffListModel()
    model.apply(STAFF)

    qtmodeltester.check(model)


async def test_choosing_a_name_and_typing_the_pin_on_the_keypad_logs_in(qtbot: QtBot, view: LoginView) -> None:
    rect = view.staff_list.visualRect(view.model.index(view.model.row_of("luigi")))
    qtbot.mouseClick(view.staff_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    for key in "2000":
        qtbot.mouseClick(view.keys[key], Qt.MouseButton.LeftButton)
    waiting = wait_signal(view.logged_in)

    qtbot.mouseClick(view.login_button, Qt.MouseButton.LeftButton)
    (logged_in,) = await waiting

    assert logged_in.staff_id == "luigi"
    assert view._mediator.sent_of(LoginCommand) == [LoginCommand(staff_id="luigi", pin="2000")]  # type: ignore[attr-defined]
    assert view.pin.text() == ""


async def test_a_wrong_pin_typed_on_the_keyboard_is_refused_with_a_message(qtbot: QtBot, view: LoginView) -> None:
    view.select_staff("luigi")

    qtbot.keyClicks(view.pin, "1234")
    qtbot.keyClick(view.pin, Qt.Key.Key_Return)
    await view.wait_idle()
    await drain_tasks()

    assert view.error.isVisible()
    assert view.error.text() == "Unknown staff member or wrong PIN"
    assert view.pin.text() == ""


async def test_the_pin_field_takes_digits_only_and_the_keypad_can_correct(qtbot: QtBot, view: LoginView) -> None:
    view.select_staff("rosa")

    qtbot.keyClicks(view.pin, "3a0x")
    qtbot.mouseClick(view.keys["⌫"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.keys["7"], Qt.MouseButton.LeftButton)

    assert view.pin.text() == "37"


async def test_logging_in_without_choosing_a_name_asks_for_it(qtbot: QtBot, view: LoginView) -> None:
    qtbot.mouseClick(view.keys["1"], Qt.MouseButton.LeftButton)

    qtbot.mouseClick(view.login_button, Qt.MouseButton.LeftButton)
    await drain_tasks()

    assert view.error.text() == "Choose your name first"
    assert view._mediator.sent_of(LoginCommand) == []  # type: ignore[attr-defined]
