"""The counter's quantity and table controls against a fake mediator: "2 × Margherita" in the cart, the quantity
and the dine-in table in the command sent."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos_app.mediation import OperationResult
from pos_app.messages.commands import PizzaItem, PlaceOrderCommand
from pos_app.messages.dtos import OrderQuoteDto, QuoteLineDto
from pos_app.messages.queries import GetMenuQuery, PriceOrderQuery
from pos_app.ui.views.counter import CounterView
from tests.conftest import drain_tasks, wait_until
from tests.ui.conftest import FakeMediator
from tests.ui.samples import MENU, session
from tests.ui.test_counter_view import click_tile, placed_ok

PRICES = {item.id: item.base_price for item in MENU}


def quote_with_quantities(query: PriceOrderQuery) -> OperationResult[OrderQuoteDto]:
    """A stand-in price list: the base price × quantity (the real formula is tested in the core)."""
    lines = [
        QuoteLineDto(
            pizza_id=item.pizza_id,
            name=item.pizza_id.title(),
            size=item.size,
            topping_names=[],
            price=PRICES[item.pizza_id] * item.quantity,
            quantity=item.quantity,
        )
        for item in query.pizza_items
    ]
    total = sum((line.price for line in lines), Decimal("0.00"))
    return OperationResult.ok(
        OrderQuoteDto(
            lines=lines,
            subtotal=total,
            delivery_fee=Decimal("0.00"),
            tax=(total / 11).quantize(Decimal("0.01")),
            total_amount=total,
            change_due=None,
            short_by=None,
        )
    )


@pytest.fixture
def mediator() -> FakeMediator:
    return FakeMediator(
        {GetMenuQuery: OperationResult.ok(MENU), PriceOrderQuery: quote_with_quantities, PlaceOrderCommand: placed_ok}
    )


@pytest.fixture
async def view(qtbot: QtBot, mediator: FakeMediator) -> Any:
    counter = CounterView(mediator)
    qtbot.addWidget(counter)
    counter.resize(1366, 700)
    counter.set_session(session())
    counter.show()
    counter.request_refresh()
    await counter.wait_idle()
    yield counter
    await counter.wait_idle()
    await drain_tasks()


async def test_two_of_a_pizza_show_as_2_x_in_the_cart_and_are_sent_as_a_quantity(
    qtbot: QtBot, view: CounterView, mediator: FakeMediator
) -> None:
    await click_tile(qtbot, view, "margherita")
    quantity = view.item_panel.quantity
    quantity.setFocus()
    qtbot.keyClick(quantity, Qt.Key.Key_Up)
    await view.wait_idle()
    line_price = view.line_price.text()
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    await view.wait_idle()
    qtbot.keyClicks(view.phone, "555 010 2030")
    qtbot.keyClicks(view.name, "Anna Conti")
    qtbot.mouseClick(view.card_button, Qt.MouseButton.LeftButton)

    qtbot.mouseClick(view.place_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: bool(mediator.sent_of(PlaceOrderCommand)))

    assert line_price.endswith(str(PRICES["margherita"] * 2))
    [sent] = mediator.sent_of(PlaceOrderCommand)
    assert sent.pizza_items == [PizzaItem(pizza_id="margherita", quantity=2)]
    assert quantity.value() == 1  # the next line starts at one
    assert quantity.accessibleName() == "Quantity"


async def test_the_cart_reads_2_x_margherita_with_the_line_price(qtbot: QtBot, view: CounterView) -> None:
    await click_tile(qtbot, view, "margherita")
    view.item_panel.quantity.setValue(2)
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    await view.wait_idle()

    assert view.cart.index(0, 0).data() == "2 × Margherita"
    assert view.cart.index(0, 4).data().endswith(str(PRICES["margherita"] * 2))


async def test_editing_a_line_shows_and_changes_its_quantity(qtbot: QtBot, view: CounterView) -> None:
    await click_tile(qtbot, view, "margherita")
    view.item_panel.quantity.setValue(3)
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    await view.wait_idle()

    rect = view.cart_view.visualRect(view.cart.index(0, 0))
    qtbot.mouseClick(view.cart_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.cart_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    shown = view.item_panel.quantity.value()
    view.item_panel.quantity.setValue(1)
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    await view.wait_idle()

    assert shown == 3
    assert [line.quantity for line in view.cart.lines] == [1]
    assert view.cart.index(0, 0).data() == "Margherita"


async def test_a_dine_in_order_asks_for_its_table_and_sends_it_with_the_covers(
    qtbot: QtBot, view: CounterView, mediator: FakeMediator
) -> None:
    hidden_for_pickup = view.table_panel.isVisible()
    await click_tile(qtbot, view, "margherita")
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(view.phone, "555 010 2030")
    qtbot.keyClicks(view.name, "Anna Conti")
    qtbot.mouseClick(view.type_buttons["dine_in"], Qt.MouseButton.LeftButton)
    shown_for_dine_in = view.table_panel.isVisible()
    view.table_panel.table.setValue(7)
    view.table_panel.covers.setValue(4)
    qtbot.mouseClick(view.card_button, Qt.MouseButton.LeftButton)

    qtbot.mouseClick(view.place_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: bool(mediator.sent_of(PlaceOrderCommand)))

    [sent] = mediator.sent_of(PlaceOrderCommand)
    assert (hidden_for_pickup, shown_for_dine_in) == (False, True)
    assert (sent.order_type, sent.table_number, sent.covers) == ("dine_in", 7, 4)
    await wait_until(lambda: not view.table_panel.isVisible())  # the next order starts as a pickup


async def test_a_refused_table_is_shown_next_to_the_table(
    qtbot: QtBot, view: CounterView, mediator: FakeMediator
) -> None:
    mediator.responses[PlaceOrderCommand] = OperationResult.validation_error(
        {"table_number": ["A dine-in order needs its table number"]}
    )
    await click_tile(qtbot, view, "margherita")
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(view.phone, "555 010 2030")
    qtbot.keyClicks(view.name, "Anna Conti")
    qtbot.mouseClick(view.type_buttons["dine_in"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.card_button, Qt.MouseButton.LeftButton)

    qtbot.mouseClick(view.place_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: view.table_panel.table_error.isVisible())

    assert "table number" in view.table_panel.table_error.text()
    assert mediator.sent_of(PlaceOrderCommand)[0].table_number is None
