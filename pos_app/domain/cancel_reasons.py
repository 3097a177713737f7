"""Why an order is cancelled: a short list the counter picks from, plus free text (which "other" requires)."""

from __future__ import annotations

from collections.abc import Mapping

from pos_app.domain.errors import ValidationFailedError

CANCEL_REASONS: Mapping[str, str] = {
    "changed_mind": "Customer changed their mind",
    "waited_too_long": "Waited too long",
    "wrong_order": "Wrong order",
    "duplicate": "Duplicate order",
    "other": "Other",
}
"""Reason code → what the timeline and the order's detail say."""


def cancel_reason_text(code: str | None, note: str) -> str:
    """The reason as recorded: the code's words, then the note ("Wrong order: pizza for table 4"); only the note
    when no code is given. Raises naming `reason` when there is no reason at all, or "other" without a note."""
    note = note.strip()
    if code is not None and code not in CANCEL_REASONS:
        raise ValidationFailedError.for_fields({"reason_code": [f"Choose one of: {', '.join(CANCEL_REASONS)}"]})
    if code is None or code == "other":
        if not note:
            raise ValidationFailedError.for_fields({"reason": ["Say why the order is cancelled"]})
        return note
    label = CANCEL_REASONS[code]
    return f"{label}: {note}" if note else label
