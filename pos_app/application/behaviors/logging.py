"""One structured log line per request: its type, status and time taken."""

from __future__ import annotations

import logging
import time
from typing import Any

from pos_app.mediation import Command, NextHandler, PipelineBehavior

logger = logging.getLogger("pos_app.requests")


class LoggingBehavior(PipelineBehavior[Any, Any]):
    async def handle_async(self, request: Any, next_handler: NextHandler) -> Any:
        if not logger.isEnabledFor(logging.INFO):
            return await next_handler()
        started = time.perf_counter()
        result = await next_handler()
        elapsed_ms = (time.perf_counter() - started) * 1000
        name = type(request).__name__
        order_id = getattr(request, "order_id", None)
        fields = {
            "request": name,
            "kind": "command" if isinstance(request, Command) else "query",
            "status": result.status,
            "elapsed_ms": round(elapsed_ms, 2),
            "order_id": str(order_id) if order_id else None,
        }
        if result.is_success:
            level = logging.INFO if fields["kind"] == "command" else logging.DEBUG
            logger.log(level, "%s -> %s in %.1f ms", name, result.status, elapsed_ms, extra={"pos": fields})
        else:
            logger.warning(
                "%s -> %s in %.1f ms: %s", name, result.status, elapsed_ms, result.error_message, extra={"pos": fields}
            )
        return result
