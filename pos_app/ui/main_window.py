"""The main window: one tab per screen."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QWidget

from pos_app import PRODUCT_NAME


class MainWindow(QMainWindow):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(PRODUCT_NAME)
        self.tabs = QTabWidget(self)
        for name in ("Counter", "Orders", "Kitchen"):
            self.tabs.addTab(QLabel(self.tr(f"{name} screen"), self), self.tr(name))
        self.setCentralWidget(self.tabs)
        self.resize(1280, 800)
