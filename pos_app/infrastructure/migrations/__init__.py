"""Schema migrations: one Alembic history (`infrastructure/alembic/`) for SQLite and PostgreSQL.

`upgrade_store(connection)` brings a store to the newest revision inside the caller's write transaction, on every
start (`bootstrap.prepare_store`) and by `pos-app migrate`. A new store, on either backend, runs the history from
nothing. A SQLite store made before Alembic holds its version in `PRAGMA user_version` (1 to 10, no
`alembic_version` table): it first takes the SQL steps it misses (`MIGRATIONS`, frozen as they shipped), is then
stamped at the baseline revision, which is the schema those steps end in, and takes the revisions after it.
Before anything is applied to an existing SQLite store, it is copied beside itself with SQLite's backup API
(`store_backup.py`). A store at a revision this app does not know is refused (`NewerStoreError`).

Every SQLite store carries `PRAGMA application_id` = `APPLICATION_ID`, so a file of another program is never taken
for one (stores of schema 1 and 2 carry 0 and get it when they are migrated; see `infrastructure/store_file.py`),
and, once in the Alembic history, `PRAGMA user_version` = `ALEMBIC_USER_VERSION`, which the versions before
Alembic refuse as newer than they know.

A store made by any earlier version opens and keeps its data. A schema change is a new Alembic revision, never an
edit of an old one or of the SQL steps (docs/STORE.md; `test_the_migrations_build_exactly_the_schema_the_code_declares`
in tests/integration/test_store.py checks that the history adds up to the current tables).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect

if TYPE_CHECKING:
    from alembic.config import Config

from pos_app.infrastructure.store_backup import back_up_sqlite_store

Migration = Callable[[Connection], None]


def _sql_file(name: str) -> Migration:
    def apply(connection: Connection) -> None:
        script = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
        for statement in script.split(";"):
            if statement.strip():
                connection.exec_driver_sql(statement)

    apply.__doc__ = name
    return apply


MIGRATIONS: list[tuple[int, str, Migration]] = [
    (1, "orders, menu, staff, event store and read models", _sql_file("0001_initial.sql")),
    (
        2,
        "the order list's day index also orders by number (newest first without a sort)",
        _sql_file("0002_order_list_day_index.sql"),
    ),
    (4, "what kind of store this is (demo or real)", _sql_file("0004_store_info.sql")),
    (
        5,
        "the kitchen's load and the orders left open are found by business day; menu items re-filed by category",
        _sql_file("0005_business_day_kitchen.sql"),
    ),
    (
        7,
        "each processed command keeps the digest of its request (the same id with other details is refused)",
        _sql_file("0007_processed_command_digest.sql"),
    ),
    (
        8,
        "allergens on the menu and on order lines, items that need no preparation, kitchen notices",
        _sql_file("0008_allergens_and_kitchen_notices.sql"),
    ),
    (
        9,
        "an order's lines carry their quantity; a dine-in order its table and covers",
        _sql_file("0009_quantities_and_tables.sql"),
    ),
    (
        10,
        "an order keeps the money taken for it (an edit may leave a balance to pay or a refund due) and its discount",
        _sql_file("0010_order_changes.sql"),
    ),
]

LEGACY_VERSION = MIGRATIONS[-1][0]
"""The last `PRAGMA user_version` of the SQL steps; the baseline revision is the schema it stands for."""
LATEST_VERSION = LEGACY_VERSION  # the name earlier releases had
BASELINE_REVISION = "0001"
HEAD_REVISION = "0001"
"""The newest revision in `versions/` (a test checks it): a store already there opens without loading Alembic,
which would cost every start a tenth of a second. Set it to the new revision's id when adding one."""
ALEMBIC_USER_VERSION = 100
"""`PRAGMA user_version` of a SQLite store in the Alembic history (its revision is in `alembic_version`)."""
SCRIPT_LOCATION = "pos_app.infrastructure:alembic"

APPLICATION_ID = 0x4D504F53
"""`PRAGMA application_id` of every store ("MPOS"): the file is a store of this product."""


class NewerStoreError(Exception):
    """The store was written by a newer version of the app."""


@dataclass(frozen=True, slots=True)
class Upgrade:
    """What `upgrade_store` did."""

    applied: list[str] = field(default_factory=list)
    """The SQL steps taken (`v2` … `v10`), then the revisions the store moved to (the baseline stamped on a store
    that came through the SQL steps). Empty when the store was up to date."""
    backup: Path | None = None
    """The copy made before (SQLite, an existing store that had something to apply)."""


def alembic_config(connection: Connection | None = None) -> Config:
    """The history, run on `connection` (no alembic.ini)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    if connection is not None:
        config.attributes["connection"] = connection
        config.attributes["applied"] = []
    return config


def head_revision() -> str:
    """The newest revision, as the history says."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_version(connection: Connection) -> int:
    """`PRAGMA user_version` (SQLite)."""
    return int(connection.exec_driver_sql("PRAGMA user_version").scalar_one())


def current_revision(connection: Connection) -> str | None:
    """The store's Alembic revision; None for a new store or one from before Alembic."""
    from alembic.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def pending(connection: Connection) -> list[str]:
    """What `upgrade_store` would apply, in order (the same names as `Upgrade.applied`); writes nothing."""
    from alembic.script import ScriptDirectory
    from alembic.script.revision import RevisionError
    from alembic.util.exc import CommandError

    script = ScriptDirectory.from_config(alembic_config())
    revision = current_revision(connection)
    steps: list[str] = []
    if revision is None and connection.dialect.name == "sqlite":
        version = current_version(connection)
        if version > LEGACY_VERSION:
            raise NewerStoreError(f"This store is at schema version {version}; this app knows up to {LEGACY_VERSION}")
        if version:  # a store from before Alembic: the SQL steps, then the baseline
            steps = [f"v{number}" for number, _, _ in MIGRATIONS if number > version]
            revision = BASELINE_REVISION
            steps.append(BASELINE_REVISION)
    try:
        newer = list(script.iterate_revisions("heads", revision or "base"))
    except (CommandError, RevisionError) as error:
        raise NewerStoreError(
            f"This store is at schema revision {revision}, which this app does not know (a newer app wrote it);"
            f" this app knows up to {script.get_current_head()}"
        ) from error
    return steps + [script_revision.revision for script_revision in reversed(newer)]


def upgrade_store(connection: Connection) -> Upgrade:
    """Apply what is missing (the caller holds the write transaction, and has checked that a SQLite file is a store:
    `store_file.check_store_file`); on SQLite mark the file as a store and back it up first if it had data."""
    sqlite = connection.dialect.name == "sqlite"
    if _at_head(connection, sqlite):
        return Upgrade()
    from alembic import command

    to_apply = pending(connection)
    backup = None
    applied: list[str] = []
    if to_apply:
        legacy = current_revision(connection) is None and sqlite and current_version(connection) > 0
        existing = legacy or current_revision(connection) is not None
        if sqlite and existing:
            backup = back_up_sqlite_store(connection, to_apply[-1])
        config = alembic_config(connection)
        if legacy:
            version = current_version(connection)
            for number, _, step in MIGRATIONS:
                if number > version:
                    step(connection)
                    connection.exec_driver_sql(f"PRAGMA user_version={number}")
                    applied.append(f"v{number}")
            command.stamp(config, BASELINE_REVISION)
        command.upgrade(config, "heads")
        applied.extend(config.attributes["applied"])
    if sqlite:
        if current_version(connection) != ALEMBIC_USER_VERSION:
            connection.exec_driver_sql(f"PRAGMA user_version={ALEMBIC_USER_VERSION}")
        if int(connection.exec_driver_sql("PRAGMA application_id").scalar_one()) != APPLICATION_ID:
            connection.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
    return Upgrade(applied, backup)


def _at_head(connection: Connection, sqlite: bool) -> bool:
    """Whether the store is at `HEAD_REVISION` and marked, read with plain SQL (nothing to do, no Alembic to load)."""
    if sqlite and (
        current_version(connection) != ALEMBIC_USER_VERSION
        or int(connection.exec_driver_sql("PRAGMA application_id").scalar_one()) != APPLICATION_ID
    ):
        return False
    if not inspect(connection).has_table("alembic_version"):
        return False
    return connection.exec_driver_sql("SELECT version_num FROM alembic_version").all() == [(HEAD_REVISION,)]


def migrate(connection: Connection) -> list[str]:
    """`upgrade_store(connection).applied`."""
    return upgrade_store(connection).applied
