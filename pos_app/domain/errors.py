"""Domain errors. Handlers turn them into results: 400, 403, 404, 409 or 503; nothing is changed."""

from __future__ import annotations

from collections.abc import Mapping


class DomainError(Exception):
    """A business rule said no."""

    status = 400

    def __init__(self, message: str, errors: Mapping[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors: dict[str, list[str]] = dict(errors or {})


class ValidationFailedError(DomainError):
    """Input that breaks a business rule; `errors` names the fields."""

    status = 400

    @classmethod
    def for_fields(cls, errors: Mapping[str, list[str]]) -> ValidationFailedError:
        return cls(summarize(errors), errors)


class NotAllowedError(DomainError):
    """The staff member's role may not do this."""

    status = 403


class NotFoundError(DomainError):
    status = 404


class InvalidTransitionError(DomainError):
    """The order is not in a state where this can happen."""

    status = 409


class ConcurrencyError(DomainError):
    """Someone else changed the record first."""

    status = 409


class KitchenFullError(DomainError):
    """The kitchen is at capacity; the counter may accept the quoted wait."""

    status = 503

    def __init__(self, message: str, wait_minutes: int) -> None:
        super().__init__(message, {"accept_kitchen_wait": [f"Estimated wait {wait_minutes} minutes"]})
        self.wait_minutes = wait_minutes


def summarize(errors: Mapping[str, list[str]]) -> str:
    """One line naming every field: `customer_phone: At least 7 digits; size: …`."""
    return "; ".join(f"{field}: {' '.join(texts)}" for field, texts in errors.items())
