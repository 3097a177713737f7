"""Rebuild every read model from the event store: clear the tables, replay the events in order."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, select

from pos_app.infrastructure.event_codec import decode
from pos_app.read_model.projections import Projector
from pos_app.read_model.schema import EventRecord, table

BATCH = 5000
events_t = table(EventRecord)


def rebuild_read_models(
    connection: Connection, projector: Projector, progress: Callable[[int], None] | None = None
) -> int:
    """Runs in the caller's write transaction. Returns how many events were replayed."""
    projector.clear(connection)
    replayed = 0
    last = 0
    while True:
        rows = connection.execute(
            select(events_t).where(events_t.c.position > last).order_by(events_t.c.position).limit(BATCH)
        ).all()
        if not rows:
            return replayed
        for row in rows:
            projector.project(
                connection, row.position, decode(row.event_type, row.payload, row.occurred_at, row.staff_id)
            )
        replayed += len(rows)
        last = rows[-1].position
        if progress is not None:
            progress(replayed)
