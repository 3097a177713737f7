"""UI test helpers: a fake mediator that records what views send."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from pos_app.application.behaviors.order_actions import with_actions
from pos_app.domain.staff import Role
from pos_app.mediation import OperationResult
from pos_app.messages.dtos import KitchenQueueChangesDto
from pos_app.messages.queries import GetKitchenQueueChangesQuery, GetKitchenQueueQuery

Response = OperationResult[Any] | Callable[[Any], OperationResult[Any]]
QUEUE_DAY = date(2026, 11, 27)


class FakeMediator:
    """Answers requests by type from `responses` (a result, or a function of the request); records them all.

    A request type with no response configured answers 200 with no data. With `role` set, the orders in answers
    carry the actions that role may take, as the core's pipeline fills them for whoever is logged in.
    """

    def __init__(self, responses: dict[type[Any], Response] | None = None, role: str | None = None) -> None:
        self.responses: dict[type[Any], Response] = dict(responses or {})
        self.sent: list[Any] = []
        self.role = role

    async def execute_async(self, request: Any) -> Any:
        self.sent.append(request)
        response = self.responses.get(type(request))
        if response is None and isinstance(request, GetKitchenQueueChangesQuery):
            response = self._whole_queue
        if response is None:
            return OperationResult.ok(None)
        result = response(request) if callable(response) else response
        if self.role is None or not isinstance(result, OperationResult) or result.data is None:
            return result
        return OperationResult(result.status, with_actions(result.data, Role(self.role)))

    def _whole_queue(self, request: GetKitchenQueueChangesQuery) -> Any:
        """The kitchen screen's changes query, answered with the whole queue configured for `GetKitchenQueueQuery`
        (as the store answers a first read): tests give the queue as it is, not as changes."""
        queue = self.responses.get(GetKitchenQueueQuery)
        if queue is None:
            return OperationResult.ok(None)
        result = queue(GetKitchenQueueQuery()) if callable(queue) else queue
        if not result.is_success:
            return result
        tickets = list(result.data or [])
        return OperationResult.ok(
            KitchenQueueChangesDto(position=0, business_date=QUEUE_DAY, changes_only=False, tickets=tickets)
        )

    def sent_of(self, request_type: type[Any]) -> list[Any]:
        return [request for request in self.sent if isinstance(request, request_type)]
