"""Discounts through create_app on a SQLite file: exact totals and tax, the store's limit and the manager's
approval on the till, nothing written when refused, the money given back, idempotent retries."""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

from pos_app.bootstrap import App
from pos_app.messages.commands import ApplyDiscountCommand, EditOrderCommand, PizzaItem
from pos_app.messages.queries import GetDailySalesQuery, GetOrderByIdQuery
from tests.support import MANAGER_APPROVAL, login, placed, row_counts


def discount(order_id: uuid.UUID, **fields: Any) -> ApplyDiscountCommand:
    return ApplyDiscountCommand(order_id=order_id, reason=fields.pop("reason", "regular customer"), **fields)


async def test_ten_percent_off_a_paid_order_is_exact_to_the_cent_and_gives_the_difference_back(app: App) -> None:
    await login(app.mediator, "luigi")
    order = (await placed(app.mediator)).data  # cash 34.48

    result = await app.mediator.execute_async(discount(order.order_id, percent=Decimal("10")))
    detail = (await app.mediator.execute_async(GetOrderByIdQuery(order_id=order.order_id))).data
    await login(app.mediator, "mario")
    sales = (await app.mediator.execute_async(GetDailySalesQuery())).data

    assert result.status == 200
    # 10% of 34.48 = 3.448 → 3.45 off; 31.03 paid, tax included 31.03 × 10/110 = 2.8209 → 2.82
    assert (detail.subtotal, detail.discount, detail.total_amount, detail.tax) == (
        Decimal("34.48"),
        Decimal("3.45"),
        Decimal("31.03"),
        Decimal("2.82"),
    )
    assert detail.discount_reason == "regular customer"
    assert detail.timeline[-1].description == "Discount 3.45 on the order (regular customer), refund 3.45"
    assert (sales.total_sales, sales.tax, sales.refunds, sales.unpaid) == (
        Decimal("31.03"),
        Decimal("2.82"),
        Decimal("3.45"),
        Decimal("0.00"),
    )


async def test_above_the_limit_counter_staff_need_a_managers_pin_on_the_till(app: App, db_path: Path) -> None:
    await login(app.mediator, "luigi")
    order = (await placed(app.mediator, amount_tendered=None)).data
    before = row_counts(db_path)

    refused = await app.mediator.execute_async(discount(order.order_id, percent=Decimal("20")))
    written_after_refusal = row_counts(db_path)
    wrong_pin = await app.mediator.execute_async(  # counts toward mario's lock-out, as at login
        discount(order.order_id, percent=Decimal("20"), approver_id="mario", approver_pin="9999")
    )
    still = (await app.mediator.execute_async(GetOrderByIdQuery(order_id=order.order_id))).data
    approved = await app.mediator.execute_async(discount(order.order_id, percent=Decimal("20"), **MANAGER_APPROVAL))

    assert refused.status == 403
    assert "approver_pin" in refused.errors
    assert written_after_refusal == before
    assert wrong_pin.status == 403
    assert (still.total_amount, still.discount, still.version) == (Decimal("34.48"), Decimal("0.00"), 1)
    assert approved.status == 200
    assert approved.data.total_amount == Decimal("27.58")  # 34.48 − 6.90 (6.896)
    detail = (await app.mediator.execute_async(GetOrderByIdQuery(order_id=order.order_id))).data
    assert "approved by Mario" in detail.timeline[-1].description


async def test_a_manager_logged_in_gives_any_discount_without_a_pin(app: App) -> None:
    await login(app.mediator, "mario")
    order = (await placed(app.mediator, amount_tendered=None)).data

    result = await app.mediator.execute_async(discount(order.order_id, percent=Decimal("50")))

    assert result.status == 200
    assert result.data.total_amount == Decimal("17.24")


async def test_a_fixed_discount_on_a_line_counts_against_the_orders_subtotal(app: App) -> None:
    await login(app.mediator, "luigi")
    order = (await placed(app.mediator, amount_tendered=None)).data  # 19.49 + 14.99

    too_much = await app.mediator.execute_async(discount(order.order_id, amount=Decimal("5.00"), line_index=1))
    within = await app.mediator.execute_async(discount(order.order_id, amount=Decimal("2.00"), line_index=1))

    assert too_much.status == 403  # 5.00 is 14.5% of 34.48
    assert within.status == 200
    assert (within.data.discount, within.data.discount_line, within.data.total_amount) == (
        Decimal("2.00"),
        1,
        Decimal("32.48"),
    )


async def test_a_discount_that_cannot_be_given_is_refused_and_nothing_written(app: App, db_path: Path) -> None:
    await login(app.mediator, "luigi")
    order = (await placed(app.mediator, amount_tendered=None)).data
    before = row_counts(db_path)

    answers = [
        await app.mediator.execute_async(command)
        for command in (
            discount(order.order_id, percent=Decimal("5"), reason=" "),
            discount(order.order_id, percent=Decimal("5"), amount=Decimal("1.00")),
            discount(order.order_id),
            discount(order.order_id, amount=Decimal("20.00"), line_index=1, **MANAGER_APPROVAL),
            discount(order.order_id, percent=Decimal("5"), line_index=7),
            discount(uuid.uuid4(), percent=Decimal("5")),
        )
    ]

    assert [a.status for a in answers] == [400, 400, 400, 400, 400, 404]
    assert row_counts(db_path) == before


async def test_a_retried_discount_answers_the_first_result_and_writes_nothing_more(app: App, db_path: Path) -> None:
    await login(app.mediator, "luigi")
    order = (await placed(app.mediator, amount_tendered=None)).data
    command = discount(order.order_id, percent=Decimal("5"), command_id=uuid.uuid4())

    first = await app.mediator.execute_async(command)
    after_first = row_counts(db_path)
    retried = await app.mediator.execute_async(command)

    assert first.status == retried.status == 200
    assert retried.data == first.data
    assert row_counts(db_path) == after_first


async def test_an_edit_keeps_the_orders_percentage_worked_out_on_the_new_lines(app: App) -> None:
    await login(app.mediator, "luigi")
    order = (await placed(app.mediator, amount_tendered=None)).data
    await app.mediator.execute_async(discount(order.order_id, percent=Decimal("10")))

    edited = await app.mediator.execute_async(
        EditOrderCommand(
            order_id=order.order_id,
            pizza_items=[PizzaItem(pizza_id="margherita", size="large", toppings=["ham"])],
            order_type="pickup",
            customer_name="Anna Conti",
            customer_phone="555 010 2030",
        )
    )

    assert (edited.data.discount, edited.data.total_amount) == (Decimal("1.95"), Decimal("17.54"))
