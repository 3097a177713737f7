"""How many of the item being configured: one spin box, 1 to 50, named for screen readers."""

from __future__ import annotations

from PySide6.QtWidgets import QSpinBox, QWidget

MAX_QUANTITY = 50
"""As `PizzaItem.quantity` allows."""


class QuantityBox(QSpinBox):
    """The quantity of a line ("2 × Margherita"): Up/Down or typing a number changes it; `valueChanged` re-prices."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(1, MAX_QUANTITY)
        self.setValue(1)
        self.setPrefix("× ")
        self.setAccessibleName(self.tr("Quantity"))
        self.setToolTip(self.tr("How many of this item (Up/Down)"))

    def reset(self) -> None:
        self.setValue(1)
