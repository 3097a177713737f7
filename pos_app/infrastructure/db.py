"""The SQLite store: engines, the writer thread and reader pool, and pragmas (the change watcher: file_watcher.py).

tests/benchmarks/bench_db_access.py measures the choice (figures in docs/PERFORMANCE.md): a round trip through
aiosqlite costs several times a hop to a worker thread, and a statement on a connection the thread owns costs far
less than either. So database work runs as synchronous SQLAlchemy on threads: all writes on one writer thread (one
hop per repository call, and every write of a command in the commit hop), reads on a small pool. The Qt thread only
awaits futures; it never waits on a disk sync.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import QueuePool

from pos_app.application.errors import StoreUnavailableError
from pos_app.application.ports import StoreConnection
from pos_app.infrastructure.file_watcher import ChangeWatcher
from pos_app.infrastructure.prepared import PreparedConnection

T = TypeVar("T")
logger = logging.getLogger("pos_app.db")

READER_THREADS = 3
PAGE_CACHE_KB = 16_384
"""SQLite's page cache per connection (its default, 2 MB, is too small for a year of orders)."""


def database_path(database_url: str) -> Path | None:
    """The file behind a SQLite URL (None for an in-memory database)."""
    url = make_url(database_url)
    if not url.drivername.startswith("sqlite"):
        raise ValueError(f"Only SQLite stores are supported here, not {url.drivername}")
    name = url.database
    if not name or name == ":memory:" or name.startswith("file::memory:"):
        return None
    return Path(name)


def explain_operational_error(error: BaseException) -> str:
    text = str(getattr(error, "orig", error)).lower()
    if "locked" in text or "busy" in text:
        return "The store database is busy (another terminal holds it); try again"
    if "readonly" in text or "read-only" in text:
        return "The store database is read-only: changes cannot be saved"
    if "disk is full" in text or "full" in text:
        return "The disk is full: changes cannot be saved"
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return "The store database is damaged; restore it from a backup"
    if "unable to open" in text:
        return "The store database cannot be opened"
    return f"The store database failed: {getattr(error, 'orig', error)}"


def _casefold(text: str | None) -> str | None:
    """SQL `pos_casefold(x)`: case-insensitive search for every alphabet (SQLite's lower() folds only A–Z)."""
    return None if text is None else text.casefold()


def is_store_trouble(error: BaseException) -> bool:
    """Busy, read-only, full, damaged: the store cannot serve (as opposed to a bug in a statement)."""
    original = getattr(error, "orig", error)
    return isinstance(original, sqlite3.OperationalError) or type(original) is sqlite3.DatabaseError


class Watcher(Protocol):
    """Tells the app of other terminals' commits, on a thread of its own, from `start()` until `stop()`."""

    def start(self) -> None: ...

    def stop(self) -> None: ...


class Database(StoreConnection):
    """Owns the engines and the threads that use them. Everything here is created once per app.

    This is the SQLite store (a file); `infrastructure/postgres.py` holds the PostgreSQL store server, which shares
    the threads and overrides how engines are made, how a write transaction begins and how other terminals'
    commits are noticed. `open_database` picks one by the URL."""

    def __init__(self, path: Path | None, busy_timeout_ms: int = 5000) -> None:
        self.path = path
        self.busy_timeout_ms = busy_timeout_ms
        self.write_engine = self._engine(immediate=True)
        self.read_engine = self._engine(immediate=False)
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="pos-db-writer")
        self._readers = ThreadPoolExecutor(READER_THREADS, thread_name_prefix="pos-db-reader")
        self._write_lock: asyncio.Lock | None = None
        self._closed = False
        self._local_commits = LocalCommits()
        self.unavailable_reason: str | None = None
        """Set when the store file is gone or replaced: every request is refused until the app restarts."""
        self._identity: tuple[int, int] | None = None
        self.reachable = True
        """False while the store server cannot be reached (always True for a file)."""
        self.on_reachable: Callable[[bool], None] | None = None
        """Told (on the event loop) when the store server is lost or back."""

    @property
    def location(self) -> str:
        """Where the store is, as shown to staff (a file's path, a server's host and database)."""
        return str(self.path)

    def announce_commit(self, connection: Connection, first: int, last: int) -> None:
        """In the committing transaction: tell other terminals that events first…last are being written. A file
        needs nothing (they notice through `PRAGMA data_version`)."""

    def announce_rebuild(self, connection: Connection) -> None:
        """In the rebuild's transaction: tell other terminals every read model was made again (a file: they notice
        the new data version, and the screens read again when the cache is not vouched for)."""

    def watch_changes(
        self,
        interval: float,
        on_change: Callable[[], None],
        on_checked: Callable[[float], None] | None = None,
    ) -> Watcher:
        return ChangeWatcher(self, interval, on_change, on_checked)

    def is_store_trouble(self, error: BaseException) -> bool:
        return is_store_trouble(error)

    def explain(self, error: BaseException) -> str:
        return explain_operational_error(error)

    def unavailable(self, error: BaseException) -> StoreUnavailableError:
        """The error a request gets for store trouble (a store server that was lost says so, see postgres.py)."""
        return StoreUnavailableError(self.explain(error))

    async def wait_until_reachable(self, timeout: float) -> bool:
        return True  # a store file is always there (its own trouble is another error)

    def _engine(self, immediate: bool) -> Engine:
        engine = create_engine(
            f"sqlite:///{self.path}",
            poolclass=QueuePool,
            pool_size=READER_THREADS + 1,
            max_overflow=-1,  # never make a database thread wait for a connection
            connect_args={"check_same_thread": False, "timeout": self.busy_timeout_ms / 1000},
        )
        if immediate:
            engine._connection_cls = PreparedConnection  # a command's writes go straight to the driver
        # Readers wait in SQLite's busy handler; the writer takes the lock in `_begin_immediate` instead, which
        # polls every half millisecond: SQLite's handler sleeps in steps of up to 100 ms and can starve a terminal
        # while another one commits back to back.
        busy = 0 if immediate else self.busy_timeout_ms

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: sqlite3.Connection, _: Any) -> None:
            dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
            dbapi_connection.create_function("pos_casefold", 1, _casefold, deterministic=True)
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA busy_timeout={int(self.busy_timeout_ms)}")  # switching to WAL may wait
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA cache_size=-{PAGE_CACHE_KB}")
            if immediate:  # the change watcher checkpoints the WAL in the background instead (see ChangeWatcher)
                cursor.execute("PRAGMA wal_autocheckpoint=0")
            cursor.execute(f"PRAGMA busy_timeout={int(busy)}")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(connection: Connection) -> None:
            if immediate:
                self._begin_immediate(connection)
            else:
                connection.exec_driver_sql("BEGIN")

        return engine

    def _begin_immediate(self, connection: Connection) -> None:
        """Take the write lock, retrying every half millisecond until the busy timeout has passed."""
        deadline = time.monotonic() + self.busy_timeout_ms / 1000
        while True:
            try:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
                return
            except DBAPIError as error:
                text = str(error.orig).lower()
                if ("locked" not in text and "busy" not in text) or time.monotonic() >= deadline:
                    raise
            time.sleep(0.0005)

    # running work on the database threads --------------------------------------------------------------------------
    @property
    def write_lock(self) -> asyncio.Lock:
        """One write transaction at a time in this process (others wait here, not on a blocked thread)."""
        if self._write_lock is None:
            self._write_lock = asyncio.Lock()
        return self._write_lock

    async def on_writer(self, fn: Callable[..., T], *args: Any) -> T:
        return await self._run(self._writer, fn, *args)

    async def on_reader(self, fn: Callable[..., T], *args: Any) -> T:
        return await self._run(self._readers, fn, *args)

    async def read(self, fn: Callable[[Connection], T]) -> T:
        """Run `fn(connection)` in one read transaction on a reader thread."""
        return await self._run(self._readers, self._read_sync, fn)

    def _read_sync(self, fn: Callable[[Connection], T]) -> T:
        with self.read_engine.connect() as connection, connection.begin():
            return fn(connection)

    @property
    def local_commits(self) -> LocalCommits:
        """The event positions this process committed (the change watcher tells them from other terminals')."""
        return self._local_commits

    def remember_file(self) -> None:
        """Note which file is the store (after it was opened or created)."""
        self._identity = None if self.path is None else _file_identity(self.path)

    def check_file(self) -> None:
        """Refuse further work if the store file was deleted or replaced under the running app."""
        if self._identity is None or self.path is None:
            return
        identity = _file_identity(self.path)
        if identity is None:
            self.unavailable_reason = f"The store file {self.path} was removed; restart the app"
        elif identity != self._identity:
            self.unavailable_reason = f"The store file {self.path} was replaced; restart the app"
        if self.unavailable_reason:
            logger.error(self.unavailable_reason)

    async def _run(self, executor: ThreadPoolExecutor, fn: Callable[..., T], *args: Any) -> T:
        if self._closed:
            raise StoreUnavailableError("The store is closed")
        if self.unavailable_reason is not None:
            raise StoreUnavailableError(self.unavailable_reason)
        try:
            return await asyncio.get_running_loop().run_in_executor(executor, fn, *args)
        except (DBAPIError, sqlite3.DatabaseError) as error:
            if not self.is_store_trouble(error):
                raise  # a constraint or a statement that is wrong is a bug, not the disk
            raise self.unavailable(error) from error

    def run_sync(self, fn: Callable[[Connection], T]) -> T:
        """For start-up and tools: one write transaction, on the calling thread."""
        with self.write_engine.connect() as connection, connection.begin():
            return fn(connection)

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, self._shutdown)

    def _shutdown(self) -> None:
        self._writer.shutdown(wait=True)
        self._readers.shutdown(wait=True)
        self.write_engine.dispose()
        self.read_engine.dispose()


def _file_identity(path: Path) -> tuple[int, int] | None:
    try:
        status = os.stat(path)
    except FileNotFoundError:
        return None
    return status.st_dev, status.st_ino


class LocalCommits:
    """Ranges of event positions committed by this process, until the change watcher has accounted for them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ranges: list[tuple[int, int]] = []

    def add(self, first: int, last: int) -> None:
        with self._lock:
            self._ranges.append((first, last))

    def others_committed(self, seen: int, newest: int) -> bool:
        """Whether positions in (seen, newest] include any this process did not commit; forgets those ≤ newest.

        Positions are consecutive (each commit appends after the newest), so whatever is not ours is another's."""
        with self._lock:
            ours = sum(max(0, min(last, newest) - max(first, seen + 1) + 1) for first, last in self._ranges)
            self._ranges = [(first, last) for first, last in self._ranges if last > newest]
        return newest - seen > ours
