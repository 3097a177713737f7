"""Business rules that said no become results (400/403/404/409/503); a store that cannot serve becomes a 503."""

from __future__ import annotations

from typing import Any

from pos_app.application.errors import StoreUnavailableError
from pos_app.domain.errors import DomainError
from pos_app.mediation import NextHandler, OperationResult, PipelineBehavior


class DomainErrorBehavior(PipelineBehavior[Any, Any]):
    async def handle_async(self, request: Any, next_handler: NextHandler) -> Any:
        try:
            return await next_handler()
        except DomainError as error:
            return OperationResult.failure(error.status, error.message, error.errors or None)
        except StoreUnavailableError as error:
            return self.service_unavailable(str(error))
