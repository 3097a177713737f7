"""The projector: runs every read model's projections for each committed event, inside the command's transaction."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, delete

from pos_app.domain.events import DomainEvent
from pos_app.read_model.definition import Projection, ReadModel


class Projector:
    """Runs every projection registered for an event's type: read model by read model, in catalogue order."""

    def __init__(self, read_models: Iterable[ReadModel] = ()) -> None:
        self._by_type: dict[type[DomainEvent], list[Projection]] = {}
        self._read_models: list[ReadModel] = []
        for read_model in read_models:
            self.add(read_model)

    def add(self, read_model: ReadModel) -> None:
        self._read_models.append(read_model)
        for event_type, projection in read_model.projections:
            self._by_type.setdefault(event_type, []).append(projection)

    def project(self, connection: Connection, position: int, event: DomainEvent) -> None:
        for projection in self._by_type.get(type(event), ()):
            projection(connection, position, event)

    def project_all(self, connection: Connection, events: Iterable[tuple[int, DomainEvent]]) -> None:
        for position, event in events:
            self.project(connection, position, event)

    def clear(self, connection: Connection) -> None:
        for read_model in self._read_models:
            for read_table in read_model.tables:
                connection.execute(delete(read_table))
