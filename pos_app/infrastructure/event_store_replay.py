"""Rebuild every read model from the event store (in the caller's write transaction): read the events in batches,
decode them, and hand them to the read side's bulk rebuild (`read_model/bulk_rebuild.py`), which builds the rows in
memory and writes the tables."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Connection

from pos_app.infrastructure.event_codec import decode
from pos_app.read_model.bulk_rebuild import BulkRebuild
from pos_app.schema.dialects import driver_sql

BATCH = 20_000
SELECT_EVENTS = (
    "SELECT position, event_type, payload, staff_id, occurred_at FROM events"
    " WHERE position > ? ORDER BY position LIMIT ?"
)


def rebuild_read_models(connection: Connection, progress: Callable[[int], None] | None = None) -> int:
    """Replay the whole event store into fresh read-model tables. Returns how many events were replayed."""
    builder = BulkRebuild()
    replayed = 0
    last = 0
    parse_instant = datetime.fromisoformat
    while True:
        rows = driver_sql(connection, SELECT_EVENTS, (last, BATCH)).fetchall()
        if not rows:
            break
        for position, event_type, payload, staff_id, occurred_at in rows:
            builder.apply(position, decode(event_type, payload, parse_instant(occurred_at), staff_id))
        replayed += len(rows)
        last = rows[-1][0]
        if progress is not None:
            progress(replayed)
    builder.write(connection)
    return replayed
