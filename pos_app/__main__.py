"""`pos-app` / `python -m pos_app`: start the point of sale."""

from __future__ import annotations

import asyncio
import sys

import qasync
from PySide6.QtWidgets import QApplication

from pos_app import PRODUCT_NAME
from pos_app.ui.main_window import MainWindow


async def run_app(app: QApplication) -> int:
    window = MainWindow()
    window.show()
    quit_requested = asyncio.Event()
    app.aboutToQuit.connect(quit_requested.set)
    await quit_requested.wait()
    return 0


def main(argv: list[str] | None = None) -> int:
    app = QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName(PRODUCT_NAME)
    with asyncio.Runner(loop_factory=qasync.QEventLoop) as runner:
        return runner.run(run_app(app))


if __name__ == "__main__":
    sys.exit(main())
