"""After its own command a screen waits for the change notice's refresh before its buttons come back; if the notice
never comes, it refreshes once itself after a bound."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QObject, Qt, Signal

from pos_app.mediation import OperationResult
from pos_app.messages.commands import StartCookingCommand
from pos_app.messages.queries import GetKitchenQueueChangesQuery, GetKitchenQueueQuery
from pos_app.ui.views import base
from pos_app.ui.views.kitchen import KitchenView
from tests.conftest import wait_until
from tests.ui.conftest import FakeMediator
from tests.ui.samples import NOW, session, ticket

LEFT = Qt.MouseButton.LeftButton


class Notices(QObject):
    """Stands in for the UI bridge."""

    kitchen_changed = Signal()


async def kitchen_view(qtbot: Any, mediator: FakeMediator, notices: Notices) -> KitchenView:
    view = KitchenView(mediator, now=lambda: NOW)
    qtbot.addWidget(view)
    view.refresh_on(notices.kitchen_changed)
    view.set_session(session("rosa", "kitchen", "Rosa Bianchi"))
    view.resize(1366, 768)
    view.show()
    view.request_refresh()
    await view.wait_idle()
    view.select_row(0)
    await wait_until(view.start_button.isEnabled)
    return view


async def test_a_notified_screen_waits_for_the_notice_and_reads_the_queue_once(qtbot: Any) -> None:
    cooking = ticket(1, status="cooking")
    tickets = [ticket(1)]
    mediator = FakeMediator({GetKitchenQueueQuery: lambda _request: OperationResult.ok(list(tickets))})
    notices = Notices()
    view = await kitchen_view(qtbot, mediator, notices)
    reads = len(mediator.sent_of(GetKitchenQueueChangesQuery))

    qtbot.mouseClick(view.start_button, LEFT)
    await wait_until(lambda: len(mediator.sent_of(StartCookingCommand)) == 1)
    busy_before_the_notice = view.busy
    tickets[:] = [cooking]
    notices.kitchen_changed.emit()
    await wait_until(lambda: not view.busy)
    await view.wait_idle()

    assert busy_before_the_notice is True  # no double submit while the queue still shows the old state
    assert len(mediator.sent_of(GetKitchenQueueChangesQuery)) == reads + 1
    assert view.selected_ticket() == cooking


async def test_without_a_notice_the_screen_refreshes_itself_once_after_the_bound(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(base, "NOTICE_TIMEOUT_S", 0.2)
    mediator = FakeMediator({GetKitchenQueueQuery: OperationResult.ok([ticket(1)])})
    view = await kitchen_view(qtbot, mediator, Notices())
    reads = len(mediator.sent_of(GetKitchenQueueChangesQuery))

    qtbot.mouseClick(view.start_button, LEFT)
    await wait_until(lambda: len(mediator.sent_of(StartCookingCommand)) == 1)
    await wait_until(lambda: not view.busy, timeout=2)
    await view.wait_idle()

    assert len(mediator.sent_of(GetKitchenQueueChangesQuery)) == reads + 1


async def test_a_screen_nobody_notifies_refreshes_itself_right_after_its_command(qtbot: Any) -> None:
    mediator = FakeMediator({GetKitchenQueueQuery: OperationResult.ok([ticket(1)])})
    view = KitchenView(mediator, now=lambda: NOW)
    qtbot.addWidget(view)
    view.set_session(session("rosa", "kitchen", "Rosa Bianchi"))
    view.show()
    view.request_refresh()
    await view.wait_idle()
    view.select_row(0)
    reads = len(mediator.sent_of(GetKitchenQueueChangesQuery))

    qtbot.mouseClick(view.start_button, LEFT)
    await wait_until(lambda: len(mediator.sent_of(StartCookingCommand)) == 1)
    await wait_until(lambda: not view.busy, timeout=0.5)
    await view.wait_idle()

    assert len(mediator.sent_of(GetKitchenQueueChangesQuery)) == reads + 1
