"""Customers are known by their phone number."""

from __future__ import annotations

from pos_app.domain.errors import ValidationFailedError

MIN_PHONE_DIGITS = 7
MAX_PHONE_DIGITS = 15
_SEPARATORS = " -./()"


def normalize_phone(raw: str, field: str = "customer_phone") -> str:
    """Digits only (a leading + kept): `(555) 010-2030` → `5550102030`. Raises naming `field` when it is no phone."""
    text = raw.strip()
    plus = text.startswith("+")
    body = text[1:] if plus else text
    if not body or any(not (ch.isascii() and (ch.isdigit() or ch in _SEPARATORS)) for ch in body):
        raise ValidationFailedError.for_fields({field: ["Enter a phone number: digits, spaces, dashes, + and ()"]})
    digits = "".join(ch for ch in body if ch.isdigit())
    if len(digits) < MIN_PHONE_DIGITS:
        raise ValidationFailedError.for_fields({field: [f"A phone number has at least {MIN_PHONE_DIGITS} digits"]})
    if len(digits) > MAX_PHONE_DIGITS:
        raise ValidationFailedError.for_fields({field: [f"A phone number has at most {MAX_PHONE_DIGITS} digits"]})
    return ("+" if plus else "") + digits
