"""The manager's "Left open (N)" list on the Orders screen: shown to a manager only, one click closes an order as
completed, "Cancel…" asks for the reason first; a refusal is shown and nothing else changes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos_app.mediation import OperationResult
from pos_app.messages.commands import CloseLeftOpenOrderCommand
from pos_app.messages.dtos import OrderPageDto, OrderSummaryDto
from pos_app.messages.queries import GetLeftOpenOrdersQuery
from pos_app.ui.models.left_open import LeftOpenColumn, LeftOpenModel
from pos_app.ui.views.orders import OrdersView
from tests.conftest import wait_until
from tests.ui.conftest import FakeMediator
from tests.ui.samples import summary
from tests.ui.test_orders_view import click, finish, mediator_for, open_view


def yesterdays(number: int, **overrides: Any) -> OrderSummaryDto:
    order = summary(number, **overrides)
    return order.model_copy(
        update={
            "business_date": order.business_date - timedelta(days=1),
            "placed_at": order.placed_at - timedelta(days=1),
        }
    )


LEFT_OPEN = [yesterdays(41), yesterdays(42, status="ready", paid=False)]


def left_open_page(orders: list[OrderSummaryDto]) -> OperationResult[OrderPageDto]:
    return OperationResult.ok(OrderPageDto(items=orders, total=len(orders), page=1, page_size=200))


def manager_store(left_open: list[OrderSummaryDto], close: Any = None) -> FakeMediator:
    """Today's orders, and `left_open` until an order is closed (then without it)."""
    mediator = mediator_for([summary(1)])
    remaining = list(left_open)

    def answer_close(command: CloseLeftOpenOrderCommand) -> OperationResult[Any]:
        remaining[:] = [order for order in remaining if order.order_id != command.order_id]
        return OperationResult.ok(None)

    mediator.responses[GetLeftOpenOrdersQuery] = lambda _query: left_open_page(remaining)
    mediator.responses[CloseLeftOpenOrderCommand] = close or answer_close
    return mediator


async def open_left_open(qtbot: QtBot, view: OrdersView) -> None:
    click(qtbot, view.left_open.toggle_button)
    await wait_until(lambda: view.left_open.isVisible())


def select(view: OrdersView, row: int) -> None:
    view.left_open.table.selectRow(row)


def test_the_left_open_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    model = LeftOpenModel()
    model.apply(LEFT_OPEN)

    qtmodeltester.check(model)

    assert model.rowCount() == 2
    assert model.index(1, LeftOpenColumn.NUMBER).data() == "#42"
    assert model.index(1, LeftOpenColumn.DAY).data() == LEFT_OPEN[1].business_date.isoformat()
    assert "unpaid" in model.index(1, LeftOpenColumn.TOTAL).data()
    assert model.index(0, 0).data(LeftOpenModel.OrderRole) == LEFT_OPEN[0]


async def test_a_manager_sees_how_many_orders_are_left_open_and_the_list(qtbot: QtBot) -> None:
    view = await open_view(qtbot, manager_store(LEFT_OPEN), "manager", "mario")

    await open_left_open(qtbot, view)

    assert view.left_open.toggle_button.isVisible()
    assert view.left_open.toggle_button.text() == "Left open (2)"
    assert [order.order_number for order in view.left_open.model.orders] == [41, 42]
    await finish(view)


async def test_completed_closes_the_selected_order_in_one_click_and_the_list_is_read_again(qtbot: QtBot) -> None:
    mediator = manager_store(LEFT_OPEN)
    view = await open_view(qtbot, mediator, "manager", "mario")
    await open_left_open(qtbot, view)
    select(view, 1)

    click(qtbot, view.left_open.completed_button)
    await wait_until(lambda: view.left_open.toggle_button.text() == "Left open (1)")

    assert mediator.sent_of(CloseLeftOpenOrderCommand) == [
        CloseLeftOpenOrderCommand(order_id=LEFT_OPEN[1].order_id, outcome="completed", reason="")
    ]
    assert [order.order_number for order in view.left_open.model.orders] == [41]
    await finish(view)


async def test_cancel_asks_for_a_reason_and_sends_it(qtbot: QtBot) -> None:
    mediator = manager_store(LEFT_OPEN)
    view = await open_view(qtbot, mediator, "manager", "mario")
    await open_left_open(qtbot, view)
    select(view, 0)

    click(qtbot, view.left_open.cancel_button)
    await wait_until(lambda: view.left_open.reason.isVisible())
    click(qtbot, view.left_open.confirm_cancel_button)  # no reason yet
    await wait_until(lambda: view.left_open.reason_error.isVisible())
    nothing_sent = mediator.sent_of(CloseLeftOpenOrderCommand)
    qtbot.keyClicks(view.left_open.reason, "never collected")
    qtbot.keyClick(view.left_open.reason, Qt.Key.Key_Return)
    await wait_until(lambda: len(mediator.sent_of(CloseLeftOpenOrderCommand)) == 1)
    await wait_until(lambda: not view.left_open.reason_box.isVisible())

    assert nothing_sent == []
    assert view.left_open.reason_error.text() == "Say why the order is cancelled"
    assert mediator.sent_of(CloseLeftOpenOrderCommand) == [
        CloseLeftOpenOrderCommand(order_id=LEFT_OPEN[0].order_id, outcome="cancelled", reason="never collected")
    ]
    await finish(view)


async def test_a_refused_close_shows_the_message_and_keeps_the_list(qtbot: QtBot) -> None:
    refusal = OperationResult[Any](409, error_message="Order #41 is already picked up")
    mediator = manager_store(LEFT_OPEN, close=refusal)
    view = await open_view(qtbot, mediator, "manager", "mario")
    await open_left_open(qtbot, view)
    select(view, 0)

    click(qtbot, view.left_open.completed_button)
    await wait_until(lambda: view.left_open.error.isVisible())

    assert view.left_open.error.text() == "Order #41 is already picked up"
    assert [order.order_number for order in view.left_open.model.orders] == [41, 42]
    assert view.left_open.completed_button.isEnabled()
    await finish(view)


async def test_counter_staff_neither_see_the_button_nor_ask_for_the_list(qtbot: QtBot) -> None:
    mediator = manager_store(LEFT_OPEN)

    view = await open_view(qtbot, mediator, "counter", "luigi")

    assert not view.left_open.toggle_button.isVisible()
    assert not view.left_open.isVisible()
    assert mediator.sent_of(GetLeftOpenOrdersQuery) == []
    await finish(view)


async def test_with_nothing_left_open_the_manager_sees_no_button(qtbot: QtBot) -> None:
    view = await open_view(qtbot, manager_store([]), "manager", "mario")

    assert not view.left_open.toggle_button.isVisible()
    await finish(view)
