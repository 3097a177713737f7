"""The read models agree with the event store; caches are never stale; other processes' commits are noticed;
stale writes are refused."""

from __future__ import annotations

import asyncio
import tempfile
import time
import uuid
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pos_app.application.behaviors.caching import QueryCache
from pos_app.bootstrap import App, create_app
from pos_app.domain.errors import ConcurrencyError
from pos_app.domain.money import round_half_up
from pos_app.domain.staff import Role
from pos_app.infrastructure.db import Database, LocalCommits
from pos_app.infrastructure.order_repository import load_order, save_order
from pos_app.infrastructure.postgres import PostgresDatabase
from pos_app.mediation import OperationResult
from pos_app.messages.commands import (
    AcknowledgeKitchenNoticeCommand,
    ApplyDiscountCommand,
    AssignOrderToDeliveryCommand,
    CancelOrderCommand,
    CloseLeftOpenOrderCommand,
    EditOrderCommand,
    MarkOrderDeliveredCommand,
    MarkOrderPickedUpCommand,
    MarkPizzaReadyCommand,
    PizzaItem,
    ProcessPaymentCommand,
    StartCookingCommand,
    UpdateMenuCommand,
)
from pos_app.messages.queries import GetKitchenQueueQuery, GetMenuQuery
from pos_app.read_model.catalog import READ_MODELS
from pos_app.read_model.definition import ReadModel
from pos_app.schema import Base
from tests.support import READ_MODELS as READ_MODEL_TABLE_NAMES
from tests.support import FrozenClock, dump_tables, login, place_order, placed, read_models_differing, tables_of


@dataclass(frozen=True)
class Rebuilt:
    live: dict[str, list[tuple[Any, ...]]]
    rebuilt: dict[str, list[tuple[Any, ...]]]
    replayed: int


async def a_lunch_then_a_rebuild(db_path: Path) -> Rebuilt:
    """Deliveries, pickups, a cancellation and pizzas cooked: the read models as the commands left them, then as a
    rebuild from the event store makes them."""
    clock = FrozenClock()
    async with create_app(f"sqlite:///{db_path}", clock=clock) as app:
        await login(app.mediator, "luigi")
        first = (await placed(app.mediator, order_type="delivery", customer_address="Via Roma 1")).data
        second = (await placed(app.mediator)).data
        third = (await placed(app.mediator, amount_tendered=None)).data
        await app.mediator.execute_async(CancelOrderCommand(order_id=third.order_id, reason="duplicate"))
        table_for_two = [PizzaItem(pizza_id="margherita", quantity=2), PizzaItem(pizza_id="cola", quantity=2)]
        fourth = (await placed(app.mediator, order_type="dine_in", table_number=7, pizza_items=table_for_two)).data
        dearer = [PizzaItem(pizza_id="margherita", size="large", quantity=2), PizzaItem(pizza_id="pepperoni")]
        edited = await app.mediator.execute_async(edit_of(second.order_id, dearer))  # before cooking: more to pay
        assert edited.data.balance_due > 0, edited
        off = await app.mediator.execute_async(  # and 10% off, less to pay
            ApplyDiscountCommand(order_id=second.order_id, percent=Decimal("10"), reason="regular")
        )
        assert off.status == 200, off
        await login(app.mediator, "rosa")
        for order in (first, second, fourth):
            await app.mediator.execute_async(StartCookingCommand(order_id=order.order_id))
            clock.advance(minutes=7)
            if order is fourth:  # after cooking started: one cola fewer, refunded
                await login(app.mediator, "luigi")
                fewer = [PizzaItem(pizza_id="margherita", quantity=2), PizzaItem(pizza_id="cola")]
                changed = await app.mediator.execute_async(
                    edit_of(fourth.order_id, fewer, order_type="dine_in", table_number=7)
                )
                assert changed.status == 200, changed
                await login(app.mediator, "rosa")
            for index in (0, 1):
                await app.mediator.execute_async(MarkPizzaReadyCommand(order_id=order.order_id, pizza_index=index))
        live = dump_tables(db_path)

        replayed = await app.rebuild_read_models()

        return Rebuilt(live=live, rebuilt=dump_tables(db_path), replayed=replayed)


def edit_of(order_id: uuid.UUID, items: list[PizzaItem], **fields: Any) -> EditOrderCommand:
    return EditOrderCommand(
        order_id=order_id,
        pizza_items=items,
        order_type=fields.pop("order_type", "pickup"),
        customer_name="Anna Conti",
        customer_phone="555 010 2030",
        **fields,
    )


@pytest.fixture(scope="module")
def a_lunch_rebuilt(tmp_path_factory: pytest.TempPathFactory) -> Rebuilt:
    return asyncio.run(a_lunch_then_a_rebuild(tmp_path_factory.mktemp("lunch") / "store.db"))


def test_rebuilding_the_read_models_from_the_event_store_gives_identical_tables(a_lunch_rebuilt: Rebuilt) -> None:
    live, rebuilt = a_lunch_rebuilt.live, a_lunch_rebuilt.rebuilt

    assert a_lunch_rebuilt.replayed > 10
    assert rebuilt == live
    assert all(live[name] for name in ("order_list_view", "kitchen_queue_view", "sales_daily_view"))


@pytest.mark.parametrize("read_model", READ_MODELS, ids=lambda read_model: read_model.name)
def test_rebuilding_each_read_model_from_the_event_store_gives_its_live_tables(
    read_model: ReadModel, a_lunch_rebuilt: Rebuilt
) -> None:
    live = tables_of(read_model, a_lunch_rebuilt.live)

    rebuilt = tables_of(read_model, a_lunch_rebuilt.rebuilt)

    assert rebuilt == live
    assert all(live.values())  # the lunch gives every read model rows to compare


def test_every_read_model_table_belongs_to_one_read_model_and_is_compared() -> None:
    owners = [read_table.name for read_model in READ_MODELS for read_table in read_model.tables]
    views = {name for name in Base.metadata.tables if name.endswith("_view")}

    assert len(owners) == len(set(owners))
    assert set(owners) == views
    assert set(READ_MODEL_TABLE_NAMES) == views


MENU_IDS = ["margherita", "pepperoni", "supreme", "zucca", "cola", "garlic_bread", "no_such_pizza"]
TOPPINGS = ["ham", "olives", "extra_cheese", "basil", "no_such_topping"]

items = st.builds(
    PizzaItem,
    pizza_id=st.sampled_from(MENU_IDS),
    size=st.sampled_from(["small", "medium", "large"]),
    toppings=st.lists(st.sampled_from(TOPPINGS), max_size=3, unique=True),
    allergies=st.lists(st.sampled_from(["nuts", "milk", "gluten"]), max_size=2, unique=True),
    quantity=st.integers(1, 3),
)
place_step = st.fixed_dictionaries(
    {
        "kind": st.just("place"),
        "items": st.lists(items, min_size=0, max_size=4),
        "delivery": st.booleans(),
        "payment": st.sampled_from(["cash", "card", "later"]),
        "phone": st.sampled_from(["555 010 2030", "333 444 5555", "12"]),
    }
)
order_step = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(
            [
                "cook",
                "ready",
                "pickup",
                "send",
                "deliver",
                "pay",
                "cancel",
                "next_day",
                "close",
                "close_cancel",
                "ack",
                "edit",
                "discount",
            ]
        ),
        "which": st.integers(0, 20),
        "index": st.integers(0, 4),
    }
)


def expected_total(command_items: list[PizzaItem], menu: dict[str, Any], delivery: bool) -> Decimal:
    """The pricing formula, computed independently with fractions."""
    multipliers = {"small": Fraction(4, 5), "medium": Fraction(1), "large": Fraction(13, 10)}
    cents = 0
    for item in command_items:
        entry = menu[item.pizza_id]
        toppings = {t.id: t.price for t in entry.available_toppings}
        before = Fraction(entry.base_price) * 100 + sum(Fraction(toppings[t]) * 100 for t in item.toppings)
        cents += round_half_up(before * multipliers[item.size]) * item.quantity
    return Decimal(cents + (300 if delivery else 0)) / 100


def order_command(kind: str, order_id: uuid.UUID, index: int, phone: str = "555 010 2030") -> Any:
    match kind:
        case "discount":
            return ApplyDiscountCommand(order_id=order_id, percent=Decimal(5 * (index + 1)), reason="regular")
        case "edit":  # a cheaper or dearer order, paid or not, before or after cooking started
            return EditOrderCommand(
                order_id=order_id,
                pizza_items=[PizzaItem(pizza_id="pepperoni", quantity=index + 1), PizzaItem(pizza_id="cola")],
                order_type="delivery" if index % 2 else "pickup",
                customer_name="Anna Conti",
                customer_phone=phone,
                customer_address="Via Roma 2",
            )
        case "cook":
            return StartCookingCommand(order_id=order_id)
        case "ready":
            return MarkPizzaReadyCommand(order_id=order_id, pizza_index=index)
        case "pickup":
            return MarkOrderPickedUpCommand(order_id=order_id)
        case "send":
            return AssignOrderToDeliveryCommand(order_id=order_id, driver_id="toni")
        case "deliver":
            return MarkOrderDeliveredCommand(order_id=order_id)
        case "pay":
            return ProcessPaymentCommand(order_id=order_id, payment_method="cash", amount_tendered=Decimal("500.00"))
        case "close":
            return CloseLeftOpenOrderCommand(order_id=order_id, outcome="completed")
        case "close_cancel":
            return CloseLeftOpenOrderCommand(order_id=order_id, outcome="cancelled", reason="left open")
        case "ack":
            return AcknowledgeKitchenNoticeCommand(order_id=order_id)
    return CancelOrderCommand(order_id=order_id, reason="test")


async def run_story(path: Path, steps: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    clock = FrozenClock()
    problems: list[str] = []
    async with create_app(f"sqlite:///{path}", clock=clock) as app:
        await login(app.mediator, "mario")
        menu = {m.id: m for m in (await app.mediator.execute_async(GetMenuQuery(include_unavailable=True))).data}
        orders: list[uuid.UUID] = []
        phones: dict[uuid.UUID, str] = {}
        for step in steps:
            clock.advance(minutes=3)
            result: OperationResult[Any]
            if step["kind"] == "place":
                delivery = step["delivery"]
                command = place_order(
                    pizza_items=step["items"],
                    customer_phone=step["phone"],
                    order_type="delivery" if delivery else "pickup",
                    customer_address="Via Roma 1" if delivery else None,
                    payment_method="card" if step["payment"] == "card" else "cash",
                    amount_tendered=Decimal("500.00") if step["payment"] == "cash" else None,
                    accept_kitchen_wait=True,
                )
                result = await app.mediator.execute_async(command)
                if result.is_success:
                    orders.append(result.data.order_id)
                    phones[result.data.order_id] = step["phone"]
                    expected = expected_total(step["items"], menu, delivery)
                    if result.data.total_amount != expected:
                        problems.append(f"total {result.data.total_amount} != {expected}")
                continue
            if step["kind"] == "next_day":
                clock.advance(hours=24)  # what is still open is left open on an earlier business day
                continue
            if not orders:
                continue
            order_id = orders[step["which"] % len(orders)]
            command = order_command(step["kind"], order_id, step["index"], phones[order_id])
            result = await app.mediator.execute_async(command)
            if result.status >= 500:
                problems.append(f"{step['kind']} -> {result.status} {result.error_message}")
        live = dump_tables(path)
        await app.rebuild_read_models()
        return live, dump_tables(path), problems


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(st.one_of(place_step, order_step, order_step), min_size=1, max_size=30))
def test_for_any_sequence_of_commands_the_read_models_equal_a_rebuild_and_totals_are_exact(
    steps: list[dict[str, Any]],
) -> None:
    with tempfile.TemporaryDirectory() as directory:
        live, rebuilt, problems = asyncio.run(run_story(Path(directory) / "store.db", steps))

    assert problems == []
    assert read_models_differing(live, rebuilt) == []
    assert rebuilt == live


async def test_a_cached_read_is_never_stale_after_a_command_in_this_process(app: App) -> None:
    await login(app.mediator, "luigi")
    cache = app.provider.get_required_service(QueryCache)
    before = await app.mediator.execute_async(GetKitchenQueueQuery())
    cached = await app.mediator.execute_async(GetKitchenQueueQuery())
    hits = cache.hits

    order = await placed(app.mediator)
    after = await app.mediator.execute_async(GetKitchenQueueQuery())

    assert cached is before
    assert hits >= 1
    assert before.data == []
    assert [t.order_id for t in after.data] == [order.data.order_id]


def test_a_cached_read_expires_after_its_time_to_live() -> None:
    now = [0.0]
    cache = QueryCache(monotonic=lambda: now[0])
    query = GetKitchenQueueQuery()
    cache.put(query, OperationResult.ok([]), ttl=120, generation=cache.generation(GetKitchenQueueQuery))

    fresh = cache.get(query)
    now[0] = 121
    expired = cache.get(query)

    assert fresh is not None
    assert expired is None


def test_a_read_that_started_before_an_invalidation_is_not_stored() -> None:
    cache = QueryCache()
    query = GetKitchenQueueQuery()
    generation = cache.generation(GetKitchenQueueQuery)

    cache.invalidate_all()
    cache.put(query, OperationResult.ok([]), ttl=120, generation=generation)

    assert cache.get(query) is None


def test_an_answer_the_change_watcher_has_not_vouched_for_lately_is_read_again() -> None:
    now = [0.0]
    cache = QueryCache(monotonic=lambda: now[0])
    cache.watch_other_terminals(unconfirmed_limit=0.5)
    query = GetKitchenQueueQuery()
    cache.put(query, OperationResult.ok([]), ttl=120, generation=cache.generation(GetKitchenQueueQuery), read_at=0.0)

    now[0] = 0.4
    fresh = cache.get(query)
    cache.confirm_unchanged(as_of=0.3)
    now[0] = 0.75
    vouched_for = cache.get(query)
    now[0] = 0.85
    unconfirmed = cache.get(query)

    assert fresh is not None
    assert vouched_for is not None  # confirmed as of 0.3, 0.45 s ago
    assert unconfirmed is None  # 0.55 s since anyone knew it was current


def test_a_confirmation_from_a_poll_older_than_the_read_vouches_for_nothing_newer() -> None:
    now = [0.0]
    cache = QueryCache(monotonic=lambda: now[0])
    cache.watch_other_terminals(unconfirmed_limit=0.5)
    now[0] = 10.0
    query = GetKitchenQueueQuery()
    cache.put(query, OperationResult.ok([]), ttl=120, generation=cache.generation(GetKitchenQueueQuery), read_at=9.0)
    cache.confirm_unchanged(as_of=8.0)  # a poll that started before the read vouches for nothing newer

    assert cache.get(query) is None


def test_a_cache_no_other_terminal_writes_to_serves_until_the_time_to_live() -> None:
    now = [0.0]
    cache = QueryCache(monotonic=lambda: now[0])
    query = GetKitchenQueueQuery()
    cache.put(query, OperationResult.ok([]), ttl=120, generation=cache.generation(GetKitchenQueueQuery))

    now[0] = 119

    assert cache.get(query) is not None


class StalledWatcher:
    """A change watcher that has fallen behind (its thread gets no time on a busy machine)."""

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass


async def test_another_terminal_order_reaches_the_kitchen_even_when_its_change_watcher_stalls(
    store_url: str, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    for store in (Database, PostgresDatabase):
        monkeypatch.setattr(store, "watch_changes", lambda *_, **__: StalledWatcher())
    url = store_url
    async with create_app(url, clock=clock) as counter, create_app(url, clock=clock) as kitchen:
        await login(counter.mediator, "luigi")
        await login(kitchen.mediator, "rosa")
        empty = await kitchen.mediator.execute_async(GetKitchenQueueQuery())
        order = await placed(counter.mediator)
        started = time.monotonic()
        seen: list[Any] = []
        while not seen and time.monotonic() - started < 10:
            seen = (await kitchen.mediator.execute_async(GetKitchenQueueQuery())).data
            await asyncio.sleep(0.01)

    assert empty.data == []
    assert [t.order_id for t in seen] == [order.data.order_id]


async def test_the_change_watcher_vouches_for_a_time_only_after_reporting_what_changed_before_it(
    store_url: str, clock: FrozenClock
) -> None:
    url = store_url
    async with create_app(url, clock=clock) as counter, create_app(url, clock=clock) as kitchen:
        await login(counter.mediator, "luigi")
        calls: list[tuple[str, float]] = []
        watcher = kitchen.database.watch_changes(
            0.01,
            on_change=lambda: calls.append(("changed", time.monotonic())),
            on_checked=lambda as_of: calls.append(("checked", as_of)),
        )
        watcher.start()
        try:
            await placed(counter.mediator)
            committed = time.monotonic()
            for _ in range(500):
                if any(kind == "checked" and at > committed for kind, at in calls):
                    break
                await asyncio.sleep(0.01)
        finally:
            watcher.stop()

    vouched_after_commit = next(i for i, (kind, at) in enumerate(calls) if kind == "checked" and at > committed)
    assert any(kind == "changed" for kind, _ in calls[:vouched_after_commit])


async def test_another_process_commit_is_noticed_within_a_second(db_path: Path, clock: FrozenClock) -> None:
    url = f"sqlite:///{db_path}"
    async with create_app(url, clock=clock) as counter, create_app(url, clock=clock) as kitchen:
        await login(counter.mediator, "luigi")
        await login(kitchen.mediator, "rosa")
        empty = await kitchen.mediator.execute_async(GetKitchenQueueQuery())
        noticed = asyncio.Event()
        kitchen.changes.subscribe(lambda topics: noticed.set() if "kitchen" in topics else None)
        started = time.perf_counter()

        order = await placed(counter.mediator)
        await asyncio.wait_for(noticed.wait(), timeout=1.0)
        elapsed = time.perf_counter() - started
        seen = await kitchen.mediator.execute_async(GetKitchenQueueQuery())

    assert empty.data == []
    assert elapsed < 1.0
    assert [t.order_id for t in seen.data] == [order.data.order_id]


async def test_this_process_own_commits_are_not_reported_as_another_process_change(app: App) -> None:
    await login(app.mediator, "luigi")
    topics_seen: list[frozenset[str]] = []
    app.changes.subscribe(topics_seen.append)

    await placed(app.mediator)
    await asyncio.sleep(app.settings.change_poll_seconds * 3)

    assert topics_seen
    assert all(topics == frozenset({"orders", "kitchen"}) for topics in topics_seen)


async def test_a_stale_write_is_refused_and_overwrites_nothing(app: App) -> None:
    await login(app.mediator, "luigi")
    order_id = (await placed(app.mediator)).data.order_id
    now = FrozenClock().now()

    def race(connection: Any) -> tuple[str, int]:
        mine = load_order(connection, order_id)
        theirs = load_order(connection, order_id)
        assert mine is not None
        assert theirs is not None
        theirs.start_cooking(now, "rosa")
        save_order(connection, theirs, is_new=False)
        mine.cancel("too slow", Role.MANAGER, now, "mario")
        with pytest.raises(ConcurrencyError):
            save_order(connection, mine, is_new=False)
        stored = load_order(connection, order_id)
        assert stored is not None
        return stored.status.value, stored.version

    status, version = await app.database.on_writer(app.database.run_sync, race)

    assert (status, version) == ("cooking", 2)


async def test_another_terminal_commit_is_noticed_even_when_this_one_commits_right_after(
    db_path: Path, clock: FrozenClock
) -> None:
    url = f"sqlite:///{db_path}"
    async with create_app(url, clock=clock) as counter, create_app(url, clock=clock) as office:
        await login(counter.mediator, "luigi")
        await login(office.mediator, "mario")
        offered = {m.id for m in (await counter.mediator.execute_async(GetMenuQuery())).data}
        topics_seen: list[frozenset[str]] = []
        counter.changes.subscribe(topics_seen.append)

        await office.mediator.execute_async(UpdateMenuCommand(item_id="diavola", available=False))
        await placed(counter.mediator)  # in the same poll window as the office's change
        for _ in range(50):
            if any("menu" in topics for topics in topics_seen):
                break
            await asyncio.sleep(0.02)
        offered_after = {m.id for m in (await counter.mediator.execute_async(GetMenuQuery())).data}

    assert "diavola" in offered
    assert any("menu" in topics for topics in topics_seen)
    assert "diavola" not in offered_after


def test_the_positions_a_terminal_committed_are_told_from_other_terminals() -> None:
    commits = LocalCommits()
    commits.add(11, 12)
    commits.add(14, 14)

    ours_only = commits.others_committed(10, 12)
    with_another = commits.others_committed(12, 14)
    nothing_new = commits.others_committed(14, 14)

    assert ours_only is False
    assert with_another is True  # 13 was not ours
    assert nothing_new is False
