"""The keys of the current screen (F1), from the key map in `pos_app.ui.keymap`; Escape or Close shuts it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pos_app.ui.keymap import COMMON, KEY_MAP, SCREEN_TITLES, native
from pos_app.ui.theme import FOCUS_RING


class HelpOverlay(QDialog):
    """Lists the keys of `screen` and those every screen shares. Open it with `open()` (never `exec()`)."""

    def __init__(self, screen: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = self.tr("Keys: {screen}").format(screen=SCREEN_TITLES.get(screen, screen.title()))
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setModal(True)
        self.setStyleSheet(FOCUS_RING)
        heading = QLabel(title, self)
        heading.setObjectName("heading")
        self.model = QStandardItemModel(0, 2, self)
        self.model.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("What it does")])
        for entry in (*KEY_MAP.get(screen, ()), *COMMON):
            keys = QStandardItem(self.tr(" or ").join(native(key) for key in entry.keys))
            what = QStandardItem(self.tr(entry.description))
            for item in (keys, what):
                item.setEditable(False)
            keys.setData(f"{keys.text()}: {entry.description}", Qt.ItemDataRole.AccessibleTextRole)
            self.model.appendRow([keys, what])
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Keys of this screen"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.close_button = QPushButton(self.tr("Close  (Esc)"), self)
        self.close_button.setAccessibleName(self.tr("Close the list of keys"))
        self.close_button.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignRight)
        self.resize(900, 600)
        self.table.setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.table.resizeRowsToContents()  # long descriptions wrap instead of being cut
