"""Alembic's environment for the store.

The app hands over the connection that holds its write transaction in `config.attributes["connection"]`, so the
revisions run inside it (one transaction on both backends; nothing is committed here) and each revision applied is
appended to `config.attributes["applied"]`. From the `alembic` command line (a developer writing a revision, see
docs/STORE.md) `-x url=...` names a scratch database instead, and the models are the target of `--autogenerate`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from alembic import context
from alembic.migration import MigrationContext, MigrationInfo
from sqlalchemy import Connection, MetaData, create_engine
from sqlalchemy.pool import NullPool

config = context.config


def _models() -> MetaData:
    import pos_app.infrastructure.records
    import pos_app.read_model.catalog  # noqa: F401  (every read model's tables)
    from pos_app.schema import Base

    return Base.metadata


def _run(connection: Connection, target: MetaData | None) -> None:
    applied: list[str] = config.attributes.setdefault("applied", [])

    def on_version_apply(
        ctx: MigrationContext, step: MigrationInfo, heads: Collection[Any], run_args: Mapping[str, Any]
    ) -> None:
        if step.is_upgrade:
            applied.extend(step.up_revision_ids)

    context.configure(
        connection=connection,
        target_metadata=target,
        render_as_batch=True,  # a generated revision alters tables in batches, which SQLite needs
        on_version_apply=on_version_apply,
    )
    with context.begin_transaction():
        context.run_migrations()


given: Connection | None = config.attributes.get("connection")
if given is not None:
    _run(given, None)
else:
    url = context.get_x_argument(as_dictionary=True).get("url")
    if not url:
        raise SystemExit("give the scratch database to compare with: alembic -x url=sqlite:///scratch.db ...")
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            _run(connection, _models())
    finally:
        engine.dispose()
