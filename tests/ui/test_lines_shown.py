"""Quantities and tables as the Orders screen and the kitchen show them: "2 × Margherita", "Table 7"."""

from __future__ import annotations

from decimal import Decimal

from pytestqt.qtbot import QtBot

from pos_app.messages.dtos import KitchenItemDto
from pos_app.ui.formatting import format_money
from pos_app.ui.models.kitchen_queue import KitchenQueueModel, item_text, ticket_type_text
from pos_app.ui.models.orders import OrderColumn, OrdersTableModel
from pos_app.ui.views.orders.order_detail import OrderDetail
from tests.ui.samples import NOW, STAFF, order_detail, summary, ticket


def test_the_order_detail_shows_2_x_and_the_table_with_its_covers(qtbot: QtBot) -> None:
    base = order_detail(4, order_type="dine_in")
    first = base.items[0].model_copy(update={"quantity": 2})
    order = base.model_copy(update={"items": [first, *base.items[1:]], "table_number": 7, "covers": 4})
    detail = OrderDetail()
    qtbot.addWidget(detail)

    detail.show_order(order, NOW, STAFF)

    assert detail.items.topLevelItem(0).text(0).startswith(f"2 × {first.name}")
    assert "Dine-in · Table 7 · 4 covers" in detail.status.text()


def test_the_kitchen_ticket_shows_2_x_and_the_table() -> None:
    item = KitchenItemDto(
        index=0, name="Margherita", category="pizza", size="large", toppings=[], special_instructions="", ready=False
    )
    dine_in = ticket(5, order_type="dine_in").model_copy(update={"table_number": 7})
    model = KitchenQueueModel(now=lambda: NOW)
    model.apply([dine_in])

    assert item_text(item.model_copy(update={"quantity": 2})).startswith("2 × Margherita")
    assert item_text(item) == "Margherita (large)"
    assert ticket_type_text(dine_in) == "Dine-in · Table 7"
    assert "Dine-in · Table 7" in model.index(0).data()


def test_the_order_list_shows_the_table_before_the_customer() -> None:
    row = summary(3, order_type="dine_in").model_copy(update={"table_number": 12})
    model = OrdersTableModel(now=lambda: NOW)
    model.apply([row])

    assert model.index(0, OrderColumn.CUSTOMER).data() == f"Table 12 · {row.customer_name}"


def test_the_order_detail_shows_the_discount_and_its_reason(qtbot: QtBot) -> None:
    order = order_detail(4).model_copy(
        update={"discount": Decimal("3.45"), "discount_reason": "regular", "total_amount": Decimal("31.03")}
    )
    detail = OrderDetail()
    qtbot.addWidget(detail)

    detail.show_order(order, NOW, STAFF)

    assert f"Discount −{format_money(Decimal('3.45'))} (order: regular)" in detail.totals.text()


def test_taking_payment_after_a_dearer_edit_asks_for_the_balance_only(qtbot: QtBot) -> None:
    from pos_app.ui.views.orders.payment_panel import PaymentPanel

    order = order_detail(4, paid=False).model_copy(
        update={"total_amount": Decimal("50.47"), "amount_paid": Decimal("34.48"), "balance_due": Decimal("15.99")}
    )
    panel = PaymentPanel()
    qtbot.addWidget(panel)

    panel.set_order(order)

    assert panel.heading.text() == f"Take payment for #4: {format_money(Decimal('15.99'))} still due"
