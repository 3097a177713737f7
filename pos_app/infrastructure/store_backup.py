"""A copy of a SQLite store, made with SQLite's backup API before its schema is changed.

`store.db` is copied to `store.db.before-<revision>-<UTC time>.bak` beside it, where `<revision>` is the one the
upgrade brings it to. The copy is taken while the upgrade holds the write lock and before it has written anything
(SQLite's backup cannot read through a connection in a write transaction, so a second connection reads the file:
it sees the last commit, which is the store exactly as it was, and no other terminal can write in between). The
copy is a single file in rollback-journal mode that opens on its own. It is written under a temporary name, checked with
`PRAGMA integrity_check` and synced, and only then given its name: a `.bak` file is always a whole, sound store.
If the copy cannot be made, the upgrade fails and the store is left as it was.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection

BUSY_SECONDS = 5.0


class BackupError(Exception):
    """The copy of the store could not be made or is not sound."""


def backup_path(store: Path, revision: str, now: datetime) -> Path:
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    base = f"{store.name}.before-{revision}-{stamp}"
    candidate = store.with_name(f"{base}.bak")
    number = 1
    while candidate.exists():  # two upgrades within a second (a failed one, then another)
        number += 1
        candidate = store.with_name(f"{base}-{number}.bak")
    return candidate


def back_up_sqlite_store(connection: Connection, revision: str, now: datetime | None = None) -> Path:
    """Copy the store behind `connection` (which holds the write lock and has written nothing yet) beside it; returns
    the copy's path."""
    database = connection.engine.url.database
    if not database:
        raise BackupError("the store has no file to copy beside")
    store = Path(database)
    target = backup_path(store, revision, now or datetime.now(UTC))
    partial = target.with_name(f"{target.name}.partial")
    try:
        with (
            contextlib.closing(sqlite3.connect(store, timeout=BUSY_SECONDS)) as source,
            contextlib.closing(sqlite3.connect(partial, isolation_level=None)) as copy,
        ):
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # one file, whatever the store's journal mode
            problems = [row[0] for row in copy.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise BackupError(f"the copy of the store is not sound: {'; '.join(problems[:3])}")
        with partial.open("rb+") as file:
            os.fsync(file.fileno())
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as error:
        raise BackupError(f"the store could not be copied to {target} before upgrading it: {error}") from error
    finally:
        partial.unlink(missing_ok=True)
        Path(f"{partial}-journal").unlink(missing_ok=True)
    return target
