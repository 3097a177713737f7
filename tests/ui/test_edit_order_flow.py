"""Editing a placed order: "Edit order…" in the Orders screen opens it at the counter, whose Place button reads
"Save changes" and sends `EditOrderCommand`; the answer says what is left to pay."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos_app.mediation import OperationResult
from pos_app.messages.commands import EditOrderCommand, PizzaItem, PlaceOrderCommand
from pos_app.messages.dtos import OrderDto
from pos_app.messages.queries import GetOrderByIdQuery, PriceOrderQuery
from pos_app.ui.bridge import UiBridge
from pos_app.ui.main_window import MainWindow
from pos_app.ui.ui_mediator import UiMediator
from pos_app.ui.views.counter import CounterView
from tests.conftest import drain_tasks, wait_until
from tests.ui.samples import order_detail, session, summary
from tests.ui.test_counter_lines import quote_with_quantities
from tests.ui.test_main_window import fake, log_in
from tests.ui.test_orders_view import click_order

PAID = order_detail(1).model_copy(update={"amount_paid": Decimal("34.48"), "version": 3, "actions": ("edit",)})


def saved(command: EditOrderCommand) -> OperationResult[OrderDto]:
    """The order as edited: two Margherita and a Pepperoni, 15.99 more to pay."""
    return OperationResult.ok(
        PAID.model_copy(update={"total_amount": Decimal("50.47"), "balance_due": Decimal("15.99"), "paid": False})
    )


async def test_edit_order_opens_the_order_at_the_counter_and_save_sends_the_changes(qtbot: QtBot) -> None:
    mediator = fake()
    mediator.responses[GetOrderByIdQuery] = OperationResult.ok(PAID)
    mediator.responses[PriceOrderQuery] = quote_with_quantities
    mediator.responses[EditOrderCommand] = saved
    window = MainWindow(UiMediator(mediator), UiBridge(), "Mario's Pizzeria", "/tmp/store.db")
    qtbot.addWidget(window)
    window.show()
    window.show_login()
    await window.wait_idle()
    await log_in(qtbot, window, "luigi")
    window.tabs.setCurrentWidget(window.orders)
    await window.wait_idle()
    await click_order(qtbot, window.orders, summary(1).order_number)

    edit_button = window.orders.actions_box.edit_button
    offered = edit_button.isVisibleTo(window.orders)
    qtbot.mouseClick(edit_button, Qt.MouseButton.LeftButton)
    counter = window.counter
    await wait_until(lambda: counter.editing is not None)
    await counter.wait_idle()
    loaded = [(line.label, line.size) for line in counter.cart.lines]
    counter.cart_view.selectRow(0)
    counter.cart_panel.edit_requested.emit(0)
    counter.item_panel.quantity.setValue(2)
    qtbot.mouseClick(counter.add_button, Qt.MouseButton.LeftButton)
    await counter.wait_idle()
    button_text = counter.place_button.text()
    qtbot.mouseClick(counter.place_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: counter.banner.isVisible())

    assert offered
    assert window.tabs.currentWidget() is counter
    assert loaded == [("Margherita", "large"), ("Pepperoni", "medium")]
    assert button_text.startswith("Save changes")
    assert mediator.sent_of(PlaceOrderCommand) == []
    [sent] = mediator.sent_of(EditOrderCommand)
    assert sent.order_id == PAID.order_id
    assert sent.expected_version == 3
    assert sent.customer_phone == PAID.customer_phone
    assert sent.pizza_items == [
        PizzaItem(pizza_id="margherita", size="large", toppings=["ham"], quantity=2),
        PizzaItem(pizza_id="pepperoni", size="medium", special_instructions="well done"),
    ]
    assert "15.99 more to pay" in counter.banner.text()
    assert counter.editing is None
    assert counter.place_button.text().startswith("Place order")
    await window.wait_idle()
    await drain_tasks()


async def test_stop_editing_leaves_the_counter_ready_for_a_new_order(qtbot: QtBot) -> None:
    mediator = fake()
    mediator.responses[PriceOrderQuery] = quote_with_quantities
    counter = CounterView(mediator)
    qtbot.addWidget(counter)
    counter.set_session(session())
    counter.show()
    counter.request_refresh()
    await counter.wait_idle()

    counter.edit_order(PAID)
    editing_phone_locked = counter.phone.isReadOnly()
    banner = counter.edit_banner.text.text()
    qtbot.mouseClick(counter.edit_banner.stop_button, Qt.MouseButton.LeftButton)
    await counter.wait_idle()

    assert editing_phone_locked
    assert banner.startswith(f"Changing order #{PAID.order_number}")
    assert (counter.editing, counter.cart.rowCount(), counter.phone.isReadOnly()) == (None, 0, False)
    assert not counter.edit_banner.isVisible()
    await drain_tasks()
