"""`OperationResult`: what every request returns, shaped like RFC 7807 problem details."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic, TypeVar

T = TypeVar("T")

_TITLES: dict[int, str] = {
    200: "OK",
    201: "Created",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


class OperationResult(Generic[T]):
    """The outcome of one request: a status, the data on success, a problem description on failure.

    A plain slots class, not a pydantic model: one is built on every call.
    """

    __slots__ = ("data", "detail", "error_message", "errors", "status", "title")

    status: int
    data: T | None
    error_message: str | None
    errors: dict[str, list[str]]
    title: str
    detail: str | None

    def __init__(
        self,
        status: int = 200,
        data: T | None = None,
        error_message: str | None = None,
        errors: Mapping[str, list[str]] | None = None,
        title: str | None = None,
    ) -> None:
        self.status = status
        self.data = data
        self.error_message = error_message
        self.errors = dict(errors) if errors else {}
        self.title = title if title is not None else _TITLES.get(status, "Error")
        self.detail = error_message

    @property
    def is_success(self) -> bool:
        return 200 <= self.status < 300

    def __repr__(self) -> str:
        if self.is_success:
            return f"OperationResult(status={self.status}, data={self.data!r})"
        return f"OperationResult(status={self.status}, error_message={self.error_message!r}, errors={self.errors!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, OperationResult):
            return NotImplemented
        return (
            self.status == other.status
            and self.data == other.data
            and self.error_message == other.error_message
            and self.errors == other.errors
        )

    __hash__ = None  # type: ignore[assignment]

    # Factories: handlers use the helpers of `ResultHelpers`; these serve behaviors and tests.
    @classmethod
    def ok(cls, data: T | None = None) -> OperationResult[T]:
        return cls(200, data)

    @classmethod
    def created(cls, data: T | None = None) -> OperationResult[T]:
        return cls(201, data)

    @classmethod
    def failure(
        cls,
        status: int,
        message: str,
        errors: Mapping[str, list[str]] | None = None,
        title: str | None = None,
    ) -> OperationResult[T]:
        if 200 <= status < 300:
            raise ValueError(f"a failure needs an error status, not {status}")
        return cls(status, None, message, errors, title)

    @classmethod
    def bad_request(cls, message: str, errors: Mapping[str, list[str]] | None = None) -> OperationResult[T]:
        return cls.failure(400, message, errors)

    @classmethod
    def validation_error(cls, errors: Mapping[str, list[str]], message: str | None = None) -> OperationResult[T]:
        if not errors:
            raise ValueError("a validation error names at least one field")
        summary = message or "; ".join(f"{field}: {' '.join(texts)}" for field, texts in errors.items())
        return cls.failure(400, summary, errors, "Validation Failed")

    @classmethod
    def forbidden(cls, message: str) -> OperationResult[T]:
        return cls.failure(403, message)

    @classmethod
    def not_found(cls, message: str) -> OperationResult[T]:
        return cls.failure(404, message)

    @classmethod
    def conflict(cls, message: str) -> OperationResult[T]:
        return cls.failure(409, message)

    @classmethod
    def service_unavailable(cls, message: str, errors: Mapping[str, list[str]] | None = None) -> OperationResult[T]:
        return cls.failure(503, message, errors)

    @classmethod
    def internal_server_error(cls, message: str = "An unexpected error occurred") -> OperationResult[T]:
        return cls.failure(500, message)


class ResultHelpers:
    """The `self.ok()` / `self.bad_request()` … helpers every request handler has.

    They return `OperationResult[Any]` so they fit whatever `OperationResult[...]` the handler declares.
    """

    __slots__ = ()

    def ok(self, data: Any = None) -> OperationResult[Any]:
        return OperationResult(200, data)

    def created(self, data: Any = None) -> OperationResult[Any]:
        return OperationResult(201, data)

    def bad_request(self, message: str, errors: Mapping[str, list[str]] | None = None) -> OperationResult[Any]:
        return OperationResult.failure(400, message, errors)

    def validation_error(self, errors: Mapping[str, list[str]], message: str | None = None) -> OperationResult[Any]:
        return OperationResult.validation_error(errors, message)

    def not_found(self, message: str) -> OperationResult[Any]:
        return OperationResult.failure(404, message)

    def conflict(self, message: str) -> OperationResult[Any]:
        return OperationResult.failure(409, message)

    def forbidden(self, message: str) -> OperationResult[Any]:
        return OperationResult.failure(403, message)

    def service_unavailable(self, message: str, errors: Mapping[str, list[str]] | None = None) -> OperationResult[Any]:
        return OperationResult.failure(503, message, errors)

    def internal_server_error(self, message: str = "An unexpected error occurred") -> OperationResult[Any]:
        return OperationResult.failure(500, message)
