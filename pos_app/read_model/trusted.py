"""DTOs from rows the store already holds valid: a lean `model_construct` for the read side's long lists.

pydantic's `model_construct` looks at every field's aliases and defaults on each call; a list of a thousand orders
spends most of its time there. Rows read from our own tables need none of that: every field is given, already of
the right type. tests/unit/test_trusted_dtos.py checks these instances equal validated ones.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar
from uuid import UUID, SafeUUID

from pydantic import BaseModel

D = TypeVar("D", bound=BaseModel)

_set = object.__setattr__


class TrustedDto(Generic[D]):
    def __init__(self, dto_type: type[D]) -> None:
        fields = dto_type.model_fields
        if any(f.alias or f.validation_alias for f in fields.values()) or dto_type.__pydantic_post_init__:
            raise TypeError(f"{dto_type.__name__} uses aliases or post-init: build it with model_construct")
        self._type = dto_type
        self._names = frozenset(fields)
        self._checked = False

    def __call__(self, **values: Any) -> D:
        if not self._checked:  # the call sites pass literal field names: checking the first call checks them all
            if values.keys() != self._names:
                missing, extra = self._names - values.keys(), values.keys() - self._names
                raise TypeError(f"{self._type.__name__}: missing {sorted(missing)}, unknown {sorted(extra)}")
            self._checked = True
        instance = self._type.__new__(self._type)
        _set(instance, "__dict__", values)
        _set(instance, "__pydantic_fields_set__", set(self._names))
        _set(instance, "__pydantic_extra__", None)
        _set(instance, "__pydantic_private__", None)
        return instance


def uuid_from_hex(text: str) -> UUID:
    """A stored UUID (32 hex digits, written by us) without `UUID(text)` checking and re-parsing its text."""
    value = UUID.__new__(UUID)
    _set(value, "int", int(text, 16))
    _set(value, "is_safe", SafeUUID.unknown)
    return value
