"""One structured log line per request: its type, status and time taken.

Request values in a log line (ids, names, and the error messages that quote them) have their line breaks and
control characters escaped repr-style (`\\n`, `\\x1b`), so no request can forge a line of the log.
"""

from __future__ import annotations

import logging
import re
import time
from typing import Any

from pos_app.mediation import Command, NextHandler, PipelineBehavior

logger = logging.getLogger("pos_app.requests")

_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(value: object) -> str:
    """`value` as text on one line: control characters and line breaks escaped as `repr` writes them."""
    return _UNPRINTABLE.sub(lambda match: repr(match.group())[1:-1], str(value))


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
            "order_id": printable(order_id) if order_id else None,
        }
        if result.is_success:
            level = logging.INFO if fields["kind"] == "command" else logging.DEBUG
            logger.log(level, "%s -> %s in %.1f ms", name, result.status, elapsed_ms, extra={"pos": fields})
        else:
            logger.warning(
                "%s -> %s in %.1f ms: %s",
                name,
                result.status,
                elapsed_ms,
                printable(result.error_message),
                extra={"pos": fields},
            )
        return result
