"""Who may send what: every command, and every query with the `RequiresRole` marker, by every role and by nobody.

Each cell sets up a store where the request would succeed business-wise, logs in as the role (or logs out), and
sends it: exactly the roles in the request's `allowed_roles` succeed; everyone else gets a 403 and nothing is written.
Also: the PIN lock, PINs never in clear, and every event naming the staff member who caused it.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Awaitable, Callable
from contextlib import closing
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest

from pos_app.bootstrap import App
from pos_app.domain.staff import hash_pin
from pos_app.mediation import Command, Mediator, OperationResult, Query, Request
from pos_app.messages.commands import (
    AcknowledgeKitchenNoticeCommand,
    ApplyDiscountCommand,
    AssignOrderToDeliveryCommand,
    CancelOrderCommand,
    ChangePinCommand,
    CloseLeftOpenOrderCommand,
    EditOrderCommand,
    LoginCommand,
    LogoutCommand,
    MarkOrderDeliveredCommand,
    MarkOrderPickedUpCommand,
    MarkPizzaReadyCommand,
    PizzaItem,
    PlaceOrderCommand,
    ProcessPaymentCommand,
    StartCookingCommand,
    UpdateMenuCommand,
)
from pos_app.messages.queries import (
    GetCustomerQuery,
    GetDailySalesQuery,
    GetDeliveryOrdersQuery,
    GetKitchenPerformanceQuery,
    GetKitchenQueueChangesQuery,
    GetKitchenQueueQuery,
    GetLastCompletedTicketQuery,
    GetLeftOpenOrdersQuery,
    GetMenuQuery,
    GetOrderByIdQuery,
    GetOrderHistoryQuery,
    GetOrdersQuery,
    GetOrderStatusQuery,
    GetPopularPizzasQuery,
    PriceOrderQuery,
)
from pos_app.messages.types import RequiresRole
from tests.support import (
    PINS,
    Fingerprint,
    FrozenClock,
    changed,
    fingerprint,
    login,
    place_order,
    placed,
    request_catalogue,
)

ROLES = ("counter", "kitchen", "driver", "manager")
NOBODY = "nobody"
COLUMNS = (*ROLES, NOBODY)
STAFF_OF_ROLE = {"counter": "luigi", "kitchen": "rosa", "driver": "toni", "manager": "mario"}
PHONE = "555 010 2030"

# Who may send what, written out: a change to any request's roles must change this table too.
ROLE_TABLE = """
request                          counter  kitchen  driver  manager  nobody
PlaceOrderCommand                yes      -        -       yes      -
StartCookingCommand              -        yes      -       yes      -
MarkPizzaReadyCommand            -        yes      -       yes      -
MarkOrderPickedUpCommand         yes      -        -       yes      -
AssignOrderToDeliveryCommand     yes      -        yes     yes      -
MarkOrderDeliveredCommand        -        -        yes     yes      -
CancelOrderCommand               yes      -        -       yes      -
EditOrderCommand                 yes      -        -       yes      -
ApplyDiscountCommand             yes      -        -       yes      -
ProcessPaymentCommand            yes      -        yes     yes      -
CloseLeftOpenOrderCommand        -        -        -       yes      -
UpdateMenuCommand                -        -        -       yes      -
LoginCommand                     yes      yes      yes     yes      yes
LogoutCommand                    yes      yes      yes     yes      yes
ChangePinCommand                 yes      yes      yes     yes      -
GetMenuQuery                     yes      yes      yes     yes      -
PriceOrderQuery                  yes      yes      yes     yes      -
GetOrderByIdQuery                yes      yes      yes     yes      -
GetOrderStatusQuery              yes      yes      yes     yes      -
GetOrdersQuery                   yes      yes      yes     yes      -
GetOrderHistoryQuery             yes      -        -       yes      -
GetKitchenQueueQuery             yes      yes      yes     yes      -
GetKitchenQueueChangesQuery      yes      yes      yes     yes      -
GetLastCompletedTicketQuery      yes      yes      yes     yes      -
GetDeliveryOrdersQuery           yes      yes      yes     yes      -
GetPopularPizzasQuery            yes      yes      yes     yes      -
GetDailySalesQuery               -        -        -       yes      -
GetKitchenPerformanceQuery       -        -        -       yes      -
GetCustomerQuery                 yes      -        -       yes      -
GetLeftOpenOrdersQuery           -        -        -       yes      -
AcknowledgeKitchenNoticeCommand  -        yes      -       yes      -
"""


MATRIX_REQUESTS = [
    request_type
    for request_type in request_catalogue()
    if issubclass(request_type, Command) or (issubclass(request_type, Query) and issubclass(request_type, RequiresRole))
]


def allowed_by_declaration(request_type: type[Request[Any]]) -> dict[str, bool]:
    """A request without the marker is open to anyone, even with nobody logged in."""
    if not issubclass(request_type, RequiresRole):
        return dict.fromkeys(COLUMNS, True)
    return {**{role: role in request_type.allowed_roles for role in ROLES}, NOBODY: False}


def allowed_by_table() -> dict[str, dict[str, bool]]:
    header, *rows = [line.split() for line in ROLE_TABLE.strip().splitlines()]
    assert tuple(header[1:]) == COLUMNS
    return {name: {c: cell == "yes" for c, cell in zip(COLUMNS, cells, strict=True)} for name, *cells in rows}


# --- the store ---------------------------------------------------------------------------------------------------


def all_rows(path: Path, table: str) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall()


async def ok(mediator: Mediator, request: Request[Any]) -> Any:
    result = await mediator.execute_async(request)
    assert result.is_success, (request, result)
    return result.data


# --- the business set-ups: as the manager, a store where the request would succeed --------------------------------

Setup = Callable[[Mediator, FrozenClock, int], Awaitable[Request[Any]]]


async def pending_order(mediator: Mediator, **overrides: Any) -> UUID:
    result = await placed(mediator, accept_kitchen_wait=True, **overrides)
    order_id: UUID = result.data.order_id
    return order_id


async def cooking_order(mediator: Mediator, clock: FrozenClock, **overrides: Any) -> UUID:
    order_id = await pending_order(mediator, **overrides)
    await ok(mediator, StartCookingCommand(order_id=order_id))
    clock.advance(minutes=1)
    return order_id


async def ready_order(mediator: Mediator, clock: FrozenClock, **overrides: Any) -> UUID:
    order_id = await cooking_order(mediator, clock, **overrides)
    for index in (0, 1):
        await ok(mediator, MarkPizzaReadyCommand(order_id=order_id, pizza_index=index))
    return order_id


DELIVERY = {"order_type": "delivery", "customer_address": "Via Roma 1"}


async def place_order_setup(mediator: Mediator, clock: FrozenClock, cell: int) -> Request[Any]:
    return place_order(accept_kitchen_wait=True)


async def start_cooking_setup(mediator: Mediator, clock: FrozenClock, cell: int) -> Request[Any]:
    return StartCookingCommand(order_id=await pending_order(mediator))


async def mark_pizza_ready_setup(mediator: Mediator, clock: FrozenClock, cell: int) -> Request[Any]:
    return MarkPizzaReadyCommand(order_id=await cooking_order(mediator, clock), pizza_index=0)


async def mark_picked_up_setup(mediator: Mediator, clock: FrozenClock, cell: int) -> Request[Any]:
    return MarkOrderPickedUpCommand(order_id=await ready_order(mediator, clock))  # paid in cash when placed


async def assign_to_delivery_setup(mediator: Mediator, clock: FrozenClock, cell: int) -> Request[Any]:
    return AssignOrderToDeliveryCommand(order_id=await ready_order(mediator, clock, **DELIVERY), driver_id="toni")


async def mark_delivered_setup(mediator: Mediator, clock: FrozenClock, cell: int) -> Request[Any]:
    order_id = await ready_order(mediator, clock, **DELIVERY)  # paid in cash when placed
    await ok(mediator, AssignOrderToDeliveryCommand(order_id=order_id, driver_id="toni"))
    return MarkOrderDeliveredCommand(order_id=order_id)


async def cancel_setup(mediator: Mediator, clock: FrozenClock, cell: int) -> Request[Any]:
    # unpaid: a refund needs a manager's approval besides the role (tests/integration/test_approvals.py)
    return CancelOrderCommand(order_id=await pending_order(mediator, amount_tendered=None), reason="customer left")


async def edit_setup(mediator: Mediator, clock: FrozenClock, cell: int) -> Request[Any]:
    order_id = await pending_order(mediator, amount_tendered=None)
    return EditOrderCommand(
        order_id=order_id,
        pizza_items=[PizzaItem(pizza_id="pepperoni", quantity=2)],
        order_type="pickup",
        customer_name="Anna Conti",
        customer_phone="555 010 2030",
    )


async def discount_setup(mediator: Mediator, clock: FrozenClock, cell: int) -> Request[Any]:
    order_id = await pending_order(mediator, amount_tendered=None)
    return ApplyDiscountCommand(order_id=order_id, percent=Decimal("5"), reason="regular")


async def payment_setup(mediator: Mediator, clock: FrozenClock, cell: int) -> Request[Any]:
    """A delivery on the road with toni, not yet paid: the one driver may take payment on it."""
    order_id = await ready_order(mediator, clock, amount_tendered=None, **DELIVERY)  # cash, not yet paid
    await ok(mediator, AssignOrderToDeliveryCommand(order_id=order_id, driver_id="toni"))
    return ProcessPaymentCommand(order_id=order_id, payment_method="card")


async def close_left_open_setup(mediator: Mediator, clock: FrozenClock, cell: int) -> Request[Any]:
    order_id = await pending_order(mediator)
    clock.advance(days=1)  # the order is now left open on an earlier business day
    return CloseLeftOpenOrderCommand(order_id=order_id, outcome="cancelled", reason="never collected")


async def left_open_setup(mediator: Mediator, clock: FrozenClock, cell: int) -> Request[Any]:
    await pending_order(mediator)
    clock.advance(days=1)
    return GetLeftOpenOrdersQuery()


async def update_menu_setup(mediator: Mediator, clock: FrozenClock, cell: int) -> Request[Any]:
    return UpdateMenuCommand(item_id="margherita", base_price=Decimal("9.00") + Decimal(cell) / 100)


async def login_setup(mediator: Mediator, clock: FrozenClock, cell: int) -> Request[Any]:
    return LoginCommand(staff_id="luigi", pin=PINS["luigi"])


async def change_pin_setup(mediator: Mediator, clock: FrozenClock, cell: int) -> Request[Any]:
    """Each cell's staff member changes their own PIN (nobody's cell gives some PIN; it must be refused)."""
    column = COLUMNS[cell]
    current = PINS[STAFF_OF_ROLE[column]] if column in STAFF_OF_ROLE else PINS["mario"]
    return ChangePinCommand(current_pin=current, new_pin=f"{5000 + cell}1")


async def logout_setup(mediator: Mediator, clock: FrozenClock, cell: int) -> Request[Any]:
    return LogoutCommand()


async def acknowledge_notice_setup(mediator: Mediator, clock: FrozenClock, cell: int) -> Request[Any]:
    order_id = await pending_order(mediator, amount_tendered=None)
    await ok(mediator, CancelOrderCommand(order_id=order_id, reason="customer left"))
    return AcknowledgeKitchenNoticeCommand(order_id=order_id)


def with_an_order(build: Callable[[UUID], Request[Any]]) -> Setup:
    async def setup(mediator: Mediator, clock: FrozenClock, cell: int) -> Request[Any]:
        return build(await pending_order(mediator))

    return setup


def plain(request: Request[Any]) -> Setup:
    async def setup(mediator: Mediator, clock: FrozenClock, cell: int) -> Request[Any]:
        await pending_order(mediator)  # something to show
        return request

    return setup


SETUPS: dict[type[Request[Any]], Setup] = {
    PlaceOrderCommand: place_order_setup,
    StartCookingCommand: start_cooking_setup,
    MarkPizzaReadyCommand: mark_pizza_ready_setup,
    MarkOrderPickedUpCommand: mark_picked_up_setup,
    AssignOrderToDeliveryCommand: assign_to_delivery_setup,
    MarkOrderDeliveredCommand: mark_delivered_setup,
    CancelOrderCommand: cancel_setup,
    EditOrderCommand: edit_setup,
    ApplyDiscountCommand: discount_setup,
    ProcessPaymentCommand: payment_setup,
    CloseLeftOpenOrderCommand: close_left_open_setup,
    UpdateMenuCommand: update_menu_setup,
    LoginCommand: login_setup,
    LogoutCommand: logout_setup,
    ChangePinCommand: change_pin_setup,
    GetMenuQuery: plain(GetMenuQuery()),
    PriceOrderQuery: plain(PriceOrderQuery(pizza_items=[PizzaItem(pizza_id="margherita", size="large")])),
    GetOrderByIdQuery: with_an_order(lambda order_id: GetOrderByIdQuery(order_id=order_id)),
    GetOrderStatusQuery: with_an_order(lambda order_id: GetOrderStatusQuery(order_id=order_id)),
    GetOrdersQuery: plain(GetOrdersQuery()),
    GetOrderHistoryQuery: plain(GetOrderHistoryQuery(customer_phone=PHONE)),
    GetKitchenQueueQuery: plain(GetKitchenQueueQuery()),
    GetKitchenQueueChangesQuery: plain(GetKitchenQueueChangesQuery()),
    GetLastCompletedTicketQuery: plain(GetLastCompletedTicketQuery()),
    GetDeliveryOrdersQuery: plain(GetDeliveryOrdersQuery()),
    GetPopularPizzasQuery: plain(GetPopularPizzasQuery()),
    GetDailySalesQuery: plain(GetDailySalesQuery()),
    GetKitchenPerformanceQuery: plain(
        GetKitchenPerformanceQuery(start=date(2026, 11, 27) - timedelta(days=7), end=date(2026, 11, 27))
    ),
    GetCustomerQuery: plain(GetCustomerQuery(phone=PHONE)),
    GetLeftOpenOrdersQuery: left_open_setup,
    AcknowledgeKitchenNoticeCommand: acknowledge_notice_setup,
}


def outcome(request: Request[Any], result: OperationResult[Any], before: Fingerprint, after: Fingerprint) -> str:
    wrote = changed(before, after)
    if result.is_success:
        return f"allowed, but a read wrote {wrote}" if isinstance(request, Query) and wrote else "allowed"
    if result.status == 403:
        return f"refused, but wrote {wrote}" if wrote else "refused"
    return f"{result.status}: {result.error_message}"


# --- the tests ---------------------------------------------------------------------------------------------------


def test_the_written_table_agrees_with_the_roles_the_requests_declare() -> None:
    declared = {request_type.__name__: allowed_by_declaration(request_type) for request_type in MATRIX_REQUESTS}

    table = allowed_by_table()

    assert MATRIX_REQUESTS
    assert PlaceOrderCommand in MATRIX_REQUESTS
    assert GetDailySalesQuery in MATRIX_REQUESTS
    assert table == declared
    assert set(SETUPS) == set(MATRIX_REQUESTS), "give every request in the matrix a business set-up"


@pytest.mark.parametrize("request_type", MATRIX_REQUESTS, ids=lambda request_type: request_type.__name__)
async def test_exactly_the_allowed_roles_may_send_the_request_and_a_refusal_writes_nothing(
    request_type: type[Request[Any]], app: App, db_path: Path, clock: FrozenClock
) -> None:
    setup = SETUPS[request_type]
    await login(app.mediator, "mario")
    requests = {column: await setup(app.mediator, clock, cell) for cell, column in enumerate(COLUMNS)}
    outcomes: dict[str, str] = {}

    for column, request in requests.items():
        if column == NOBODY:
            await ok(app.mediator, LogoutCommand())
        else:
            await login(app.mediator, STAFF_OF_ROLE[column])
        before = fingerprint(db_path)
        result = await app.mediator.execute_async(request)
        outcomes[column] = outcome(request, result, before, fingerprint(db_path))

    expected = {
        column: "allowed" if allowed else "refused" for column, allowed in allowed_by_declaration(request_type).items()
    }
    assert outcomes == expected


REPLAYED_COMMANDS = [
    request_type
    for request_type in MATRIX_REQUESTS
    if issubclass(request_type, Command) and getattr(request_type, "idempotent", False)
]


@pytest.mark.parametrize("request_type", REPLAYED_COMMANDS, ids=lambda request_type: request_type.__name__)
async def test_a_replayed_command_is_refused_twice_to_a_role_not_allowed_and_hands_back_nothing(
    request_type: type[Request[Any]], app: App, db_path: Path, clock: FrozenClock
) -> None:
    await login(app.mediator, "mario")
    request = await SETUPS[request_type](app.mediator, clock, 0)
    if "command_id" in type(request).model_fields:
        request = request.model_copy(update={"command_id": uuid4()})
    await ok(app.mediator, request)  # the manager's first send is stored for replay
    outcomes: dict[str, list[tuple[str, Any]]] = {}

    for column in COLUMNS:
        if allowed_by_declaration(request_type)[column]:
            continue
        if column == NOBODY:
            await ok(app.mediator, LogoutCommand())
        else:
            await login(app.mediator, STAFF_OF_ROLE[column])
        outcomes[column] = []
        for _ in range(2):
            before = fingerprint(db_path)
            result = await app.mediator.execute_async(request)
            outcomes[column].append((outcome(request, result, before, fingerprint(db_path)), result.data))

    assert REPLAYED_COMMANDS
    assert outcomes
    assert outcomes == {column: [("refused", None), ("refused", None)] for column in outcomes}


@pytest.mark.parametrize("request_type", REPLAYED_COMMANDS, ids=lambda request_type: request_type.__name__)
async def test_a_replayed_id_with_another_request_is_a_conflict_naming_the_id_even_to_an_allowed_role(
    request_type: type[Request[Any]], app: App, db_path: Path, clock: FrozenClock
) -> None:
    await login(app.mediator, "mario")
    request = await SETUPS[request_type](app.mediator, clock, 0)
    if "command_id" in type(request).model_fields:
        request = request.model_copy(update={"command_id": uuid4()})
        other = request.model_copy(update={"order_id": uuid4()})  # the same command id on another order
    else:
        other = request.model_copy(update={"customer_name": "Someone Else"})
    await ok(app.mediator, request)
    before = fingerprint(db_path)

    result = await app.mediator.execute_async(other)

    assert (result.status, result.data) == (409, None)
    assert str(getattr(request, "idempotency_key", None)) in (result.error_message or "")
    assert changed(before, fingerprint(db_path)) == []


async def test_five_wrong_pins_lock_the_account_and_a_right_pin_resets_the_count(
    app: App, db_path: Path, clock: FrozenClock
) -> None:
    def failed_attempts() -> int:
        rows = [row for row in all_rows(db_path, "staff") if row[0] == "luigi"]
        return int(rows[0][5])

    wrong = LoginCommand(staff_id="luigi", pin="9999")
    right = LoginCommand(staff_id="luigi", pin=PINS["luigi"])

    first_four = [await app.mediator.execute_async(wrong) for _ in range(4)]
    counted = failed_attempts()
    success = await app.mediator.execute_async(right)
    counted_after_success = failed_attempts()
    four_more = [await app.mediator.execute_async(wrong) for _ in range(4)]
    fifth = await app.mediator.execute_async(wrong)
    right_while_locked = await app.mediator.execute_async(right)
    clock.advance(minutes=app.settings.lockout.lock_minutes + 1)
    right_after_the_lock = await app.mediator.execute_async(right)

    assert [r.status for r in first_four + four_more] == [403] * 8
    assert not any("locked" in (r.error_message or "") for r in first_four + four_more)
    assert (counted, success.status, counted_after_success) == (4, 200, 0)
    assert fifth.status == 403
    assert "locked" in (fifth.error_message or "")
    assert right_while_locked.status == 403
    assert "locked" in (right_while_locked.error_message or "")
    assert right_after_the_lock.is_success


async def test_pins_never_appear_in_clear_in_the_store_or_the_log(
    app: App, db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    distinctive, wrong = "7391", "8264"
    pin_hash = hash_pin(distinctive, salt=b"role-matrix-salt")
    with closing(sqlite3.connect(db_path)) as connection, connection:
        connection.execute(
            "INSERT INTO staff (id, name, role, pin_hash, active, failed_attempts, locked_until)"
            " VALUES ('gina', 'Gina', 'counter', ?, 1, 0, NULL)",
            (pin_hash,),
        )

    with caplog.at_level(logging.DEBUG):
        right = await app.mediator.execute_async(LoginCommand(staff_id="gina", pin=distinctive))
        wrong_pin = await app.mediator.execute_async(LoginCommand(staff_id="gina", pin=wrong))
        someone_else = await app.mediator.execute_async(LoginCommand(staff_id="rosa", pin=distinctive))
        unknown = await app.mediator.execute_async(LoginCommand(staff_id="nobody", pin=distinctive))

    assert right.is_success
    assert [wrong_pin.status, someone_else.status, unknown.status] == [403, 403, 403]
    staff = repr(all_rows(db_path, "staff"))
    events = repr(all_rows(db_path, "events"))
    assert all(row[3].startswith("scrypt$") for row in all_rows(db_path, "staff"))
    assert [row[4] for row in all_rows(db_path, "events")].count("gina") >= 2  # logged in, and failed once
    for pin in (distinctive, wrong):
        assert pin not in staff
        assert pin not in events
        assert pin not in caplog.text
    assert "pin=" not in caplog.text


async def test_every_event_of_a_pickup_and_a_delivery_names_the_staff_member_who_caused_it(
    app: App, db_path: Path, clock: FrozenClock
) -> None:
    seen: list[tuple[str, str | None, str]] = []

    async def as_staff(staff_id: str, *requests: Request[Any]) -> list[Any]:
        await login(app.mediator, staff_id)
        answers = []
        for request in requests:
            clock.advance(minutes=3)
            answers.append(await ok(app.mediator, request))
        known = len(seen)
        rows = all_rows(db_path, "events")[known:]
        seen.extend((row[2], row[4], staff_id) for row in rows)
        return answers

    pickup, delivery = await as_staff(
        "luigi",
        place_order(),
        place_order(amount_tendered=None, **DELIVERY),
    )
    pickup_id, delivery_id = pickup.order_id, delivery.order_id
    await as_staff(
        "rosa",
        StartCookingCommand(order_id=pickup_id),
        StartCookingCommand(order_id=delivery_id),
        *(MarkPizzaReadyCommand(order_id=o, pizza_index=i) for o in (pickup_id, delivery_id) for i in (0, 1)),
    )
    await as_staff("luigi", MarkOrderPickedUpCommand(order_id=pickup_id))
    await as_staff(
        "toni",
        AssignOrderToDeliveryCommand(order_id=delivery_id, driver_id="toni"),
        ProcessPaymentCommand(order_id=delivery_id, payment_method="cash", amount_tendered=Decimal("50.00")),
        MarkOrderDeliveredCommand(order_id=delivery_id),
    )
    await as_staff("mario", UpdateMenuCommand(item_id="margherita", available=False), LogoutCommand())
    stored = all_rows(db_path, "events")

    assert len(seen) == len(stored)
    assert [(event_type, staff_id) for event_type, staff_id, _ in seen] == [(row[2], row[4]) for row in stored]
    assert [(event_type, staff_id) for event_type, staff_id, actor in seen if staff_id != actor or not staff_id] == []
    assert {event_type for event_type, _, _ in seen} >= {
        "StaffLoggedInEvent",
        "OrderPlacedEvent",
        "PaymentProcessedEvent",
        "CookingStartedEvent",
        "PizzaReadyEvent",
        "OrderReadyEvent",
        "OrderPickedUpEvent",
        "OrderOutForDeliveryEvent",
        "OrderDeliveredEvent",
        "MenuUpdatedEvent",
        "StaffLoggedOutEvent",
    }


async def test_a_driver_may_mark_delivered_and_take_payment_only_on_deliveries_assigned_to_them(
    app: App, db_path: Path, clock: FrozenClock
) -> None:
    await login(app.mediator, "mario")
    with_mario = await ready_order(app.mediator, clock, amount_tendered=None, **DELIVERY)
    await ok(app.mediator, AssignOrderToDeliveryCommand(order_id=with_mario, driver_id="mario"))
    unassigned = await ready_order(app.mediator, clock, amount_tendered=None, **DELIVERY)
    pickup = await ready_order(app.mediator, clock, amount_tendered=None)
    await login(app.mediator, "toni")
    before = fingerprint(db_path)

    answers = [
        await app.mediator.execute_async(request)
        for order_id in (with_mario, unassigned, pickup)
        for request in (
            ProcessPaymentCommand(order_id=order_id, payment_method="card"),
            MarkOrderDeliveredCommand(order_id=order_id),
        )
    ]

    assert [answer.status for answer in answers] == [403] * 6
    assert all("not a delivery assigned to you" in (answer.error_message or "") for answer in answers)
    assert changed(before, fingerprint(db_path)) == []


async def test_the_counter_and_the_manager_keep_taking_payment_on_any_delivery(
    app: App, db_path: Path, clock: FrozenClock
) -> None:
    await login(app.mediator, "mario")
    orders = [await ready_order(app.mediator, clock, amount_tendered=None, **DELIVERY) for _ in range(2)]
    for order_id in orders:
        await ok(app.mediator, AssignOrderToDeliveryCommand(order_id=order_id, driver_id="toni"))

    await login(app.mediator, "luigi")
    by_counter = await app.mediator.execute_async(ProcessPaymentCommand(order_id=orders[0], payment_method="card"))
    await login(app.mediator, "mario")
    by_manager = await app.mediator.execute_async(ProcessPaymentCommand(order_id=orders[1], payment_method="card"))
    delivered = await app.mediator.execute_async(MarkOrderDeliveredCommand(order_id=orders[1]))

    assert (by_counter.status, by_manager.status, delivered.status) == (200, 200, 200)
