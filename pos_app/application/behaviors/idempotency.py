"""A retried command gets its first result back; the same id with other details is refused.

The retry of an order placed at 21:59:59 must not be refused at 22:00:01 because the store has closed, nor because
the kitchen has filled up since: it was already accepted. The transaction behavior looks the key up inside the write
transaction, before the handler runs, and answers a retry there, so two copies sent at once still make one order.
A retry that is refused before it gets there (by validation, or a store too busy to begin) is looked up here, after
the refusal, and gets its first result instead; a new command pays no read of its own for this. It runs after
authorization, so a retry is answered only to staff who may send the command now (a locked terminal gets 403, not
the customer's details).

Each processed command keeps a digest of its request (`request_digest`). An id sent again with a different request,
whether on another order or as another command type, is a 409 naming the id, and nothing is written. A result stored
before digests were kept has none and replays as before.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, ClassVar

from pos_app.application.errors import StoreUnavailableError
from pos_app.application.ports import StoredResult, UnitOfWork
from pos_app.application.stored_results import ResultCodec
from pos_app.mediation import Command, NextHandler, OperationResult, PipelineBehavior


class IdempotencyBehavior(PipelineBehavior[Any, Any]):
    applies_to: ClassVar[tuple[type[Any], ...]] = (Command,)

    def __init__(self, uow: UnitOfWork, codec: ResultCodec) -> None:
        self._uow = uow
        self._codec = codec

    async def handle_async(self, request: Any, next_handler: NextHandler) -> Any:
        result: OperationResult[Any] = await next_handler()
        if result.is_success:
            return result  # a retry that got this far was answered by the transaction's own look
        keys = idempotency_keys(request)
        if not keys:
            return result
        try:
            stored = await self._uow.processed.get_any(keys)  # a read of its own, after the transaction ended
        except StoreUnavailableError:
            return result  # the refusal already says what the store's trouble is
        return result if stored is None else replay(request, stored, self._codec)


def replay(request: Any, stored: StoredResult, codec: ResultCodec) -> OperationResult[Any]:
    """The first result again for the same request; a 409 naming the id for another request under that id."""
    same_type = stored.command_type in (None, type(request).__name__)
    if stored.digest is None and same_type:
        return codec.decode(type(request), stored)  # stored before digests were kept
    if stored.digest == request_digest(request) and same_type:
        return codec.decode(type(request), stored)
    id_field = "order_id" if type(request).__name__ == "PlaceOrderCommand" else "command_id"
    return OperationResult.failure(
        409,
        f"The {id_field} {request.idempotency_key} was already used for a different request; "
        "nothing was changed (send a new id for a new request)",
    )


def request_digest(request: Any) -> str:
    """sha256 of the canonical JSON of the request's fields, its type name included.

    Secret fields (a manager's approval PIN: fields kept out of the repr) are left out: a digest of a four-digit PIN
    is undone by trying all ten thousand, so it must never reach the store."""
    secrets = {name for name, field in type(request).model_fields.items() if not field.repr}
    canonical = json.dumps(
        {"type": type(request).__name__, "fields": request.model_dump(mode="json", exclude=secrets)},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,  # lone surrogates in hostile text are escaped, not refused
    )
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def idempotency_key(request: Any) -> str | None:
    """`PlaceOrderCommand:<order id>` for a command that carries an id, else None."""
    if not getattr(request, "idempotent", False):
        return None
    value = request.idempotency_key
    return None if value is None else f"{type(request).__name__}:{value}"


def idempotency_keys(request: Any) -> list[str]:
    """The request's own key first, then the same id under every other command type that carries one."""
    own = idempotency_key(request)
    if own is None:
        return []
    value = request.idempotency_key
    return [own] + [f"{name}:{value}" for name in _idempotent_type_names() if name != type(request).__name__]


_TYPE_NAMES: list[str] = []


def _idempotent_type_names() -> list[str]:
    if not _TYPE_NAMES:
        found: set[str] = set()
        pending: list[type[Any]] = [Command]
        while pending:
            klass = pending.pop()
            pending.extend(klass.__subclasses__())
            if getattr(klass, "idempotent", False) and not klass.__pydantic_generic_metadata__.get("origin"):
                found.add(klass.__name__)
        _TYPE_NAMES.extend(sorted(found))
    return _TYPE_NAMES
