"""Kitchen capacity and the estimated ready time: the queue's load plus the order's own preparation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pos_app.domain.errors import DomainError, KitchenFullError
from pos_app.domain.kitchen import (
    KitchenLoad,
    KitchenPolicy,
    check_capacity,
    estimate_ready_time,
    queue_wait_minutes,
)

NOW = datetime(2026, 3, 14, 19, 30, tzinfo=UTC)
FOUR_STATIONS = KitchenPolicy(capacity_items=24, stations=4)
EMPTY = KitchenLoad(items_in_progress=0, prep_minutes_in_progress=0)


def minutes_from_now(ready_at: datetime) -> float:
    return (ready_at - NOW) / timedelta(minutes=1)


# policy -----------------------------------------------------------------------------------------------------------


def test_a_kitchen_holds_30_items_on_6_oven_places_by_default() -> None:
    policy = KitchenPolicy()

    assert (policy.capacity_items, policy.stations) == (30, 6)


@pytest.mark.parametrize(("capacity", "stations"), [(0, 4), (24, 0), (-1, 4), (24, -1)])
def test_a_kitchen_needs_room_for_an_item_and_a_station(capacity: int, stations: int) -> None:
    with pytest.raises(ValueError, match="at least one item and one station"):
        KitchenPolicy(capacity_items=capacity, stations=stations)


# queue wait -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prep_minutes", "stations", "wait"),
    [
        (0, 4, 0),
        (24, 4, 6),
        (25, 4, 7),  # 6.25 minutes round up to 7
        (1, 4, 1),
        (25, 1, 25),
    ],
)
def test_the_queue_wait_is_the_work_in_progress_shared_by_the_stations_rounded_up(
    prep_minutes: int, stations: int, wait: int
) -> None:
    load = KitchenLoad(items_in_progress=3, prep_minutes_in_progress=prep_minutes)

    minutes = queue_wait_minutes(load, KitchenPolicy(stations=stations))

    assert minutes == wait


# estimated ready time ---------------------------------------------------------------------------------------------


def test_in_an_empty_kitchen_one_pizza_is_ready_after_its_preparation() -> None:
    preparation = [12]

    ready_at = estimate_ready_time(NOW, EMPTY, preparation, FOUR_STATIONS)

    assert ready_at == NOW + timedelta(minutes=12)


def test_pizzas_on_free_stations_cook_side_by_side_as_long_as_the_slowest() -> None:
    preparation = [12, 14, 8, 10]

    ready_at = estimate_ready_time(NOW, EMPTY, preparation, FOUR_STATIONS)

    assert minutes_from_now(ready_at) == 14


def test_more_pizzas_than_stations_cook_in_batches() -> None:
    preparation = [12, 14, 8, 10, 9]

    ready_at = estimate_ready_time(NOW, EMPTY, preparation, FOUR_STATIONS)

    assert minutes_from_now(ready_at) == 28  # two batches of the slowest, 14 minutes


def test_the_queue_wait_comes_before_the_orders_own_preparation() -> None:
    busy = KitchenLoad(items_in_progress=5, prep_minutes_in_progress=25)

    ready_at = estimate_ready_time(NOW, busy, [12], FOUR_STATIONS)

    assert minutes_from_now(ready_at) == 7 + 12


def test_an_order_with_nothing_to_prepare_is_ready_after_the_queue_wait() -> None:
    busy = KitchenLoad(items_in_progress=5, prep_minutes_in_progress=25)

    ready_at = estimate_ready_time(NOW, busy, [], FOUR_STATIONS)

    assert ready_at == NOW + timedelta(minutes=7)


def test_drinks_that_take_no_preparation_add_no_time() -> None:
    preparation = [0, 0]

    ready_at = estimate_ready_time(NOW, EMPTY, preparation, FOUR_STATIONS)

    assert ready_at == NOW


# capacity ---------------------------------------------------------------------------------------------------------


def test_an_order_that_fits_in_the_kitchen_is_accepted() -> None:
    load = KitchenLoad(items_in_progress=20, prep_minutes_in_progress=240)

    check_capacity(load, 3, FOUR_STATIONS, accept_wait=False)

    assert load.items_in_progress + 3 < FOUR_STATIONS.capacity_items


def test_an_order_that_fills_the_kitchen_exactly_is_accepted() -> None:
    load = KitchenLoad(items_in_progress=20, prep_minutes_in_progress=240)

    check_capacity(load, 4, FOUR_STATIONS, accept_wait=False)

    assert load.items_in_progress + 4 == FOUR_STATIONS.capacity_items


def test_an_order_that_does_not_fit_is_refused_with_the_estimated_wait() -> None:
    load = KitchenLoad(items_in_progress=20, prep_minutes_in_progress=250)

    with pytest.raises(KitchenFullError) as caught:
        check_capacity(load, 5, FOUR_STATIONS, accept_wait=False)

    assert isinstance(caught.value, DomainError)
    assert caught.value.status == 503
    assert caught.value.wait_minutes == 63  # 250 minutes over 4 stations = 62.5
    assert caught.value.errors == {"accept_kitchen_wait": ["Estimated wait 63 minutes"]}
    assert "20 items in progress" in caught.value.message
    assert "63 minutes" in caught.value.message


def test_one_item_too_many_is_refused() -> None:
    full = KitchenLoad(items_in_progress=24, prep_minutes_in_progress=288)

    with pytest.raises(KitchenFullError) as caught:
        check_capacity(full, 1, FOUR_STATIONS, accept_wait=False)

    assert caught.value.wait_minutes == 72


def test_the_counter_may_accept_the_wait_of_a_full_kitchen() -> None:
    full = KitchenLoad(items_in_progress=24, prep_minutes_in_progress=288)

    check_capacity(full, 6, FOUR_STATIONS, accept_wait=True)

    assert full.items_in_progress + 6 > FOUR_STATIONS.capacity_items


def test_a_big_order_on_an_empty_kitchen_is_taken_with_a_realistic_ready_time() -> None:
    preparation = [12] * 31

    check_capacity(EMPTY, 31, FOUR_STATIONS, accept_wait=False)
    ready_at = estimate_ready_time(NOW, EMPTY, preparation, FOUR_STATIONS)

    assert minutes_from_now(ready_at) == 12 * 8  # 31 pizzas in 8 rounds of 4 oven places


def test_a_refusal_of_a_kitchen_with_room_left_says_how_much_room_and_the_true_wait() -> None:
    load = KitchenLoad(items_in_progress=2, prep_minutes_in_progress=24)

    with pytest.raises(KitchenFullError) as caught:
        check_capacity(load, 31, FOUR_STATIONS, accept_wait=False)

    assert caught.value.wait_minutes == 6  # 24 minutes over 4 stations
    assert "full" not in caught.value.message
    assert "room for 22 more items, not 31" in caught.value.message
    assert "2 items in progress" in caught.value.message
    assert "about 6 minutes wait" in caught.value.message
    assert caught.value.errors == {"accept_kitchen_wait": ["Estimated wait 6 minutes"]}


def test_a_full_kitchen_says_full_with_its_wait() -> None:
    full = KitchenLoad(items_in_progress=24, prep_minutes_in_progress=288)

    with pytest.raises(KitchenFullError) as caught:
        check_capacity(full, 1, FOUR_STATIONS, accept_wait=False)

    assert caught.value.message == "The kitchen is full (24 items in progress): about 72 minutes wait"
