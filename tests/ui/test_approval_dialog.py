"""A counter user cancelling a paid order: the Orders screen asks for a manager and their PIN, on the same till."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos_app.mediation import OperationResult
from pos_app.messages.commands import CancelOrderCommand
from tests.conftest import wait_until
from tests.ui.samples import summary
from tests.ui.test_orders_view import click, click_order, finish, mediator_for, open_view

NEEDS_MANAGER = OperationResult.failure(
    403,
    "Order #4 is paid: cancelling it refunds 34.48, which needs a manager's approval (manager and PIN)",
    {"approver_pin": ["A manager's PIN is needed"]},
)


def cancel_answer(request: CancelOrderCommand) -> OperationResult[Any]:
    return OperationResult.ok(None) if request.approver_pin == "1000" else NEEDS_MANAGER


async def test_a_counter_user_cancelling_a_paid_order_is_asked_for_a_manager_and_pin(qtbot: QtBot) -> None:
    order = summary(4, status="pending", paid=True)
    mediator = mediator_for([order], CancelOrderCommand=cancel_answer)
    view = await open_view(qtbot, mediator, "counter", "luigi")
    await click_order(qtbot, view, 4)
    click(qtbot, view.cancel_button)
    qtbot.keyClicks(view.cancel_reason, "wrong pizza")

    click(qtbot, view.confirm_cancel_button)
    await wait_until(lambda: getattr(view, "approval_dialog", None) is not None and view.approval_dialog.isVisible())
    dialog = view.approval_dialog
    managers = [dialog.manager.itemData(i) for i in range(dialog.manager.count())]
    qtbot.keyClicks(dialog.pin, "1000")
    qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)
    await wait_until(lambda: len(mediator.sent_of(CancelOrderCommand)) == 2)
    await finish(view)

    assert managers == ["mario"]
    first, approved = mediator.sent_of(CancelOrderCommand)
    assert first == CancelOrderCommand(order_id=order.order_id, reason="wrong pizza")
    assert approved == CancelOrderCommand(
        order_id=order.order_id, reason="wrong pizza", approver_id="mario", approver_pin="1000"
    )
    assert not dialog.isVisible()
    assert not view.cancel_panel.isVisibleTo(view)


async def test_closing_the_approval_dialog_sends_nothing_more(qtbot: QtBot) -> None:
    order = summary(4, status="pending", paid=True)
    mediator = mediator_for([order], CancelOrderCommand=cancel_answer)
    view = await open_view(qtbot, mediator, "counter", "luigi")
    await click_order(qtbot, view, 4)
    click(qtbot, view.cancel_button)

    click(qtbot, view.confirm_cancel_button)
    await wait_until(lambda: getattr(view, "approval_dialog", None) is not None and view.approval_dialog.isVisible())
    view.approval_dialog.reject()
    await finish(view)

    assert len(mediator.sent_of(CancelOrderCommand)) == 1
    assert "manager's approval" in view.error.text() + view.cancel_reason_error.text()
