"""Business rules pydantic cannot express, checked before anything is read or written.

Each validator returns the problems it found by field; any problem stops the request with a 400 naming the fields.
Every request's text is checked first: a NUL character or a lone surrogate (which no keyboard types, and which a
PostgreSQL store cannot hold) is refused in any field, on every backend alike.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from pydantic import BaseModel

from pos_app.application.ports import Clock, StoreTime
from pos_app.config import Settings
from pos_app.domain.customers import normalize_phone
from pos_app.domain.errors import ValidationFailedError
from pos_app.domain.staff import is_valid_pin
from pos_app.mediation import NextHandler, PipelineBehavior, Request
from pos_app.messages.commands import ChangePinCommand, PizzaItem, PlaceOrderCommand, ProcessPaymentCommand
from pos_app.messages.queries import (
    GetCustomerQuery,
    GetKitchenPerformanceQuery,
    GetOrderHistoryQuery,
    GetOrdersQuery,
    PriceOrderQuery,
)

Problems = dict[str, list[str]]
MAX_REPORT_DAYS = 366


class ValidationContext:
    def __init__(self, settings: Settings, clock: Clock, store_time: StoreTime) -> None:
        self.settings = settings
        self.clock = clock
        self.store_time = store_time


def _phone(problems: Problems, value: str | None, field: str) -> None:
    if value is None:
        return
    try:
        normalize_phone(value, field)
    except ValidationFailedError as error:
        problems.update(error.errors)


def validate_place_order(command: PlaceOrderCommand, context: ValidationContext) -> Problems:
    problems: Problems = {}
    hours = context.settings.opening_hours
    if hours is not None:
        local = context.store_time.local(context.clock.now()).time()
        if not hours.is_open(local):
            problems["store"] = [f"The store is closed: orders are taken {hours.opens:%H:%M}–{hours.closes:%H:%M}"]
    if not command.customer_name.strip():
        problems["customer_name"] = ["Enter the customer's name"]
    _phone(problems, command.customer_phone, "customer_phone")
    if not command.pizza_items:
        problems["pizza_items"] = ["Add at least one item"]
    if command.order_type == "delivery" and not (command.customer_address or "").strip():
        problems["customer_address"] = ["A delivery needs an address"]
    if command.amount_tendered is not None and command.payment_method != "cash":
        problems["amount_tendered"] = ["Only cash is tendered"]
    problems.update(cart_problems(command.pizza_items))
    return problems


def cart_problems(items: list[PizzaItem]) -> Problems:
    """The rules of a cart's lines that placing and quoting share: a quote refuses what placing would."""
    problems: Problems = {}
    for index, item in enumerate(items):
        if len(set(item.toppings)) != len(item.toppings):
            problems[f"pizza_items[{index}].toppings"] = ["Each topping once"]
    return problems


def validate_quote(query: PriceOrderQuery, context: ValidationContext) -> Problems:
    return cart_problems(query.pizza_items)


def validate_payment(command: ProcessPaymentCommand, context: ValidationContext) -> Problems:
    if command.payment_method == "cash" and command.amount_tendered is None:
        return {"amount_tendered": ["Enter the cash tendered"]}
    if command.payment_method == "card" and command.amount_tendered is not None:
        return {"amount_tendered": ["Only cash is tendered"]}
    return {}


def validate_customer_phone(query: GetCustomerQuery, context: ValidationContext) -> Problems:
    problems: Problems = {}
    _phone(problems, query.phone, "phone")
    return problems


def validate_history_phone(query: GetOrderHistoryQuery, context: ValidationContext) -> Problems:
    problems: Problems = {}
    _phone(problems, query.customer_phone, "customer_phone")
    return problems


def validate_orders_phone(query: GetOrdersQuery, context: ValidationContext) -> Problems:
    problems: Problems = {}
    _phone(problems, query.customer_phone, "customer_phone")
    return problems


def validate_report_range(query: GetKitchenPerformanceQuery, context: ValidationContext) -> Problems:
    if query.end < query.start:
        return {"end": ["The end is before the start"]}
    if (query.end - query.start).days >= MAX_REPORT_DAYS:
        return {"end": [f"Choose at most {MAX_REPORT_DAYS} days"]}
    return {}


def validate_new_pin(command: ChangePinCommand, context: ValidationContext) -> Problems:
    if not is_valid_pin(command.new_pin):
        return {"new_pin": ["A PIN is 4 to 8 digits"]}
    if command.new_pin == command.current_pin:
        return {"new_pin": ["Choose a PIN different from the current one"]}
    return {}


def _storable(text: str) -> str | None:
    if "\x00" in text:
        return "Text cannot contain a NUL character"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "Text must be valid Unicode"
    return None


def text_problems(value: Any, field: str = "", problems: Problems | None = None) -> Problems:
    """Every text in the request (nested lines and lists included) that no store may hold, by field."""
    found: Problems = {} if problems is None else problems
    if isinstance(value, str):
        problem = _storable(value)
        if problem is not None:
            found[field or "request"] = [problem]
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            text_problems(getattr(value, name), f"{field}.{name}" if field else name, found)
    elif isinstance(value, list | tuple | set | frozenset):
        for index, element in enumerate(value):
            text_problems(element, f"{field}[{index}]", found)
    elif isinstance(value, dict):
        for key, element in value.items():
            text_problems(key, f"{field}[key]", found)
            text_problems(element, f"{field}[{key!r}]", found)
    return found


VALIDATORS: dict[type[Any], Callable[[Any, ValidationContext], Problems]] = {
    PlaceOrderCommand: validate_place_order,
    ProcessPaymentCommand: validate_payment,
    PriceOrderQuery: validate_quote,
    ChangePinCommand: validate_new_pin,
    GetCustomerQuery: validate_customer_phone,
    GetOrderHistoryQuery: validate_history_phone,
    GetOrdersQuery: validate_orders_phone,
    GetKitchenPerformanceQuery: validate_report_range,
}


class ValidationBehavior(PipelineBehavior[Any, Any]):
    applies_to: ClassVar[tuple[type[Any], ...]] = (Request,)

    def __init__(self, context: ValidationContext) -> None:
        self._context = context

    async def handle_async(self, request: Any, next_handler: NextHandler) -> Any:
        problems = text_problems(request)
        if problems:
            return self.validation_error(problems)
        validator = VALIDATORS.get(type(request))
        if validator is not None:
            problems = validator(request, self._context)
            if problems:
                return self.validation_error(problems)
        return await next_handler()
