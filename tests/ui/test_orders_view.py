"""The Orders screen: its table model and filter proxy, and the view driven by clicks and keys on a fake mediator."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtWidgets import QApplication, QPushButton, QTreeWidget
from pytestqt.qtbot import QtBot

from pos_app.mediation import OperationResult
from pos_app.messages.commands import (
    AssignOrderToDeliveryCommand,
    CancelOrderCommand,
    MarkOrderDeliveredCommand,
    MarkOrderPickedUpCommand,
    ProcessPaymentCommand,
)
from pos_app.messages.dtos import OrderDto, OrderPageDto, OrderSummaryDto, TimelineEntryDto
from pos_app.messages.queries import GetOrderByIdQuery, GetOrdersQuery, GetStaffQuery
from pos_app.ui.models.order_filter import OrdersFilterProxyModel
from pos_app.ui.models.orders import OrderColumn, OrdersTableModel
from pos_app.ui.theme import STYLE_SHEET
from pos_app.ui.views.orders import OrdersView
from tests.conftest import drain_tasks, wait_signal, wait_until
from tests.ui.conftest import FakeMediator
from tests.ui.samples import NOW, STAFF, order_detail, session, summary

# helpers ----------------------------------------------------------------------------------------------------------


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class SignalLog:
    """Records the structural signals of a model, to prove an update is not a reset."""

    def __init__(self, model: OrdersTableModel) -> None:
        self.events: list[tuple[str, int, int]] = []
        model.rowsInserted.connect(lambda _parent, first, last: self.events.append(("inserted", first, last)))
        model.rowsRemoved.connect(lambda _parent, first, last: self.events.append(("removed", first, last)))
        model.rowsMoved.connect(lambda _p, first, last, _d, row: self.events.append(("moved", first, row)))
        model.dataChanged.connect(
            lambda top, bottom, _roles=(): self.events.append(("changed", top.row(), bottom.row()))
        )
        model.modelReset.connect(lambda: self.events.append(("reset", -1, -1)))
        model.layoutChanged.connect(lambda *_args: self.events.append(("layout", -1, -1)))


def page(rows: list[OrderSummaryDto]) -> OperationResult[OrderPageDto]:
    return OperationResult.ok(OrderPageDto(items=rows, total=len(rows), page=1, page_size=1000))


def detail_of(row: OrderSummaryDto) -> OrderDto:
    """The detail of a row: the sample detail, made to agree with the row."""
    base = order_detail(row.order_number, status=row.status, order_type=row.order_type, paid=row.paid)
    return base.model_copy(
        update={
            "order_id": row.order_id,
            "customer_name": row.customer_name,
            "customer_phone": row.customer_phone,
            "customer_address": row.customer_address,
            "total_amount": row.total_amount,
            "placed_at": row.placed_at,
            "estimated_ready_time": row.estimated_ready_time,
            "timeline": [
                *base.timeline,
                TimelineEntryDto(
                    position=2,
                    event_type="CookingStartedEvent",
                    occurred_at=row.placed_at + timedelta(minutes=2),
                    staff_id="rosa",
                    description="Cooking started",
                ),
            ],
        }
    )


def mediator_for(rows: list[OrderSummaryDto], **responses: Any) -> FakeMediator:
    """Answers the order list with `rows`, each order's detail, the staff list, and `responses` by type name."""
    by_id = {row.order_id: row for row in rows}
    mediator = FakeMediator(
        {
            GetOrdersQuery: page(rows),
            GetOrderByIdQuery: lambda request: OperationResult.ok(detail_of(by_id[request.order_id])),
            GetStaffQuery: OperationResult.ok(STAFF),
        }
    )
    types = {t.__name__: t for t in (MarkOrderPickedUpCommand, AssignOrderToDeliveryCommand, MarkOrderDeliveredCommand)}
    types |= {t.__name__: t for t in (CancelOrderCommand, ProcessPaymentCommand, GetOrdersQuery, GetOrderByIdQuery)}
    for name, response in responses.items():
        mediator.responses[types[name]] = response
    return mediator


async def open_view(
    qtbot: QtBot,
    mediator: FakeMediator,
    role: str = "counter",
    staff_id: str = "luigi",
    clock: Clock | None = None,
) -> OrdersView:
    mediator.role = role  # the orders it answers carry what the role may do, as the core's answers do
    view = OrdersView(mediator, now=clock or Clock())
    qtbot.addWidget(view)
    view.set_session(session(staff_id, role, staff_id.title()))
    view.resize(1366, 768)
    view.show()
    view.request_refresh()
    await view.wait_idle()
    await wait_until(lambda: view.table.viewport().height() > 200)
    return view


def shown_orders(proxy: OrdersFilterProxyModel) -> list[OrderSummaryDto]:
    return [order for row in range(proxy.rowCount()) if (order := proxy.order_at(row)) is not None]


def numbers(view: OrdersView) -> list[int]:
    return [order.order_number for order in shown_orders(view.proxy)]


async def click_order(qtbot: QtBot, view: OrdersView, number: int) -> None:
    """Click the row of order `number` and wait for its detail to load."""
    rect = view.table.visualRect(view.proxy.index(numbers(view).index(number), OrderColumn.CUSTOMER))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    await wait_signal(view.detail_loaded)
    assert view.detail_title.text() == f"Order #{number}"


def tree_rows(tree: QTreeWidget) -> list[list[str]]:
    rows = (tree.topLevelItem(row) for row in range(tree.topLevelItemCount()))
    return [[item.text(column) for column in range(tree.columnCount())] for item in rows if item is not None]


def visible_actions(view: OrdersView) -> set[str]:
    buttons = {
        "picked_up": view.picked_up_button,
        "out_for_delivery": view.out_for_delivery_button,
        "delivered": view.delivered_button,
        "payment": view.payment_button,
        "cancel": view.cancel_button,
    }
    return {name for name, button in buttons.items() if button.isVisibleTo(view)}


def click(qtbot: QtBot, button: QPushButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


async def finish(view: OrdersView) -> None:
    await drain_tasks()
    await view.wait_idle()


# the table model --------------------------------------------------------------------------------------------------


def test_the_table_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    model = OrdersTableModel(now=Clock())
    model.apply([summary(1, status="cooking", eta_in=-3), summary(2, status="ready"), summary(3, paid=False)])

    qtmodeltester.check(model)

    assert model.rowCount() == 3
    assert model.columnCount() == len(OrderColumn)


def test_the_filter_proxy_passes_the_model_tester_with_data(qtmodeltester: Any) -> None:
    model = OrdersTableModel(now=Clock())
    model.apply([summary(n, status=s) for n, s in enumerate(["pending", "cooking", "ready", "delivered"], 1)])
    proxy = OrdersFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.sort(OrderColumn.TOTAL, Qt.SortOrder.AscendingOrder)
    proxy.set_status_filter("open")

    qtmodeltester.check(proxy)

    assert proxy.rowCount() == 3


def test_the_model_shows_an_order_as_text_and_keeps_the_dto_and_raw_values() -> None:
    model = OrdersTableModel(now=Clock())
    order = summary(7, status="out_for_delivery", name="Anna Rossi", total="1234.50", order_type="delivery")
    model.apply([order])

    def cell(column: OrderColumn, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return model.index(0, column).data(role)

    assert cell(OrderColumn.NUMBER) == "#7"
    assert cell(OrderColumn.CUSTOMER) == "Anna Rossi"
    assert cell(OrderColumn.STATUS) == "Out for delivery"
    assert "1,234.50" in cell(OrderColumn.TOTAL) or "1234.50" in cell(OrderColumn.TOTAL).replace(" ", "")
    assert cell(OrderColumn.TOTAL, OrdersTableModel.SortRole) == Decimal("1234.50")
    assert cell(OrderColumn.NUMBER, OrdersTableModel.SortRole) == 7
    assert cell(OrderColumn.TIME, OrdersTableModel.SortRole) == order.placed_at
    assert cell(OrderColumn.ITEMS, OrdersTableModel.OrderRole) == order


def test_apply_inserts_removes_and_updates_rows_in_place_without_a_reset() -> None:
    model = OrdersTableModel(now=Clock())
    model.apply([summary(3), summary(2), summary(1)])
    log = SignalLog(model)

    model.apply([summary(5), summary(4), summary(3, status="cooking"), summary(1)])

    assert [order.order_number for order in model.orders] == [5, 4, 3, 1]
    assert ("removed", 1, 1) in log.events
    assert ("inserted", 0, 1) in log.events
    assert ("changed", 2, 2) in log.events
    assert not [event for event in log.events if event[0] in ("reset", "layout")]
    assert model.index(2, OrderColumn.STATUS).data() == "Cooking"


def test_apply_with_the_same_rows_emits_nothing_and_moves_a_reordered_row() -> None:
    model = OrdersTableModel(now=Clock())
    rows = [summary(3), summary(2), summary(1)]
    model.apply(rows)
    log = SignalLog(model)

    model.apply(rows)
    unchanged = list(log.events)
    model.apply([summary(1), summary(3), summary(2)])

    assert unchanged == []
    assert [order.order_number for order in model.orders] == [1, 3, 2]
    assert [event[0] for event in log.events] == ["moved"]


def test_an_order_turns_late_when_its_eta_passes_while_the_kitchen_has_it() -> None:
    clock = Clock()
    model = OrdersTableModel(now=clock)
    model.apply(
        [
            summary(1, status="cooking", eta_in=5),
            summary(2, status="pending", eta_in=5),
            summary(3, status="ready", eta_in=-20),
        ]
    )
    log = SignalLog(model)
    before = [model.index(row, OrderColumn.LATE).data(OrdersTableModel.LateRole) for row in range(3)]

    clock.now = NOW + timedelta(minutes=6)
    model.tick()

    after = [model.index(row, OrderColumn.LATE).data(OrdersTableModel.LateRole) for row in range(3)]
    assert before == [False, False, False]
    assert after == [True, True, False]
    assert model.index(0, OrderColumn.LATE).data() == "LATE"
    assert model.index(2, OrderColumn.LATE).data() == ""
    assert sorted(event[1] for event in log.events if event[0] == "changed") == [0, 1]


def test_an_order_that_arrives_late_is_flagged_at_once_and_a_ready_one_is_not() -> None:
    model = OrdersTableModel(now=Clock())

    model.apply([summary(1, status="pending", eta_in=-1), summary(2, status="ready", eta_in=-1)])

    assert model.index(0, OrderColumn.LATE).data() == "LATE"
    assert model.index(1, OrderColumn.LATE).data() == ""


def test_a_tick_with_nothing_newly_late_emits_nothing() -> None:
    clock = Clock()
    model = OrdersTableModel(now=clock)
    model.apply([summary(1, status="cooking", eta_in=5)])
    log = SignalLog(model)

    clock.now = NOW + timedelta(minutes=1)
    model.tick()

    assert log.events == []


# the filter proxy -------------------------------------------------------------------------------------------------

ORDERS = [
    summary(1, status="delivered", name="Anna Rossi", phone="555-010-2030", order_type="delivery", total="9.50"),
    summary(2, status="cooking", name="Bruno Bianchi", phone="555 777 1234", total="100.00", minutes_ago=40),
    summary(3, status="ready", name="Carla Neri", phone="5550009999", total="25.00", minutes_ago=5),
    summary(12, status="pending", name="Dario Rossini", phone="3471234567", total="42.10", minutes_ago=1),
    summary(21, status="cancelled", name="Elena Russo", phone="3331112222", total="12.00", minutes_ago=25),
]


def proxy_with(rows: list[OrderSummaryDto]) -> OrdersFilterProxyModel:
    proxy = OrdersFilterProxyModel()
    model = OrdersTableModel(proxy, now=Clock())  # owned by the proxy, so it lives as long as the proxy
    model.apply(rows)
    proxy.setSourceModel(model)
    return proxy


def proxy_numbers(proxy: OrdersFilterProxyModel) -> list[int]:
    return [order.order_number for order in shown_orders(proxy)]


@pytest.mark.parametrize(
    ("status", "expected"),
    [("all", [1, 2, 3, 12, 21]), ("open", [2, 3, 12]), ("cooking", [2]), ("cancelled", [21]), ("picked_up", [])],
)
def test_the_proxy_filters_by_status(status: str, expected: list[int]) -> None:
    proxy = proxy_with(ORDERS)

    proxy.set_status_filter(status)

    assert sorted(proxy_numbers(proxy)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rossi", [1, 12]),
        ("ROSSI", [1, 12]),
        ("bianchi", [2]),
        ("555 0102", [1]),
        ("0102030", [1]),
        ("777-1234", [2]),
        ("#12", [12]),
        ("# 2", [2]),
        ("#1", [1]),
        ("12", [2, 12, 21]),  # phone digits of 2 and 21, and number 12
        ("nobody", []),
        ("", [1, 2, 3, 12, 21]),
    ],
)
def test_the_proxy_searches_name_phone_digits_and_order_number(text: str, expected: list[int]) -> None:
    proxy = proxy_with(ORDERS)

    proxy.set_search_text(text)

    assert sorted(proxy_numbers(proxy)) == expected


def test_status_filter_and_search_combine() -> None:
    proxy = proxy_with(ORDERS)

    proxy.set_status_filter("open")
    proxy.set_search_text("ross")

    assert proxy_numbers(proxy) == [12]


def test_sorting_by_total_is_numeric_and_by_time_is_chronological() -> None:
    proxy = proxy_with(ORDERS)

    proxy.sort(OrderColumn.TOTAL, Qt.SortOrder.AscendingOrder)
    by_total = proxy_numbers(proxy)
    proxy.sort(OrderColumn.TIME, Qt.SortOrder.AscendingOrder)
    by_time = proxy_numbers(proxy)
    proxy.sort(OrderColumn.NUMBER, Qt.SortOrder.DescendingOrder)
    by_number = proxy_numbers(proxy)

    assert by_total == [1, 21, 3, 12, 2]  # 9.50 < 12.00 < 25.00 < 42.10 < 100.00 (text would put 100.00 first)
    assert by_time == [2, 21, 1, 3, 12]  # 40, 25, 10, 5, 1 minutes ago
    assert by_number == [21, 12, 3, 2, 1]  # 21 > 12 > 3 (text would put 3 first)


# the view: list, filter, search, keyboard -------------------------------------------------------------------------


async def test_refresh_asks_for_todays_orders_and_shows_them_newest_first(qtbot: QtBot) -> None:
    mediator = mediator_for(ORDERS)

    view = await open_view(qtbot, mediator)

    assert mediator.sent_of(GetOrdersQuery) == [GetOrdersQuery(page_size=1000)]
    assert numbers(view) == [12, 3, 1, 21, 2]
    assert view.count_label.text() == "5 orders"
    await finish(view)


async def test_a_refresh_updates_rows_in_place_and_keeps_the_selection(qtbot: QtBot) -> None:
    mediator = mediator_for(ORDERS)
    view = await open_view(qtbot, mediator)
    await click_order(qtbot, view, 3)
    log = SignalLog(view.model)
    newer = summary(22, status="pending", name="Franco Gallo", minutes_ago=0)
    mediator.responses[GetOrdersQuery] = page([newer, *ORDERS])

    view.request_refresh()
    await view.wait_idle()

    assert numbers(view)[0] == 22
    selected = view.selected_order()
    assert selected is not None
    assert selected.order_number == 3
    assert view.detail_title.text() == "Order #3"
    assert [event[0] for event in log.events] == ["inserted"]
    await finish(view)


async def test_a_refresh_that_changes_the_selected_order_reloads_its_detail(qtbot: QtBot) -> None:
    mediator = mediator_for(ORDERS)
    view = await open_view(qtbot, mediator)
    await click_order(qtbot, view, 3)
    loads = len(mediator.sent_of(GetOrderByIdQuery))
    picked_up = ORDERS[2].model_copy(update={"status": "picked_up"})
    mediator.responses[GetOrdersQuery] = page([*ORDERS[:2], picked_up, *ORDERS[3:]])
    mediator.responses[GetOrderByIdQuery] = OperationResult.ok(detail_of(picked_up))

    view.request_refresh()  # as the bridge does after another terminal's commit
    await view.wait_idle()

    assert len(mediator.sent_of(GetOrderByIdQuery)) == loads + 1
    assert "Picked up" in view.detail_status.text()
    await finish(view)


async def test_when_the_selected_order_is_filtered_out_the_detail_is_cleared(qtbot: QtBot) -> None:
    view = await open_view(qtbot, mediator_for(ORDERS))
    await click_order(qtbot, view, 1)  # delivered

    qtbot.keyClick(view.status_filter, Qt.Key.Key_Down)  # open orders only

    await wait_until(lambda: view.detail_placeholder.isVisibleTo(view))
    assert view.selected_order() is None
    assert not view.detail_body.isVisibleTo(view)
    assert numbers(view) == [12, 3, 2]
    await finish(view)


async def test_a_refresh_that_removes_the_selected_order_selects_nothing_else(qtbot: QtBot) -> None:
    mediator = mediator_for(ORDERS)
    view = await open_view(qtbot, mediator)
    await click_order(qtbot, view, 3)
    mediator.responses[GetOrdersQuery] = page([order for order in ORDERS if order.order_number != 3])

    view.request_refresh()
    await view.wait_idle()
    await drain_tasks()

    assert view.selected_order() is None
    assert view.detail_placeholder.isVisibleTo(view)
    assert visible_actions(view) == set()
    await finish(view)


async def test_the_status_filter_and_the_search_box_filter_the_loaded_rows_without_a_query(qtbot: QtBot) -> None:
    mediator = mediator_for(ORDERS)
    view = await open_view(qtbot, mediator)
    queries = len(mediator.sent)

    qtbot.keyClick(view.status_filter, Qt.Key.Key_Down)  # "All orders" -> "Open orders"
    open_rows = numbers(view)
    qtbot.keyClicks(view.search, "ross")
    searched = numbers(view)
    view.search.clear()
    qtbot.keyClicks(view.search, "#3")
    by_number = numbers(view)

    assert view.status_filter.currentData() == "open"
    assert open_rows == [12, 3, 2]
    assert searched == [12]
    assert by_number == [3]
    assert view.count_label.text() == "1 of 5 orders"
    assert len(mediator.sent) == queries
    await finish(view)


async def test_ctrl_f_puts_the_cursor_in_the_search_box(qtbot: QtBot) -> None:
    view = await open_view(qtbot, mediator_for(ORDERS))
    view.activateWindow()
    view.table.setFocus()
    await wait_until(lambda: QApplication.focusWidget() is view.table)

    qtbot.keyClick(view.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)

    await wait_until(lambda: view.search.hasFocus())
    await finish(view)


async def test_clicking_the_header_sorts_by_total_numerically(qtbot: QtBot) -> None:
    view = await open_view(qtbot, mediator_for(ORDERS))
    header = view.table.horizontalHeader()
    x = header.sectionViewportPosition(OrderColumn.TOTAL) + header.sectionSize(OrderColumn.TOTAL) // 2

    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))

    assert header.sortIndicatorSection() == OrderColumn.TOTAL
    totals = [order.total_amount for order in shown_orders(view.proxy)]
    assert totals in (sorted(totals), sorted(totals, reverse=True))
    await finish(view)


# the view: detail ---------------------------------------------------------------------------------------------------


async def test_selecting_a_row_loads_its_detail_with_items_and_timeline(qtbot: QtBot) -> None:
    mediator = mediator_for(ORDERS)
    view = await open_view(qtbot, mediator)

    await click_order(qtbot, view, 2)

    order = ORDERS[1]
    assert mediator.sent_of(GetOrderByIdQuery) == [GetOrderByIdQuery(order_id=order.order_id)]
    assert "Bruno Bianchi" in view.detail_customer.text()
    assert "555 777 1234" in view.detail_customer.text()
    assert "Cooking" in view.detail_status.text()
    items = tree_rows(view.detail_items)
    assert "Margherita (large)" in items[0][0]
    assert "+ Ham" in items[0][0]
    assert "Note: well done" in items[1][0]
    assert "19.49" in items[0][1]
    assert "100.00" in view.detail_total.text()
    assert "Paid by cash" in view.detail_payment.text()
    timeline = tree_rows(view.detail_timeline)
    assert [entry[1] for entry in timeline] == ["Order #2 placed: 2 items, 34.48", "Cooking started"]
    assert [entry[2] for entry in timeline] == ["Luigi Verdi", "Rosa Bianchi"]
    await finish(view)


async def test_enter_on_a_row_opens_its_detail(qtbot: QtBot) -> None:
    mediator = mediator_for(ORDERS)
    view = await open_view(qtbot, mediator)
    view.table.setFocus()
    view.table.setCurrentIndex(QModelIndex())

    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    await wait_until(lambda: view.detail_title.text() == "Order #3")
    loads = len(mediator.sent_of(GetOrderByIdQuery))
    qtbot.keyClick(view.table, Qt.Key.Key_Return)

    await wait_until(lambda: len(mediator.sent_of(GetOrderByIdQuery)) == loads + 1)
    assert mediator.sent_of(GetOrderByIdQuery)[-1] == GetOrderByIdQuery(order_id=ORDERS[2].order_id)
    await finish(view)


async def test_a_failed_detail_load_shows_its_message(qtbot: QtBot) -> None:
    mediator = mediator_for(ORDERS, GetOrderByIdQuery=OperationResult.not_found("Order not found"))
    view = await open_view(qtbot, mediator)
    rect = view.table.visualRect(view.proxy.index(0, OrderColumn.CUSTOMER))

    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    await wait_until(lambda: view.error.text() == "Order not found")
    await finish(view)


# the view: actions by status and role -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status", "order_type", "paid", "expected"),
    [
        ("counter", "pending", "pickup", True, {"cancel"}),
        ("counter", "pending", "pickup", False, {"cancel", "payment"}),
        ("counter", "cooking", "pickup", True, set()),
        ("manager", "cooking", "pickup", True, {"cancel"}),
        ("counter", "ready", "pickup", True, {"picked_up"}),
        ("counter", "ready", "dine_in", False, {"picked_up", "payment"}),
        ("counter", "ready", "delivery", True, {"out_for_delivery"}),
        ("driver", "ready", "delivery", False, {"out_for_delivery", "payment"}),
        ("counter", "out_for_delivery", "delivery", True, set()),
        ("driver", "out_for_delivery", "delivery", True, {"delivered"}),
        ("manager", "out_for_delivery", "delivery", False, {"delivered", "payment", "cancel"}),
        ("kitchen", "pending", "pickup", False, set()),
        ("kitchen", "ready", "pickup", False, set()),
        ("manager", "picked_up", "pickup", True, set()),
        ("manager", "delivered", "delivery", True, set()),
        ("manager", "cancelled", "pickup", False, set()),
    ],
)
async def test_actions_shown_follow_the_orders_status_and_the_users_role(
    qtbot: QtBot, role: str, status: str, order_type: str, paid: bool, expected: set[str]
) -> None:
    staff_id = {"counter": "luigi", "manager": "mario", "kitchen": "rosa", "driver": "toni"}[role]
    view = await open_view(
        qtbot, mediator_for([summary(4, status=status, order_type=order_type, paid=paid)]), role, staff_id
    )

    await click_order(qtbot, view, 4)

    assert visible_actions(view) == expected
    assert view.driver_combo.isVisibleTo(view) == ("out_for_delivery" in expected)
    await finish(view)


async def test_picked_up_needs_payment_first(qtbot: QtBot) -> None:
    mediator = mediator_for([summary(4, status="ready", paid=False)])
    view = await open_view(qtbot, mediator)

    await click_order(qtbot, view, 4)

    assert view.picked_up_button.isVisibleTo(view)
    assert not view.picked_up_button.isEnabled()
    assert view.payment_button.isEnabled()
    await finish(view)


async def test_a_driver_finds_themselves_chosen_as_the_driver(qtbot: QtBot) -> None:
    mediator = mediator_for([summary(4, status="ready", order_type="delivery")])
    view = await open_view(qtbot, mediator, "driver", "toni")

    await click_order(qtbot, view, 4)

    assert [view.driver_combo.itemData(i) for i in range(view.driver_combo.count())] == ["toni"]
    assert view.driver_combo.currentData() == "toni"
    await finish(view)


# the view: commands -------------------------------------------------------------------------------------------------


async def test_picked_up_sends_the_command_then_refreshes_and_reloads_the_detail(qtbot: QtBot) -> None:
    order = summary(4, status="ready")
    mediator = mediator_for([order], MarkOrderPickedUpCommand=OperationResult.ok(detail_of(order)))
    view = await open_view(qtbot, mediator)
    await click_order(qtbot, view, 4)
    before = len(mediator.sent)

    click(qtbot, view.picked_up_button)

    await wait_until(lambda: len(mediator.sent_of(MarkOrderPickedUpCommand)) == 1)
    await finish(view)
    after = mediator.sent[before:]
    assert after[0] == MarkOrderPickedUpCommand(order_id=order.order_id)
    assert GetOrdersQuery(page_size=1000, changed_since=0) in after[1:]  # the changes since the last answer
    assert after[-1] == GetOrderByIdQuery(order_id=order.order_id)


async def test_out_for_delivery_sends_the_chosen_driver(qtbot: QtBot) -> None:
    order = summary(4, status="ready", order_type="delivery")
    mediator = mediator_for([order])
    view = await open_view(qtbot, mediator)
    await click_order(qtbot, view, 4)

    click(qtbot, view.out_for_delivery_button)

    await wait_until(lambda: len(mediator.sent_of(AssignOrderToDeliveryCommand)) == 1)
    await finish(view)
    assert mediator.sent_of(AssignOrderToDeliveryCommand) == [
        AssignOrderToDeliveryCommand(order_id=order.order_id, driver_id="toni")
    ]


async def test_a_driver_marks_an_order_delivered(qtbot: QtBot) -> None:
    order = summary(4, status="out_for_delivery", order_type="delivery")
    mediator = mediator_for([order])
    view = await open_view(qtbot, mediator, "driver", "toni")
    await click_order(qtbot, view, 4)

    click(qtbot, view.delivered_button)

    await wait_until(lambda: len(mediator.sent_of(MarkOrderDeliveredCommand)) == 1)
    await finish(view)
    assert mediator.sent_of(MarkOrderDeliveredCommand) == [MarkOrderDeliveredCommand(order_id=order.order_id)]


async def test_cancel_asks_for_a_reason_inline_then_sends_it(qtbot: QtBot) -> None:
    order = summary(4, status="pending")
    mediator = mediator_for([order])
    view = await open_view(qtbot, mediator)
    await click_order(qtbot, view, 4)

    click(qtbot, view.cancel_button)
    asked = view.cancel_panel.isVisibleTo(view)
    sent_before_confirm = mediator.sent_of(CancelOrderCommand)
    qtbot.keyClicks(view.cancel_reason, "Customer changed their mind")
    click(qtbot, view.confirm_cancel_button)

    await wait_until(lambda: len(mediator.sent_of(CancelOrderCommand)) == 1)
    await finish(view)
    assert asked
    assert sent_before_confirm == []
    assert mediator.sent_of(CancelOrderCommand) == [
        CancelOrderCommand(order_id=order.order_id, reason="Customer changed their mind")
    ]
    assert not view.cancel_panel.isVisibleTo(view)


async def test_keep_it_closes_the_cancel_panel_without_sending(qtbot: QtBot) -> None:
    mediator = mediator_for([summary(4, status="pending")])
    view = await open_view(qtbot, mediator)
    await click_order(qtbot, view, 4)

    click(qtbot, view.cancel_button)
    click(qtbot, view.keep_order_button)

    assert not view.cancel_panel.isVisibleTo(view)
    assert mediator.sent_of(CancelOrderCommand) == []
    await finish(view)


async def test_escape_closes_the_payment_panel(qtbot: QtBot) -> None:
    view = await open_view(qtbot, mediator_for([summary(4, status="ready", paid=False)]))
    await click_order(qtbot, view, 4)
    click(qtbot, view.payment_button)
    await wait_until(lambda: view.tendered_edit.hasFocus())

    qtbot.keyClick(view.tendered_edit, Qt.Key.Key_Escape)

    assert not view.payment_panel.isVisibleTo(view)
    assert view.payment_button.isVisibleTo(view)
    await finish(view)


async def test_a_cash_payment_sends_the_decimal_amount_and_shows_the_change(qtbot: QtBot) -> None:
    order = summary(4, status="ready", paid=False, total="34.48")
    paid = detail_of(order).model_copy(
        update={"paid": True, "amount_tendered": Decimal("50.00"), "change_due": Decimal("15.52")}
    )
    mediator = mediator_for([order], ProcessPaymentCommand=OperationResult.ok(paid))
    view = await open_view(qtbot, mediator)
    await click_order(qtbot, view, 4)

    click(qtbot, view.payment_button)
    qtbot.keyClicks(view.tendered_edit, "50")
    click(qtbot, view.confirm_payment_button)

    await wait_until(lambda: view.change_banner.isVisibleTo(view))
    await finish(view)
    assert mediator.sent_of(ProcessPaymentCommand) == [
        ProcessPaymentCommand(order_id=order.order_id, payment_method="cash", amount_tendered=Decimal("50.00"))
    ]
    assert isinstance(mediator.sent_of(ProcessPaymentCommand)[0].amount_tendered, Decimal)
    assert "15.52" in view.change_banner.text()
    assert not view.payment_panel.isVisibleTo(view)


async def test_a_card_payment_sends_no_tendered_amount(qtbot: QtBot) -> None:
    order = summary(4, status="pending", paid=False)
    mediator = mediator_for([order])
    view = await open_view(qtbot, mediator)
    await click_order(qtbot, view, 4)

    click(qtbot, view.payment_button)
    click(qtbot, view.card_button)
    click(qtbot, view.confirm_payment_button)

    await wait_until(lambda: len(mediator.sent_of(ProcessPaymentCommand)) == 1)
    await finish(view)
    assert mediator.sent_of(ProcessPaymentCommand) == [
        ProcessPaymentCommand(order_id=order.order_id, payment_method="card", amount_tendered=None)
    ]


async def test_a_refused_cash_amount_shows_its_error_next_to_the_amount(qtbot: QtBot) -> None:
    order = summary(4, status="ready", paid=False, total="34.48")
    refused = OperationResult.validation_error({"amount_tendered": ["Short by €4.48: the total is €34.48"]})
    view = await open_view(qtbot, mediator_for([order], ProcessPaymentCommand=refused))
    await click_order(qtbot, view, 4)

    click(qtbot, view.payment_button)
    qtbot.keyClicks(view.tendered_edit, "30")
    qtbot.keyClick(view.tendered_edit, Qt.Key.Key_Return)

    await wait_until(lambda: view.tendered_error.isVisibleTo(view))
    await finish(view)
    assert view.tendered_error.text() == "Short by €4.48: the total is €34.48"
    assert not view.error.isVisibleTo(view)
    assert view.payment_panel.isVisibleTo(view)
    assert view.confirm_payment_button.isEnabled()


async def test_an_amount_that_is_not_money_is_flagged_without_sending(qtbot: QtBot) -> None:
    mediator = mediator_for([summary(4, status="ready", paid=False)])
    view = await open_view(qtbot, mediator)
    await click_order(qtbot, view, 4)

    click(qtbot, view.payment_button)
    qtbot.keyClicks(view.tendered_edit, "fifty")
    click(qtbot, view.confirm_payment_button)

    await wait_until(lambda: view.tendered_error.isVisibleTo(view))
    await finish(view)
    assert mediator.sent_of(ProcessPaymentCommand) == []


async def test_a_failed_command_shows_its_message_and_leaves_the_list_unchanged(qtbot: QtBot) -> None:
    order = summary(4, status="ready")
    refused = OperationResult.conflict("Order #4 is picked up: it can be picked up only when ready")
    mediator = mediator_for([order, *ORDERS], MarkOrderPickedUpCommand=refused)
    view = await open_view(qtbot, mediator)
    await click_order(qtbot, view, 4)
    rows_before = view.model.orders
    log = SignalLog(view.model)
    sent_before = len(mediator.sent)

    click(qtbot, view.picked_up_button)

    await wait_until(lambda: view.error.isVisibleTo(view))
    await finish(view)
    assert view.error.text() == "Order #4 is picked up: it can be picked up only when ready"
    assert mediator.sent[sent_before:] == [MarkOrderPickedUpCommand(order_id=order.order_id)]
    assert view.model.orders == rows_before
    assert log.events == []
    assert view.picked_up_button.isEnabled()


async def test_a_double_click_sends_the_command_once(qtbot: QtBot) -> None:
    order = summary(4, status="ready")
    mediator = mediator_for([order])
    view = await open_view(qtbot, mediator)
    await click_order(qtbot, view, 4)

    qtbot.mouseDClick(view.picked_up_button, Qt.MouseButton.LeftButton)
    click(qtbot, view.picked_up_button)

    await wait_until(lambda: len(mediator.sent_of(MarkOrderPickedUpCommand)) >= 1)
    await finish(view)
    assert mediator.sent_of(MarkOrderPickedUpCommand) == [MarkOrderPickedUpCommand(order_id=order.order_id)]


async def test_actions_are_disabled_while_a_command_is_in_flight(qtbot: QtBot) -> None:
    order = summary(4, status="ready", paid=False)
    release = asyncio.Event()

    class SlowMediator(FakeMediator):
        async def execute_async(self, request: Any) -> Any:
            if isinstance(request, ProcessPaymentCommand):
                self.sent.append(request)
                await release.wait()
                return OperationResult.ok(detail_of(order))
            return await super().execute_async(request)

    mediator = SlowMediator(mediator_for([order]).responses)
    view = await open_view(qtbot, mediator)
    await click_order(qtbot, view, 4)
    click(qtbot, view.payment_button)
    click(qtbot, view.card_button)

    click(qtbot, view.confirm_payment_button)
    await wait_until(lambda: len(mediator.sent_of(ProcessPaymentCommand)) == 1)
    in_flight = [view.confirm_payment_button.isEnabled(), view.picked_up_button.isEnabled()]
    click(qtbot, view.confirm_payment_button)
    release.set()

    await finish(view)
    assert in_flight == [False, False]
    assert len(mediator.sent_of(ProcessPaymentCommand)) == 1
    assert view.confirm_payment_button.isEnabled()


async def test_the_view_ticks_the_late_flag_every_15_seconds(qtbot: QtBot) -> None:
    clock = Clock()
    mediator = mediator_for([summary(4, status="cooking", eta_in=1)])
    view = await open_view(qtbot, mediator, clock=clock)
    late_cell = view.proxy.index(0, OrderColumn.LATE)
    before = late_cell.data()

    clock.now = NOW + timedelta(minutes=2)
    view.tick_timer.timeout.emit()

    assert view.tick_timer.interval() == 15_000
    assert view.tick_timer.isActive()
    assert before == ""
    assert view.proxy.index(0, OrderColumn.LATE).data() == "LATE"
    await finish(view)


# how it looks -------------------------------------------------------------------------------------------------------

NAMES = [
    ("Giulia Romano", "3471122334"),
    ("Tom Becker", "5550147788"),
    ("Francesca Esposito", "3209988776"),
    ("Marco Ricci", "3335566778"),
    ("Sarah O'Neill", "5550192233"),
    ("Luca Marino", "3401239876"),
    ("Chiara Greco", "3398765432"),
    ("Ahmed Hassan", "5550134455"),
    ("Paolo Bruno", "3486655443"),
    ("Elena Gallo", "3294433221"),
    ("Davide Conti", "3312244668"),
    ("Valentina De Luca", "3477788990"),
    ("James Miller", "5550156677"),
]
ITEMS = [
    ("Margherita L, Cola", 2, "17.49"),
    ("Pepperoni M, Garlic bread, 2× Cola", 4, "24.98"),
    ("Diavola L +Ham, Quattro Formaggi M", 2, "36.42"),
    ("Margherita S", 1, "10.39"),
    ("Capricciosa L, Marinara M, Tiramisù", 3, "41.27"),
    ("Family deal: 3× Margherita L, 4× Cola", 7, "68.65"),
    ("Vegetariana M, Garlic bread", 2, "19.98"),
]
STATES = [
    ("pending", "pickup", False),
    ("pending", "delivery", False),
    ("cooking", "pickup", True),
    ("cooking", "delivery", True),
    ("cooking", "dine_in", False),
    ("ready", "pickup", False),
    ("ready", "delivery", False),
    ("out_for_delivery", "delivery", True),
    ("picked_up", "pickup", True),
    ("delivered", "delivery", True),
    ("picked_up", "dine_in", True),
    ("cancelled", "pickup", False),
]


def realistic_orders(count: int = 25) -> list[OrderSummaryDto]:
    rows = []
    for number in range(1, count + 1):
        name, phone = NAMES[number % len(NAMES)]
        items, item_count, total = ITEMS[number % len(ITEMS)]
        status, order_type, paid = STATES[(count - number) % len(STATES)]
        minutes_ago = (count - number) * 6 + 2
        eta_in = -4 if number in (21, 19) else 18 - minutes_ago
        row = summary(
            number,
            status=status,
            name=name,
            phone=phone,
            order_type=order_type,
            total=total,
            paid=paid,
            minutes_ago=minutes_ago,
            eta_in=eta_in,
        )
        rows.append(
            row.model_copy(
                update={
                    "items_summary": items,
                    "item_count": item_count,
                    "customer_address": f"Via Garibaldi {number * 3}, 2nd floor" if order_type == "delivery" else None,
                }
            )
        )
    return list(reversed(rows))


def rich_detail(row: OrderSummaryDto) -> OrderDto:
    base = detail_of(row)
    placed = row.placed_at
    fee = Decimal("2.50") if row.order_type == "delivery" else Decimal("0.00")
    return base.model_copy(
        update={
            "items": [
                base.items[0].model_copy(update={"name": "Diavola", "topping_names": ["Ham", "Extra cheese"]}),
                base.items[1].model_copy(
                    update={"name": "Quattro Formaggi", "special_instructions": "well done, cut in 8"}
                ),
            ],
            "subtotal": row.total_amount - fee,
            "delivery_fee": fee,
            "tax": (row.total_amount / 11).quantize(Decimal("0.01")),  # 10% included
            "total_amount": row.total_amount,
            "timeline": [
                TimelineEntryDto(
                    position=1,
                    event_type="OrderPlacedEvent",
                    occurred_at=placed,
                    staff_id="luigi",
                    description=f"Order #{row.order_number} placed by phone: 2 items",
                ),
                TimelineEntryDto(
                    position=2,
                    event_type="CookingStartedEvent",
                    occurred_at=placed + timedelta(minutes=3),
                    staff_id="rosa",
                    description="Cooking started",
                ),
                TimelineEntryDto(
                    position=3,
                    event_type="PizzaReadyEvent",
                    occurred_at=placed + timedelta(minutes=14),
                    staff_id="rosa",
                    description="Diavola (large) ready",
                ),
                TimelineEntryDto(
                    position=4,
                    event_type="OrderReadyEvent",
                    occurred_at=placed + timedelta(minutes=16),
                    staff_id="rosa",
                    description="Order ready for delivery",
                ),
            ],
        }
    )


async def test_the_screen_at_1366_by_768_with_25_orders(qtbot: QtBot) -> None:
    rows = realistic_orders()
    selected = next(row for row in rows if row.status == "ready" and row.order_type == "delivery")
    mediator = mediator_for(rows)
    mediator.responses[GetOrderByIdQuery] = lambda request: OperationResult.ok(
        rich_detail(next(row for row in rows if row.order_id == request.order_id))
    )
    view = await open_view(qtbot, mediator, "manager", "mario")
    view.setStyleSheet(STYLE_SHEET)
    await click_order(qtbot, view, selected.order_number)

    image = view.grab()
    saved = image.save("/tmp/orders_view.png")

    assert saved
    assert (image.width(), image.height()) == (1366, 768)
    assert view.model.rowCount() == 25
    assert visible_actions(view) == {"out_for_delivery", "payment", "cancel"}
    for column in (OrderColumn.NUMBER, OrderColumn.TIME, OrderColumn.TOTAL, OrderColumn.STATUS, OrderColumn.ETA):
        needed = max(
            view.table.fontMetrics().horizontalAdvance(str(view.proxy.index(row, column).data()))
            for row in range(view.proxy.rowCount())
        )
        assert view.table.columnWidth(column) > needed, f"column {column.name} is cut"
    await finish(view)
