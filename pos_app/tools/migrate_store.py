"""`pos-app migrate`: bring a store's schema up to this app's newest revision, and say what was done.

The app does the same on every start; this runs it alone, e.g. before the terminals of a store are started on a
new version. A SQLite store is opened as on start (a file that is no store is refused and left as it was; a
missing one is not made) and copied beside itself before anything is applied. A PostgreSQL database must hold a
store already: an empty one is made a store by starting the app on it with `--demo` or `--new-store`.
"""

from __future__ import annotations

import asyncio
from functools import partial

from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from pos_app.bootstrap import StoreOpenError, prepare_store
from pos_app.config import Settings, default_database_url
from pos_app.infrastructure.db import Database, database_path
from pos_app.infrastructure.migrations import NewerStoreError, Upgrade, head_revision, upgrade_store
from pos_app.tools.store_choice import UsageError


def migrate_store(database_url: str | None) -> list[str]:
    """Upgrade the store at `database_url` (the default store when None); returns the lines to print. Raises
    `UsageError` for a URL that names no store and `StoreOpenError` for a store that cannot be upgraded."""
    url = database_url or default_database_url()
    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError as error:
        raise UsageError(f"--database-url {url}: {error}") from error
    if backend == "postgresql":
        where = make_url(url).render_as_string(hide_password=True)
        upgrade = _upgrade_postgresql(url, where)
    else:
        try:
            path = database_path(url)
        except (ValueError, ArgumentError) as error:
            raise UsageError(f"--database-url {url}: {error}") from error
        if path is None:
            raise UsageError(f"--database-url {url} is an in-memory database, not a store")
        where = str(path)
        upgrade = asyncio.run(_upgrade_sqlite(Database(path, Settings().busy_timeout_ms)))
    if not upgrade.applied:
        return [f"The store at {where} is up to date (schema revision {head_revision()}); nothing applied"]
    lines = [f"Upgraded the store at {where} to schema revision {head_revision()}: {', '.join(upgrade.applied)}"]
    if upgrade.backup is not None:
        lines.append(f"The store as it was before is kept in {upgrade.backup}")
    return lines


async def _upgrade_sqlite(database: Database) -> Upgrade:
    try:
        opened = await asyncio.get_running_loop().run_in_executor(None, partial(prepare_store, database, create=False))
    finally:
        await database.aclose()
    return Upgrade(opened.applied, opened.backup)


def _upgrade_postgresql(url: str, where: str) -> Upgrade:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            if not inspect(connection).get_table_names():
                raise StoreOpenError(
                    f"There is no store in {where} yet: start pos-app on it with --demo or --new-store to make one"
                )
            return upgrade_store(connection)
    except (SQLAlchemyError, NewerStoreError) as error:
        raise StoreOpenError(f"The store at {where} cannot be upgraded: {getattr(error, 'orig', error)}") from error
    finally:
        engine.dispose()
