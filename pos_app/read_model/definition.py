"""What a read model is: its tables, its live projections, its rebuild step and its query handlers, in one module.

Each read model module (`order_list.py`, `kitchen_queue.py`, `customers.py`, `sales.py`, `kitchen_performance.py`)
ends with one `ReadModel` describing it; `catalog.py` lists them. Two paths keep a read model's tables:

- its **projections** run one event at a time inside the command's transaction (`projector.py` dispatches them);
- its **rebuild step** applies a whole history to rows in memory, exactly as the projections apply it to the tables,
  and hands the rows to `bulk_rebuild.py`, which writes every table in bulk.

Both depend only on the events and the read models, so tests hold them to the same tables, read model by read model.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Connection, Table

from pos_app.domain.events import DomainEvent

E = TypeVar("E", bound=DomainEvent)
S = TypeVar("S", bound="RebuildStep")

Projection = Callable[[Connection, int, Any], None]
"""(connection, the event's position in the store, the event): writes the event into the read model's tables."""
RowHandler = Callable[[int, Any], None]
"""(position, event): the same change, made to the rebuild step's rows in memory."""
Rows = Iterable[tuple[Table, Iterable[dict[str, Any]]]]


def on(event_type: type[E], projection: Callable[[Connection, int, E], None]) -> tuple[type[DomainEvent], Projection]:
    """A projection for one event type (typed: the projection takes that event)."""
    return event_type, projection


class RebuildStep(abc.ABC):
    """A read model's part of a full rebuild: rows in memory, changed by each event as its projections change the
    tables; at the end, the rows of each of its tables."""

    @abc.abstractmethod
    def handlers(self) -> Mapping[type[DomainEvent], RowHandler]: ...

    @abc.abstractmethod
    def rows(self) -> Rows: ...


class RebuildSteps:
    """The steps of one rebuild, in catalogue order. A read model whose projections read another's table (the order
    as placed, from the order list) takes that read model's step from here, as its rows in memory."""

    def __init__(self) -> None:
        self._steps: list[RebuildStep] = []

    def add(self, step: RebuildStep) -> None:
        self._steps.append(step)

    def get(self, kind: type[S]) -> S:
        for step in self._steps:
            if isinstance(step, kind):
                return step
        raise LookupError(f"no {kind.__name__} yet: list the read model it belongs to earlier in the catalogue")

    def __iter__(self) -> Iterator[RebuildStep]:
        return iter(self._steps)


@dataclass(frozen=True, slots=True)
class ReadModel:
    name: str
    tables: tuple[Table, ...]
    projections: tuple[tuple[type[DomainEvent], Projection], ...]
    """Run in this order for each event (after the projections of the read models listed before this one)."""
    rebuild_step: Callable[[RebuildSteps], RebuildStep]
    module: str
    """The module that defines it, and its query handlers (the mediator scans it)."""
