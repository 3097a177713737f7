"""The counter's menu grid and the toppings of the item being configured."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QColor

from pos_app.messages.dtos import MenuItemDto, ToppingDto
from pos_app.ui.formatting import format_money

TILE_SIZE = QSize(146, 74)
CATEGORY_LABELS = {"pizza": "Pizzas", "side": "Sides", "dessert": "Desserts", "drink": "Drinks"}


class MenuModel(QAbstractListModel):
    """Menu items; unavailable ones are shown greyed and cannot be chosen."""

    ItemRole = Qt.ItemDataRole.UserRole
    CategoryRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[MenuItemDto] = []

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            suffix = "" if item.available else "\n(sold out)"
            return f"{item.name}\n{format_money(item.base_price)}{suffix}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.description
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return tile_name(item)
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return item.description
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.SizeHintRole:
            return TILE_SIZE
        if role == Qt.ItemDataRole.BackgroundRole:
            return QColor("#fff3e0") if item.is_seasonal and item.available else None
        if role == self.ItemRole:
            return item
        if role == self.CategoryRole:
            return item.category
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if not self._items[index.row()].available:
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def apply(self, items: list[MenuItemDto]) -> None:
        """The menu changes rarely (a manager's edit): replace it when it differs."""
        if items == self._items:
            return
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def item(self, item_id: str) -> MenuItemDto | None:
        return next((item for item in self._items if item.id == item_id), None)

    def categories(self) -> list[str]:
        seen: list[str] = []
        for item in self._items:
            if item.category not in seen:
                seen.append(item.category)
        return seen


def tile_name(item: MenuItemDto) -> str:
    """What a screen reader says for a tile: "Margherita, $12.99" (", sold out" when it is)."""
    sold_out = "" if item.available else ", sold out"
    return f"{item.name}, {format_money(item.base_price)}{sold_out}"


def matches_search(item: MenuItemDto, text: str) -> bool:
    """Whether a few letters find `item`: each word typed starts a word of its name ("marg", "gar br"), or the
    whole text is inside the name."""
    name = item.name.casefold()
    typed = text.casefold().split()
    if not typed:
        return False
    words = name.replace("-", " ").split()
    return all(any(word.startswith(part) for word in words) for part in typed) or " ".join(typed) in name


class ToppingsModel(QAbstractListModel):
    """The toppings an item takes, each with a check box."""

    ToppingRole = Qt.ItemDataRole.UserRole

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._toppings: list[ToppingDto] = []
        self._checked: set[str] = set()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._toppings)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._toppings):
            return None
        topping = self._toppings[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{topping.name}  +{format_money(topping.price, symbol=False)}"
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if topping.id in self._checked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.AccessibleTextRole:
            added = "added" if topping.id in self._checked else "not added"
            return f"{topping.name}, plus {format_money(topping.price)}, {added}"
        if role == self.ToppingRole:
            return topping
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable

    def setData(
        self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole:
            return False
        topping = self._toppings[index.row()]
        checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2)
        if checked:
            self._checked.add(topping.id)
        else:
            self._checked.discard(topping.id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True

    def set_toppings(self, toppings: list[ToppingDto], checked: list[str] | tuple[str, ...] = ()) -> None:
        self.beginResetModel()
        self._toppings = list(toppings)
        self._checked = {topping_id for topping_id in checked if any(t.id == topping_id for t in toppings)}
        self.endResetModel()

    def checked_ids(self) -> list[str]:
        """In menu order, so the same choice always makes the same line."""
        return [t.id for t in self._toppings if t.id in self._checked]

    def checked_names(self) -> list[str]:
        return [t.name for t in self._toppings if t.id in self._checked]
