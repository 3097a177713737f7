"""The order being built at the counter: one row per item."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from pos_app.messages.commands import PizzaItem
from pos_app.messages.dtos import OrderItemDto
from pos_app.ui.formatting import format_money

SIZE_LABELS = {"small": "Small", "medium": "Medium", "large": "Large"}


@dataclass(frozen=True)
class CartLine:
    pizza_id: str
    name: str
    category: str
    size: str
    toppings: tuple[str, ...] = ()
    topping_names: tuple[str, ...] = ()
    special_instructions: str = ""
    price: Decimal | None = field(default=None, compare=False)
    """As quoted by the core (None until the quote arrives): the line's, for all of `quantity`."""
    quantity: int = 1
    allergies: tuple[str, ...] = ()
    """The customer's allergies for this line (allergen names)."""

    @property
    def label(self) -> str:
        """ "2 × Margherita", or just the name for one."""
        return f"{self.quantity} × {self.name}" if self.quantity > 1 else self.name

    def as_item(self) -> PizzaItem:
        return PizzaItem(
            pizza_id=self.pizza_id,
            size=self.size,  # type: ignore[arg-type]
            toppings=list(self.toppings),
            special_instructions=self.special_instructions,
            allergies=list(self.allergies),  # type: ignore[arg-type]
            quantity=self.quantity,
        )


def cart_line(item: OrderItemDto, menu: Any) -> CartLine:
    """A placed order's line back in the cart (`menu`: the `MenuModel`, for the item's category)."""
    menu_item = menu.item(item.pizza_id)
    return CartLine(
        pizza_id=item.pizza_id,
        name=item.name,
        category=menu_item.category if menu_item is not None else "pizza",
        size=item.size,
        toppings=tuple(item.toppings),
        topping_names=tuple(item.topping_names),
        special_instructions=item.special_instructions,
        price=item.price,
        quantity=item.quantity,
        allergies=tuple(item.allergies),
    )


class CartModel(QAbstractTableModel):
    COLUMNS = ("Item", "Size", "Toppings", "Notes", "Price")
    LineRole = Qt.ItemDataRole.UserRole

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lines: list[CartLine] = []

    # Qt --------------------------------------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._lines):
            return None
        line = self._lines[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return line.label
            if column == 1:
                return SIZE_LABELS.get(line.size, line.size) if line.category == "pizza" else ""
            if column == 2:
                return ", ".join(line.topping_names)
            if column == 3:
                allergy = f"⚠ ALLERGY: {', '.join(line.allergies)}" if line.allergies else ""
                return " · ".join(part for part in (line.special_instructions, allergy) if part)
            return "…" if line.price is None else format_money(line.price)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 4:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == self.LineRole:
            return line
        return None

    # changes ---------------------------------------------------------------------------------------------------------
    @property
    def lines(self) -> list[CartLine]:
        return list(self._lines)

    def add_line(self, line: CartLine) -> int:
        row = len(self._lines)
        self.beginInsertRows(QModelIndex(), row, row)
        self._lines.append(line)
        self.endInsertRows()
        return row

    def replace_line(self, row: int, line: CartLine) -> None:
        self._lines[row] = line
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))

    def remove_line(self, row: int) -> None:
        if not 0 <= row < len(self._lines):
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._lines[row]
        self.endRemoveRows()

    def set_lines(self, lines: list[CartLine]) -> None:
        self.clear()
        if lines:
            self.beginInsertRows(QModelIndex(), 0, len(lines) - 1)
            self._lines = list(lines)
            self.endInsertRows()

    def clear(self) -> None:
        if self._lines:
            self.beginRemoveRows(QModelIndex(), 0, len(self._lines) - 1)
            self._lines = []
            self.endRemoveRows()

    def set_prices(self, prices: list[Decimal]) -> None:
        """The quote's line prices, in cart order (ignored when the cart changed meanwhile)."""
        if len(prices) != len(self._lines):
            return
        changed = [row for row, price in enumerate(prices) if self._lines[row].price != price]
        for row in changed:
            self._lines[row] = replace(self._lines[row], price=prices[row])
        if changed:
            self.dataChanged.emit(self.index(min(changed), 4), self.index(max(changed), 4))
