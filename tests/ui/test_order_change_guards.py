"""What the till refuses while an order changes: "Edit order…" does not throw away an order being taken at the
counter, and the Discount dialog says what is wrong with a percentage over 100 instead of sending it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos_app.mediation import OperationResult
from pos_app.messages.commands import ApplyDiscountCommand, EditOrderCommand
from pos_app.messages.queries import GetOrderByIdQuery, PriceOrderQuery
from pos_app.ui.bridge import UiBridge
from pos_app.ui.main_window import MainWindow
from pos_app.ui.ui_mediator import UiMediator
from tests.conftest import wait_until
from tests.ui.samples import order_detail, summary
from tests.ui.test_counter_lines import quote_with_quantities
from tests.ui.test_main_window import fake, log_in
from tests.ui.test_orders_view import click, click_order, finish, mediator_for, open_view

PLACED = order_detail(1).model_copy(update={"version": 3, "actions": ("discount", "edit")})


async def test_edit_order_leaves_an_order_being_taken_at_the_counter_alone(qtbot: QtBot) -> None:
    mediator = fake()
    mediator.responses[GetOrderByIdQuery] = OperationResult.ok(PLACED)
    mediator.responses[PriceOrderQuery] = quote_with_quantities
    window = MainWindow(UiMediator(mediator), UiBridge(), "Mario's Pizzeria", "/tmp/store.db")
    qtbot.addWidget(window)
    window.show()
    window.show_login()
    await window.wait_idle()
    await log_in(qtbot, window, "luigi")
    counter = window.counter
    await counter.wait_idle()
    counter.choose("margherita")
    qtbot.mouseClick(counter.add_button, Qt.MouseButton.LeftButton)  # a new order, not placed yet
    await counter.wait_idle()
    window.tabs.setCurrentWidget(window.orders)
    await window.wait_idle()
    await click_order(qtbot, window.orders, summary(1).order_number)

    qtbot.mouseClick(window.orders.actions_box.edit_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: window.orders.error.isVisible())
    await window.wait_idle()

    assert window.tabs.currentWidget() is window.orders
    assert counter.editing is None
    assert [line.pizza_id for line in counter.cart.lines] == ["margherita"]  # the draft is still there
    assert "not placed yet" in window.orders.error.text()
    assert mediator.sent_of(EditOrderCommand) == []


async def test_a_percentage_over_100_is_refused_in_the_dialog_and_nothing_is_sent(qtbot: QtBot) -> None:
    mediator = mediator_for([summary(4, status="pending")])
    mediator.responses[ApplyDiscountCommand] = OperationResult.ok(order_detail(4))
    view = await open_view(qtbot, mediator, "counter", "luigi")
    await click_order(qtbot, view, 4)

    click(qtbot, view.actions_box.discount_button)
    await wait_until(lambda: view.discount_dialog is not None and view.discount_dialog.isVisible())
    dialog = view.discount_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.value, "150")
    qtbot.keyClicks(dialog.reason, "birthday")
    click(qtbot, dialog.give_button)
    await wait_until(lambda: dialog.error.isVisible())
    await finish(view)

    assert dialog.isVisible()
    assert "up to 100" in dialog.error.text()
    assert mediator.sent_of(ApplyDiscountCommand) == []
    assert dialog.command() is None
