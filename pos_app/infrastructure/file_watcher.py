"""How a terminal on a store file notices other terminals' commits: `PRAGMA data_version`, on a thread of its own."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from pos_app.infrastructure.loop_calls import call_soon_on

logger = logging.getLogger("pos_app.db")

CHECKPOINT_EVERY_POLLS = 10
"""The change watcher checkpoints the WAL every this many polls (once it has grown past CHECKPOINT_WAL_BYTES)."""
CHECKPOINT_WAL_BYTES = 4 * 1024 * 1024
NEWEST_POSITION = "SELECT coalesce(max(position), 0) FROM events"


class OwnCommits(Protocol):
    def others_committed(self, seen: int, newest: int) -> bool: ...


class WatchedFile(Protocol):
    """What the watcher needs of the store on a file (the store's `Database`)."""

    @property
    def path(self) -> Path | None: ...

    @property
    def unavailable_reason(self) -> str | None: ...

    @property
    def local_commits(self) -> OwnCommits: ...

    def check_file(self) -> None: ...


class ChangeWatcher:
    """Notices commits by other processes through `PRAGMA data_version` (no table scan), on its own thread.

    When the version moves, the newest event position tells whether the commit was another process's or ours.
    After every poll that read the version it tells `on_checked` the (monotonic) time the poll started, on the event
    loop and after any `on_change` it queued: nothing another process committed before then is left unreported.
    It also checkpoints the WAL into the store file once the WAL has grown: left to SQLite, the commit that
    crosses the threshold does it, and one order in a hundred took three times as long on a big store.
    """

    def __init__(
        self,
        database: WatchedFile,
        interval: float,
        on_change: Callable[[], None],
        on_checked: Callable[[float], None] | None = None,
    ) -> None:
        self._database = database
        assert database.path is not None
        self._path = database.path
        self._interval = interval
        self._on_change = on_change
        self._on_checked = on_checked
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._thread = threading.Thread(target=self._watch, name="pos-db-watcher", daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        try:
            connection = sqlite3.connect(self._path, check_same_thread=False, timeout=1)
        except sqlite3.Error:
            logger.exception("The change watcher could not open the store")
            return
        try:
            last = connection.execute("PRAGMA data_version").fetchone()[0]
            seen = connection.execute(NEWEST_POSITION).fetchone()[0]
            wal = Path(f"{self._path}-wal")
            polls = 0
            while not self._stop.wait(self._interval):
                polls += 1
                if polls % CHECKPOINT_EVERY_POLLS == 0:
                    self._checkpoint(connection, wal)
                if self._database.unavailable_reason is None:
                    self._database.check_file()
                    if self._database.unavailable_reason is not None:
                        self._notify()
                        continue
                started = time.monotonic()
                try:
                    version = connection.execute("PRAGMA data_version").fetchone()[0]
                except sqlite3.Error:
                    logger.warning("The change watcher could not read the store", exc_info=True)
                    continue
                if version != last:
                    last = version
                    try:
                        newest = connection.execute(NEWEST_POSITION).fetchone()[0]
                    except sqlite3.Error:
                        self._notify()
                        continue
                    if newest < seen or self._database.local_commits.others_committed(seen, newest):
                        self._notify()  # another terminal committed (or the store was replaced: tell the screens)
                    seen = newest
                if self._on_checked is not None:
                    self._call_soon(self._on_checked, started)
        finally:
            connection.close()

    @staticmethod
    def _checkpoint(connection: sqlite3.Connection, wal: Path) -> None:
        try:
            if wal.stat().st_size >= CHECKPOINT_WAL_BYTES:
                connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        except (OSError, sqlite3.Error):
            logger.debug("The background checkpoint could not run now", exc_info=True)

    def _notify(self) -> None:
        self._call_soon(self._on_change)

    def _call_soon(self, callback: Callable[..., None], *args: Any) -> None:
        call_soon_on(self._loop, callback, *args)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
