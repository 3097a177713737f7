"""The request log: one line per request, whatever the request's ids and names hold."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from pos_app.application.behaviors.logging import LoggingBehavior, printable
from pos_app.mediation import OperationResult
from pos_app.messages.commands import PizzaItem, UpdateMenuCommand
from tests.support import place_order

FORGED = "x\n2026-01-01 INFO forged"


@pytest.fixture
def log_text() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger = logging.getLogger("pos_app.requests")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


async def test_an_id_holding_a_line_break_writes_exactly_one_log_line(log_text: io.StringIO) -> None:
    request = UpdateMenuCommand(item_id=FORGED, name="Forged")

    async def refuse() -> OperationResult[None]:
        return OperationResult.failure(404, f"'{request.item_id}' is not on the menu")

    result = await LoggingBehavior().handle_async(request, refuse)

    lines = log_text.getvalue().splitlines()
    assert result.status == 404
    assert len(lines) == 1
    assert "INFO forged" in lines[0]
    assert "x\\n2026-01-01" in lines[0]


async def test_a_name_holding_control_characters_is_escaped_in_the_log(log_text: io.StringIO) -> None:
    request = place_order(pizza_items=[PizzaItem(pizza_id="x\x1b[2J\r\u2028\x85y")])

    async def refuse() -> OperationResult[None]:
        return OperationResult.failure(400, f"'{request.pizza_items[0].pizza_id}' is not on the menu")

    await LoggingBehavior().handle_async(request, refuse)

    text = log_text.getvalue()
    assert len(text.splitlines()) == 1
    assert "x\\x1b[2J\\r\\u2028\\x85y" in text
    assert "\x1b" not in text


def test_printable_leaves_ordinary_text_alone_and_escapes_every_control_character() -> None:
    assert printable("Anna Conti, Via Roma 1 – ça va") == "Anna Conti, Via Roma 1 – ça va"
    assert printable("a\tb\x00c\x7f") == "a\\tb\\x00c\\x7f"
    assert all(
        len(printable(chr(code)).splitlines()) == 1 for code in range(0x110000) if code < 0xD800 or code > 0xDFFF
    )
