"""The keys of every screen, in one place: the help overlay (F1) lists them and the controls show them, so what a
button says and what the overlay says cannot drift apart.

A key is written in Qt's portable form ("Ctrl+Return", "F12", "Alt+1"); `native` shows it as the platform writes it.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractButton, QWidget


@dataclass(frozen=True, slots=True)
class KeyBinding:
    action: str
    keys: tuple[str, ...]
    description: str


def _b(action: str, keys: str, description: str) -> KeyBinding:
    return KeyBinding(action, tuple(keys.split(" | ")), description)


KEY_MAP: dict[str, tuple[KeyBinding, ...]] = {
    "login": (
        _b("move", "Left | Right | Up | Down", "Move between names in the staff list"),
        _b("digits", "0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9", "Type the PIN (also while the staff list has focus)"),
        _b("backspace", "Backspace", "Delete the last digit of the PIN"),
        _b("log_in", "Return", "Log in"),
    ),
    "counter": (
        _b("search", "Ctrl+F", "Search the menu: type a few letters; Down moves to the tiles"),
        _b("search_add", "Return", "In the search: add the highlighted (or only) match to the order"),
        _b("search_clear", "Escape", "In the search: clear it"),
        _b("category", "Alt+1 | Alt+2 | Alt+3 | Alt+4", "Show a menu category"),
        _b("tile", "Return | Space", "On a tile: choose the item (its size, toppings and notes come next)"),
        _b("topping", "Space", "In the toppings: add or remove the highlighted topping"),
        _b("quantity", "Alt+Q", "In the item panel: go to the quantity (Up and Down change it)"),
        _b("add", "Return", "In the item panel: add the item to the order (or update the line being edited)"),
        _b("edit_line", "Ctrl+E", "Edit the selected cart line"),
        _b("remove_line", "Delete", "In the cart: remove the selected line"),
        _b("new_order", "Ctrl+N", "Start a new order (clears the cart and the customer)"),
        _b("phone", "Ctrl+P", "Go to the customer's phone (Enter looks it up)"),
        _b("pickup", "Alt+P", "Order type: pickup"),
        _b("delivery", "Alt+D", "Order type: delivery"),
        _b("dine_in", "Alt+I", "Order type: dine-in"),
        _b("table", "Alt+T", "Dine-in: go to the table number (then Tab: covers)"),
        _b("cash", "Alt+C", "Pay by cash"),
        _b("card", "Alt+R", "Pay by card"),
        _b("later", "Alt+L", "Pay later"),
        _b("tendered", "Ctrl+T", "Go to the cash tendered"),
        _b("exact", "Alt+E", "Cash tendered: the exact total"),
        _b("place", "Ctrl+Return | F12", "Place the order, from anywhere on the counter"),
        _b("place_enter", "Return", "In the customer or payment fields, or the cart: place the order"),
    ),
    "orders": (
        _b("find", "Ctrl+F", "Search the orders"),
        _b("move", "Up | Down", "Move in the list of orders"),
        _b("open", "Return", "Open the order's detail and go to its actions"),
        _b("close_panel", "Escape", "Close the payment or cancel panel"),
        _b("take_payment", "Alt+P", "Take payment for the selected order"),
        _b("cancel_order", "Alt+C", "Cancel the selected order (a reason and a confirmation follow)"),
        _b("edit_order", "Alt+E", "Edit the selected order at the counter"),
        _b("discount", "Alt+D", "Give a discount on the selected order"),
    ),
    "kitchen": (
        _b("select", "1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9", "Select the Nth ticket"),
        _b("ready", "Space", "Mark the ticket's next pizza ready"),
        _b("start", "S", "Start cooking the selected ticket"),
        _b("recall", "R", "Recall the last completed ticket"),
        _b("acknowledge", "A", "Acknowledge the ticket's CANCELLED or CHANGED notice"),
        _b("move", "Left | Right | Up | Down", "Move to the previous or next ticket"),
        _b("page", "PgUp | PgDown", "Move a page of tickets back or on"),
        _b("ends", "Home | End", "Move to the first or last ticket"),
    ),
}

COMMON: tuple[KeyBinding, ...] = (
    _b("help", "F1", "Show the keys of this screen (Escape closes)"),
    _b("tab", "Tab | Shift+Tab", "Move to the next or previous control"),
    _b("lock", "Ctrl+L", "Lock the terminal (back to the login screen)"),
    _b("next_screen", "Ctrl+PgDown", "Go to the next screen (Counter, Orders, Kitchen)"),
    _b("previous_screen", "Ctrl+PgUp", "Go to the previous screen"),
)

SCREEN_TITLES = {"login": "Login", "counter": "Counter", "orders": "Orders", "kitchen": "Kitchen"}


def binding(screen: str, action: str) -> KeyBinding:
    return next(b for b in (*KEY_MAP[screen], *COMMON) if b.action == action)


def native(key: str) -> str:
    """A key as this platform writes it, Return called Enter as on the key ("Ctrl+Enter"; "⌘Enter" on macOS)."""
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText).replace("Return", "Enter")


def keys_text(screen: str, action: str) -> str:
    """The keys of an action as a control shows them: "Ctrl+Return or F12"."""
    return " or ".join(native(key) for key in binding(screen, action).keys)


def sequences(screen: str, action: str) -> list[QKeySequence]:
    return [QKeySequence(key) for key in binding(screen, action).keys]


def show_keys(widget: QWidget, screen: str, action: str, in_text: bool = False, mnemonic: bool = False) -> None:
    """Show a control's keys: in its tooltip and accessible description, and on a button either after its text
    (`in_text`: "Place order  (Ctrl+Enter or F12)") or, for an Alt+letter key, as the underlined letter of its text
    (`mnemonic`: "&Cash" is Alt+C, and Qt binds the key from the text itself)."""
    keys = keys_text(screen, action)
    if isinstance(widget, QAbstractButton):
        text = widget.text().split("  (")[0].replace("&", "")
        if in_text:
            widget.setText(f"{text}  ({keys})")
        elif mnemonic:
            widget.setText(with_mnemonic(text, binding(screen, action).keys[0]))
        widget.setAccessibleName(text)
    widget.setToolTip(f"{binding(screen, action).description} ({keys})")
    widget.setAccessibleDescription(f"Shortcut: {keys}")


def with_mnemonic(text: str, key: str) -> str:
    """`text` with "&" before the letter of an "Alt+<letter>" key ("Ca&rd" for Alt+R)."""
    modifier, _, letter = key.rpartition("+")
    position = text.lower().find(letter.lower()) if modifier == "Alt" and len(letter) == 1 else -1
    if position < 0:
        raise ValueError(f"{key} is no letter of {text!r}")
    return f"{text[:position]}&{text[position:]}"
