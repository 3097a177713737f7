"""Which store a database URL names, and opening (or making) a store on a server."""

from __future__ import annotations

from sqlalchemy import Connection, inspect
from sqlalchemy.engine import make_url

from pos_app.infrastructure.db import Database, database_path
from pos_app.infrastructure.migrations import upgrade_store
from pos_app.infrastructure.seed import read_is_demo, seed_demo_data, seed_real_store


def is_postgres_url(url: str) -> bool:
    """Whether the URL names a PostgreSQL store server (the other kind of store is a SQLite file)."""
    return make_url(url).get_backend_name() == "postgresql"


def open_database(url: str, busy_timeout_ms: int = 5000) -> Database:
    """The store a database URL names: a PostgreSQL server (`postgresql+psycopg://…`) or a SQLite file."""
    if is_postgres_url(url):
        from pos_app.infrastructure.postgres import PostgresDatabase  # psycopg loads only for a store server

        return PostgresDatabase(url, busy_timeout_ms)
    path = database_path(url)
    if path is None:
        raise ValueError("The store must be a file: give a database URL such as sqlite:///store.db")
    return Database(path, busy_timeout_ms)


class ServerStoreError(Exception):
    """There is no store on the server (and none was to be made), or one where a new store was to be made."""


def open_server_store(
    connection: Connection, manager: tuple[str, str, str] | None, *, create: bool, make_new: bool
) -> tuple[list[str], bool, bool]:
    """In one write transaction (machines starting at the same time take turns: the second finds the first's
    store): make the store where there is none (a demo store, or a real one with `manager`), or upgrade it.
    Returns the revisions applied, whether it was made, and whether it is a demo store."""
    if not inspect(connection).has_table("events"):
        if not create:
            raise ServerStoreError("There is no store")
        applied = upgrade_store(connection).applied
        if manager is None:
            seed_demo_data(connection)
        else:
            seed_real_store(connection, *manager)
        return applied, True, manager is None
    if make_new:
        raise ServerStoreError("A new store is made only where there is none: there is already a store")
    return upgrade_store(connection).applied, False, read_is_demo(connection)
