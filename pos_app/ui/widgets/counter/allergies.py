"""The customer's allergies for the line in the item panel: a button that opens a checkable list of the fourteen
allergens (it stays open while several are ticked; Escape closes it). The kitchen ticket shows them in its ALLERGY
band."""

from __future__ import annotations

from typing import get_args

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from pos_app.messages.types import AllergenName

ALLERGEN_NAMES: tuple[str, ...] = get_args(AllergenName)


class _StayOpenMenu(QMenu):
    """Ticking an allergen keeps the list open, so several are ticked in one go."""

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        action = self.activeAction()
        if action is not None and action.isCheckable():
            action.trigger()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        action = self.activeAction()
        keys = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)
        if event.key() in keys and action is not None and action.isCheckable():
            action.trigger()
            return
        super().keyPressEvent(event)


class AllergiesPicker(QToolButton):
    """`allergies()` in the vocabulary's order; `changed` when one is ticked or cleared."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setAccessibleName(self.tr("Customer allergies"))
        self.setToolTip(self.tr("The customer's allergies for this line: the kitchen sees them in red"))
        self.menu_ = _StayOpenMenu(self)
        self.menu_.setAccessibleName(self.tr("Allergens"))
        self.actions_: dict[str, QAction] = {}
        for name in ALLERGEN_NAMES:
            action = QAction(name.capitalize(), self.menu_)
            action.setCheckable(True)
            action.toggled.connect(self._on_action_toggled)
            self.menu_.addAction(action)
            self.actions_[name] = action
        self.setMenu(self.menu_)
        self._update_text()

    def allergies(self) -> list[str]:
        return [name for name, action in self.actions_.items() if action.isChecked()]

    def set_allergies(self, allergies: list[str] | tuple[str, ...]) -> None:
        for name, action in self.actions_.items():
            action.blockSignals(True)
            action.setChecked(name in allergies)
            action.blockSignals(False)
        self._update_text()

    def _on_action_toggled(self, *_: object) -> None:
        self._update_text()
        self.changed.emit()

    def _update_text(self) -> None:
        chosen = self.allergies()
        self.setText(
            self.tr("⚠ Allergies: {names}").format(names=", ".join(chosen)) if chosen else self.tr("Allergies…")
        )
        self.setStyleSheet("QToolButton { color: #b71c1c; font-weight: bold; }" if chosen else "")
        self.setAccessibleDescription(", ".join(chosen) if chosen else self.tr("none"))
