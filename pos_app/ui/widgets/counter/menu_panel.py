"""The counter's menu: a bar of category buttons (Alt+1, Alt+2, …) over a grid of tiles of one category."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, QSortFilterProxyModel, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QListView, QPushButton, QWidget

from pos_app.messages.dtos import MenuItemDto
from pos_app.ui.models.menu import CATEGORY_LABELS, MenuModel


class CategoryFilterModel(QSortFilterProxyModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.category = "pizza"

    def set_category(self, category: str) -> None:
        self.beginFilterChange()
        self.category = category
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Any) -> bool:
        index = self.sourceModel().index(source_row, 0, source_parent)
        return bool(index.data(MenuModel.CategoryRole) == self.category)


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
            button.setToolTip(f"Alt+{position + 1}")
            button.setShortcut(QKeySequence(f"Alt+{position + 1}"))
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
    available tile is clicked (or `choose`n)."""

    item_chosen = Signal(MenuItemDto)

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
            "QListView::item:disabled { color: #9e9e9e; background: #eeeeee; }"
        )
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

    def _on_clicked(self, index: Any) -> None:
        item = index.data(MenuModel.ItemRole)
        if isinstance(item, MenuItemDto) and item.available:
            self.item_chosen.emit(item)
