"""On a real store, a request whose values hold line breaks still writes one line to the request log."""

from __future__ import annotations

import logging

import pytest

from pos_app.bootstrap import App
from pos_app.messages.commands import PizzaItem
from tests.support import login, place_order


async def test_an_unknown_pizza_id_holding_a_forged_line_is_logged_on_one_line(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    await login(app.mediator, "luigi")
    request = place_order(pizza_items=[PizzaItem(pizza_id="x\n2026-01-01 INFO forged")])

    with caplog.at_level(logging.INFO, logger="pos_app.requests"):
        result = await app.mediator.execute_async(request)

    messages = [record.getMessage() for record in caplog.records if record.name == "pos_app.requests"]
    assert result.status == 400
    assert len(messages) == 1
    assert len(messages[0].splitlines()) == 1
    assert "x\\n2026-01-01 INFO forged" in messages[0]
