"""Which files are stores, and how a new store comes to be.

A store is marked with `PRAGMA application_id` (`APPLICATION_ID`). Stores of schema 1 and 2 carry 0 but hold our
tables and a `user_version` we know; they are ours and are marked when they are migrated. Anything else (another
program's database, an empty file, a file that is no database) is refused and left exactly as it was: the check
reads the header with plain file I/O and, only where that cannot tell, asks SQLite through a read-only connection,
before anything opens the file for writing or switches it to WAL.

A new store is built in a temporary file beside its place (schema, menu, staff, in SQLite's rollback-journal
mode) and linked into place only once complete, so a crash while creating it leaves no half-made store behind.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine, event
from sqlalchemy.pool import NullPool

from pos_app.infrastructure.migrations import APPLICATION_ID, LEGACY_VERSION

SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_BYTES = 100
APPLICATION_ID_OFFSET = 68
STORE_TABLES = frozenset({"orders", "order_items", "events", "menu_items", "toppings", "staff"})
"""Tables every schema version of a store has."""


class NotAStoreError(Exception):
    """The file is not a store of this product (or cannot be read to tell); it was left as it was."""


class StoreFile(Enum):
    MISSING = "missing"
    STORE = "store"


def check_store_file(path: Path) -> StoreFile:
    """Whether `path` holds a store, or nothing yet. Raises `NotAStoreError` for anything else; writes nothing."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return StoreFile.MISSING
    except OSError as error:
        raise NotAStoreError(error.strerror or str(error)) from error
    if path.is_dir():
        raise NotAStoreError("it is a folder, not a store file")
    if size == 0:
        raise NotAStoreError("the file is empty, not a store")
    try:
        with path.open("rb") as file:
            header = file.read(HEADER_BYTES)
    except OSError as error:
        raise NotAStoreError(error.strerror or str(error)) from error
    if len(header) < HEADER_BYTES or not header.startswith(SQLITE_MAGIC):
        raise NotAStoreError("file is not a database")
    application_id = int.from_bytes(header[APPLICATION_ID_OFFSET : APPLICATION_ID_OFFSET + 4], "big")
    if application_id == APPLICATION_ID:
        return StoreFile.STORE
    if application_id != 0:
        raise NotAStoreError(
            f"it is a database of another program (application id {application_id:#010x}), not a store"
        )
    return _check_unmarked(path)


def _check_unmarked(path: Path) -> StoreFile:
    """A database with no application id: a store of schema 1 or 2 (or a migration to 4 left in its WAL), or not."""
    wal_present = Path(f"{path}-wal").exists()
    # With no WAL beside it, `immutable` reads the file alone and creates no -wal/-shm files next to it.
    options = "mode=ro" if wal_present else "mode=ro&immutable=1"
    try:
        with contextlib.closing(
            sqlite3.connect(f"{path.resolve().as_uri()}?{options}", uri=True, timeout=1)
        ) as connection:
            application_id = int(connection.execute("PRAGMA application_id").fetchone()[0])
            version = int(connection.execute("PRAGMA user_version").fetchone()[0])
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.Error as error:
        raise NotAStoreError(str(error)) from error
    if application_id == APPLICATION_ID:
        return StoreFile.STORE
    if application_id != 0:
        raise NotAStoreError(
            f"it is a database of another program (application id {application_id:#010x}), not a store"
        )
    if not STORE_TABLES.issubset(tables):
        what = "an empty database" if not tables else "a database of another program"
        raise NotAStoreError(f"it is {what}, not a store")
    if not 1 <= version <= LEGACY_VERSION:
        raise NotAStoreError(
            f"it has the store's tables but an unknown schema version ({version}), so it is not a store"
        )
    return StoreFile.STORE


def create_store_file(path: Path, build: Callable[[Connection], Any]) -> None:
    """Make a store at `path` (which must not exist): `build(connection)` fills it in one transaction in a temporary
    file beside it, which is then linked into place. Raises `FileExistsError` if `path` appeared meanwhile."""
    descriptor, temporary_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".creating")
    os.close(descriptor)
    temporary = Path(temporary_name)
    try:
        engine = create_engine(f"sqlite:///{temporary}", poolclass=NullPool)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: sqlite3.Connection, _: Any) -> None:
            dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
            dbapi_connection.execute("PRAGMA foreign_keys=ON")

        @event.listens_for(engine, "begin")
        def _on_begin(connection: Connection) -> None:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        try:
            with engine.connect() as connection, connection.begin():
                build(connection)
        finally:
            engine.dispose()
        with temporary.open("rb+") as file:
            os.fsync(file.fileno())
        _link_into_place(temporary, path)
    finally:
        for leftover in (temporary, Path(f"{temporary}-journal")):
            leftover.unlink(missing_ok=True)
    _sync_folder(path.parent)


def _link_into_place(temporary: Path, path: Path) -> None:
    """Put the finished file at `path`, never over a file that is there."""
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links
        if path.exists():
            raise FileExistsError(path) from None
        os.rename(temporary, path)


def _sync_folder(folder: Path) -> None:
    """Make the new directory entry durable (where the platform allows opening a folder)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
