"""How many requests each counter action sends: one quote per change, none for what the screen already knows.

Counted against a fake mediator, so a duplicate (a reset that prices the cart three times, a toggle that prices it
twice) cannot creep back unnoticed."""

from __future__ import annotations

import inspect
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos_app.mediation import OperationResult
from pos_app.messages.commands import PlaceOrderCommand
from pos_app.messages.dtos import CustomerDto
from pos_app.messages.queries import GetCustomerQuery, GetMenuQuery, GetOrderByIdQuery, PriceOrderQuery
from pos_app.ui.formatting import format_money
from pos_app.ui.views.counter import CounterView
from tests.conftest import drain_tasks
from tests.ui.conftest import FakeMediator
from tests.ui.samples import MENU, NOW, order_detail, session
from tests.ui.test_counter_view import build_two_pizza_order, check_topping, click_tile, fake_quote, placed_ok

PRICE = PriceOrderQuery
LEFT = Qt.MouseButton.LeftButton


async def open_counter(qtbot: QtBot, mediator: FakeMediator) -> CounterView:
    counter = CounterView(mediator)
    qtbot.addWidget(counter)
    counter.resize(1366, 700)
    counter.set_session(session())
    counter.show()
    counter.request_refresh()
    await counter.wait_idle()
    return counter


@pytest.fixture
def mediator() -> FakeMediator:
    return FakeMediator({GetMenuQuery: OperationResult.ok(MENU), PRICE: fake_quote, PlaceOrderCommand: placed_ok})


@pytest.fixture
async def view(qtbot: QtBot, mediator: FakeMediator) -> Any:
    counter = await open_counter(qtbot, mediator)
    yield counter
    await counter.wait_idle()
    await drain_tasks()


async def sent_during(view: CounterView, mediator: FakeMediator, action: Callable[[], Any]) -> Counter[type]:
    """The requests (by type) that `action` makes the screen send, once everything it started has finished."""
    start = len(mediator.sent)
    outcome = action()
    if inspect.isawaitable(outcome):
        await outcome
    await view.wait_idle()
    await drain_tasks()
    await view.wait_idle()
    return Counter(type(request) for request in mediator.sent[start:])


def click(qtbot: QtBot, widget: Any) -> Callable[[], None]:
    return lambda: qtbot.mouseClick(widget, LEFT)


async def test_a_new_counter_asks_nothing_before_it_is_refreshed_for_someone_logged_in(qtbot: QtBot) -> None:
    mediator = FakeMediator({GetMenuQuery: OperationResult.ok(MENU), PRICE: fake_quote})

    counter = CounterView(mediator)  # the window builds its screens before anyone logs in
    qtbot.addWidget(counter)
    await counter.wait_idle()
    await drain_tasks()

    assert mediator.sent == []


async def test_showing_the_counter_loads_the_menu_once_and_showing_it_again_loads_nothing(
    view: CounterView, mediator: FakeMediator
) -> None:
    opened = Counter(type(request) for request in mediator.sent)

    again = await sent_during(view, mediator, lambda: (view.hide(), view.show()))

    assert opened == Counter({GetMenuQuery: 1})
    assert again == Counter()


async def test_choosing_an_item_its_size_and_a_topping_prices_the_line_once_each(
    qtbot: QtBot, view: CounterView, mediator: FakeMediator
) -> None:
    chosen = await sent_during(view, mediator, lambda: click_tile(qtbot, view, "margherita"))
    sized = await sent_during(view, mediator, click(qtbot, view.size_buttons["large"]))
    topped = await sent_during(view, mediator, lambda: check_topping(view, "ham"))

    assert (chosen, sized, topped) == (Counter({PRICE: 1}),) * 3


async def test_adding_an_item_prices_the_cart_once_and_the_next_line_only_when_its_price_changed(
    qtbot: QtBot, view: CounterView, mediator: FakeMediator
) -> None:
    await click_tile(qtbot, view, "margherita")

    plain = await sent_during(view, mediator, click(qtbot, view.add_button))
    check_topping(view, "ham")
    await view.wait_idle()
    topped = await sent_during(view, mediator, click(qtbot, view.add_button))

    assert plain == Counter({PRICE: 1})
    assert topped == Counter({PRICE: 2})  # the cart, and the next line, which starts without the ham
    assert view.line_price.text().endswith("12.99")


async def test_editing_removing_and_paying_differently_price_the_cart_once_each(
    qtbot: QtBot, view: CounterView, mediator: FakeMediator
) -> None:
    await build_two_pizza_order(qtbot, view)
    row = view.cart_view.visualRect(view.cart.index(1, 0)).center()

    def open_the_line() -> None:
        qtbot.mouseClick(view.cart_view.viewport(), LEFT, pos=row)
        qtbot.mouseDClick(view.cart_view.viewport(), LEFT, pos=row)

    opened = await sent_during(view, mediator, open_the_line)
    resized = await sent_during(view, mediator, click(qtbot, view.size_buttons["small"]))
    updated = await sent_during(view, mediator, click(qtbot, view.add_button))
    view.cart_view.selectRow(0)
    removed = await sent_during(view, mediator, click(qtbot, view.remove_button))
    by_card = await sent_during(view, mediator, click(qtbot, view.card_button))
    delivered = await sent_during(view, mediator, click(qtbot, view.type_buttons["delivery"]))
    by_cash = await sent_during(view, mediator, click(qtbot, view.cash_button))
    typed = await sent_during(view, mediator, lambda: qtbot.keyClicks(view.tendered, "40"))

    assert (opened, resized) == (Counter({PRICE: 1}),) * 2  # the line being edited
    assert (updated, removed, by_card, delivered, by_cash) == (Counter({PRICE: 1}),) * 5  # the cart
    assert typed == Counter({PRICE: 1})  # keys that arrive together make one quote, of the whole amount
    assert view.total.text().endswith("17.99")


async def test_placing_an_order_sends_it_once_and_prices_the_emptied_cart_once_then_never_again(
    qtbot: QtBot, view: CounterView, mediator: FakeMediator
) -> None:
    await build_two_pizza_order(qtbot, view)
    qtbot.mouseClick(view.card_button, LEFT)
    await view.wait_idle()

    first = await sent_during(view, mediator, click(qtbot, view.place_button))
    await build_two_pizza_order(qtbot, view)
    qtbot.mouseClick(view.card_button, LEFT)
    await view.wait_idle()
    second = await sent_during(view, mediator, click(qtbot, view.place_button))

    assert first == Counter({PlaceOrderCommand: 1, PRICE: 1})
    assert second == Counter({PlaceOrderCommand: 1})
    assert view.banner.isVisible()
    assert [view.subtotal.text(), view.delivery_fee.text(), view.tax.text(), view.total.text()] == [
        format_money(Decimal("0.00"))
    ] * 4
    assert view.change.text() == ""


async def test_a_new_order_asks_at_most_once_for_the_empty_carts_price(
    qtbot: QtBot, view: CounterView, mediator: FakeMediator
) -> None:
    await build_two_pizza_order(qtbot, view)
    qtbot.mouseClick(view.type_buttons["delivery"], LEFT)
    qtbot.keyClicks(view.tendered, "50")
    await view.wait_idle()

    unknown = await sent_during(view, mediator, click(qtbot, view.clear_button))
    total_after_asking = view.total.text()
    await build_two_pizza_order(qtbot, view)
    known = await sent_during(view, mediator, view.new_order)
    nothing_to_clear = await sent_during(view, mediator, view.new_order)

    assert unknown == Counter({PRICE: 1})
    assert (known, nothing_to_clear) == (Counter(), Counter())
    assert total_after_asking == view.total.text() == format_money(Decimal("0.00"))
    assert view.cart.rowCount() == 0


async def test_looking_up_a_phone_asks_once_and_repeating_the_last_order_prices_it_once(
    qtbot: QtBot, view: CounterView, mediator: FakeMediator
) -> None:
    last = order_detail(3)
    mediator.responses[GetOrderByIdQuery] = OperationResult.ok(last)
    mediator.responses[GetCustomerQuery] = OperationResult.ok(
        CustomerDto(
            phone="5550102030",
            name="Anna Conti",
            address=None,
            addresses=[],
            total_orders=2,
            total_spent=Decimal("40.00"),
            favorite_pizzas=[],
            first_order_at=NOW,
            last_order_at=NOW,
            last_order_id=last.order_id,
        )
    )
    qtbot.keyClicks(view.phone, "555 010 2030")

    def enter_then_leave_the_field() -> None:
        qtbot.keyClick(view.phone, Qt.Key.Key_Return)
        view.name.setFocus()

    looked_up = await sent_during(view, mediator, enter_then_leave_the_field)
    repeated = await sent_during(view, mediator, click(qtbot, view.repeat_button))

    assert looked_up == Counter({GetCustomerQuery: 1})
    assert repeated == Counter({GetOrderByIdQuery: 1, PRICE: 1})
    assert view.cart.rowCount() == 2


async def test_a_menu_change_reloads_the_menu_once_and_reprices_the_item_being_configured(
    qtbot: QtBot, view: CounterView, mediator: FakeMediator
) -> None:
    await click_tile(qtbot, view, "margherita")

    refreshed = await sent_during(view, mediator, view.request_refresh)

    assert refreshed == Counter({GetMenuQuery: 1, PRICE: 1})
