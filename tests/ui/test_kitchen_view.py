"""The kitchen screen: its queue model, its ticket cards and the view driven by clicks and keys."""

from __future__ import annotations

import asyncio
import shutil
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyleOptionViewItem, QVBoxLayout, QWidget

from pos_app.mediation import OperationResult
from pos_app.messages.commands import MarkPizzaReadyCommand, StartCookingCommand
from pos_app.messages.dtos import KitchenItemDto, KitchenTicketDto
from pos_app.messages.queries import GetKitchenQueueChangesQuery, GetKitchenQueueQuery, GetLastCompletedTicketQuery
from pos_app.ui.models.kitchen_queue import KitchenQueueModel, TicketItemsModel
from pos_app.ui.theme import STYLE_SHEET
from pos_app.ui.views.kitchen import KitchenView
from pos_app.ui.widgets.ticket_delegate import CARD_WIDTH, TicketDelegate
from tests.conftest import drain_tasks, wait_signal, wait_until
from tests.ui.conftest import FakeMediator
from tests.ui.samples import NOW, kitchen_answer, session, ticket

KITCHEN = session("rosa", "kitchen", "Rosa Bianchi")
MANAGER = session("mario", "manager", "Mario Rossi")
COUNTER = session("luigi", "counter", "Luigi Verdi")
LEFT = Qt.MouseButton.LeftButton


# helpers
class Queue:
    """What GetKitchenQueueQuery answers; tests change `tickets` to simulate the kitchen moving on."""

    def __init__(self, tickets: list[KitchenTicketDto]) -> None:
        self.tickets = list(tickets)

    def __call__(self, request: Any) -> OperationResult[list[KitchenTicketDto]]:
        return OperationResult.ok(list(self.tickets))


class SlowMediator(FakeMediator):
    """Like FakeMediator, but commands wait for `release` before they answer: a command in flight."""

    def __init__(self, responses: dict[type[Any], Any]) -> None:
        super().__init__(responses)
        self.release = asyncio.Event()

    async def execute_async(self, request: Any) -> Any:
        if isinstance(request, MarkPizzaReadyCommand | StartCookingCommand):
            self.sent.append(request)
            await self.release.wait()
            return OperationResult.ok(None)
        return await super().execute_async(request)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


async def open_view(qtbot: Any, mediator: FakeMediator, role_session: Any = KITCHEN) -> KitchenView:
    """A shown kitchen view for `role_session`, with the queue loaded."""
    view = KitchenView(mediator, now=lambda: NOW)
    qtbot.addWidget(view)
    view.set_session(role_session)
    view.resize(1366, 768)
    view.show()
    view.request_refresh()
    await view.wait_idle()
    return view


async def click_ticket(qtbot: Any, view: KitchenView, row: int) -> None:
    index = view.model.index(row)
    await wait_until(lambda: not view.tickets.visualRect(index).isEmpty())
    qtbot.mouseClick(view.tickets.viewport(), LEFT, pos=view.tickets.visualRect(index).center())


async def click_item(qtbot: Any, view: KitchenView, row: int) -> None:
    index = view.items_model.index(row)
    await wait_until(lambda: not view.items.visualRect(index).isEmpty())
    qtbot.mouseClick(view.items.viewport(), LEFT, pos=view.items.visualRect(index).center())


async def settle(view: KitchenView) -> None:
    await drain_tasks()
    await view.wait_idle()


def action_buttons(view: KitchenView) -> list[bool]:
    return [
        button.isEnabled()
        for button in (view.start_button, view.ready_button, view.item_ready_button, view.recall_button)
    ]


def recorder(model: KitchenQueueModel) -> list[tuple[str, Any]]:
    events: list[tuple[str, Any]] = []
    model.rowsInserted.connect(lambda _parent, first, last: events.append(("inserted", (first, last))))
    model.rowsRemoved.connect(lambda _parent, first, last: events.append(("removed", (first, last))))
    model.rowsMoved.connect(lambda *args: events.append(("moved", args[1:3])))
    model.dataChanged.connect(
        lambda top, bottom, roles: events.append(("changed", (top.row(), bottom.row(), list(roles))))
    )
    model.modelReset.connect(lambda: events.append(("reset", None)))
    model.layoutChanged.connect(lambda *args: events.append(("layout", None)))
    return events


def realistic_tickets() -> list[KitchenTicketDto]:
    def item(
        index: int, name: str, size: str, toppings: Sequence[str] = (), note: str = "", ready: bool = False
    ) -> KitchenItemDto:
        category = "drink" if name in {"Cola", "Lemonade"} else "side" if name == "Garlic bread" else "pizza"
        return KitchenItemDto(
            index=index,
            name=name,
            category=category,
            size=size,  # type: ignore[arg-type]
            toppings=list(toppings),
            special_instructions=note,
            ready=ready,
        )

    def order(number: int, age: int, eta_in: int, status: str, order_type: str, name: str, items: list[Any]) -> Any:
        placed = NOW - timedelta(minutes=age)
        return kitchen_answer(
            KitchenTicketDto(
                order_id=uuid.UUID(int=500 + number),
                order_number=number,
                order_type=order_type,  # type: ignore[arg-type]
                customer_name=name,
                status=status,  # type: ignore[arg-type]
                placed_at=placed,
                started_at=placed + timedelta(minutes=2) if status == "cooking" else None,
                estimated_ready_time=NOW + timedelta(minutes=eta_in),
                completed_at=None,
                items=items,
            )
        )

    return [
        order(101, 24, -4, "cooking", "delivery", "Giulia Romano", [
            item(0, "Quattro Formaggi", "large", ["Extra cheese"], ready=True),
            item(1, "Diavola", "medium", ["Chili flakes", "Olives"], "extra crispy, cut in 8"),
        ]),
        order(102, 19, 1, "cooking", "pickup", "Marco Bruno", [
            item(0, "Margherita", "large", [], ready=True),
            item(1, "Pepperoni", "medium", ["Ham", "Mushrooms"]),
            item(2, "Garlic bread", "medium"),
        ]),
        order(103, 15, 4, "cooking", "dine_in", "Table 4", [
            item(0, "Capricciosa", "medium", ["Artichokes"], "no olives"),
        ]),
        order(104, 11, 7, "pending", "delivery", "Sofia Greco", [
            item(0, "Margherita", "small"),
            item(1, "Hawaiian", "large", ["Pineapple", "Ham", "Extra cheese"], "well done"),
            item(2, "Cola", "medium"),
            item(3, "Marinara", "medium", [], "allergy: no cheese at all"),
        ]),
        order(105, 8, 9, "pending", "pickup", "Luca Ricci", [item(0, "Calzone", "large", ["Salami"])]),
        order(106, 6, 11, "pending", "dine_in", "Table 9", [
            item(0, "Vegetariana", "medium", ["Peppers", "Onions", "Zucchini"]),
            item(1, "Margherita", "medium", ["Fresh basil"]),
        ]),
        order(107, 3, 14, "pending", "delivery", "Elena Conti", [
            item(0, "Prosciutto e Funghi", "large", ["Ham", "Mushrooms"], "half without mushrooms"),
        ]),
        order(108, 1, 16, "pending", "pickup", "Paolo Marino", [
            item(0, "Pepperoni", "medium"),
            item(1, "Lemonade", "medium"),
        ]),
    ]  # fmt: skip


# the queue model
def test_the_queue_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    model = KitchenQueueModel(now=lambda: NOW)
    model.apply([ticket(1), ticket(2, status="cooking", ready=1), ticket(3, items=4)])

    qtmodeltester.check(model)


def test_the_items_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    model = TicketItemsModel()
    model.set_ticket(ticket(7, items=3, ready=1, status="cooking"))

    qtmodeltester.check(model)


def test_apply_removes_changes_and_inserts_rows_without_a_reset() -> None:
    model = KitchenQueueModel(now=lambda: NOW)
    model.apply([ticket(1), ticket(2, status="cooking"), ticket(3)])
    events = recorder(model)

    model.apply([ticket(2, status="cooking", ready=1), ticket(3), ticket(4)])

    assert events == [("removed", (0, 0)), ("changed", (0, 0, [])), ("inserted", (2, 2))]
    assert [model.ticket_at(row).order_number for row in range(model.rowCount())] == [2, 3, 4]  # type: ignore[union-attr]
    assert model.ticket_at(0).items[0].ready  # type: ignore[union-attr]


def test_apply_inserts_a_ticket_at_its_fifo_place_and_leaves_unchanged_rows_alone() -> None:
    model = KitchenQueueModel(now=lambda: NOW)
    model.apply([ticket(1), ticket(3)])
    events = recorder(model)

    model.apply([ticket(1), ticket(2), ticket(3)])
    model.apply([ticket(1), ticket(2), ticket(3)])

    assert events == [("inserted", (1, 1))]
    assert [model.ticket_at(row).order_number for row in range(3)] == [1, 2, 3]  # type: ignore[union-attr]


def test_apply_moves_a_row_when_the_queue_order_changes() -> None:
    model = KitchenQueueModel(now=lambda: NOW)
    model.apply([ticket(1), ticket(2), ticket(3)])
    events = recorder(model)

    model.apply([ticket(3), ticket(1), ticket(2)])

    assert [name for name, _ in events] == ["moved"]
    assert [model.ticket_at(row).order_number for row in range(3)] == [3, 1, 2]  # type: ignore[union-attr]


def test_the_age_state_follows_the_clock_on_time_then_near_then_late() -> None:
    clock = Clock(NOW)
    model = KitchenQueueModel(now=clock)
    model.apply([ticket(1, minutes_ago=5, eta_in=10)])
    index = model.index(0)
    states = []

    for minutes in (0, 7.5, 8, 9.9, 10, 10.05):
        clock.now = NOW + timedelta(minutes=minutes)
        states.append(index.data(KitchenQueueModel.AgeStateRole))

    assert states == ["on_time", "on_time", "near", "near", "near", "late"]
    assert index.data(KitchenQueueModel.AgeSecondsRole) == int((15.05) * 60)


def test_tick_reports_new_ages_on_every_row() -> None:
    model = KitchenQueueModel(now=lambda: NOW)
    model.apply([ticket(1), ticket(2), ticket(3)])
    events = recorder(model)

    model.tick()

    assert events == [("changed", (0, 2, [KitchenQueueModel.AgeStateRole, KitchenQueueModel.AgeSecondsRole]))]


def test_a_card_is_touch_sized_and_grows_with_its_items(qtbot: Any) -> None:
    view = KitchenView(FakeMediator(), now=lambda: NOW)
    qtbot.addWidget(view)
    view.model.apply([ticket(1, items=1), ticket(2, items=5)])
    delegate = view.tickets.itemDelegate()
    assert isinstance(delegate, TicketDelegate)
    option = QStyleOptionViewItem()
    option.font = view.tickets.font()

    small = delegate.sizeHint(option, view.model.index(0))
    large = delegate.sizeHint(option, view.model.index(1))

    assert small.width() == large.width() == CARD_WIDTH
    assert small.height() >= 150
    assert large.height() > small.height()


# the view
async def test_clicking_ready_marks_the_next_unready_pizza_of_the_selected_ticket(qtbot: Any) -> None:
    cooking = ticket(2, status="cooking", items=3, ready=1)
    mediator = FakeMediator({GetKitchenQueueQuery: Queue([ticket(1), cooking])})
    view = await open_view(qtbot, mediator)
    await click_ticket(qtbot, view, 1)

    qtbot.mouseClick(view.ready_button, LEFT)
    await wait_until(lambda: len(mediator.sent_of(GetKitchenQueueChangesQuery)) == 2)

    assert mediator.sent_of(MarkPizzaReadyCommand) == [MarkPizzaReadyCommand(order_id=cooking.order_id, pizza_index=1)]
    assert view.selected_ticket() == cooking
    await settle(view)


async def test_digit_keys_select_the_nth_ticket_and_space_marks_its_next_pizza(qtbot: Any) -> None:
    tickets = [ticket(1, status="cooking"), ticket(2, status="cooking", ready=1), ticket(3)]
    mediator = FakeMediator({GetKitchenQueueQuery: Queue(tickets)})
    view = await open_view(qtbot, mediator)
    view.tickets.setFocus()

    qtbot.keyClick(view.tickets, Qt.Key.Key_2)
    selected = view.selected_ticket()
    qtbot.keyClick(view.tickets, Qt.Key.Key_Space)
    await wait_until(lambda: len(mediator.sent_of(MarkPizzaReadyCommand)) == 1)
    await settle(view)
    qtbot.keyClick(view.tickets, Qt.Key.Key_9)  # there is no ninth ticket

    assert selected == tickets[1]
    assert mediator.sent_of(MarkPizzaReadyCommand) == [
        MarkPizzaReadyCommand(order_id=tickets[1].order_id, pizza_index=1)
    ]
    assert view.selected_ticket() == tickets[1]


async def test_start_cooking_by_button_and_by_the_s_key(qtbot: Any) -> None:
    tickets = [ticket(1), ticket(2)]
    mediator = FakeMediator({GetKitchenQueueQuery: Queue(tickets)})
    view = await open_view(qtbot, mediator, MANAGER)

    await click_ticket(qtbot, view, 0)
    qtbot.mouseClick(view.start_button, LEFT)
    await wait_until(lambda: len(mediator.sent_of(StartCookingCommand)) == 1)
    await settle(view)
    qtbot.keyClick(view.tickets, Qt.Key.Key_2)
    qtbot.keyClick(view.tickets, Qt.Key.Key_S)
    await wait_until(lambda: len(mediator.sent_of(StartCookingCommand)) == 2)

    assert mediator.sent_of(StartCookingCommand) == [
        StartCookingCommand(order_id=tickets[0].order_id),
        StartCookingCommand(order_id=tickets[1].order_id),
    ]
    await settle(view)


async def test_ready_applies_only_to_a_cooking_ticket_and_start_only_to_a_pending_one(qtbot: Any) -> None:
    tickets = [ticket(1), ticket(2, status="cooking"), ticket(3, status="cooking", items=2, ready=2)]
    view = await open_view(qtbot, FakeMediator({GetKitchenQueueQuery: Queue(tickets)}))
    enabled = []

    for key in (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3):
        qtbot.keyClick(view.tickets, key)
        enabled.append((view.start_button.isEnabled(), view.ready_button.isEnabled()))

    assert enabled == [(True, False), (False, True), (False, False)]
    await settle(view)


async def test_a_failed_command_shows_its_message_and_changes_nothing(qtbot: Any) -> None:
    cooking = ticket(2, status="cooking")
    refused = OperationResult[Any](409, error_message="Pizza 1 of order #2 is already ready")
    mediator = FakeMediator({GetKitchenQueueQuery: Queue([ticket(1), cooking]), MarkPizzaReadyCommand: refused})
    view = await open_view(qtbot, mediator)
    await click_ticket(qtbot, view, 1)

    qtbot.mouseClick(view.ready_button, LEFT)
    await wait_until(lambda: view.error.text() != "")
    await settle(view)

    assert view.error.text() == "Pizza 1 of order #2 is already ready"
    assert view.error.isVisible()
    assert len(mediator.sent_of(GetKitchenQueueChangesQuery)) == 1  # no refresh after a refusal
    assert [view.model.ticket_at(row) for row in range(view.model.rowCount())] == [ticket(1), cooking]
    assert view.selected_ticket() == cooking
    assert view.ready_button.isEnabled()


async def test_a_counter_session_sees_the_queue_read_only(qtbot: Any) -> None:
    tickets = [ticket(1), ticket(2, status="cooking")]
    mediator = FakeMediator({GetKitchenQueueQuery: Queue(tickets)})
    view = await open_view(qtbot, mediator, COUNTER)

    qtbot.keyClick(view.tickets, Qt.Key.Key_1)
    disabled_on_pending = action_buttons(view)
    qtbot.keyClick(view.tickets, Qt.Key.Key_S)
    await click_ticket(qtbot, view, 1)
    await click_item(qtbot, view, 0)
    disabled_on_cooking = action_buttons(view)
    for key in (Qt.Key.Key_Space, Qt.Key.Key_R):
        qtbot.keyClick(view.tickets, key)
    qtbot.mouseClick(view.ready_button, LEFT)
    await settle(view)

    assert view.model.rowCount() == 2
    assert disabled_on_pending == disabled_on_cooking == [False, False, False, False]
    assert [type(request) for request in mediator.sent] == [GetKitchenQueueChangesQuery]


async def test_the_action_buttons_stay_disabled_while_a_command_is_in_flight(qtbot: Any) -> None:
    cooking = ticket(2, status="cooking", items=3)
    mediator = SlowMediator({GetKitchenQueueQuery: Queue([cooking])})
    view = await open_view(qtbot, mediator)
    await click_ticket(qtbot, view, 0)

    qtbot.mouseClick(view.ready_button, LEFT)
    await wait_until(lambda: len(mediator.sent_of(MarkPizzaReadyCommand)) == 1)
    in_flight = action_buttons(view)
    qtbot.mouseClick(view.ready_button, LEFT)
    qtbot.keyClick(view.tickets, Qt.Key.Key_Space)
    mediator.release.set()
    await wait_until(lambda: view.ready_button.isEnabled())
    await settle(view)

    assert in_flight == [False, False, False, False]
    assert mediator.sent_of(MarkPizzaReadyCommand) == [MarkPizzaReadyCommand(order_id=cooking.order_id, pizza_index=0)]
    assert len(mediator.sent_of(GetKitchenQueueChangesQuery)) == 2


async def test_two_quick_clicks_send_one_command(qtbot: Any) -> None:
    cooking = ticket(2, status="cooking", items=3)
    mediator = SlowMediator({GetKitchenQueueQuery: Queue([cooking])})
    view = await open_view(qtbot, mediator)
    await click_ticket(qtbot, view, 0)

    qtbot.mouseClick(view.ready_button, LEFT)
    qtbot.mouseClick(view.ready_button, LEFT)
    await wait_until(lambda: len(mediator.sent_of(MarkPizzaReadyCommand)) == 1)
    mediator.release.set()
    await settle(view)

    assert len(mediator.sent_of(MarkPizzaReadyCommand)) == 1


async def test_recall_shows_the_last_completed_ticket(qtbot: Any) -> None:
    last = kitchen_answer(
        ticket(41, items=2, ready=2, status="cooking").model_copy(update={"status": "ready", "completed_at": NOW})
    )
    mediator = FakeMediator(
        {GetKitchenQueueQuery: Queue([ticket(42)]), GetLastCompletedTicketQuery: OperationResult.ok(last)}
    )
    view = await open_view(qtbot, mediator)
    hidden_before = view.recalled.isHidden()

    qtbot.mouseClick(view.recall_button, LEFT)
    await wait_until(lambda: view.recalled.isVisible())

    assert hidden_before
    assert "#41" in view.recalled.text()
    assert "Margherita (large)" in view.recalled.text()
    assert "Pepperoni (medium)" in view.recalled.text()
    assert len(mediator.sent_of(GetLastCompletedTicketQuery)) == 1
    await settle(view)


async def test_the_r_key_recalls_and_says_so_when_nothing_was_completed(qtbot: Any) -> None:
    mediator = FakeMediator({GetKitchenQueueQuery: Queue([ticket(1)])})
    view = await open_view(qtbot, mediator)

    qtbot.keyClick(view.tickets, Qt.Key.Key_R)
    await wait_until(lambda: view.recalled.isVisible())

    assert view.recalled.text() == "No ticket completed yet"
    await settle(view)


async def test_the_side_panel_marks_the_chosen_item_ready(qtbot: Any) -> None:
    cooking = ticket(5, status="cooking", items=3)
    mediator = FakeMediator({GetKitchenQueueQuery: Queue([cooking])})
    view = await open_view(qtbot, mediator)
    await click_ticket(qtbot, view, 0)
    shown = [view.items_model.item_at(row) for row in range(view.items_model.rowCount())]
    disabled_without_an_item = view.item_ready_button.isEnabled()

    await click_item(qtbot, view, 2)
    qtbot.mouseClick(view.item_ready_button, LEFT)
    await wait_until(lambda: len(mediator.sent_of(MarkPizzaReadyCommand)) == 1)

    assert shown == cooking.items
    assert not disabled_without_an_item
    assert mediator.sent_of(MarkPizzaReadyCommand) == [MarkPizzaReadyCommand(order_id=cooking.order_id, pizza_index=2)]
    assert "#5" in view.detail_heading.text()
    await settle(view)


async def test_a_ticket_leaves_the_list_when_the_refreshed_queue_no_longer_has_it(qtbot: Any) -> None:
    last_pizza = ticket(3, status="cooking", items=2, ready=1)
    queue = Queue([ticket(2, status="cooking"), last_pizza, ticket(4, status="cooking")])
    mediator = FakeMediator({GetKitchenQueueQuery: queue})
    view = await open_view(qtbot, mediator)
    await click_ticket(qtbot, view, 1)
    mediator.responses[MarkPizzaReadyCommand] = lambda request: (
        queue.tickets.remove(last_pizza) or OperationResult.ok(None)  # type: ignore[func-returns-value]
    )

    qtbot.keyClick(view.tickets, Qt.Key.Key_Space)
    await wait_until(lambda: view.model.rowCount() == 2)
    await settle(view)

    assert view.model.row_of(last_pizza.order_id) is None
    assert view.selected_ticket() is None  # never slides onto the neighbour's ticket
    assert view.items_model.rowCount() == 0
    assert not view.ready_button.isEnabled()
    assert view.count_label.text() == "2 open tickets"


async def test_a_refresh_keeps_the_selection_on_the_same_order(qtbot: Any) -> None:
    queue = Queue([ticket(1), ticket(2), ticket(3, status="cooking")])
    view = await open_view(qtbot, FakeMediator({GetKitchenQueueQuery: queue}))
    await click_ticket(qtbot, view, 2)
    queue.tickets = [ticket(2), ticket(3, status="cooking", ready=1), ticket(4)]

    view.request_refresh()
    await wait_signal(view.refreshed)

    assert view.tickets.currentIndex().row() == 1
    assert view.selected_ticket() == ticket(3, status="cooking", ready=1)
    assert view.items_model.item_at(0).ready  # type: ignore[union-attr]
    assert "#3" in view.detail_heading.text()
    await settle(view)


async def test_a_failed_refresh_shows_its_message_and_keeps_the_queue(qtbot: Any) -> None:
    queue = Queue([ticket(1)])
    mediator = FakeMediator({GetKitchenQueueQuery: queue})
    view = await open_view(qtbot, mediator)
    mediator.responses[GetKitchenQueueQuery] = OperationResult[Any](503, error_message="The store is unavailable")

    view.request_refresh()
    await view.wait_idle()
    shown_while_down = view.error.text()
    mediator.responses[GetKitchenQueueQuery] = queue
    view.request_refresh()
    await view.wait_idle()

    assert shown_while_down == "The store is unavailable"
    assert view.error.text() == ""
    assert view.model.rowCount() == 1
    await settle(view)


async def test_the_age_colours_tick_every_five_seconds(qtbot: Any) -> None:
    view = await open_view(qtbot, FakeMediator({GetKitchenQueueQuery: Queue([ticket(1)])}))

    assert view.age_timer.isActive()
    assert view.age_timer.interval() == 5_000
    await settle(view)


async def test_a_screenshot_of_eight_tickets(qtbot: Any, tmp_path: Path) -> None:
    last = kitchen_answer(
        realistic_tickets()[0].model_copy(update={"order_number": 100, "status": "ready", "completed_at": NOW})
    )
    refused = OperationResult[Any](409, error_message="Pizza 2 of order #102 is already ready")
    mediator = FakeMediator(
        {
            GetKitchenQueueQuery: Queue(realistic_tickets()),
            GetLastCompletedTicketQuery: OperationResult.ok(last),
            MarkPizzaReadyCommand: refused,
        }
    )
    window = QWidget()
    window.setStyleSheet(STYLE_SHEET)  # as the main window does
    qtbot.addWidget(window)
    view = KitchenView(mediator, window, now=lambda: NOW)
    QVBoxLayout(window).addWidget(view)
    view.set_session(KITCHEN)
    window.resize(1366, 768)
    window.show()
    view.request_refresh()
    await view.wait_idle()
    await click_ticket(qtbot, view, 1)
    await click_item(qtbot, view, 1)
    qtbot.keyClick(view.tickets, Qt.Key.Key_R)
    await wait_until(view.recalled.isVisible)
    qtbot.mouseClick(view.item_ready_button, LEFT)
    await wait_until(view.error.isVisible)
    await wait_until(lambda: view.tickets.visualRect(view.model.index(7)).isValid())

    path = tmp_path / "kitchen.png"
    assert view.grab().save(str(path))
    shutil.copyfile(path, "/tmp/kitchen_view.png")

    rects = [view.tickets.visualRect(view.model.index(row)) for row in range(8)]
    assert all(not a.intersects(b) for i, a in enumerate(rects) for b in rects[i + 1 :])
    assert all(view.tickets.viewport().rect().contains(rect) for rect in rects)  # 8 tickets fit without scrolling
    await settle(view)


@pytest.mark.parametrize("role_session", [KITCHEN, MANAGER])
async def test_kitchen_staff_and_managers_may_act(qtbot: Any, role_session: Any) -> None:
    view = await open_view(qtbot, FakeMediator({GetKitchenQueueQuery: Queue([ticket(1)])}), role_session)

    qtbot.keyClick(view.tickets, Qt.Key.Key_1)

    assert view.start_button.isEnabled()
    assert view.recall_button.isEnabled()
    await settle(view)
