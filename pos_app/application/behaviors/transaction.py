"""Every command runs in one write transaction: committed on success, rolled back on a failed result or an error.

A command with an idempotency key that was already handled gets its first result back, and nothing is written.
After the commit, the committed events are published to the after-commit event handlers.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pos_app.application.ports import Clock, StoredResult, UnitOfWork
from pos_app.application.results import ResultCodec
from pos_app.mediation import Command, Mediator, NextHandler, OperationResult, PipelineBehavior


class TransactionBehavior(PipelineBehavior[Any, Any]):
    applies_to: ClassVar[tuple[type[Any], ...]] = (Command,)

    def __init__(self, uow: UnitOfWork, mediator: Mediator, codec: ResultCodec, clock: Clock) -> None:
        self._uow = uow
        self._mediator = mediator
        self._codec = codec
        self._clock = clock

    async def handle_async(self, request: Any, next_handler: NextHandler) -> Any:
        key = idempotency_key(request)
        await self._uow.begin(write=True)
        try:
            if key is not None:
                stored = await self._uow.processed.get(key)
                if stored is not None:
                    await self._uow.rollback()
                    return self._codec.decode(type(request), stored)
            result: OperationResult[Any] = await next_handler()
            if not result.is_success and not self._uow.keeps_changes_of_failure:
                await self._uow.rollback()
                return result
            if key is not None and result.is_success:
                payload = self._codec.encode(result)
                await self._uow.processed.add(
                    key, type(request).__name__, StoredResult(result.status, payload), self._clock.now()
                )
            await self._uow.commit()
        except BaseException:
            if self._uow.in_transaction:
                await self._uow.rollback()
            raise
        for event in self._uow.committed_events:
            await self._mediator.publish_async(event)
        return result


def idempotency_key(request: Any) -> str | None:
    """`PlaceOrderCommand:<order id>` for a command that carries an id, else None."""
    if not getattr(request, "idempotent", False):
        return None
    value = request.idempotency_key
    return None if value is None else f"{type(request).__name__}:{value}"
