"""Only staff with an allowed role may send a request that carries the `RequiresRole` marker."""

from __future__ import annotations

from typing import Any, ClassVar

from pos_app.application.ports import RequestContext, TerminalSession
from pos_app.mediation import NextHandler, PipelineBehavior
from pos_app.messages.types import RequiresRole


class AuthorizationBehavior(PipelineBehavior[Any, Any]):
    applies_to: ClassVar[tuple[type[Any], ...]] = (RequiresRole,)

    def __init__(self, session: TerminalSession, context: RequestContext) -> None:
        self._session = session
        self._context = context

    async def handle_async(self, request: Any, next_handler: NextHandler) -> Any:
        staff = self._session.current
        if staff is None:
            return self.forbidden("Log in first")
        if staff.role.value not in request.allowed_roles:
            allowed = ", ".join(sorted(request.allowed_roles))
            return self.forbidden(f"{staff.name} ({staff.role.value}) may not do this; it needs: {allowed}")
        self._context.staff = staff
        return await next_handler()
