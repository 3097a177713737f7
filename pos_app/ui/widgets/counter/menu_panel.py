"""The counter's menu: a search field (a few letters find an item in any category), a bar of category buttons
(Alt+1, Alt+2, …) and a grid of tiles of one category, or of the search's matches."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QSize, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLineEdit, QListView, QPushButton, QWidget

from pos_app.messages.dtos import MenuItemDto
from pos_app.ui.keymap import keys_text
from pos_app.ui.models.menu import CATEGORY_LABELS, MenuModel, matches_search
from pos_app.ui.theme import FOCUS_RING


class CategoryFilterModel(QSortFilterProxyModel):
    """The items of one category; while `search` has text, the items of every category that match it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.category = "pizza"
        self.search = ""

    def set_category(self, category: str) -> None:
        self.beginFilterChange()
        self.category = category
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_search(self, text: str) -> None:
        self.beginFilterChange()
        self.search = text.strip()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Any) -> bool:
        index = self.sourceModel().index(source_row, 0, source_parent)
        if self.search:
            item = index.data(MenuModel.ItemRole)
            return isinstance(item, MenuItemDto) and matches_search(item, self.search)
        return bool(index.data(MenuModel.CategoryRole) == self.category)


class MenuSearch(QLineEdit):
    """Type a few letters to find an item. `add_requested` on Enter, `down_requested` on Down; Escape clears."""

    add_requested = Signal()
    down_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(self.tr("Search the menu ({keys})").format(keys=keys_text("counter", "search")))
        self.setAccessibleName(self.tr("Search the menu"))
        self.setAccessibleDescription(
            self.tr("Type a few letters; Enter adds the highlighted item, Down goes to the tiles, Escape clears")
        )
        self.setClearButtonEnabled(True)
        self.setMaxLength(40)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            self.add_requested.emit()
            event.accept()
            return
        if key == Qt.Key.Key_Down:
            self.down_requested.emit()
            event.accept()
            return
        if key == Qt.Key.Key_Escape and self.text():
            self.clear()
            event.accept()
            return
        super().keyPressEvent(event)


class CategoryBar(QWidget):
    """One checkable button per menu category; `category_chosen(category)` when one is clicked."""

    category_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.buttons: dict[str, QPushButton] = {}
        self.group = QButtonGroup(self)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def set_categories(self, categories: list[str]) -> bool:
        """One button per category, in menu order; whether the buttons changed."""
        if list(self.buttons) == categories:
            return False
        for button in self.buttons.values():
            self.group.removeButton(button)
            button.deleteLater()
        self.buttons = {}
        for position, category in enumerate(categories):
            button = QPushButton(self.tr(CATEGORY_LABELS.get(category, category.title())), self)
            button.setCheckable(True)
            keys = QKeySequence(f"Alt+{position + 1}")
            button.setToolTip(keys.toString(QKeySequence.SequenceFormat.NativeText))
            button.setAccessibleDescription(f"Shortcut: {button.toolTip()}")
            button.setShortcut(keys)
            button.clicked.connect(lambda _=False, c=category: self.category_chosen.emit(c))
            self.group.addButton(button)
            self._layout.addWidget(button)
            self.buttons[category] = button
        return True

    def check(self, category: str) -> None:
        button = self.buttons.get(category)
        if button is not None:
            button.setChecked(True)


class MenuGrid(QListView):
    """The tiles of one category of `menu_model`; sold-out tiles are greyed. `item_chosen(item)` when an
    available tile is clicked, or Enter or Space is pressed on it (or it is `choose`n); letters typed on the tiles
    go to the search (`typed(text)`)."""

    item_chosen = Signal(MenuItemDto)
    typed = Signal(str)

    def __init__(self, menu_model: MenuModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.menu_model = menu_model
        self.menu_filter = CategoryFilterModel(self)
        self.menu_filter.setSourceModel(menu_model)
        self.setModel(self.menu_filter)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setWrapping(True)
        self.setUniformItemSizes(True)
        self.setGridSize(QSize(156, 84))
        self.setWordWrap(True)
        self.setStyleSheet(
            "QListView { font-size: 16px; }"
            "QListView::item { border: 1px solid #c8c8c8; border-radius: 8px; margin: 3px; }"
            "QListView::item:selected { background: #ffcdd2; color: black; border: 2px solid #c62828; }"
            "QListView::item:disabled { color: #9e9e9e; background: #eeeeee; }" + FOCUS_RING
        )
        self.setAccessibleName(self.tr("Menu"))
        self.setAccessibleDescription(self.tr("Arrow keys move between items; Enter or Space chooses one"))
        self.clicked.connect(self._on_clicked)

    @property
    def category(self) -> str:
        return self.menu_filter.category

    def show_category(self, category: str) -> None:
        self.menu_filter.set_category(category)

    def choose(self, item_id: str) -> None:
        """Choose a menu item as if its tile were clicked."""
        item = self.menu_model.item(item_id)
        if item is not None and item.available:
            self.item_chosen.emit(item)

    def search(self, text: str) -> None:
        """Show the items matching `text` (all categories), the first available one highlighted; "" ends it."""
        self.menu_filter.set_search(text)
        self.highlight_first()

    def highlight_first(self) -> None:
        for row in range(self.menu_filter.rowCount()):
            index = self.menu_filter.index(row, 0)
            item = index.data(MenuModel.ItemRole)
            if isinstance(item, MenuItemDto) and item.available:
                self.setCurrentIndex(index)
                return
        self.clearSelection()
        self.setCurrentIndex(QModelIndex())

    def highlighted(self) -> MenuItemDto | None:
        """The available item under the highlight, if it is shown."""
        item = self.currentIndex().data(MenuModel.ItemRole) if self.currentIndex().isValid() else None
        return item if isinstance(item, MenuItemDto) and item.available else None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and not event.modifiers():
            item = self.highlighted()
            if item is not None:
                self.item_chosen.emit(item)
            event.accept()
            return
        text = event.text()
        if text and text.isprintable() and not text.isspace() and not event.modifiers() & _COMMAND_KEYS:
            self.typed.emit(text)
            event.accept()
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: Any) -> None:
        super().focusInEvent(event)
        if not self.currentIndex().isValid():
            self.highlight_first()

    def _on_clicked(self, index: Any) -> None:
        item = index.data(MenuModel.ItemRole)
        if isinstance(item, MenuItemDto) and item.available:
            self.item_chosen.emit(item)


_COMMAND_KEYS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
