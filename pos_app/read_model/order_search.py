"""The order list's search box: what a person types, as a condition on `order_list_view`."""

from __future__ import annotations

from typing import Any

MAX_ORDER_NUMBER_DIGITS = 6


def _order_number(text: str) -> int | None:
    """`12` as an order number; None for anything that is not a plain, short run of ASCII digits."""
    if text.isascii() and text.isdigit() and len(text) <= MAX_ORDER_NUMBER_DIGITS:
        return int(text)
    return None


def search_condition(text: str) -> tuple[str, tuple[Any, ...]]:
    """`#12` finds order 12; other text finds names containing it, and phones containing its digits."""
    if text.startswith("#"):
        number = _order_number(text[1:])
        return ("order_number = ?", (number,)) if number is not None else ("1 = 0", ())
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    terms: list[str] = ["pos_casefold(customer_name) LIKE ? ESCAPE '\\'"]
    params: list[Any] = [pattern]
    digits = "".join(ch for ch in text if ch.isascii() and ch.isdigit())
    if digits:
        terms.append("customer_phone LIKE ?")
        params.append(f"%{digits}%")
    number = _order_number(text)
    if number is not None:
        terms.append("order_number = ?")
        params.append(number)
    return "(" + " OR ".join(terms) + ")", tuple(params)
