"""PlaceOrderCommand and idempotency through the real mediator, behaviors and handlers over `FakeUnitOfWork`: the
rules of the SQLite tests in tests/integration/test_place_order.py and test_idempotency.py, with no file."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest

from pos_app.config import Settings
from pos_app.domain.kitchen import KitchenPolicy
from pos_app.domain.orders import OrderStatus
from pos_app.messages.commands import (
    LogoutCommand,
    MarkOrderPickedUpCommand,
    MarkPizzaReadyCommand,
    PizzaItem,
    StartCookingCommand,
)
from tests.support import login, place_order, placed
from tests.unit.fakes import FakeApp, fake_app


@pytest.fixture
def app() -> FakeApp:
    return fake_app()


async def test_placing_an_order_answers_201_with_number_total_tax_and_change(app: FakeApp) -> None:
    await login(app.mediator, "luigi")

    result = await app.mediator.execute_async(place_order())

    assert result.status == 201
    assert result.data.order_number == 1
    assert result.data.total_amount == Decimal("34.48")  # (12.99 + 2.00) × 1.3 → 19.49, + 14.99
    assert result.data.change_due == Decimal("65.52")
    assert result.data.tax_amount == Decimal("3.13")
    assert result.data.paid is True
    assert app.clock.now() < result.data.estimated_ready_time <= app.clock.now() + timedelta(minutes=30)
    (order,) = app.store.orders.values()
    assert (order.status, order.placed_by, order.customer.phone) == (OrderStatus.PENDING, "luigi", "5550102030")


async def test_order_numbers_count_up_and_restart_each_business_day(app: FakeApp) -> None:
    await login(app.mediator, "luigi")
    first = await placed(app.mediator)
    second = await placed(app.mediator)

    app.clock.advance(days=1)
    next_day = await placed(app.mediator)

    assert (first.data.order_number, second.data.order_number, next_day.data.order_number) == (1, 2, 1)


async def test_card_payment_is_taken_at_once_and_cash_without_tendered_stays_unpaid(app: FakeApp) -> None:
    await login(app.mediator, "luigi")

    card = await placed(app.mediator, payment_method="card", amount_tendered=None)
    later = await placed(app.mediator, payment_method="cash", amount_tendered=None)

    assert (card.data.paid, card.data.change_due) == (True, None)
    assert later.data.paid is False


BAD_ORDERS = [
    ({"pizza_items": [PizzaItem(pizza_id="calzone_gigante")]}, "pizza_items[0].pizza_id"),
    ({"pizza_items": [PizzaItem(pizza_id="cola", size="large")]}, "pizza_items[0].size"),
    ({"pizza_items": [PizzaItem(pizza_id="margherita", toppings=["chocolate"])]}, "pizza_items[0].toppings"),
    ({"pizza_items": [PizzaItem(pizza_id="cola", toppings=["ham"])]}, "pizza_items[0].toppings"),
    ({"pizza_items": []}, "pizza_items"),
    ({"customer_phone": "555-12"}, "customer_phone"),
    ({"customer_name": "   "}, "customer_name"),
    ({"order_type": "delivery", "customer_address": None}, "customer_address"),
    ({"amount_tendered": Decimal("10.00")}, "amount_tendered"),
    ({"payment_method": "card", "amount_tendered": Decimal("50.00")}, "amount_tendered"),
]


@pytest.mark.parametrize(("overrides", "field"), BAD_ORDERS, ids=[field for _, field in BAD_ORDERS])
async def test_a_bad_order_answers_400_naming_the_field_and_writes_nothing(
    app: FakeApp, overrides: dict[str, object], field: str
) -> None:
    await login(app.mediator, "luigi")
    before = app.store.state()

    result = await app.mediator.execute_async(place_order(**overrides))

    assert result.status == 400
    assert field in result.errors
    assert result.error_message
    assert app.store.state() == before


async def test_a_full_kitchen_answers_503_with_the_wait_unless_the_customer_accepts_it() -> None:
    app = fake_app(Settings(timezone="UTC", kitchen=KitchenPolicy(capacity_items=3, stations=1)))
    await login(app.mediator, "luigi")
    await placed(app.mediator)  # 2 pizzas: 12 + 13 minutes in the queue
    before = app.store.state()

    full = await app.mediator.execute_async(place_order())
    after_refusal = app.store.state()
    accepted = await app.mediator.execute_async(place_order(accept_kitchen_wait=True))

    assert full.status == 503
    assert "25 minutes" in full.error_message
    assert "accept_kitchen_wait" in full.errors
    assert after_refusal == before  # the refused order's number is given back too
    assert (accepted.status, accepted.data.order_number) == (201, 2)
    assert accepted.data.estimated_ready_time >= app.clock.now() + timedelta(minutes=25 + 13)


async def test_kitchen_capacity_is_released_when_items_are_ready() -> None:
    app = fake_app(Settings(timezone="UTC", kitchen=KitchenPolicy(capacity_items=2, stations=2)))
    await login(app.mediator, "luigi")
    first = await placed(app.mediator)
    refused = await app.mediator.execute_async(place_order())
    await login(app.mediator, "rosa")
    await app.mediator.execute_async(StartCookingCommand(order_id=first.data.order_id))
    for index in (0, 1):
        await app.mediator.execute_async(MarkPizzaReadyCommand(order_id=first.data.order_id, pizza_index=index))
    await login(app.mediator, "luigi")

    again = await app.mediator.execute_async(place_order())

    assert (refused.status, again.status) == (503, 201)


async def test_drinks_do_not_take_kitchen_capacity() -> None:
    app = fake_app(Settings(timezone="UTC", kitchen=KitchenPolicy(capacity_items=1, stations=1)))
    await login(app.mediator, "luigi")
    await placed(app.mediator, pizza_items=[PizzaItem(pizza_id="cola"), PizzaItem(pizza_id="water")])
    await placed(app.mediator, pizza_items=[PizzaItem(pizza_id="margherita"), PizzaItem(pizza_id="cola")])

    drinks = await app.mediator.execute_async(
        place_order(pizza_items=[PizzaItem(pizza_id="cola"), PizzaItem(pizza_id="water")])
    )
    pizza = await app.mediator.execute_async(place_order(pizza_items=[PizzaItem(pizza_id="margherita")]))

    assert (drinks.status, pizza.status) == (201, 503)


async def test_an_order_left_open_on_an_earlier_day_takes_no_capacity_today() -> None:
    app = fake_app(Settings(timezone="UTC", kitchen=KitchenPolicy(capacity_items=2, stations=1)))
    await login(app.mediator, "luigi")
    await placed(app.mediator)
    app.clock.advance(days=1)

    today = await app.mediator.execute_async(place_order())

    assert today.status == 201


# idempotency ----------------------------------------------------------------------------------------------------


async def test_sending_the_same_order_twice_makes_one_order_and_returns_the_first_result(app: FakeApp) -> None:
    await login(app.mediator, "luigi")
    command = place_order()

    first = await app.mediator.execute_async(command)
    second = await app.mediator.execute_async(command)

    assert second.status == first.status == 201
    assert second.data == first.data
    assert len(app.store.orders) == 1
    assert [type(e).__name__ for e in app.store.events].count("OrderPlacedEvent") == 1


async def test_an_order_id_sent_again_with_other_details_is_a_conflict_naming_the_id_and_writes_nothing(
    app: FakeApp,
) -> None:
    await login(app.mediator, "luigi")
    first = place_order()
    await placed(app.mediator, order_id=first.order_id)
    before = app.store.state()

    other_name = await app.mediator.execute_async(first.model_copy(update={"customer_name": "Someone Else"}))
    other_pizzas = await app.mediator.execute_async(
        first.model_copy(update={"pizza_items": [PizzaItem(pizza_id="margherita", size="small")]})
    )
    same_again = await app.mediator.execute_async(first)

    assert (other_name.status, other_name.data) == (409, None)
    assert (other_pizzas.status, other_pizzas.data) == (409, None)
    assert str(first.order_id) in (other_name.error_message or "")
    assert same_again.status == 201
    assert app.store.state() == before


async def test_a_command_id_reused_on_another_order_or_another_command_is_a_conflict(app: FakeApp) -> None:
    await login(app.mediator, "mario")
    one = (await placed(app.mediator, accept_kitchen_wait=True)).data.order_id
    two = (await placed(app.mediator, accept_kitchen_wait=True)).data.order_id
    command_id = uuid.uuid4()
    first = await app.mediator.execute_async(StartCookingCommand(order_id=one, command_id=command_id))
    before = app.store.state()

    other_order = await app.mediator.execute_async(StartCookingCommand(order_id=two, command_id=command_id))
    other_command = await app.mediator.execute_async(MarkOrderPickedUpCommand(order_id=one, command_id=command_id))
    same_again = await app.mediator.execute_async(StartCookingCommand(order_id=one, command_id=command_id))

    assert first.status == 200
    assert (other_order.status, other_order.data) == (409, None)
    assert (other_command.status, other_command.data) == (409, None)
    assert str(command_id) in (other_order.error_message or "")
    assert (same_again.status, same_again.data) == (200, first.data)
    assert app.store.state() == before


async def test_a_retried_pizza_ready_with_its_command_id_returns_the_first_result(app: FakeApp) -> None:
    await login(app.mediator, "luigi")
    order = await placed(app.mediator)
    await login(app.mediator, "rosa")
    await app.mediator.execute_async(StartCookingCommand(order_id=order.data.order_id))
    command = MarkPizzaReadyCommand(order_id=order.data.order_id, pizza_index=0, command_id=uuid.uuid4())

    first = await app.mediator.execute_async(command)
    retry = await app.mediator.execute_async(command)
    again_without_id = await app.mediator.execute_async(
        MarkPizzaReadyCommand(order_id=order.data.order_id, pizza_index=0)
    )

    assert first.status == retry.status == 200
    assert retry.data == first.data
    assert again_without_id.status == 409
    assert [type(e).__name__ for e in app.store.events].count("PizzaReadyEvent") == 1


async def test_a_replay_to_a_role_not_allowed_gets_403_and_none_of_the_customers_details(app: FakeApp) -> None:
    await login(app.mediator, "luigi")
    command = place_order(order_type="delivery", customer_address="Via Roma 1")
    await placed(app.mediator, order_id=command.order_id, order_type="delivery", customer_address="Via Roma 1")
    await login(app.mediator, "rosa")  # kitchen
    before = app.store.state()

    replay = await app.mediator.execute_async(command)

    assert (replay.status, replay.data) == (403, None)
    assert app.store.state() == before


async def test_a_locked_till_gets_403_before_any_field_detail_and_a_logged_in_user_gets_the_fields(
    app: FakeApp,
) -> None:
    invalid = place_order(customer_name=" ", order_type="delivery")  # no name, no address
    await login(app.mediator, "luigi")
    await app.mediator.execute_async(LogoutCommand())
    before = app.store.state()

    locked = await app.mediator.execute_async(invalid)
    after = app.store.state()
    await login(app.mediator, "luigi")
    logged_in = await app.mediator.execute_async(invalid)

    assert (locked.status, dict(locked.errors or {})) == (403, {})
    assert "customer" not in (locked.error_message or "")
    assert logged_in.status == 400
    assert {"customer_name", "customer_address"} <= set(logged_in.errors or {})
    assert after == before
