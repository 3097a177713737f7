"""The PostgreSQL store server: a store with several machines (tills, a kitchen display) on its own network.

It runs on the same threads as the SQLite store (`db.Database`: one writer thread, a pool of readers) and keeps
the same guarantees; what differs is how they are had.

Isolation and locks (chosen to give exactly SQLite's guarantees, which the application is written against):
- Every write transaction starts by taking one transaction-scoped advisory lock (`STORE_WRITE_LOCK`), held until
  it commits or rolls back, so write transactions of all machines run one at a time, as on SQLite, where `BEGIN
  IMMEDIATE` takes the file's write lock. They run at READ COMMITTED: each statement sees everything committed
  before it, and since every earlier writer has committed before the lock is granted, a writer sees the store as
  the last commit left it. That makes each of these correct without a lock of its own, under real parallelism:
  - the event store's positions: appended as max + 1, so gap-free and in commit order. A sequence would hand out
    positions in the order transactions start, not commit, and a terminal reading up to position 7 could miss a
    6 committed after it (the change watcher, `changed_since` and the rebuild all read by position);
  - the daily order number (`order_numbers`, read and bumped in the same transaction): unique and gap-free;
  - the kitchen's capacity, counted and taken in the transaction that places the order: no two tills both get
    the last slot;
  - an order's version, checked against the one the till saw: a stale write is refused (409);
  - the idempotency record, looked up and written in the transaction of the command: the same command from two
    machines at the same instant runs once, the second gets the first's result.
  SERIALIZABLE would give the same with retries on conflict instead of waiting; a pizzeria's writes are a few
  milliseconds each and a handful of machines, so waiting in line is both simpler and never refuses a till.
- Reads run at REPEATABLE READ: one snapshot for the whole read (a page and its count agree), as a SQLite read
  transaction in WAL mode; a read never waits for a writer and never blocks one.
- A waiting writer gives up after the busy timeout (`lock_timeout`), and the till is told the store is busy.

Other terminals hear of a commit through `LISTEN/NOTIFY`: the committing transaction sends `pg_notify`, which the
server delivers only once it has committed (nothing is polled). A lost connection (server restart, network) is
noticed by the watcher, which reconnects by itself and then has every screen read again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import select
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import psycopg
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import QueuePool

from pos_app.application.errors import StoreUnavailableError, StoreUnreachableError
from pos_app.infrastructure.db import READER_THREADS, Database, Watcher
from pos_app.infrastructure.loop_calls import call_soon_on

logger = logging.getLogger("pos_app.db")

STORE_WRITE_LOCK = 0x4D504F53  # "MPOS"
CHANNEL = "pos_store_changes"
CONNECT_TIMEOUT_SECONDS = 3
RECONNECT_EVERY_SECONDS = 0.25
REBUILT = "rebuilt"


def plain_url(url: str) -> str:
    """The URL for psycopg itself (no SQLAlchemy driver name)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class PostgresDatabase(Database):
    """A store on a PostgreSQL server (see the module's notes on isolation and locks)."""

    def __init__(self, url: str, busy_timeout_ms: int = 5000) -> None:
        self.url = make_url(url).set(drivername="postgresql+psycopg")
        self.terminal = uuid.uuid4().hex
        """Names this process in its notifications, so it does not wake itself."""
        super().__init__(None, busy_timeout_ms)

    @property
    def location(self) -> str:
        host = self.url.host or "localhost"
        port = f":{self.url.port}" if self.url.port else ""
        return f"{self.url.database} on {host}{port}"

    def _engine(self, immediate: bool) -> Engine:
        engine = create_engine(
            self.url,
            poolclass=QueuePool,
            pool_size=READER_THREADS + 1,
            max_overflow=-1,
            pool_pre_ping=True,  # a connection left from before a server restart is replaced, not used
            isolation_level="READ COMMITTED" if immediate else "REPEATABLE READ",
            connect_args={
                "connect_timeout": CONNECT_TIMEOUT_SECONDS,
                "application_name": "pos-app",
                "keepalives": 1,
                "keepalives_idle": 5,
                "keepalives_interval": 2,
                "keepalives_count": 2,
            },
        )
        timeout_ms = int(self.busy_timeout_ms)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: psycopg.Connection[Any], _: Any) -> None:
            with dbapi_connection.cursor() as cursor:
                cursor.execute(f"SET lock_timeout = {timeout_ms}")
                cursor.execute("SET idle_in_transaction_session_timeout = 60000")
            dbapi_connection.commit()

        if immediate:

            @event.listens_for(engine, "begin")
            def _on_begin(connection: Connection) -> None:
                connection.exec_driver_sql("SELECT pg_advisory_xact_lock(%s)", (STORE_WRITE_LOCK,))

        return engine

    def announce_commit(self, connection: Connection, first: int, last: int) -> None:
        connection.exec_driver_sql("SELECT pg_notify(%s, %s)", (CHANNEL, f"{self.terminal} {first} {last}"))

    def announce_rebuild(self, connection: Connection) -> None:
        connection.exec_driver_sql("SELECT pg_notify(%s, %s)", (CHANNEL, f"{self.terminal} {REBUILT}"))

    def check_file(self) -> None:
        """A server has no file to be replaced."""

    def watch_changes(
        self,
        interval: float,
        on_change: Callable[[], None],
        on_checked: Callable[[float], None] | None = None,
    ) -> Watcher:
        return NotifyWatcher(self, interval, on_change, on_checked)

    def is_store_trouble(self, error: BaseException) -> bool:
        original = getattr(error, "orig", error)
        trouble = isinstance(original, psycopg.OperationalError) or (
            isinstance(error, DBAPIError) and error.connection_invalidated
        )
        if trouble and is_connection_lost(original):
            self.set_reachable(False)
        return trouble

    def explain(self, error: BaseException) -> str:
        original = getattr(error, "orig", error)
        if isinstance(original, psycopg.errors.LockNotAvailable | psycopg.errors.QueryCanceled):
            return "The store is busy (another terminal holds it); try again"
        if isinstance(original, psycopg.errors.DiskFull):
            return "The store server's disk is full: changes cannot be saved"
        if is_connection_lost(original):
            return "Reconnecting to the store server…"
        return f"The store server failed: {original}"

    def unavailable(self, error: BaseException) -> StoreUnavailableError:
        original = getattr(error, "orig", error)
        if is_connection_lost(original) or (isinstance(error, DBAPIError) and error.connection_invalidated):
            return StoreUnreachableError(self.explain(error))  # sent again once the server is back
        return StoreUnavailableError(self.explain(error))

    async def wait_until_reachable(self, timeout: float) -> bool:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not self.reachable:
            left = deadline - loop.time()
            if left <= 0:
                return False
            if self._reachability_changed is None:
                self._reachability_changed = asyncio.Event()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._reachability_changed.wait(), left)
        return True

    def _tell_waiters(self) -> None:
        """On the event loop: wake whoever waits in `wait_until_reachable` (they look at `reachable` again)."""
        changed, self._reachability_changed = self._reachability_changed, None
        if changed is not None:
            changed.set()

    def set_reachable(self, reachable: bool) -> None:
        """Note whether the server answers, and tell `on_reachable` (on the event loop) when that changes."""
        if self.reachable == reachable:
            return
        self.reachable = reachable
        if reachable:
            logger.warning("The store server %s is back", self.location)
        else:
            logger.warning("Lost the store server %s; reconnecting", self.location)
        call_soon_on(self._loop, self._tell_waiters)
        if self.on_reachable is not None:
            call_soon_on(self._loop, self.on_reachable, reachable)

    _loop: asyncio.AbstractEventLoop | None = None
    _reachability_changed: asyncio.Event | None = None


def is_connection_lost(error: BaseException) -> bool:
    """The server went away or cannot be reached (as opposed to a busy store or a full disk)."""
    if isinstance(error, psycopg.errors.LockNotAvailable | psycopg.errors.QueryCanceled | psycopg.errors.DiskFull):
        return False
    return isinstance(error, psycopg.OperationalError)


class NotifyWatcher:
    """Hears other terminals' commits through LISTEN on a connection of its own, on its own thread.

    It waits on the connection's socket; when something arrives (or `interval` has passed) it runs `SELECT 1`,
    which receives every notification queued before it. After each such round trip it tells `on_checked` when the
    round trip started: every commit before then has been heard (a notification is queued at commit). When the
    connection is lost it reports the server unreachable, reconnects every `RECONNECT_EVERY_SECONDS`, and once back
    has every screen read again (notifications sent meanwhile were not heard).
    """

    def __init__(
        self,
        database: PostgresDatabase,
        interval: float,
        on_change: Callable[[], None],
        on_checked: Callable[[float], None] | None = None,
    ) -> None:
        self._database = database
        self._interval = interval
        self._on_change = on_change
        self._on_checked = on_checked
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake_read, self._wake_write = os.pipe()

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._database._loop = self._loop
        self._thread = threading.Thread(target=self._watch, name="pos-db-watcher", daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        url = plain_url(self._database.url.render_as_string(hide_password=False))
        while not self._stop.is_set():
            try:
                connection = psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS)
            except psycopg.Error:
                self._database.set_reachable(False)
                self._stop.wait(RECONNECT_EVERY_SECONDS)
                continue
            try:
                connection.add_notify_handler(self._heard)
                connection.execute(f"LISTEN {CHANNEL}")
                if not self._database.reachable:
                    self._database.set_reachable(True)
                    self._call_soon(self._on_change)  # what was committed while away was not heard
                self._listen(connection)
            except psycopg.Error:
                if not self._stop.is_set():
                    logger.warning("The change watcher lost the store server", exc_info=True)
                    self._database.set_reachable(False)
            finally:
                with contextlib.suppress(psycopg.Error):
                    connection.close()

    def _listen(self, connection: psycopg.Connection[Any]) -> None:
        socket = connection.fileno()
        while not self._stop.is_set():
            started = time.monotonic()
            connection.execute("SELECT 1")  # receives every notification queued before it
            if not self._database.reachable:
                self._database.set_reachable(True)
                self._call_soon(self._on_change)
            if self._on_checked is not None:
                self._call_soon(self._on_checked, started)
            select.select([socket, self._wake_read], [], [], self._interval)

    def _heard(self, notification: psycopg.Notify) -> None:
        terminal, _, _ = notification.payload.partition(" ")
        if terminal != self._database.terminal:
            self._call_soon(self._on_change)

    def _call_soon(self, callback: Callable[..., None], *args: Any) -> None:
        call_soon_on(self._loop, callback, *args)

    def stop(self) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            os.write(self._wake_write, b"x")
        if self._thread is not None:
            self._thread.join(timeout=5)
        for end in (self._wake_read, self._wake_write):
            with contextlib.suppress(OSError):
                os.close(end)
