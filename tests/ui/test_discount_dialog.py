"""A discount from the Orders screen: the dialog's fields become `ApplyDiscountCommand`; above the limit the core
answers 403 and a manager's PIN on this till sends it again."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos_app.mediation import OperationResult
from pos_app.messages.commands import ApplyDiscountCommand
from tests.conftest import wait_until
from tests.ui.samples import order_detail, summary
from tests.ui.test_orders_view import click, click_order, finish, mediator_for, open_view

NEEDS_MANAGER: OperationResult[Any] = OperationResult.failure(
    403, "A discount of 6.90 (over 10% of order #4) needs a manager's approval", {"approver_pin": ["PIN needed"]}
)


def discount_answer(request: ApplyDiscountCommand) -> OperationResult[Any]:
    if request.approver_pin != "1000":
        return NEEDS_MANAGER
    return OperationResult.ok(order_detail(4).model_copy(update={"discount": Decimal("6.90")}))


async def test_a_discount_over_the_limit_is_approved_by_a_manager_on_the_till(qtbot: QtBot) -> None:
    order = summary(4, status="pending")
    mediator = mediator_for([order])
    mediator.responses[ApplyDiscountCommand] = discount_answer
    view = await open_view(qtbot, mediator, "counter", "luigi")
    await click_order(qtbot, view, 4)

    offered = view.actions_box.discount_button.isVisibleTo(view)
    click(qtbot, view.actions_box.discount_button)
    await wait_until(lambda: view.discount_dialog is not None and view.discount_dialog.isVisible())
    dialog = view.discount_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.value, "20")
    qtbot.keyClicks(dialog.reason, "pizza was late")
    click(qtbot, dialog.give_button)
    await wait_until(lambda: view.discount_approval is not None and view.discount_approval.isVisible())
    approval = view.discount_approval
    assert approval is not None
    qtbot.keyClicks(approval.pin, "1000")
    qtbot.keyClick(approval.pin, Qt.Key.Key_Return)
    await wait_until(lambda: len(mediator.sent_of(ApplyDiscountCommand)) == 2)
    await finish(view)

    assert offered
    first, approved = mediator.sent_of(ApplyDiscountCommand)
    assert (first.percent, first.amount, first.line_index, first.reason) == (
        Decimal("20.00"),
        None,
        None,
        "pizza was late",
    )
    assert (first.approver_id, first.approver_pin) == (None, None)
    assert (approved.approver_id, approved.approver_pin, approved.percent) == ("mario", "1000", Decimal("20.00"))
    assert not approval.isVisible()


async def test_an_amount_on_one_line_is_sent_for_that_line(qtbot: QtBot) -> None:
    order = summary(4, status="pending")
    mediator = mediator_for([order])
    mediator.responses[ApplyDiscountCommand] = OperationResult.ok(order_detail(4))
    view = await open_view(qtbot, mediator, "counter", "luigi")
    await click_order(qtbot, view, 4)

    click(qtbot, view.actions_box.discount_button)
    await wait_until(lambda: view.discount_dialog is not None and view.discount_dialog.isVisible())
    dialog = view.discount_dialog
    assert dialog is not None
    dialog.kind.setCurrentIndex(dialog.kind.findData("amount"))
    dialog.line.setCurrentIndex(dialog.line.findData(1))
    qtbot.keyClicks(dialog.value, "2,50")
    qtbot.keyClicks(dialog.reason, "burnt crust")
    click(qtbot, dialog.give_button)
    await wait_until(lambda: len(mediator.sent_of(ApplyDiscountCommand)) == 1)
    await finish(view)

    [sent] = mediator.sent_of(ApplyDiscountCommand)
    assert (sent.amount, sent.percent, sent.line_index) == (Decimal("2.50"), None, 1)


async def test_a_ready_order_offers_no_discount(qtbot: QtBot) -> None:
    view = await open_view(qtbot, mediator_for([summary(4, status="ready")]), "counter", "luigi")
    await click_order(qtbot, view, 4)

    assert not view.actions_box.discount_button.isVisibleTo(view)
    assert not view.actions_box.edit_button.isVisibleTo(view)
    await finish(view)
