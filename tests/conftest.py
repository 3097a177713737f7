"""Shared test set-up: headless Qt, async tests on a qasync loop, and helpers to await signals and conditions."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any Qt import

import asyncio
import gc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import qasync
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from tests.pg_server import ThrowawayServer

_LOOPS: list[asyncio.AbstractEventLoop] = []
BACKENDS = ("sqlite", "postgresql")


def _qasync_loop() -> asyncio.AbstractEventLoop:
    """A qasync loop per test, kept alive for the session: a closed loop's timer object must never be destroyed by
    the garbage collector on a database thread, where Qt cannot unregister its timers (a later timer event would
    then reach freed memory)."""
    app = QApplication.instance() or QApplication(["pytest"])
    loop = qasync.QEventLoop(app)
    _LOOPS.append(loop)
    return loop


def pytest_asyncio_loop_factories(config: pytest.Config, item: pytest.Item) -> dict[str, Callable[[], Any]]:
    """Every async test runs on a qasync loop, so Qt signals and asyncio share one loop as in the app."""
    return {"qasync": _qasync_loop}


async def wait_signal(signal: Any, timeout: float = 5.0) -> tuple[Any, ...]:
    """Await the next emission of a Qt signal; returns its arguments."""
    future: asyncio.Future[tuple[Any, ...]] = asyncio.get_running_loop().create_future()

    def _on(*args: Any) -> None:
        if not future.done():
            future.set_result(args)

    signal.connect(_on)
    try:
        return await asyncio.wait_for(future, timeout)
    finally:
        signal.disconnect(_on)


async def wait_until(predicate: Callable[[], bool], timeout: float = 5.0, interval: float = 0.01) -> None:
    """Poll `predicate` on the running loop until it is true; fail the test after `timeout` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        await asyncio.sleep(interval)


async def drain_tasks(timeout: float = 5.0) -> None:
    """Wait for every other task on the loop (e.g. running @asyncSlot handlers) to finish."""
    current = asyncio.current_task()
    pending = [task for task in asyncio.all_tasks() if task is not current and not task.done()]
    if pending:
        await asyncio.wait(pending, timeout=timeout)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Everything alive once the tests are collected (modules, Qt's wrappers, hypothesis) lives for the session:
    freeze it, so the collection after each test walks only what the tests made (two thirds of the suite's time)."""
    gc.collect()
    gc.freeze()


@pytest.fixture(autouse=True)
def collect_garbage_on_the_qt_thread() -> Iterator[None]:
    """Collect each test's garbage here, on the Qt thread, not later on whichever thread the collector runs."""
    yield
    gc.collect()


@pytest.fixture(autouse=True)
def isolated_qsettings(tmp_path: Path) -> None:
    """QSettings written by the screens go to a temporary folder, never the user's."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


# the two backends ---------------------------------------------------------------------------------------------------


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test that takes `backend` (through `store_url` or `app`) runs on SQLite and on a real PostgreSQL server;
    one that also takes `db_path` looks into the store file and runs on SQLite alone."""
    if "backend" in metafunc.fixturenames:
        backends = ["sqlite"] if "db_path" in metafunc.fixturenames else list(BACKENDS)
        metafunc.parametrize("backend", backends, scope="function")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[ThrowawayServer]:
    """One throwaway PostgreSQL server per test process, started the first time a test needs it."""
    server = ThrowawayServer().start()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def store_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A new, empty store's URL: a file in the test's folder, or a database of its own on the PostgreSQL server."""
    if backend == "postgresql":
        server: ThrowawayServer = request.getfixturevalue("postgres_server")
        return server.new_database()
    return f"sqlite:///{tmp_path / 'store.db'}"
