"""Which store a database URL names, and the schema of a new store on a server."""

from __future__ import annotations

from sqlalchemy import Connection

from pos_app.infrastructure.db import Database, database_path
from pos_app.infrastructure.migrations import LATEST_VERSION
from pos_app.infrastructure.postgres import PostgresDatabase, is_postgres_url
from pos_app.read_model.catalog import build_projector
from pos_app.schema import Base
from pos_app.schema.dialects import PG_CASEFOLD_FUNCTION


def open_database(url: str, busy_timeout_ms: int = 5000) -> Database:
    """The store a database URL names: a PostgreSQL server (`postgresql+psycopg://…`) or a SQLite file."""
    if is_postgres_url(url):
        return PostgresDatabase(url, busy_timeout_ms)
    path = database_path(url)
    if path is None:
        raise ValueError("The store must be a file: give a database URL such as sqlite:///store.db")
    return Database(path, busy_timeout_ms)


def create_server_schema(connection: Connection) -> list[int]:
    """Every table of the store, on a server that has none (in the caller's write transaction)."""
    import pos_app.infrastructure.records  # noqa: F401  (the write model's tables)

    build_projector()  # the read models' tables
    Base.metadata.create_all(connection)
    connection.exec_driver_sql(PG_CASEFOLD_FUNCTION)
    return [LATEST_VERSION]
