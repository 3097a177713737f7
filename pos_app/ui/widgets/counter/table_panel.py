"""A dine-in order's table and covers (guests): shown only while the order is dine-in."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QWidget

from pos_app.ui.views.base import error_label, set_error

MAX_TABLE = 999
MAX_COVERS = 99


class TablePanel(QWidget):
    """Table number (required for dine-in: the core refuses a dine-in order without one) and optional covers.
    0 in either box reads "—": not given."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QSpinBox(self)
        self.table.setRange(0, MAX_TABLE)
        self.table.setSpecialValueText("—")
        self.table.setAccessibleName(self.tr("Table number"))
        self.covers = QSpinBox(self)
        self.covers.setRange(0, MAX_COVERS)
        self.covers.setSpecialValueText("—")
        self.covers.setAccessibleName(self.tr("Covers (guests)"))
        self.table_error = error_label(self)
        table_label = QLabel(self.tr("Table"), self)
        table_label.setBuddy(self.table)
        covers_label = QLabel(self.tr("Covers"), self)
        covers_label.setBuddy(self.covers)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(table_label)
        layout.addWidget(self.table)
        layout.addWidget(covers_label)
        layout.addWidget(self.covers)
        layout.addWidget(self.table_error, 1)
        self.setVisible(False)

    def show_for(self, order_type: str) -> None:
        self.setVisible(order_type == "dine_in")
        if order_type != "dine_in":
            set_error(self.table_error, None)

    @property
    def table_number(self) -> int | None:
        return self.table.value() or None

    @property
    def covers_count(self) -> int | None:
        return self.covers.value() or None

    def set_values(self, table_number: int | None, covers: int | None) -> None:
        self.table.setValue(table_number or 0)
        self.covers.setValue(covers or 0)

    def show_errors(self, errors: dict[str, list[str]]) -> bool:
        messages = [m for name in ("table_number", "covers") for m in errors.get(name, [])]
        set_error(self.table_error, " ".join(messages) or None)
        return bool(messages)

    def reset(self) -> None:
        self.set_values(None, None)
        set_error(self.table_error, None)
        self.setVisible(False)
