"""The counter's keys against a fake mediator: the menu search, tiles, the item panel, the cart, the place keys, and
Enter never placing an order other than the one on the screen."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from pos_app.mediation import OperationResult
from pos_app.messages.commands import PlaceOrderCommand
from pos_app.messages.queries import GetMenuQuery, PriceOrderQuery
from pos_app.ui.keymap import KEY_MAP, keys_text
from pos_app.ui.models.menu import MenuModel
from pos_app.ui.views.counter import CounterView
from tests.conftest import drain_tasks, wait_until
from tests.ui.conftest import FakeMediator
from tests.ui.samples import MENU, session
from tests.ui.test_counter_view import click_tile, fake_quote, placed_ok

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def mediator() -> FakeMediator:
    return FakeMediator(
        {GetMenuQuery: OperationResult.ok(MENU), PriceOrderQuery: fake_quote, PlaceOrderCommand: placed_ok}
    )


@pytest.fixture
async def view(qtbot: QtBot, mediator: FakeMediator) -> Any:
    counter = CounterView(mediator)
    qtbot.addWidget(counter)
    counter.resize(1366, 700)
    counter.set_session(session())
    counter.show()
    counter.request_refresh()
    await counter.wait_idle()
    yield counter
    await counter.wait_idle()
    await drain_tasks()


def shown_items(view: CounterView) -> list[str]:
    return [view.menu_filter.index(row, 0).data(MenuModel.ItemRole).id for row in range(view.menu_filter.rowCount())]


def focus(widget: QWidget) -> None:
    widget.window().activateWindow()
    widget.setFocus(Qt.FocusReason.OtherFocusReason)


async def test_a_few_letters_find_items_of_every_category_and_escape_clears_the_search(
    qtbot: QtBot, view: CounterView
) -> None:
    focus(view.menu_search)

    qtbot.keyClicks(view.menu_search, "gar br")
    found = shown_items(view)
    qtbot.keyClick(view.menu_search, Qt.Key.Key_Escape)

    assert found == ["garlic_bread"]  # a side, found from the pizzas
    assert view.menu_search.text() == ""
    assert shown_items(view) == ["margherita", "pepperoni", "diavola"]


async def test_enter_in_the_search_adds_the_highlighted_match_and_a_sold_out_one_never(
    qtbot: QtBot, view: CounterView
) -> None:
    focus(view.menu_search)

    qtbot.keyClicks(view.menu_search, "diav")  # sold out
    qtbot.keyClick(view.menu_search, Qt.Key.Key_Return)
    qtbot.keyClick(view.menu_search, Qt.Key.Key_Escape)
    qtbot.keyClicks(view.menu_search, "pep")
    qtbot.keyClick(view.menu_search, Qt.Key.Key_Return)
    await view.wait_idle()

    assert [(line.pizza_id, line.size, line.toppings) for line in view.cart.lines] == [("pepperoni", "medium", ())]
    assert view.menu_search.text() == ""
    assert view.focusWidget() is view.menu_search


async def test_letters_typed_on_the_tiles_go_to_the_search(qtbot: QtBot, view: CounterView) -> None:
    focus(view.menu_grid)

    qtbot.keyClicks(view.menu_grid, "co")

    assert view.menu_search.text() == "co"
    assert shown_items(view) == ["cola"]
    assert QApplication.focusWidget() is view.menu_search


async def test_enter_or_space_on_a_tile_loads_it_with_the_focus_on_its_size(qtbot: QtBot, view: CounterView) -> None:
    focus(view.menu_grid)
    qtbot.keyClick(view.menu_grid, Qt.Key.Key_Right)  # Margherita is highlighted on entry; Pepperoni next

    qtbot.keyClick(view.menu_grid, Qt.Key.Key_Space)
    await view.wait_idle()

    assert view.item_panel.current_item is not None
    assert view.item_panel.current_item.id == "pepperoni"
    assert QApplication.focusWidget() is view.size_buttons["medium"]
    assert view.cart.rowCount() == 0  # chosen, not added


async def test_enter_in_the_item_panel_adds_the_item_and_places_nothing(
    qtbot: QtBot, view: CounterView, mediator: FakeMediator
) -> None:
    await click_tile(qtbot, view, "margherita")
    focus(view.notes)
    qtbot.keyClicks(view.notes, "no basil")

    qtbot.keyClick(view.notes, Qt.Key.Key_Return)
    await view.wait_idle()

    assert [line.special_instructions for line in view.cart.lines] == ["no basil"]
    assert mediator.sent_of(PlaceOrderCommand) == []
    assert view.add_button.text().endswith(f"({keys_text('counter', 'add')})")


async def test_placing_with_an_item_configured_but_not_added_asks_first_and_can_add_it(
    qtbot: QtBot, view: CounterView, mediator: FakeMediator
) -> None:
    await click_tile(qtbot, view, "pepperoni")
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    await click_tile(qtbot, view, "margherita")
    qtbot.mouseClick(view.size_buttons["large"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.card_button, Qt.MouseButton.LeftButton)
    focus(view.name)

    qtbot.keyClick(view.name, Qt.Key.Key_Return, CTRL)
    await wait_until(lambda: view.place_panel.pending_panel.isVisibleTo(view))
    asked = view.place_panel.pending_panel.isVisibleTo(view)
    question = view.place_panel.pending_message.text()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # on "Add it, then place"
    await wait_until(lambda: bool(mediator.sent_of(PlaceOrderCommand)))

    assert asked
    assert question.startswith("Margherita, large")
    (command,) = mediator.sent_of(PlaceOrderCommand)
    assert [(item.pizza_id, item.size) for item in command.pizza_items] == [
        ("pepperoni", "medium"),
        ("margherita", "large"),
    ]


async def test_placing_without_the_item_configured_sends_only_the_cart(
    qtbot: QtBot, view: CounterView, mediator: FakeMediator
) -> None:
    await click_tile(qtbot, view, "pepperoni")
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    await click_tile(qtbot, view, "margherita")
    qtbot.mouseClick(view.card_button, Qt.MouseButton.LeftButton)
    focus(view.cart_view)

    qtbot.keyClick(view.cart_view, Qt.Key.Key_F12)
    await wait_until(lambda: view.place_panel.pending_panel.isVisibleTo(view))
    qtbot.keyClick(view.place_panel.add_and_place_button, Qt.Key.Key_Tab)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # on "Place without it"
    await wait_until(lambda: bool(mediator.sent_of(PlaceOrderCommand)))

    (command,) = mediator.sent_of(PlaceOrderCommand)
    assert [item.pizza_id for item in command.pizza_items] == ["pepperoni"]


async def test_an_item_just_added_is_no_question_and_f12_places_from_the_menu_search(
    qtbot: QtBot, view: CounterView, mediator: FakeMediator
) -> None:
    await click_tile(qtbot, view, "pepperoni")
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.card_button, Qt.MouseButton.LeftButton)
    focus(view.menu_search)

    qtbot.keyClick(view.menu_search, Qt.Key.Key_F12)
    await wait_until(lambda: bool(mediator.sent_of(PlaceOrderCommand)))

    assert not view.place_panel.pending_panel.isVisibleTo(view)
    assert view.place_button.text() == f"Place order  ({keys_text('counter', 'place')})"


async def test_enter_in_the_search_or_on_a_tile_never_places(
    qtbot: QtBot, view: CounterView, mediator: FakeMediator
) -> None:
    await click_tile(qtbot, view, "pepperoni")
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.card_button, Qt.MouseButton.LeftButton)

    focus(view.menu_search)
    qtbot.keyClick(view.menu_search, Qt.Key.Key_Return)  # nothing typed: nothing to add
    focus(view.menu_grid)
    view.menu_grid.setCurrentIndex(view.menu_filter.index(2, 0))  # Diavola, sold out
    qtbot.keyClick(view.menu_grid, Qt.Key.Key_Return)
    await view.wait_idle()

    assert mediator.sent_of(PlaceOrderCommand) == []
    assert view.cart.rowCount() == 1


async def test_the_cart_is_one_tab_stop_the_arrows_move_and_delete_removes_the_line(
    qtbot: QtBot, view: CounterView
) -> None:
    for item_id in ("margherita", "pepperoni"):
        await click_tile(qtbot, view, item_id)
        qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    await view.wait_idle()
    focus(view.notes)
    qtbot.keyClick(view.notes, Qt.Key.Key_Delete)  # Delete in a text field is no line removed
    focus(view.cart_view)

    selected_on_entry = view.cart_view.selectionModel().selectedRows()[0].row()
    qtbot.keyClick(view.cart_view, Qt.Key.Key_Up)
    qtbot.keyClick(view.cart_view, Qt.Key.Key_Delete)
    qtbot.keyClick(view.cart_view, Qt.Key.Key_Tab)

    assert selected_on_entry == 1
    assert [line.pizza_id for line in view.cart.lines] == ["pepperoni"]
    assert QApplication.focusWidget() is view.cart_panel.edit_button
    assert not view.cart_view.tabKeyNavigation()
    assert "Del" in view.remove_button.text()


async def test_tab_goes_through_the_counter_in_the_order_an_order_is_taken(qtbot: QtBot, view: CounterView) -> None:
    await click_tile(qtbot, view, "margherita")
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.type_buttons["delivery"], Qt.MouseButton.LeftButton)
    await view.wait_idle()
    focus(view.menu_search)

    seen: list[QWidget] = []
    for _ in range(40):
        widget = QApplication.focusWidget()
        assert widget is not None
        if widget in seen:
            break
        seen.append(widget)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)

    expected = [
        view.menu_search,
        view.category_buttons["pizza"],  # the categories are one stop, at the one shown; the arrows move
        view.menu_grid,
        view.size_buttons["medium"],
        view.toppings_view,
        view.notes,
        view.item_panel.allergies,
        view.item_panel.quantity,
        view.add_button,
        view.cart_view,
        view.cart_panel.edit_button,
        view.remove_button,
        view.clear_button,
        view.phone,
        view.name,
        view.type_buttons["delivery"],  # a group of choices is one stop, at the chosen one
        view.address,
        view.cash_button,
        view.tendered,
        view.exact_button,
        view.place_button,
    ]
    names = [w.accessibleName() or type(w).__name__ for w in seen]
    assert [w for w in seen if w in expected] == expected, names
    assert len(seen) == len(expected)  # nothing else, and the cart was one stop


def test_every_key_of_the_counter_the_controls_show_is_in_the_key_map() -> None:
    actions = {binding.action for binding in KEY_MAP["counter"]}

    assert {"search", "add", "remove_line", "place", "cash", "card", "delivery", "tendered"} <= actions
    assert keys_text("counter", "place") == "Ctrl+Enter or F12"


async def test_the_arrows_on_the_category_buttons_show_the_next_category(qtbot: QtBot, view: CounterView) -> None:
    focus(view.category_buttons["pizza"])

    qtbot.keyClick(view.category_buttons["pizza"], Qt.Key.Key_Right)

    assert QApplication.focusWidget() is view.category_buttons["side"]
    assert shown_items(view) == ["garlic_bread"]


async def test_escape_on_the_question_about_an_item_not_added_places_nothing(
    qtbot: QtBot, view: CounterView, mediator: FakeMediator
) -> None:
    await click_tile(qtbot, view, "margherita")
    focus(view.menu_search)
    qtbot.keyClick(view.menu_search, Qt.Key.Key_F12)
    await wait_until(lambda: view.place_panel.pending_panel.isVisibleTo(view))
    asked = view.place_panel.pending_panel.isVisibleTo(view), view.place_button.isVisibleTo(view)

    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    await view.wait_idle()

    assert asked == (True, False)  # the question stands in for the Place button
    assert not view.place_panel.pending_panel.isVisibleTo(view)
    assert view.place_button.isVisibleTo(view)
    assert mediator.sent_of(PlaceOrderCommand) == []
    assert view.item_panel.current_item is not None  # still there to add


async def test_ctrl_e_on_a_cart_line_edits_it_in_the_item_panel_and_enter_updates_it(
    qtbot: QtBot, view: CounterView
) -> None:
    await click_tile(qtbot, view, "margherita")
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    await view.wait_idle()
    focus(view.cart_view)

    qtbot.keyClick(view.cart_view, Qt.Key.Key_E, CTRL)
    await wait_until(lambda: view.item_panel.editing_row is not None)  # the button's key clicks it shortly after
    editing = view.item_panel.editing_row, QApplication.focusWidget() is view.size_buttons["medium"]
    qtbot.keyClick(view.size_buttons["medium"], Qt.Key.Key_Left)
    question = view.item_panel.pending_description()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    await view.wait_idle()

    assert editing == (0, True)
    assert question == "The change to Margherita, small"
    assert [(line.pizza_id, line.size) for line in view.cart.lines] == [("margherita", "small")]
    assert view.item_panel.editing_row is None
