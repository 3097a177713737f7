"""The kitchen screen keeps the kitchen safe: the ALLERGY band, the CANCELLED notice and its acknowledgement, every
ticket reachable from the keyboard, colours by elapsed time and promise, alerts on a new ticket; and the counter's
item panel puts the customer's allergies on the line."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QStyleOptionViewItem

from pos_app.mediation import OperationResult
from pos_app.messages.commands import AcknowledgeKitchenNoticeCommand
from pos_app.messages.dtos import KitchenDisplayDto, KitchenItemDto, KitchenNoticeDto, KitchenTicketDto
from pos_app.messages.queries import GetKitchenQueueQuery
from pos_app.ui.models.cart import CartModel
from pos_app.ui.models.kitchen_queue import KitchenQueueModel
from pos_app.ui.views.kitchen import KitchenView
from pos_app.ui.widgets.counter.item_panel import ItemPanel
from pos_app.ui.widgets.ticket_delegate import ALLERGY_BAND, NOTICE_BAND, TicketDelegate
from tests.conftest import drain_tasks, wait_until
from tests.ui.conftest import FakeMediator
from tests.ui.samples import MENU, NOW, kitchen_answer, session, ticket

KITCHEN = session("rosa", "kitchen", "Rosa Bianchi")
COUNTER = session("luigi", "counter", "Luigi Verdi")


class Queue:
    def __init__(self, tickets: list[KitchenTicketDto]) -> None:
        self.tickets = list(tickets)

    def __call__(self, request: Any) -> OperationResult[list[KitchenTicketDto]]:
        return OperationResult.ok(list(self.tickets))


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> Any:
        return self.now


def allergic_ticket(number: int = 1) -> KitchenTicketDto:
    base = ticket(number, items=3)
    items = [
        base.items[0].model_copy(update={"allergies": ["nuts"], "allergens": ["gluten", "milk"]}),
        base.items[1].model_copy(
            update={"special_instructions": "customer is coeliac", "note_allergy_words": ["coeliac"]}
        ),
        KitchenItemDto(
            index=2, name="Cola", category="drink", size="medium", toppings=[], special_instructions="",
            ready=True, needs_preparation=False,
        ),
    ]  # fmt: skip
    return base.model_copy(update={"items": items})


def cancelled_ticket(number: int = 2) -> KitchenTicketDto:
    notice = KitchenNoticeDto(kind="cancelled", details=["Reason: customer left", "By Luigi Verdi"], raised_at=NOW)
    return kitchen_answer(ticket(number).model_copy(update={"status": "cancelled", "notice": notice}))


async def open_view(qtbot: Any, mediator: FakeMediator, role: Any = KITCHEN, **kwargs: Any) -> KitchenView:
    view = KitchenView(mediator, now=kwargs.pop("now", lambda: NOW), **kwargs)
    qtbot.addWidget(view)
    view.set_session(role)
    view.resize(1366, 768)
    view.show()
    view.request_refresh()
    await view.wait_idle()
    return view


async def settle(view: KitchenView) -> None:
    await drain_tasks()
    await view.wait_idle()


def card_colours(view: KitchenView, row: int) -> set[str]:
    """The colours painted on a ticket's card."""
    delegate = view.tickets.itemDelegate()
    assert isinstance(delegate, TicketDelegate)
    option = QStyleOptionViewItem()
    option.font = view.tickets.font()
    index = view.model.index(row)
    size = delegate.sizeHint(option, index)
    image = QImage(size, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    option.rect = QRect(0, 0, size.width(), size.height())
    painter = QPainter(image)
    delegate.paint(painter, option, index)
    painter.end()
    return {image.pixelColor(x, y).name() for x in range(0, size.width(), 3) for y in range(0, size.height(), 3)}


# allergies ----------------------------------------------------------------------------------------------------------


async def test_a_ticket_with_allergies_shows_an_allergy_band_that_names_the_lines(qtbot: Any) -> None:
    view = await open_view(qtbot, FakeMediator({GetKitchenQueueQuery: Queue([allergic_ticket(), ticket(3)])}))
    view.select_row(0)

    index = view.model.index(0)
    assert "ALLERGY" in index.data(Qt.ItemDataRole.AccessibleTextRole)
    description = index.data(Qt.ItemDataRole.AccessibleDescriptionRole)
    assert "ALLERGY: Line 1 Margherita: nuts" in description
    assert "ALLERGY: Line 2 Pepperoni: note says “coeliac”" in description
    assert "No preparation: 1 × Cola" in description
    assert ALLERGY_BAND.name() in card_colours(view, 0)
    assert ALLERGY_BAND.name() not in card_colours(view, 1)
    assert "ALLERGY" not in view.model.index(1).data(Qt.ItemDataRole.AccessibleTextRole)
    assert view.panel.heading.isVisible()
    assert "⚠ ALLERGY" in view.panel.heading.text()
    assert "Line 1 Margherita: nuts" in view.panel.heading.text()
    assert "ALLERGY: Line 1 Margherita: nuts" in view.panel.heading.accessibleDescription()
    items = [view.items_model.index(row).data(Qt.ItemDataRole.AccessibleTextRole) for row in range(3)]
    assert items == [
        "Margherita large, not ready, ALLERGY: nuts",
        "Pepperoni medium, not ready, ALLERGY: note says “coeliac”",
        "Cola medium, no preparation",
    ]
    await settle(view)


# notices ------------------------------------------------------------------------------------------------------------


async def test_a_cancelled_ticket_shows_cancelled_until_acknowledged_by_the_a_key(qtbot: Any) -> None:
    queue = Queue([ticket(1), cancelled_ticket(2)])
    mediator = FakeMediator({GetKitchenQueueQuery: queue})
    view = await open_view(qtbot, mediator)
    view.tickets.setFocus()
    qtbot.keyClick(view.tickets, Qt.Key.Key_1)
    assert not view.acknowledge_button.isEnabled()  # nothing to acknowledge on an ordinary ticket

    qtbot.keyClick(view.tickets, Qt.Key.Key_2)
    assert view.acknowledge_button.isEnabled()
    assert view.acknowledge_button.isVisible()
    assert view.model.index(1).data(Qt.ItemDataRole.AccessibleTextRole).startswith("Order 2, CANCELLED")
    assert NOTICE_BAND.name() in card_colours(view, 1)
    assert "CANCELLED: Reason: customer left; By Luigi Verdi" in view.panel.heading.text()
    queue.tickets = [ticket(1)]
    qtbot.keyClick(view.tickets, Qt.Key.Key_A)
    await wait_until(lambda: view.model.rowCount() == 1)

    assert mediator.sent_of(AcknowledgeKitchenNoticeCommand) == [
        AcknowledgeKitchenNoticeCommand(order_id=uuid.UUID(int=2))
    ]
    await settle(view)


async def test_the_counter_sees_a_cancelled_ticket_but_cannot_acknowledge_it(qtbot: Any) -> None:
    mediator = FakeMediator({GetKitchenQueueQuery: Queue([cancelled_ticket(2)])})
    view = await open_view(qtbot, mediator, COUNTER)
    view.select_row(0)

    qtbot.keyClick(view.tickets, Qt.Key.Key_A)
    await settle(view)

    assert not view.acknowledge_button.isEnabled()
    assert mediator.sent_of(AcknowledgeKitchenNoticeCommand) == []


# keyboard -----------------------------------------------------------------------------------------------------------


async def test_twelve_tickets_are_reached_with_arrows_page_keys_home_and_end(qtbot: Any) -> None:
    view = await open_view(qtbot, FakeMediator({GetKitchenQueueQuery: Queue([ticket(n) for n in range(1, 13)])}))
    view.resize(1024, 600)
    await wait_until(lambda: not view.tickets.visualRect(view.model.index(0)).isEmpty())
    view.tickets.setFocus()

    def selected_and_visible() -> tuple[int, bool]:
        row = view.tickets.currentIndex().row()
        rect = view.tickets.visualRect(view.model.index(row))
        return row, view.tickets.viewport().rect().intersects(rect)

    qtbot.keyClick(view.tickets, Qt.Key.Key_1)
    qtbot.keyClick(view.tickets, Qt.Key.Key_Right)
    assert selected_and_visible() == (1, True)
    qtbot.keyClick(view.tickets, Qt.Key.Key_Left)
    assert selected_and_visible() == (0, True)
    qtbot.keyClick(view.tickets, Qt.Key.Key_Down)
    row, visible = selected_and_visible()
    assert row > 1
    assert visible
    seen = set()
    for _ in range(12):
        qtbot.keyClick(view.tickets, Qt.Key.Key_PageDown)
        await wait_until(lambda: selected_and_visible()[1])
        seen.add(selected_and_visible()[0])
    assert 11 in seen
    assert selected_and_visible() == (11, True)
    assert view.selected_ticket() == view.model.ticket_at(11)
    qtbot.keyClick(view.tickets, Qt.Key.Key_Home)
    await wait_until(lambda: selected_and_visible() == (0, True))
    qtbot.keyClick(view.tickets, Qt.Key.Key_End)
    await wait_until(lambda: selected_and_visible() == (11, True))
    qtbot.keyClick(view.tickets, Qt.Key.Key_PageUp)
    assert selected_and_visible()[0] < 11
    qtbot.keyClick(view.tickets, Qt.Key.Key_3)  # the digit keys still pick the first nine
    assert selected_and_visible() == (2, True)
    await settle(view)


# colours ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "state", "reason"),
    [(0, "on_time", "on time"), (9, "near", "amber: open 9 min"), (16, "late", "late: open 16 min"),
     (60, "late", "late: open 1 h 00 min")],
)  # fmt: skip
async def test_colours_follow_elapsed_time_even_when_the_promise_is_far(
    qtbot: Any, minutes: int, state: str, reason: str
) -> None:
    clock = Clock()
    placed = NOW
    far = ticket(1).model_copy(
        update={
            "placed_at": placed,
            "estimated_ready_time": placed + timedelta(minutes=90),
            "near_at": placed + timedelta(minutes=8),
            "late_at": placed + timedelta(minutes=15),
        }
    )
    view = await open_view(qtbot, FakeMediator({GetKitchenQueueQuery: Queue([far])}), now=clock)

    clock.now = placed + timedelta(minutes=minutes)
    view.model.tick()

    index = view.model.index(0)
    assert index.data(KitchenQueueModel.AgeStateRole) == state
    assert reason in index.data(Qt.ItemDataRole.AccessibleTextRole)
    assert "Amber (SOON): open 8+ min" in view.legend.text()
    await settle(view)


# alerts -------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("alert", "flashes", "chimes"), [("both", True, 1), ("flash", True, 0), ("none", False, 0)])
async def test_a_new_ticket_flashes_and_chimes_as_the_store_says(
    qtbot: Any, alert: str, flashes: bool, chimes: int
) -> None:
    queue = Queue([ticket(1)])
    display = KitchenDisplayDto(alert=alert, notice_sound=False)  # type: ignore[arg-type]
    view = await open_view(qtbot, FakeMediator({GetKitchenQueueQuery: queue}), display=display)
    alerts: list[tuple[str, list[Any]]] = []
    view.alerts.alerted.connect(lambda kind, ids: alerts.append((kind, ids)))
    assert view.alerts.chimes == 0  # the queue as first loaded alerts nothing
    assert view.model.flashing == frozenset()

    queue.tickets = [ticket(1), ticket(2)]
    view.request_refresh()
    await wait_until(lambda: view.model.rowCount() == 2)
    await view.wait_idle()

    assert alerts == [("new_ticket", [uuid.UUID(int=2)])]
    assert view.alerts.chimes == chimes
    assert (uuid.UUID(int=2) in view.model.flashing) is flashes
    assert view.alerts.flash_timer.isActive() is flashes
    await settle(view)


async def test_a_ticket_that_gets_a_notice_chimes_when_the_store_wants_it(qtbot: Any) -> None:
    queue = Queue([ticket(2)])
    display = KitchenDisplayDto(alert="none", notice_sound=True)
    view = await open_view(qtbot, FakeMediator({GetKitchenQueueQuery: queue}), display=display)

    queue.tickets = [cancelled_ticket(2)]
    view.request_refresh()
    await wait_until(lambda: view.alerts.chimes == 1)

    assert view.model.ticket_at(0).notice is not None  # type: ignore[union-attr]
    await settle(view)


# the counter --------------------------------------------------------------------------------------------------------


async def test_the_item_panel_puts_the_customers_allergies_on_the_line(qtbot: Any) -> None:
    cart = CartModel()
    panel = ItemPanel(FakeMediator(), cart)
    qtbot.addWidget(panel)
    panel.show()
    panel.choose(MENU[0])
    assert panel.allergies.accessibleName() == "Customer allergies"
    assert panel.allergies.text() == "Allergies…"

    panel.allergies.actions_["nuts"].trigger()
    panel.allergies.actions_["milk"].trigger()
    panel.submit()
    await panel.wait_idle()

    (line,) = cart.lines
    assert line.allergies == ("milk", "nuts")
    assert line.as_item().allergies == ["milk", "nuts"]
    assert "⚠ ALLERGY: milk, nuts" in cart.index(0, 3).data()
    assert panel.allergies.allergies() == []  # the next line starts without them
