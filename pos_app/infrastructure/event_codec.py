"""Domain events to JSON and back, for the event store. The type name is the event's class name."""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from typing import Any
from uuid import UUID

from pos_app.domain.events import ALL_EVENTS, DomainEvent

EVENT_TYPES: dict[str, type[DomainEvent]] = {cls.__name__: cls for cls in ALL_EVENTS}

Decoder = Callable[[Any], Any]


def _plain(value: Any) -> Any:
    if isinstance(value, (UUID, date)):  # datetime is a date
        return value.isoformat() if isinstance(value, date) else str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def encode(event: DomainEvent) -> str:
    """The payload JSON: every field but the envelope (`occurred_at`, `staff_id`, stored in their own columns)."""
    body = {
        f.name: _plain(getattr(event, f.name))
        for f in dataclasses.fields(event)
        if f.name not in ("occurred_at", "staff_id")
    }
    return json.dumps(body, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def decode(event_type: str, payload: str, occurred_at: datetime, staff_id: str | None) -> DomainEvent:
    cls = EVENT_TYPES[event_type]
    body = json.loads(payload)
    values = {name: convert(body[name]) for name, convert in _decoders(cls).items() if name in body}
    return cls(occurred_at=occurred_at, staff_id=staff_id, **values)


def _identity(value: Any) -> Any:
    return value


@cache
def _decoder_for(annotation: Any) -> Decoder:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        inner = _decoder_for(options[0]) if len(options) == 1 else _identity
        return lambda value: None if value is None else inner(value)
    if origin is tuple:
        element = _decoder_for(typing.get_args(annotation)[0])
        return lambda value: tuple(element(v) for v in value)
    if annotation is UUID:
        return UUID
    if annotation is datetime:
        return datetime.fromisoformat
    if annotation is date:
        return date.fromisoformat
    if isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
        fields = _decoders(annotation)
        target = annotation
        # a field added since the value was stored takes its default, as an event's own fields do
        return lambda value: target(**{name: convert(value[name]) for name, convert in fields.items() if name in value})
    return _identity


_DECODERS: dict[type[Any], dict[str, Decoder]] = {}


def _decoders(cls: type[Any]) -> dict[str, Decoder]:
    known = _DECODERS.get(cls)
    if known is not None:
        return known
    hints = typing.get_type_hints(cls)
    known = _DECODERS[cls] = {
        f.name: _decoder_for(hints[f.name])
        for f in dataclasses.fields(cls)
        if f.name not in ("occurred_at", "staff_id") or not issubclass(cls, DomainEvent)
    }
    return known
