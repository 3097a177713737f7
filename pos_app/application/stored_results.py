"""Stores a command's result as JSON and gives it back, typed, to a retry of the same command."""

from __future__ import annotations

import typing
from typing import Any

from pydantic import TypeAdapter

from pos_app.application.ports import StoredResult
from pos_app.mediation import OperationResult

_ADAPTERS: dict[type[Any], TypeAdapter[Any]] = {}


def _data_adapter(request_type: type[Any]) -> TypeAdapter[Any]:
    """The `T` of the `OperationResult[T]` a request type declares, e.g. `OrderPlacedDto`."""
    if request_type in _ADAPTERS:
        return _ADAPTERS[request_type]
    for klass in request_type.__mro__:
        metadata = getattr(klass, "__pydantic_generic_metadata__", None)
        if metadata and metadata.get("origin") is not None and metadata.get("args"):
            result_type = metadata["args"][0]
            if typing.get_origin(result_type) is OperationResult:
                adapter = _ADAPTERS[request_type] = TypeAdapter(typing.get_args(result_type)[0])
                return adapter
    raise TypeError(f"{request_type.__name__} does not declare an OperationResult[...] result")


_ENCODERS: dict[type[Any], TypeAdapter[Any]] = {}


def _encoder(data_type: type[Any]) -> TypeAdapter[Any]:
    """The adapter that writes a result's data of this type (made once: making one costs more than using it)."""
    adapter = _ENCODERS.get(data_type)
    if adapter is None:
        adapter = _ENCODERS[data_type] = TypeAdapter(data_type)
    return adapter


class ResultCodec:
    def encode(self, result: OperationResult[Any]) -> str | None:
        if result.data is None:
            return None
        return _encoder(type(result.data)).dump_json(result.data).decode()

    def decode(self, request_type: type[Any], stored: StoredResult) -> OperationResult[Any]:
        data = None if stored.payload is None else _data_adapter(request_type).validate_json(stored.payload)
        return OperationResult(stored.status, data)
