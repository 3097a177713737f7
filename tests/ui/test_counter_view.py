"""The counter screen against a fake mediator: real clicks and keys, assertions on the messages sent."""

from __future__ import annotations

import asyncio
import uuid
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import QLocale, Qt
from pytestqt.qtbot import QtBot

from pos_app.mediation import OperationResult
from pos_app.messages.commands import PizzaItem, PlaceOrderCommand
from pos_app.messages.dtos import CustomerDto, OrderPlacedDto, OrderQuoteDto, QuoteLineDto
from pos_app.messages.queries import GetCustomerQuery, GetMenuQuery, GetOrderByIdQuery, PriceOrderQuery
from pos_app.ui.models.cart import CartLine, CartModel
from pos_app.ui.models.menu import MenuModel, ToppingsModel
from pos_app.ui.views.counter import CounterView
from tests.conftest import drain_tasks, wait_until
from tests.ui.conftest import FakeMediator
from tests.ui.samples import MENU, NOW, TOPPINGS, order_detail, session

PRICES = {item.id: item.base_price for item in MENU}
TOPPING_PRICES = {t.id: t.price for t in TOPPINGS}


def fake_quote(query: PriceOrderQuery) -> OperationResult[OrderQuoteDto]:
    """A stand-in price list (the real formula is tested in the core): base + toppings, sizes ignored."""
    lines = [
        QuoteLineDto(
            pizza_id=item.pizza_id,
            name=item.pizza_id.title(),
            size=item.size,
            topping_names=item.toppings,
            price=PRICES[item.pizza_id] + sum((TOPPING_PRICES[t] for t in item.toppings), Decimal("0")),
        )
        for item in query.pizza_items
    ]
    fee = Decimal("3.00") if query.order_type == "delivery" else Decimal("0.00")
    total = sum((line.price for line in lines), Decimal("0.00")) + fee
    tendered = query.amount_tendered
    return OperationResult.ok(
        OrderQuoteDto(
            lines=lines,
            subtotal=total - fee,
            delivery_fee=fee,
            tax=(total / 11).quantize(Decimal("0.01")),
            total_amount=total,
            change_due=tendered - total if tendered is not None and tendered >= total else None,
            short_by=total - tendered if tendered is not None and tendered < total else None,
        )
    )


def placed_ok(command: PlaceOrderCommand) -> OperationResult[OrderPlacedDto]:
    return OperationResult.created(
        OrderPlacedDto(
            order_id=command.order_id,
            order_number=7,
            total_amount=Decimal("27.98"),
            tax_amount=Decimal("2.54"),
            estimated_ready_time=NOW,
            paid=True,
            change_due=Decimal("2.02"),
        )
    )


@pytest.fixture
def mediator() -> FakeMediator:
    return FakeMediator(
        {GetMenuQuery: OperationResult.ok(MENU), PriceOrderQuery: fake_quote, PlaceOrderCommand: placed_ok}
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


def tile(view: CounterView, item_id: str) -> Any:
    for row in range(view.menu_filter.rowCount()):
        index = view.menu_filter.index(row, 0)
        if index.data(MenuModel.ItemRole).id == item_id:
            return index
    raise AssertionError(f"{item_id} is not shown")


async def click_tile(qtbot: QtBot, view: CounterView, item_id: str) -> None:
    index = tile(view, item_id)
    rect = view.menu_view.visualRect(index)
    qtbot.mouseClick(view.menu_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    await view.wait_idle()


def check_topping(view: CounterView, topping_id: str) -> None:
    for row in range(view.toppings_model.rowCount()):
        index = view.toppings_model.index(row)
        if index.data(ToppingsModel.ToppingRole).id == topping_id:
            rect = view.toppings_view.visualRect(index)
            option_x = rect.left() + 10  # the check box sits at the start of the row
            from PySide6.QtCore import QPoint

            QtBot.mouseClick(
                view.toppings_view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(option_x, rect.center().y())
            )
            return
    raise AssertionError(f"{topping_id} is not offered")


async def build_two_pizza_order(qtbot: QtBot, view: CounterView) -> None:
    await click_tile(qtbot, view, "margherita")
    qtbot.mouseClick(view.size_buttons["large"], Qt.MouseButton.LeftButton)
    check_topping(view, "ham")
    qtbot.keyClicks(view.notes, "well done")
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    await click_tile(qtbot, view, "pepperoni")
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    await view.wait_idle()


def test_every_counter_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    menu = MenuModel()
    menu.apply(MENU)
    toppings = ToppingsModel()
    toppings.set_toppings(TOPPINGS, ["ham"])
    cart = CartModel()
    cart.add_line(CartLine("margherita", "Margherita", "pizza", "large", ("ham",), ("Ham",), "", Decimal("14.99")))
    cart.add_line(CartLine("cola", "Cola", "drink", "medium"))

    for model in (menu, toppings, cart):
        qtmodeltester.check(model)


async def test_the_menu_grid_shows_one_category_and_greys_unavailable_items(view: CounterView) -> None:
    shown = [view.menu_filter.index(r, 0).data(MenuModel.ItemRole).id for r in range(view.menu_filter.rowCount())]

    assert shown == ["margherita", "pepperoni", "diavola"]
    assert not (tile(view, "diavola").flags() & Qt.ItemFlag.ItemIsEnabled)
    assert list(view.category_buttons) == ["pizza", "side", "drink"]


async def test_choosing_a_pizza_its_size_and_a_topping_shows_the_line_price(
    qtbot: QtBot, view: CounterView, mediator: FakeMediator
) -> None:
    await click_tile(qtbot, view, "margherita")

    qtbot.mouseClick(view.size_buttons["large"], Qt.MouseButton.LeftButton)
    check_topping(view, "ham")
    await view.wait_idle()

    assert view.item_name.text() == "Margherita"
    assert view.line_price.text().endswith("14.99")
    last = mediator.sent_of(PriceOrderQuery)[-1]
    assert last.pizza_items == [PizzaItem(pizza_id="margherita", size="large", toppings=["ham"])]


async def test_clicking_an_unavailable_pizza_does_nothing(qtbot: QtBot, view: CounterView) -> None:
    await click_tile(qtbot, view, "diavola")

    assert view.item_name.text() == "Choose from the menu"
    assert not view.add_button.isEnabled()


async def test_adding_lines_fills_the_cart_with_quoted_prices_and_totals(qtbot: QtBot, view: CounterView) -> None:
    await build_two_pizza_order(qtbot, view)

    lines = view.cart.lines
    assert [(line.pizza_id, line.size, line.toppings, line.special_instructions) for line in lines] == [
        ("margherita", "large", ("ham",), "well done"),
        ("pepperoni", "medium", (), ""),
    ]
    assert view.cart.index(0, 4).data().endswith("14.99")
    assert view.total.text().endswith("29.98")


async def test_a_cart_line_can_be_edited_and_removed(qtbot: QtBot, view: CounterView) -> None:
    await build_two_pizza_order(qtbot, view)
    rect = view.cart_view.visualRect(view.cart.index(1, 0))

    qtbot.mouseClick(view.cart_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.cart_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseClick(view.size_buttons["small"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    view.cart_view.selectRow(0)
    qtbot.mouseClick(view.remove_button, Qt.MouseButton.LeftButton)
    await view.wait_idle()

    assert [(line.pizza_id, line.size) for line in view.cart.lines] == [("pepperoni", "small")]


async def test_cash_tendered_shows_the_change(qtbot: QtBot, view: CounterView) -> None:
    await build_two_pizza_order(qtbot, view)

    qtbot.keyClicks(view.tendered, "40")
    await view.wait_idle()

    assert view.change.text().endswith("10.02")


async def test_placing_sends_the_order_shows_number_and_ready_time_and_clears_the_cart(
    qtbot: QtBot, view: CounterView, mediator: FakeMediator
) -> None:
    await build_two_pizza_order(qtbot, view)
    qtbot.keyClicks(view.phone, "555 010 2030")
    qtbot.keyClicks(view.name, "Anna Conti")
    qtbot.keyClicks(view.tendered, "30")
    order_id = view.order_id

    qtbot.mouseClick(view.place_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: view.banner.isVisible())

    sent = mediator.sent_of(PlaceOrderCommand)
    assert sent == [
        PlaceOrderCommand(
            order_id=order_id,
            customer_name="Anna Conti",
            customer_phone="555 010 2030",
            pizza_items=[
                PizzaItem(pizza_id="margherita", size="large", toppings=["ham"], special_instructions="well done"),
                PizzaItem(pizza_id="pepperoni", size="medium"),
            ],
            payment_method="cash",
            order_type="pickup",
            amount_tendered=Decimal("30.00"),
        )
    ]
    assert "Order #7" in view.banner.text()
    assert "change" in view.banner.text()
    assert view.cart.rowCount() == 0
    assert view.phone.text() == ""
    assert view.order_id != order_id


async def test_enter_places_the_order(qtbot: QtBot, view: CounterView, mediator: FakeMediator) -> None:
    await build_two_pizza_order(qtbot, view)
    qtbot.mouseClick(view.card_button, Qt.MouseButton.LeftButton)
    view.cart_view.setFocus()

    qtbot.keyClick(view.cart_view, Qt.Key.Key_Return)
    await wait_until(lambda: bool(mediator.sent_of(PlaceOrderCommand)))

    assert mediator.sent_of(PlaceOrderCommand)[0].payment_method == "card"
    assert mediator.sent_of(PlaceOrderCommand)[0].amount_tendered is None


async def test_double_clicking_place_order_sends_one_order(qtbot: QtBot, view: CounterView) -> None:
    release = asyncio.Event()
    sent: list[Any] = []

    class SlowMediator(FakeMediator):
        async def execute_async(self, request: Any) -> Any:
            if isinstance(request, PlaceOrderCommand):
                sent.append(request)
                await release.wait()
            return await super().execute_async(request)

    view._mediator = SlowMediator(  # the same screen, now with a slow store
        {GetMenuQuery: OperationResult.ok(MENU), PriceOrderQuery: fake_quote, PlaceOrderCommand: placed_ok}
    )
    await build_two_pizza_order(qtbot, view)
    qtbot.mouseClick(view.card_button, Qt.MouseButton.LeftButton)

    qtbot.mouseClick(view.place_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.place_button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(view.cart_view, Qt.Key.Key_Return)
    await wait_until(lambda: len(sent) == 1)
    disabled_while_sending = not view.place_button.isEnabled()
    release.set()
    await wait_until(lambda: view.banner.isVisible())

    assert len(sent) == 1
    assert disabled_while_sending


async def test_a_rejected_phone_is_shown_next_to_the_phone_field(
    qtbot: QtBot, view: CounterView, mediator: FakeMediator
) -> None:
    mediator.responses[PlaceOrderCommand] = OperationResult.validation_error(
        {"customer_phone": ["A phone number has at least 7 digits"]}
    )
    await build_two_pizza_order(qtbot, view)
    qtbot.keyClicks(view.phone, "123")
    qtbot.mouseClick(view.card_button, Qt.MouseButton.LeftButton)

    qtbot.mouseClick(view.place_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: view.phone_error.isVisible())

    assert view.phone_error.text() == "A phone number has at least 7 digits"
    assert view.cart.rowCount() == 2
    assert not view.banner.isVisible()


async def test_cash_without_an_amount_asks_for_it_and_sends_nothing(
    qtbot: QtBot, view: CounterView, mediator: FakeMediator
) -> None:
    await build_two_pizza_order(qtbot, view)

    qtbot.mouseClick(view.place_button, Qt.MouseButton.LeftButton)
    await drain_tasks()

    assert view.tendered_error.isVisible()
    assert mediator.sent_of(PlaceOrderCommand) == []


async def test_a_full_kitchen_asks_whether_the_customer_accepts_the_wait(
    qtbot: QtBot, view: CounterView, mediator: FakeMediator
) -> None:
    answers = iter(
        [
            OperationResult.service_unavailable(
                "The kitchen is full: about 25 minutes wait", {"accept_kitchen_wait": ["Estimated wait 25 minutes"]}
            )
        ]
    )
    mediator.responses[PlaceOrderCommand] = lambda command: next(answers, None) or placed_ok(command)
    await build_two_pizza_order(qtbot, view)
    qtbot.mouseClick(view.card_button, Qt.MouseButton.LeftButton)

    qtbot.mouseClick(view.place_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: view.wait_panel.isVisible())
    message = view.wait_message.text()
    qtbot.mouseClick(view.accept_wait_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: view.banner.isVisible())

    first, second = mediator.sent_of(PlaceOrderCommand)
    assert "25 minutes" in message
    assert (first.accept_kitchen_wait, second.accept_kitchen_wait) == (False, True)
    assert first.order_id == second.order_id


async def test_a_returning_customer_is_filled_in_and_their_last_order_repeated(
    qtbot: QtBot, view: CounterView, mediator: FakeMediator
) -> None:
    last = order_detail(3)
    mediator.responses[GetCustomerQuery] = OperationResult.ok(
        CustomerDto(
            phone="5550102030",
            name="Anna Conti",
            address="Via Roma 1",
            addresses=["Via Roma 1"],
            total_orders=12,
            total_spent=Decimal("320.50"),
            favorite_pizzas=["Margherita"],
            first_order_at=NOW,
            last_order_at=NOW,
            last_order_id=last.order_id,
        )
    )
    mediator.responses[GetOrderByIdQuery] = OperationResult.ok(last)

    qtbot.keyClicks(view.phone, "555 010 2030")
    qtbot.keyClick(view.phone, Qt.Key.Key_Return)
    await wait_until(lambda: view.repeat_button.isVisible())
    qtbot.mouseClick(view.repeat_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: view.cart.rowCount() == 2)

    assert view.name.text() == "Anna Conti"
    assert "12 orders" in view.customer_info.text()
    assert [(line.pizza_id, line.size, line.toppings) for line in view.cart.lines] == [
        ("margherita", "large", ("ham",)),
        ("pepperoni", "medium", ()),
    ]
    assert mediator.sent_of(GetOrderByIdQuery) == [GetOrderByIdQuery(order_id=last.order_id)]


async def test_delivery_enables_the_address_and_adds_the_fee(qtbot: QtBot, view: CounterView) -> None:
    await build_two_pizza_order(qtbot, view)
    assert not view.address.isEnabled()

    qtbot.mouseClick(view.type_buttons["delivery"], Qt.MouseButton.LeftButton)
    await view.wait_idle()

    assert view.address.isEnabled()
    assert view.delivery_fee.text().endswith("3.00")
    assert view.total.text().endswith("32.98")


async def test_staff_who_do_not_take_orders_cannot_use_the_counter(view: CounterView) -> None:
    view.set_session(session("rosa", "kitchen", "Rosa Bianchi"))

    assert not view.order_box.isEnabled()
    assert not view.item_box.isEnabled()


async def test_the_screen_at_till_size_for_a_look(qtbot: QtBot, view: CounterView, tmp_path: Any) -> None:
    await build_two_pizza_order(qtbot, view)
    qtbot.keyClicks(view.phone, "555 010 2030")
    qtbot.keyClicks(view.name, "Anna Conti")
    qtbot.keyClicks(view.tendered, "40")
    await click_tile(qtbot, view, "margherita")
    await view.wait_idle()

    image = view.grab()

    assert image.width() == 1366
    assert image.save(str(tmp_path / "counter.png"))
    assert uuid.UUID(str(view.order_id))


async def test_exact_fills_in_the_total_in_a_form_that_reads_back_in_any_locale(
    qtbot: QtBot, view: CounterView
) -> None:
    await build_two_pizza_order(qtbot, view)
    QLocale.setDefault(QLocale(QLocale.Language.Italian, QLocale.Country.Italy))
    try:
        qtbot.mouseClick(view.exact_button, Qt.MouseButton.LeftButton)
        await view.wait_idle()
    finally:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))

    assert view.tendered.text() == "29.98"
    assert not view.tendered_error.isVisible()
    assert view.change.text().endswith("0,00")


async def test_typing_an_exponent_as_cash_shows_a_field_error(qtbot: QtBot, view: CounterView) -> None:
    await build_two_pizza_order(qtbot, view)

    qtbot.keyClicks(view.tendered, "1e30")
    await view.wait_idle()

    assert view.tendered_error.isVisible()


async def test_enter_on_accept_the_wait_accepts_it(qtbot: QtBot, view: CounterView, mediator: FakeMediator) -> None:
    answers = iter(
        [OperationResult.service_unavailable("The kitchen is full", {"accept_kitchen_wait": ["25 minutes"]})]
    )
    mediator.responses[PlaceOrderCommand] = lambda command: next(answers, None) or placed_ok(command)
    await build_two_pizza_order(qtbot, view)
    qtbot.mouseClick(view.card_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.place_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: view.wait_panel.isVisible() and view.accept_wait_button.hasFocus())

    qtbot.keyClick(view.accept_wait_button, Qt.Key.Key_Return)
    await wait_until(lambda: view.banner.isVisible())

    assert [c.accept_kitchen_wait for c in mediator.sent_of(PlaceOrderCommand)] == [False, True]


async def test_an_answer_for_a_phone_number_no_longer_in_the_field_is_ignored(
    qtbot: QtBot, view: CounterView, mediator: FakeMediator
) -> None:
    release = asyncio.Event()
    regular = CustomerDto(
        phone="5550102030",
        name="Anna Conti",
        address=None,
        addresses=[],
        total_orders=3,
        total_spent=Decimal("60.00"),
        favorite_pizzas=[],
        first_order_at=NOW,
        last_order_at=NOW,
        last_order_id=uuid.uuid4(),
    )

    class SlowFirstLookup(FakeMediator):
        async def execute_async(self, request: Any) -> Any:
            if isinstance(request, GetCustomerQuery) and request.phone.startswith("555"):
                await release.wait()
                return OperationResult.ok(regular)
            if isinstance(request, GetCustomerQuery):
                return OperationResult.not_found("No customer with that phone yet")
            return await super().execute_async(request)

    view._mediator = SlowFirstLookup(mediator.responses)
    view.phone.setText("555 010 2030")
    first = asyncio.get_running_loop().create_task(view.look_up_customer())
    await asyncio.sleep(0.05)
    view.phone.setText("333 444 5555")
    await view.look_up_customer()
    release.set()
    await first

    assert view.customer is None
    assert view.customer_info.text() == "New customer"
    assert view.name.text() == ""
    assert not view.repeat_button.isVisible()


async def test_a_customer_whose_every_order_was_cancelled_is_offered_no_repeat(
    qtbot: QtBot, view: CounterView, mediator: FakeMediator
) -> None:
    mediator.responses[GetCustomerQuery] = OperationResult.ok(
        CustomerDto(
            phone="5550102030",
            name="Anna Conti",
            address=None,
            addresses=[],
            total_orders=0,
            total_spent=Decimal("0.00"),
            favorite_pizzas=[],
            first_order_at=NOW,
            last_order_at=NOW,
            last_order_id=None,
        )
    )

    qtbot.keyClicks(view.phone, "555 010 2030")
    qtbot.keyClick(view.phone, Qt.Key.Key_Return)
    await wait_until(lambda: view.customer is not None)

    assert view.name.text() == "Anna Conti"
    assert not view.repeat_button.isVisible()
    assert mediator.sent_of(GetOrderByIdQuery) == []
