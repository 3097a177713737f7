"""Cancelling from the Orders screen: a reason from the list (and a note), confirmed in the panel; the core's
refusal of a missing reason is shown next to it."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from pos_app.mediation import OperationResult
from pos_app.messages.commands import CancelOrderCommand
from tests.conftest import wait_until
from tests.ui.samples import summary
from tests.ui.test_orders_view import click, click_order, finish, mediator_for, open_view


async def test_a_reason_chosen_from_the_list_is_sent_with_its_note(qtbot: QtBot) -> None:
    order = summary(4, status="pending")
    mediator = mediator_for([order])
    view = await open_view(qtbot, mediator)
    await click_order(qtbot, view, 4)

    click(qtbot, view.cancel_button)
    choice = view.cancel_panel.reason_choice
    choice.setCurrentIndex(choice.findData("wrong_order"))
    qtbot.keyClicks(view.cancel_reason, "meant a pepperoni")
    click(qtbot, view.confirm_cancel_button)

    await wait_until(lambda: len(mediator.sent_of(CancelOrderCommand)) == 1)
    await finish(view)
    assert mediator.sent_of(CancelOrderCommand) == [
        CancelOrderCommand(order_id=order.order_id, reason="meant a pepperoni", reason_code="wrong_order")
    ]
    assert choice.accessibleName() == "Reason"
    assert [choice.itemData(i) for i in range(choice.count())] == [
        None,
        "changed_mind",
        "waited_too_long",
        "wrong_order",
        "duplicate",
        "other",
    ]


async def test_a_missing_reason_is_shown_next_to_it_and_the_panel_stays_open(qtbot: QtBot) -> None:
    order = summary(4, status="pending")
    refusal = OperationResult.validation_error({"reason": ["Say why the order is cancelled"]})
    mediator = mediator_for([order], CancelOrderCommand=refusal)
    view = await open_view(qtbot, mediator)
    await click_order(qtbot, view, 4)

    click(qtbot, view.cancel_button)
    click(qtbot, view.confirm_cancel_button)

    await wait_until(lambda: view.cancel_reason_error.isVisible())
    await finish(view)
    assert "Say why" in view.cancel_reason_error.text()
    assert view.cancel_panel.isVisibleTo(view)
