"""Every command runs in one write transaction: committed on success, rolled back on a failed result or an error.

A command with an idempotency key that was already handled gets its first result back (or a 409 if the key came
with another request, see `behaviors/idempotency.py`), and nothing is written. The key is looked up in the
transaction's first read (on SQL stores in the same trip to the writer thread as the handler's first statement),
and the handler stops there when it has a result.
After the commit, the committed events are published to the after-commit event handlers.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pos_app.application.behaviors.idempotency import idempotency_key, idempotency_keys, replay, request_digest
from pos_app.application.ports import AlreadyProcessedError, Clock, StoredResult, UnitOfWork
from pos_app.application.stored_results import ResultCodec
from pos_app.domain.errors import DomainError
from pos_app.mediation import Command, Mediator, NextHandler, OperationResult, PipelineBehavior

__all__ = ["TransactionBehavior", "idempotency_key"]


class TransactionBehavior(PipelineBehavior[Any, Any]):
    applies_to: ClassVar[tuple[type[Any], ...]] = (Command,)

    def __init__(self, uow: UnitOfWork, mediator: Mediator, codec: ResultCodec, clock: Clock) -> None:
        self._uow = uow
        self._mediator = mediator
        self._codec = codec
        self._clock = clock

    async def handle_async(self, request: Any, next_handler: NextHandler) -> Any:
        keys = idempotency_keys(request)
        key = keys[0] if keys else None
        await self._uow.begin(write=True)
        try:
            try:
                if keys:
                    self._uow.check_processed_first(keys)
                try:
                    result: OperationResult[Any] = await next_handler()
                except DomainError:
                    await self._uow.check_processed_now()  # a retry of a command that succeeded gets that result
                    raise
                await self._uow.check_processed_now()
            except AlreadyProcessedError as done:
                await self._uow.rollback()
                return replay(request, done.stored, self._codec)
            if not result.is_success and not self._uow.keeps_changes_of_failure:
                await self._uow.rollback()
                return result
            if key is not None and result.is_success:
                stored_result = StoredResult(result.status, self._codec.encode(result), request_digest(request))
                await self._uow.processed.add(key, type(request).__name__, stored_result, self._clock.now())
            await self._uow.commit()
        except BaseException:
            if self._uow.in_transaction:
                await self._uow.rollback()
            raise
        for event in self._uow.committed_events:
            await self._mediator.publish_async(event)
        return result
