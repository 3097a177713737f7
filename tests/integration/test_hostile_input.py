"""Hostile input for every request in the catalogue: refused by the message types, or answered with a clear result.

Every command and query (found by introspecting `pos_app.messages`, so a new request type is covered as soon as it
is declared) gets field dictionaries built from its field types: empty, 10 kB and control-character strings,
right-to-left and emoji text, SQL fragments, numbers as text, negative and huge numbers, wrong types, unknown ids,
NaN/inf/-0 amounts, too many items, dates in year 1 and 9999. Hypothesis mixes them with plausible values; a
deterministic sweep also tries every known hostile value in every field of an otherwise plausible request.

Each dictionary either fails to build the request with a `ValidationError` (the caller's bug), or the request, sent
through the real mediator by the manager on a store that holds a few orders, answers a success or a clear
400/403/404/409 (503 only for a full kitchen the counter has not accepted): never a 500, never an exception. A
refusal, and every query, leaves every table as it was; the one recorded refusal is a wrong PIN for a known account
(the lock counts it, at login as for the current PIN of a PIN change), which may touch only that staff row and
append one `StaffLoginFailedEvent`.

One store per test, shared by its examples: they run on one event loop kept by `asyncio.Runner`.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import types
import typing
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import AbstractAsyncContextManager, closing
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from pos_app.bootstrap import App, create_app
from pos_app.mediation import OperationResult, Query, Request
from pos_app.messages.commands import (
    CancelOrderCommand,
    ChangePinCommand,
    LoginCommand,
    LogoutCommand,
    MarkPizzaReadyCommand,
    PlaceOrderCommand,
    StartCookingCommand,
)
from pos_app.messages.queries import GetOrdersQuery
from tests.support import (
    PINS,
    Fingerprint,
    FrozenClock,
    StoreRef,
    changed,
    fingerprint,
    login,
    placed,
    query_store,
    request_catalogue,
    rows_digest,
)

pytestmark = pytest.mark.slow

Strategy = st.SearchStrategy[Any]

INPUTS_TRIED: Counter[str] = Counter()
"""Field dictionaries tried per request type (whether or not they made a valid request)."""

OUTCOMES: Counter[tuple[str, int | str]] = Counter()
"""What the inputs came to, per request type: "invalid" (refused by the message type) or the result's status."""

FIGURES = Path(__file__).parents[1] / "reliability" / "last_hostile_inputs.json"


REQUEST_TYPES = request_catalogue()

# --- the store the examples run against -------------------------------------------------------------------------

PENDING_ORDER = uuid.UUID("00000000-0000-4000-8000-00000000a001")
COOKING_ORDER = uuid.UUID("00000000-0000-4000-8000-00000000a002")
READY_UNPAID_ORDER = uuid.UUID("00000000-0000-4000-8000-00000000a003")
CANCELLED_ORDER = uuid.UUID("00000000-0000-4000-8000-00000000a004")
KNOWN_ORDERS = [PENDING_ORDER, COOKING_ORDER, READY_UNPAID_ORDER, CANCELLED_ORDER]
REUSED_COMMAND_IDS = [uuid.UUID(int=1), uuid.UUID("00000000-0000-4000-8000-00000000c0de")]

MENU_IDS = [
    "margherita",
    "pepperoni",
    "quattro_formaggi",
    "supreme",
    "zucca",
    "garlic_bread",
    "tiramisu",
    "cola",
    "water",
]
TOPPING_IDS = ["extra_cheese", "mushrooms", "olives", "ham", "basil", "pineapple", "rocket"]
STAFF_IDS = ["mario", "luigi", "rosa", "toni"]


def events_checksum(store: StoreRef, up_to: int | None = None) -> str:
    """The digest `fingerprint` gives the events table, over the events up to a position."""
    limit = int(up_to if up_to is not None else 2**62)
    rows = query_store(store, [f"SELECT * FROM events WHERE position <= {limit}"])[0]
    return rows_digest(sorted(rows, key=repr))


def events_after(store: StoreRef, position: int) -> list[tuple[str, str | None]]:
    sql = f"SELECT event_type, staff_id FROM events WHERE position > {int(position)} ORDER BY position"
    return [(row[0], row[1]) for row in query_store(store, [sql])[0]]


def last_position(store: StoreRef) -> int:
    return int(query_store(store, ["SELECT coalesce(max(position), 0) FROM events"])[0][0][0])


def url_of(store: StoreRef) -> str:
    return store if isinstance(store, str) else f"sqlite:///{store}"


class HostileStore:
    """A store with a few orders, the manager logged in, and an event loop that outlives single examples."""

    def __init__(self, url: str) -> None:
        self.path: StoreRef = url
        self.clock = FrozenClock()
        self._runner = asyncio.Runner()
        self._context: AbstractAsyncContextManager[App] | None = None
        self.app: App
        self.state: Fingerprint = {}

    def __enter__(self) -> HostileStore:
        self._runner.__enter__()
        self._context = create_app(url_of(self.path), clock=self.clock)
        self.app = self._runner.run(self._context.__aenter__())
        self._runner.run(self._seed())
        self.state = fingerprint(self.path)
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if self._context is not None:
                self._runner.run(self._context.__aexit__(None, None, None))
        finally:
            self._runner.__exit__(None, None, None)

    async def _seed(self) -> None:
        mediator = self.app.mediator
        await login(mediator, "mario")
        await placed(mediator, order_id=PENDING_ORDER)
        await placed(
            mediator,
            order_id=COOKING_ORDER,
            order_type="delivery",
            customer_address="Via Roma 1",
            customer_phone="+39 333 444 5555",
            payment_method="card",
            amount_tendered=None,
        )
        await placed(mediator, order_id=READY_UNPAID_ORDER, order_type="dine_in", table_number=4, amount_tendered=None)
        await placed(mediator, order_id=CANCELLED_ORDER, payment_method="card", amount_tendered=None)
        for command in (
            StartCookingCommand(order_id=COOKING_ORDER),
            MarkPizzaReadyCommand(order_id=COOKING_ORDER, pizza_index=0),
            StartCookingCommand(order_id=READY_UNPAID_ORDER),
            MarkPizzaReadyCommand(order_id=READY_UNPAID_ORDER, pizza_index=0),
            MarkPizzaReadyCommand(order_id=READY_UNPAID_ORDER, pizza_index=1),
            CancelOrderCommand(order_id=CANCELLED_ORDER, reason="changed their mind"),
        ):
            self.clock.advance(minutes=4)
            result = await mediator.execute_async(command)
            assert result.is_success, result

    def send(self, request: Request[Any]) -> Any:
        return self._runner.run(self.app.mediator.execute_async(request))

    def log_the_manager_back_in(self) -> None:
        """After a hostile login or logout succeeded: the terminal acts as the manager again."""
        result = self.send(LoginCommand(staff_id="mario", pin=PINS["mario"]))
        if not result.is_success and "locked" in (result.error_message or ""):
            self.clock.advance(minutes=self.app.settings.lockout.lock_minutes + 1)
            result = self.send(LoginCommand(staff_id="mario", pin=PINS["mario"]))
        assert result.is_success, result

    def give_the_manager_back_their_pin(self, changed_to: str) -> None:
        """After a hostile PIN change succeeded: the manager's PIN is the demo one again."""
        result = self.send(ChangePinCommand(current_pin=changed_to, new_pin=PINS["mario"]))
        assert result.is_success, result


# --- hostile values, by field type (and a few domain hints by field name) ----------------------------------------

TEN_KB = "x" * 10_240
HOSTILE_TEXT = [
    "",
    " ",
    "   \t  ",
    "\x00",
    "pizza\x00margherita",
    "\x1b[31mred\x1b[0m",
    "\x1b",
    "\r\n",
    "first line\r\nsecond line",
    "\x7f\x08\x0c",
    "\u202eazzip\u202c",
    "\u200f\u05e4\u05d9\u05e6\u05d4",
    "بيتزا مارغريتا",
    "שלום עולם",
    "\ufeff",
    "\u200b",
    "🍕",
    "👨‍👩‍👧‍👦🍕🔥",
    "🍕" * 2600,
    TEN_KB,
    "é" * 6000,
    "'; DROP TABLE orders; --",
    '"; DROP TABLE events; --',
    "' OR '1'='1",
    "%",
    "_",
    "\\",
    "%_\\",
    "100%",
    "a_b",
    "NULL",
    "None",
    "null",
    "0",
    "-1",
    "1e309",
    "NaN",
    "Infinity",
    str(2**63),
    str(2**64),
    "9" * 30,
    "-" + str(2**63 + 1),
    "#1",
    "#0",
    "#-1",
    "#",
    "#" + str(2**63),
    "#" + "9" * 40,
    "²",
    "#²",
    "١٢٣",
    "#١",
    "Ⅻ",
    "１２３",
    "ＭＡＲＧＨＥＲＩＴＡ",
    "MARGHERITA",
    "  margherita  ",
    "../../etc/passwd",
    "%s%n%x",
    "{0}{1}",
    "<script>alert(1)</script>",
    "Anna Conti",
    "Zoë Ångström",
]
NAME_HINTS: dict[str, list[str]] = {
    "pizza_id": [*MENU_IDS, "no_such_pizza", "Margherita"],
    "item_id": [*MENU_IDS, "calzone", "new_item_1", "Calzone", "bad id", "a" * 40],
    "toppings": [*TOPPING_IDS, "no_such_topping"],
    "staff_id": [*STAFF_IDS, "nobody", "MARIO"],
    "driver_id": [*STAFF_IDS, "nobody"],
    "approver_id": [*STAFF_IDS, "nobody", "MARIO"],
    "approver_pin": ["1000", "2000", "9999", "1" * 16, "１０００", "1000 "],
    "pin": ["1000", "2000", "3000", "4000", "0000", "9999", "1" * 16, "１０００", "1000 "],
    "current_pin": ["1000", "2000", "9999", "1" * 16, "１０００", "1000 "],
    "new_pin": ["246810", "1000", "2000", "12", "123456789", "１２３４", "2468 ", "00000000"],
    "customer_phone": ["555 010 2030", "(555) 010-2030", "+39 333 444 5555", "1234567", "+", "12", "1" * 16],
    "phone": ["555 010 2030", "5550102030", "+39 333 444 5555", "+" + "9" * 15, "٥٥٥٠١٠٢٠٣٠"],
    "customer_name": ["Anna Conti", "  Anna  ", "A"],
    "customer_address": ["Via Roma 1", "   "],
    "category": ["pizza", "side", "drink", "dessert", "PIZZA", "salad"],
    "name": ["Calzone", "  ", "Margherita"],
    "search": ["anna", "Anna", "555", "#2", "2"],
}
EDGE_INTS = [0, 1, -1, 2, 3, 7, 50, 2**31 - 1, 2**31, 2**53 + 1, 2**63 - 1, 2**63, 2**64, -(2**63), -(2**63) - 1]
EDGE_INTS += [10**30, -(10**30)]
MONEY = [
    Decimal(text)
    for text in (
        "0",
        "0.00",
        "-0",
        "-0.00",
        "0.01",
        "0.001",
        "0.005",
        "1",
        "9.99",
        "12.995",
        "40.00",
        "100.00",
        "500.00",
        "99999.99",
        "100000",
        "100000.00",
        "100000.01",
        "1E+2",
        "1E+5",
        "1E+6",
        "1E+30",
        "1E-30",
        "0E-10",
        "1.10000",
        "-5.00",
        "-0.01",
        "NaN",
        "-NaN",
        "sNaN",
        "Infinity",
        "-Infinity",
        str(2**63),
        str(2**63 + 1),
        str(-(2**63) - 1),
        "1e999999",
        "0E-30000000",
        "1E-30000000",
        "0E+30000000",
        "0E-21",
        "1" + "0" * 30 + "E-30",
        "0." + "0" * 40,
    )
]
TODAY = date(2026, 11, 27)
DATES = [date.min, date.max, date(1, 12, 31), date(9999, 1, 1), TODAY, TODAY - timedelta(days=1), date(1970, 1, 1)]
DATES += [date(2000, 2, 29), TODAY + timedelta(days=1), TODAY - timedelta(days=366)]
UUIDS = [*KNOWN_ORDERS, uuid.UUID(int=0), uuid.UUID(int=2**128 - 1)]
WRONG_TYPES: dict[Any, list[Any]] = {
    str: [3, 3.5, -0.0, ["margherita"], b"bytes", {"text": 1}, True, Decimal("1")],
    int: ["3", str(2**63), 3.0, 3.5, float("nan"), float("inf"), Decimal("3"), [3], True, "0x10"],
    bool: [1, 0, "true", "yes", 1.0, "False"],
    Decimal: [1.5, 10, 0.1, float("nan"), float("inf"), -0.0, "10.00", "NaN", [Decimal("1")], 2**63],
    uuid.UUID: [str(PENDING_ORDER), PENDING_ORDER.hex, PENDING_ORDER.int, PENDING_ORDER.bytes, "not-a-uuid", 0],
    date: ["2026-11-27", datetime(2026, 11, 27, 12, 0), 20261127, 0, "9999-12-31", 1.5],
    list: ["margherita", {"pizza_id": "margherita"}, ("margherita",), 3, b""],
    BaseModel: ["margherita", ["margherita"], 3, 1.5],
}
WRONG_TYPES[Literal] = [1, True, b"pickup", ["pickup"], 0.0]


def _unwrap(annotation: Any) -> tuple[Any, dict[str, Any]]:
    """`Annotated[T, Field(...)]` → `(T, {"max_length": ..., "ge": ...})`."""
    bounds: dict[str, Any] = {}
    while typing.get_origin(annotation) is typing.Annotated:
        annotation, *metadata = typing.get_args(annotation)
        for item in metadata:
            for constraint in item.metadata if isinstance(item, FieldInfo) else [item]:
                bounds.update(_constraint(constraint))
    return annotation, bounds


def _constraint(item: Any) -> dict[str, Any]:
    names = ("max_length", "min_length", "ge", "le", "gt", "lt")
    return {name: getattr(item, name) for name in names if getattr(item, name, None) is not None}


def _is_union(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (typing.Union, types.UnionType)


def _kind(annotation: Any) -> Any:
    """The key of `WRONG_TYPES` for a (non-union) annotation."""
    origin = typing.get_origin(annotation)
    if origin is Literal:
        return Literal
    if origin is list:
        return list
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return BaseModel
    return annotation


def hostile_pool(annotation: Any, name: str, bounds: dict[str, Any]) -> list[Any]:
    """The hostile values of the right type this test knows for a (plain) field type, bounds ± 1 included."""
    origin = typing.get_origin(annotation)
    if origin is Literal:
        values = list(typing.get_args(annotation))
        near_misses = [f(v) for v in values if isinstance(v, str) for f in (str.upper, " {}".format)]
        return [*values, *near_misses, "", "'; DROP TABLE orders; --"]
    if origin is list:
        item = plausible_value(typing.get_args(annotation)[0], name)
        longest = bounds.get("max_length", 50)
        return [[], [item] * longest, [item] * (longest + 1), [item] * 1000]
    if annotation is bool:
        return [True, False]
    if annotation is int:
        low, high = bounds.get("ge", bounds.get("gt", -5)), bounds.get("le", bounds.get("lt", 5))
        return [*EDGE_INTS, low - 1, low, low + 1, high - 1, high, high + 1]
    if annotation is Decimal:
        return MONEY
    if annotation is uuid.UUID:
        return [*UUIDS, *REUSED_COMMAND_IDS]
    if annotation is date:
        return DATES
    if annotation is str:
        longest = bounds.get("max_length", 200)
        at_the_limit = ["a" * longest, "a" * (longest + 1), "🍕" * longest, " " * longest]
        return [*NAME_HINTS.get(name, []), *HOSTILE_TEXT, *at_the_limit]
    raise AssertionError(f"teach this test hostile values for {annotation!r} (field {name})")


def plausible_value(annotation: Any, name: str, bounds: dict[str, Any] | None = None) -> Any:
    """One ordinary value for a field, the kind a screen would send."""
    annotation, inner_bounds = _unwrap(annotation)
    bounds = {**(bounds or {}), **inner_bounds}
    if _is_union(annotation):
        options = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return plausible_value(options[0], name, bounds)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return plausible_fields(annotation)
    origin = typing.get_origin(annotation)
    if origin is Literal:
        return typing.get_args(annotation)[0]
    if origin is list:
        return [plausible_value(typing.get_args(annotation)[0], name)]
    if annotation is int:
        return min(max(1, bounds.get("ge", 1)), bounds.get("le", 1))
    ordinary = {bool: True, Decimal: Decimal("40.00"), uuid.UUID: PENDING_ORDER, date: TODAY}
    if annotation in ordinary:
        return ordinary[annotation]
    if annotation is str:
        return NAME_HINTS.get(name, ["Anna Conti"])[0]
    raise AssertionError(f"teach this test a plausible value for {annotation!r} (field {name})")


def plausible_fields(model: type[BaseModel]) -> dict[str, Any]:
    """Ordinary values for the fields a screen would fill in (those that default to None are left out)."""
    return {
        name: plausible_value(info.rebuild_annotation(), name)
        for name, info in model.model_fields.items()
        if info.is_required() or info.default is not None
    }


def field_values(annotation: Any, name: str, bounds: dict[str, Any] | None = None) -> Strategy:
    """Values of the field's type: mostly plausible ones (so that the request gets past validation to the handler
    and the store), and hostile ones: edge cases of the type and values just outside the field's bounds."""
    annotation, inner_bounds = _unwrap(annotation)
    bounds = {**(bounds or {}), **inner_bounds}
    if annotation is type(None):
        return st.none()
    if _is_union(annotation):
        return st.one_of([field_values(arg, name, bounds) for arg in typing.get_args(annotation)])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return model_fields(annotation)
    plausible, random_hostile = _plausible_and_random(annotation, name, bounds)
    hostile = st.sampled_from(hostile_pool(annotation, name, bounds))
    return st.one_of(plausible, plausible, hostile, random_hostile)


def _plausible_and_random(annotation: Any, name: str, bounds: dict[str, Any]) -> tuple[Strategy, Strategy]:
    origin = typing.get_origin(annotation)
    if origin is Literal:
        return st.sampled_from(typing.get_args(annotation)), st.text(max_size=12)
    if origin is list:
        (item_type,) = typing.get_args(annotation)
        items = field_values(item_type, name)
        longest = bounds.get("max_length", 50)
        too_many = st.tuples(items, st.sampled_from([longest, longest + 1])).map(lambda pair: [pair[0]] * pair[1])
        return st.lists(items, min_size=1, max_size=3), st.one_of(st.lists(items, max_size=6), too_many)
    if annotation is bool:
        return st.booleans(), st.booleans()
    if annotation is int:
        low, high = bounds.get("ge", bounds.get("gt", -5)), bounds.get("le", bounds.get("lt", 5))
        return st.integers(max(low, -3), max(min(high, 5), low)), st.integers()
    if annotation is Decimal:
        plausible = st.one_of(st.sampled_from(MONEY[:14]), st.decimals(min_value=0, max_value=1000, places=2))
        return plausible, st.one_of(st.decimals(places=3), st.decimals())
    if annotation is uuid.UUID:
        known = REUSED_COMMAND_IDS if name == "command_id" else KNOWN_ORDERS
        return st.one_of(st.sampled_from(known), st.uuids()), st.uuids()
    if annotation is date:
        return st.sampled_from([TODAY, TODAY - timedelta(days=1)]), st.dates()
    if annotation is str:
        return st.sampled_from(NAME_HINTS.get(name, ["Anna Conti", "well done", "x"])), st.text()
    raise AssertionError(f"teach this test values for {annotation!r} (field {name})")


def wrong_pool(annotation: Any) -> list[Any]:
    """Values of the wrong type for a field: str for int, int for str, float for Decimal, list for str …"""
    annotation, _ = _unwrap(annotation)
    options = [arg for arg in typing.get_args(annotation) if arg is not type(None)] if _is_union(annotation) else []
    kinds = [_kind(_unwrap(arg)[0]) for arg in options] if options else [_kind(annotation)]
    return [value for kind in kinds for value in WRONG_TYPES.get(kind, [object()])]


def wrong_values(annotation: Any) -> Strategy:
    return st.sampled_from(wrong_pool(annotation))


def sweep_values(annotation: Any, name: str, bounds: dict[str, Any] | None = None) -> list[Any]:
    """Every hostile value this test knows for a field, and values of the wrong types."""
    annotation, inner_bounds = _unwrap(annotation)
    bounds = {**(bounds or {}), **inner_bounds}
    if annotation is type(None):
        return [None]
    if _is_union(annotation):
        return [value for arg in typing.get_args(annotation) for value in sweep_values(arg, name, bounds)]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [fields for _, fields in sweep_model(annotation)] + wrong_pool(annotation)
    values = hostile_pool(annotation, name, bounds)
    if typing.get_origin(annotation) is list:
        values += [[item] for item in sweep_values(typing.get_args(annotation)[0], name)]
    return values + wrong_pool(annotation)


def sweep_model(model: type[BaseModel]) -> list[tuple[str | None, dict[str, Any]]]:
    """Plausible field dictionaries with one field at a time hostile, missing, or an unknown field added."""
    base = plausible_fields(model)
    variants: list[tuple[str | None, dict[str, Any]]] = [(None, base)]
    for name, info in model.model_fields.items():
        variants += [(name, {**base, name: value}) for value in sweep_values(info.rebuild_annotation(), name)]
        if name in base:
            variants.append((name, {key: value for key, value in base.items() if key != name}))
    variants += [(None, {**base, extra: "manager"}) for extra in ("staff_id", "role", "", "__class__")]
    return variants


_MODEL_STRATEGIES: dict[type[BaseModel], Strategy] = {}


def model_fields(model: type[BaseModel]) -> Strategy:
    """Field dictionaries for a message type: hostile values of the right types, or with a wrong type, a required
    field missing, or an unknown field."""
    cached = _MODEL_STRATEGIES.get(model)
    if cached is not None:
        return cached
    typed = {name: field_values(info.rebuild_annotation(), name) for name, info in model.model_fields.items()}
    wrong = {name: wrong_values(info.rebuild_annotation()) for name, info in model.model_fields.items()}
    optional = {name for name, info in model.model_fields.items() if not info.is_required()}

    @st.composite
    def draw_fields(draw: st.DrawFn) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        for name, values in typed.items():
            if name in optional and draw(st.booleans()):
                continue
            fields[name] = draw(values)
        corruption = draw(st.sampled_from(["none", "none", "none", "wrong type", "missing", "unknown field"]))
        if corruption == "wrong type" and wrong:
            name = draw(st.sampled_from(sorted(wrong)))
            fields[name] = draw(wrong[name])
        elif corruption == "missing" and fields:
            del fields[draw(st.sampled_from(sorted(fields)))]
        elif corruption == "unknown field":
            fields[draw(st.sampled_from(["staff_id", "role", "id", "", "pin\x00", "__class__", "extra"]))] = draw(
                st.sampled_from([*HOSTILE_TEXT[:12], "manager", 1, None])
            )
        return fields

    strategy = draw_fields()
    _MODEL_STRATEGIES[model] = strategy
    return strategy


def examples_for(request_type: type[Request[Any]]) -> int:
    """More fields, more examples; a request without fields still gets its unknown-field inputs."""
    return 120 + 80 * len(request_type.model_fields)


# --- what an answer may be ---------------------------------------------------------------------------------------

REFUSALS = {400, 403, 404, 409}


def problem_with(request: Request[Any], result: Any) -> str | None:
    if not isinstance(result, OperationResult):
        return f"answered {result!r}, not an OperationResult"
    if result.is_success:
        return None
    kitchen_full = result.status == 503 and "accept_kitchen_wait" in result.errors
    if kitchen_full and getattr(request, "accept_kitchen_wait", True) is False:
        return None
    if result.status not in REFUSALS:
        return f"answered {result.status}: {result.error_message}"
    if not (isinstance(result.error_message, str) and result.error_message.strip()):
        return f"answered {result.status} without a message"
    return None


def check_one_input(store: HostileStore, request_type: type[Request[Any]], fields: dict[str, Any]) -> None:
    INPUTS_TRIED[request_type.__name__] += 1
    try:
        request = request_type(**fields)
    except ValidationError:
        OUTCOMES[request_type.__name__, "invalid"] += 1
        return  # the caller's bug, caught at the door
    before = store.state
    checks_a_pin = isinstance(request, (LoginCommand, ChangePinCommand)) or (
        isinstance(request, CancelOrderCommand) and request.approver_pin is not None
    )
    before_position = last_position(store.path) if checks_a_pin else 0

    try:
        result = store.send(request)
    except Exception as error:
        raise AssertionError(f"{request_type.__name__} raised instead of answering: {error!r}") from error

    after = fingerprint(store.path)
    store.state = after
    OUTCOMES[request_type.__name__, getattr(result, "status", "?")] += 1
    problem = problem_with(request, result)
    assert problem is None, f"{request_type.__name__} {problem}"
    if checks_a_pin and not result.is_success:
        # A wrong PIN for a known account is recorded (the lock counts it): the staff row and one event, nothing else.
        # A PIN change is the logged-in manager's.
        account = request.staff_id if isinstance(request, LoginCommand) else "mario"
        if isinstance(request, CancelOrderCommand):
            account = request.approver_id
        unchanged = {name: value for name, value in before.items() if name not in ("staff", "events")}
        assert {name: after[name] for name in unchanged} == unchanged
        assert events_checksum(store.path, before_position) == before["events"][1]
        new_events = events_after(store.path, before_position)
        assert new_events in ([], [("StaffLoginFailedEvent", account)]), new_events
        if not new_events:
            assert after == before, f"a refused login changed {changed(before, after)}"
    elif isinstance(request, Query) or not result.is_success:
        assert after == before, f"{request_type.__name__} answered {result!r} but changed {changed(before, after)}"
    if isinstance(request, (LoginCommand, LogoutCommand)) and result.is_success:
        store.log_the_manager_back_in()
        store.state = fingerprint(store.path)
    if isinstance(request, ChangePinCommand) and result.is_success:
        store.give_the_manager_back_their_pin(request.new_pin)
        store.state = fingerprint(store.path)


# --- the tests ---------------------------------------------------------------------------------------------------


def test_the_catalogue_is_found_by_introspecting_the_message_modules() -> None:
    names = {request_type.__name__ for request_type in REQUEST_TYPES}

    assert REQUEST_TYPES
    assert PlaceOrderCommand in REQUEST_TYPES
    assert GetOrdersQuery in REQUEST_TYPES
    assert len(names) == len(REQUEST_TYPES)
    assert all(not name.startswith(("Command[", "Query[")) for name in names)


@pytest.mark.parametrize("request_type", REQUEST_TYPES, ids=lambda request_type: request_type.__name__)
def test_hostile_input_is_refused_cleanly_and_a_refusal_writes_nothing(
    request_type: type[Request[Any]], store_url: str
) -> None:
    with HostileStore(store_url) as store:

        @settings(
            max_examples=examples_for(request_type),
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
        )
        @given(fields=model_fields(request_type))
        def run(fields: dict[str, Any]) -> None:
            check_one_input(store, request_type, fields)

        run()

    assert INPUTS_TRIED[request_type.__name__] >= 1


@pytest.mark.parametrize("request_type", REQUEST_TYPES, ids=lambda request_type: request_type.__name__)
def test_every_known_hostile_value_in_every_field_is_refused_cleanly(
    request_type: type[Request[Any]], store_url: str
) -> None:
    base = plausible_fields(request_type)
    key = getattr(request_type(**base), "idempotency_key", None)
    key_field = next((name for name, value in base.items() if key is not None and value == key), None)
    problems: list[str] = []

    name = request_type.__name__
    tried_before = INPUTS_TRIED[name]
    with HostileStore(store_url) as store:
        for swept, fields in sweep_model(request_type):
            if key_field is not None and swept != key_field:
                fields = {**fields, key_field: uuid.uuid4()}  # a fresh key: not the first result of a retry
            try:
                check_one_input(store, request_type, fields)
            except AssertionError as error:
                problems.append(f"{swept}={fields.get(swept or '')!r:.80}: {str(error).splitlines()[0]}")

    assert problems == [], "\n".join(problems)
    assert INPUTS_TRIED[name] - tried_before == len(sweep_model(request_type)) >= 1
    assert any(outcome != "invalid" for (of, outcome) in OUTCOMES if of == name), "no valid request got through"


@pytest.fixture(scope="module", autouse=True)
def record_inputs_tried() -> Iterator[None]:
    """After the file: how many inputs were tried, for docs/RELIABILITY.md."""
    yield
    FIGURES.write_text(
        json.dumps(
            {
                "inputs_tried": sum(INPUTS_TRIED.values()),
                "request_types": len(INPUTS_TRIED),
                "outcomes": {
                    f"{name} {outcome}": count for (name, outcome), count in sorted(OUTCOMES.items(), key=str)
                },
            },
            indent=2,
        )
    )


def test_the_fingerprint_notices_a_write_the_store_did_not_announce(tmp_path: Path) -> None:
    with HostileStore(f"sqlite:///{tmp_path / 'store.db'}") as store:
        before = store.state
        with closing(sqlite3.connect(tmp_path / "store.db")) as connection, connection:
            connection.execute("UPDATE staff SET failed_attempts = failed_attempts + 1 WHERE id = 'luigi'")
        after = fingerprint(store.path)

    assert changed(before, after) == ["staff"]
