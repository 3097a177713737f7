"""Starts the Qt application on a qasync event loop."""

from __future__ import annotations

import asyncio
import sys

import qasync
from PySide6.QtWidgets import QApplication

from pos_app import PRODUCT_NAME
from pos_app.ui.main_window import MainWindow


async def _run(app: QApplication) -> int:
    window = MainWindow()
    window.show()
    quit_requested = asyncio.Event()
    app.aboutToQuit.connect(quit_requested.set)
    await quit_requested.wait()
    return 0


def run_ui(database_url: str, view: str | None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName(PRODUCT_NAME)
    with asyncio.Runner(loop_factory=qasync.QEventLoop) as runner:
        return runner.run(_run(app))
