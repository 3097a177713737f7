"""The rebuild driver: every read model's rebuild step applies the whole history to rows in memory, then each table
is written in bulk (far faster than replaying the events through the projections one statement at a time).

`infrastructure/event_store_replay.py` reads the event store and feeds the events in. Tests hold the result to the
tables the projections keep live, read model by read model.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, delete, insert

from pos_app.domain.events import DomainEvent
from pos_app.read_model.catalog import READ_MODELS
from pos_app.read_model.definition import ReadModel, RebuildSteps, RowHandler

WRITE_BATCH = 20_000


class BulkRebuild:
    def __init__(self, read_models: Iterable[ReadModel] = READ_MODELS) -> None:
        self._read_models = tuple(read_models)
        self._steps = RebuildSteps()
        for read_model in self._read_models:
            self._steps.add(read_model.rebuild_step(self._steps))
        by_type: dict[type[DomainEvent], list[RowHandler]] = {}
        for step in self._steps:
            for event_type, handler in step.handlers().items():
                by_type.setdefault(event_type, []).append(handler)
        self._by_type = {event_type: tuple(handlers) for event_type, handlers in by_type.items()}

    def apply(self, position: int, event: DomainEvent) -> None:
        for handler in self._by_type.get(type(event), ()):
            handler(position, event)

    def write(self, connection: Connection) -> None:
        """Replace every read model's tables with the rows built."""
        for read_model in self._read_models:
            for read_table in read_model.tables:
                connection.execute(delete(read_table))
        for step in self._steps:
            for target, rows in step.rows():
                batch: list[dict[str, Any]] = []
                statement = insert(target)
                for row in rows:
                    batch.append(row)
                    if len(batch) >= WRITE_BATCH:
                        connection.execute(statement, batch)
                        batch = []
                if batch:
                    connection.execute(statement, batch)
