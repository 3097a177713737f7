"""Which store a database URL names."""

from __future__ import annotations

from pos_app.infrastructure.db import Database, database_path
from pos_app.infrastructure.postgres import PostgresDatabase, is_postgres_url


def open_database(url: str, busy_timeout_ms: int = 5000) -> Database:
    """The store a database URL names: a PostgreSQL server (`postgresql+psycopg://…`) or a SQLite file."""
    if is_postgres_url(url):
        return PostgresDatabase(url, busy_timeout_ms)
    path = database_path(url)
    if path is None:
        raise ValueError("The store must be a file: give a database URL such as sqlite:///store.db")
    return Database(path, busy_timeout_ms)
