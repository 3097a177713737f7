"""UI test helpers: a fake mediator that records what views send, and isolated QSettings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings

from pos_app.mediation import OperationResult

Response = OperationResult[Any] | Callable[[Any], OperationResult[Any]]


class FakeMediator:
    """Answers requests by type from `responses` (a result, or a function of the request); records them all.

    A request type with no response configured answers 200 with no data.
    """

    def __init__(self, responses: dict[type[Any], Response] | None = None) -> None:
        self.responses: dict[type[Any], Response] = dict(responses or {})
        self.sent: list[Any] = []

    async def execute_async(self, request: Any) -> Any:
        self.sent.append(request)
        response = self.responses.get(type(request))
        if response is None:
            return OperationResult.ok(None)
        return response(request) if callable(response) else response

    def sent_of(self, request_type: type[Any]) -> list[Any]:
        return [request for request in self.sent if isinstance(request, request_type)]


@pytest.fixture(autouse=True)
def isolated_qsettings(tmp_path: Path) -> None:
    """QSettings written by views go to a temporary folder, not the user's."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))
