"""The kitchen and order screens refresh from what changed: after a whole first read each refresh asks for the changes
since the position of its last answer and merges them in place (new rows at their place, changed rows replaced,
closed tickets out), so the rows always equal a whole read; a new business day, another session or the periodic
whole read start again from everything."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from PySide6.QtWidgets import QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from pos_app.mediation import OperationResult
from pos_app.messages.dtos import KitchenQueueChangesDto, KitchenTicketDto, OrderPageDto, OrderSummaryDto
from pos_app.messages.queries import GetKitchenQueueChangesQuery, GetOrdersQuery
from pos_app.ui.models.kitchen_queue import KitchenQueueModel
from pos_app.ui.models.orders import OrdersTableModel
from pos_app.ui.views import base
from pos_app.ui.views.kitchen import KitchenView
from pos_app.ui.views.orders import OrdersView
from pos_app.ui.widgets.ticket_delegate import TicketDelegate
from tests.conftest import wait_until
from tests.ui.conftest import FakeMediator
from tests.ui.samples import NOW, session, summary, ticket

KITCHEN = session("rosa", "kitchen", "Rosa Bianchi")
COUNTER = session("luigi", "counter", "Luigi Verdi")
DAY = date(2026, 11, 27)


@dataclass
class ChangingStore:
    """Answers the two changes queries as the store does: rows by order id, and the position each was changed at."""

    tickets: dict[uuid.UUID, KitchenTicketDto] = field(default_factory=dict)
    orders: dict[uuid.UUID, OrderSummaryDto] = field(default_factory=dict)
    changed_at: dict[uuid.UUID, int] = field(default_factory=dict)
    position: int = 0
    day: date = DAY

    def put_ticket(self, made: KitchenTicketDto) -> None:
        self.position += 1
        known = self.tickets.get(made.order_id)
        queue_position = known.queue_position if known else made.queue_position or self.position
        self.tickets[made.order_id] = made.model_copy(update={"queue_position": queue_position})
        self.changed_at[made.order_id] = self.position

    def close_ticket(self, order_id: uuid.UUID) -> None:
        self.position += 1
        del self.tickets[order_id]
        self.changed_at[order_id] = self.position

    def put_order(self, order: OrderSummaryDto) -> None:
        self.position += 1
        self.orders[order.order_id] = order
        self.changed_at[order.order_id] = self.position

    def whole_queue(self) -> list[KitchenTicketDto]:
        return sorted(self.tickets.values(), key=lambda t: t.queue_position)

    def whole_day(self) -> list[OrderSummaryDto]:
        return sorted(self.orders.values(), key=lambda o: (o.placed_at, o.order_number), reverse=True)

    def _changed(self, since: int) -> set[uuid.UUID]:
        return {order_id for order_id, at in self.changed_at.items() if at > since}

    def kitchen(self, query: GetKitchenQueueChangesQuery) -> OperationResult[KitchenQueueChangesDto]:
        since = query.changed_since
        if since is None:
            answer = KitchenQueueChangesDto(
                position=self.position, business_date=self.day, changes_only=False, tickets=self.whole_queue()
            )
        else:
            changed = self._changed(since)
            answer = KitchenQueueChangesDto(
                position=self.position,
                business_date=self.day,
                changes_only=True,
                tickets=[t for t in self.whole_queue() if t.order_id in changed],
                closed=[order_id for order_id in changed if order_id not in self.tickets],
            )
        return OperationResult.ok(answer)

    def order_page(self, query: GetOrdersQuery) -> OperationResult[OrderPageDto]:
        since = query.changed_since
        rows = (
            self.whole_day() if since is None else [o for o in self.whole_day() if o.order_id in self._changed(since)]
        )
        return OperationResult.ok(
            OrderPageDto(
                items=rows,
                total=len(self.orders),
                page=1,
                page_size=1000,
                position=self.position,
                changes_only=since is not None,
                business_date=self.day,
            )
        )


def mediator_for(store: ChangingStore, role: str) -> FakeMediator:
    return FakeMediator({GetKitchenQueueChangesQuery: store.kitchen, GetOrdersQuery: store.order_page}, role=role)


async def refreshed(view: Any) -> None:
    view.request_refresh()
    await view.wait_idle()


async def kitchen_view(qtbot: QtBot, mediator: FakeMediator) -> KitchenView:
    view = KitchenView(mediator, now=lambda: NOW)
    qtbot.addWidget(view)
    view.set_session(KITCHEN)
    view.resize(1366, 768)
    view.show()
    await refreshed(view)
    return view


async def test_the_kitchen_merges_each_change_and_always_equals_the_whole_queue(qtbot: QtBot) -> None:
    store = ChangingStore()
    for number in (1, 2, 3):
        store.put_ticket(ticket(number, minutes_ago=10 - number))
    mediator = mediator_for(store, "kitchen")
    view = await kitchen_view(qtbot, mediator)
    assert view.model.tickets == store.whole_queue()
    view.select_row(1)
    alerts: list[tuple[str, list[uuid.UUID]]] = []
    view.alerts.alerted.connect(lambda kind, ids: alerts.append((kind, list(ids))))

    store.put_ticket(ticket(4, minutes_ago=1))  # a new order
    store.put_ticket(ticket(3, status="cooking", minutes_ago=7))  # cooking started
    store.close_ticket(uuid.UUID(int=1))  # ready: it leaves the queue
    await refreshed(view)

    asked = mediator.sent_of(GetKitchenQueueChangesQuery)
    assert asked[0].changed_since is None
    assert asked[-1].changed_since == 3
    assert view.model.tickets == store.whole_queue()
    assert [t.order_number for t in view.model.tickets] == [2, 3, 4]
    selected = view.selected_ticket()
    assert selected is not None
    assert selected.order_number == 2
    assert alerts == [("new_ticket", [uuid.UUID(int=4)])]


async def test_a_ticket_placed_earlier_in_the_queue_goes_to_its_place(qtbot: QtBot) -> None:
    store = ChangingStore()
    store.put_ticket(ticket(1).model_copy(update={"queue_position": 10}))
    store.put_ticket(ticket(3).model_copy(update={"queue_position": 30}))
    view = await kitchen_view(qtbot, mediator_for(store, "kitchen"))
    store.put_ticket(ticket(2).model_copy(update={"queue_position": 20}))
    await refreshed(view)
    assert [t.order_number for t in view.model.tickets] == [1, 2, 3]


async def test_a_new_business_day_another_session_or_the_periodic_read_start_from_the_whole_queue(
    qtbot: QtBot, monkeypatch: Any
) -> None:
    store = ChangingStore()
    store.put_ticket(ticket(1))
    mediator = mediator_for(store, "kitchen")
    view = await kitchen_view(qtbot, mediator)

    store.day, store.tickets = DAY + timedelta(days=1), {}  # the rollover: yesterday's tickets are not today's
    store.put_ticket(ticket(7))
    await refreshed(view)
    assert [t.order_number for t in view.model.tickets] == [7]

    view.set_session(session("mario", "manager", "Mario Rossi"))
    await refreshed(view)
    assert mediator.sent_of(GetKitchenQueueChangesQuery)[-1].changed_since is None
    await refreshed(view)
    assert mediator.sent_of(GetKitchenQueueChangesQuery)[-1].changed_since == store.position

    monkeypatch.setattr(base, "FULL_READ_EVERY_S", 0.0)
    await refreshed(view)
    assert mediator.sent_of(GetKitchenQueueChangesQuery)[-1].changed_since is None


async def test_the_order_list_merges_new_and_changed_orders_with_what_the_role_may_do(qtbot: QtBot) -> None:
    store = ChangingStore()
    for number in (1, 2, 3):
        store.put_order(summary(number, minutes_ago=30 - number))
    mediator = mediator_for(store, "counter")
    view = OrdersView(mediator, now=lambda: NOW)
    qtbot.addWidget(view)
    view.set_session(COUNTER)
    view.resize(1366, 768)
    view.show()
    await refreshed(view)
    await wait_until(lambda: view.model.rowCount() == 3)
    row = view.proxy.row_of(uuid.UUID(int=1002))
    assert row is not None
    view.table.selectRow(row)

    store.put_order(summary(4, minutes_ago=1))
    store.put_order(summary(1, minutes_ago=29, status="ready"))
    await refreshed(view)

    assert mediator.sent_of(GetOrdersQuery)[-1].changed_since == 3
    assert view.model.orders == store.whole_day()
    assert [o.order_number for o in view.model.orders] == [4, 3, 2, 1]
    assert view._row_actions[uuid.UUID(int=1001)].actions != view._row_actions[uuid.UUID(int=1003)].actions
    selected = view.selected_order()
    assert selected is not None
    assert selected.order_number == 2


def test_merging_one_change_into_a_thousand_rows_touches_that_row_only(qtbot: QtBot) -> None:
    model = OrdersTableModel(now=lambda: NOW)
    rows = [summary(n, minutes_ago=1000 - n) for n in range(1, 1001)][::-1]
    model.apply(rows)
    signals: list[str] = []
    model.modelReset.connect(lambda: signals.append("reset"))
    model.rowsInserted.connect(lambda _parent, first, last: signals.append(f"inserted {first}-{last}"))
    model.dataChanged.connect(lambda first, last, _roles=(): signals.append(f"changed {first.row()}-{last.row()}"))
    model.merge([summary(1001, minutes_ago=0), summary(500, minutes_ago=500, status="cooking")])
    assert signals == ["inserted 0-0", "changed 501-501"]
    assert model.orders[0].order_number == 1001
    assert model.orders[501].status == "cooking"

    queue = KitchenQueueModel(now=lambda: NOW)
    tickets = [ticket(n).model_copy(update={"queue_position": n}) for n in range(1, 201)]
    queue.apply(tickets)
    touched: list[str] = []
    queue.modelReset.connect(lambda: touched.append("reset"))
    queue.rowsRemoved.connect(lambda _parent, first, last: touched.append(f"removed {first}-{last}"))
    queue.rowsInserted.connect(lambda _parent, first, last: touched.append(f"inserted {first}-{last}"))
    queue.merge([ticket(201).model_copy(update={"queue_position": 201})], [uuid.UUID(int=1)])
    assert touched == ["removed 0-0", "inserted 199-199"]
    assert [t.order_number for t in queue.tickets] == list(range(2, 202))


def test_a_card_keeps_its_laid_out_lines_until_its_ticket_changes(qtbot: QtBot) -> None:
    queue = KitchenQueueModel(now=lambda: NOW)
    queue.apply([ticket(1, items=1)])
    delegate = TicketDelegate()
    option = QStyleOptionViewItem()
    first = delegate.sizeHint(option, queue.index(0))
    assert delegate.sizeHint(option, queue.index(0)) == first
    queue.merge([ticket(1, items=4)], [])  # the order was edited: three more pizzas
    assert delegate.sizeHint(option, queue.index(0)).height() > first.height()
