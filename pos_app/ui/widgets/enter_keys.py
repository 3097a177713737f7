"""Enter on a focused button presses that button, on every screen.

Qt presses a focused `QPushButton` on Enter only inside a dialog (its `autoDefault`); elsewhere the key goes on to
the screen, which might do something else with it (place an order, open a row). `EnterPressesFocusedButton`, made
once by the main window, closes that gap for every button of the window, including the ones made later. Choices
(checkable buttons in a group: sizes, order types, payment methods) work like radio buttons instead: the arrows or
Space choose, and Enter is left to the screen, as in a text field."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class EnterPressesFocusedButton(QObject):
    """Watches the key presses of the application for the buttons of `window` (destroyed with it)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(watched, QPushButton):
            return False
        if not isinstance(event, QKeyEvent) or event.key() not in ENTER_KEYS or event.modifiers() not in _PLAIN:
            return False
        if watched.autoDefault() or watched.isDefault() or watched.window() is not self._window:
            return False  # a dialog's button presses itself
        if watched.isCheckable():
            return False  # a choice (a size, an order type) is made with the arrows; Enter goes on as in a field
        if watched.isEnabled() and watched.isVisible():
            watched.click()
        return True


_PLAIN = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
