"""The read side's lean DTO construction gives the same objects as pydantic's validation."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from pos_app.messages.dtos import KitchenItemDto, OrderSummaryDto
from pos_app.read_model.trusted import TrustedDto, uuid_from_hex

FIELDS = {
    "order_id": uuid.uuid4(),
    "order_number": 7,
    "business_date": date(2026, 11, 29),
    "placed_at": datetime(2026, 11, 29, 12, 0, tzinfo=UTC),
    "customer_name": "Anna",
    "customer_phone": "5550102030",
    "customer_address": None,
    "order_type": "pickup",
    "items_summary": "Margherita L",
    "item_count": 1,
    "total_amount": Decimal("19.49"),
    "status": "ready",
    "paid": True,
    "payment_method": "card",
    "estimated_ready_time": datetime(2026, 11, 29, 12, 15, tzinfo=UTC),
    "ready_at": None,
    "completed_at": None,
    "driver_id": None,
    "table_number": None,
}


def test_a_trusted_dto_equals_a_validated_one_and_behaves_like_it() -> None:
    trusted = TrustedDto(OrderSummaryDto)(**FIELDS)
    validated = OrderSummaryDto(**FIELDS)

    assert trusted == validated
    assert trusted.model_dump() == validated.model_dump()
    assert trusted.model_fields_set == validated.model_fields_set
    assert hash(trusted) == hash(validated)
    assert trusted.model_copy(update={"status": "picked_up"}).status == "picked_up"
    with pytest.raises(Exception, match="frozen"):
        trusted.status = "cancelled"  # type: ignore[misc]


def test_a_missing_or_unknown_field_is_refused() -> None:
    make = TrustedDto(KitchenItemDto)

    with pytest.raises(TypeError, match="missing \\['ready'\\]"):
        make(
            index=0,
            name="Cola",
            category="drink",
            size="medium",
            toppings=[],
            special_instructions="",
            quantity=1,
            allergens=[],
            allergies=[],
            note_allergy_words=[],
            needs_preparation=False,
        )


def test_a_uuid_read_from_hex_is_the_same_uuid() -> None:
    value = uuid.uuid4()

    read = uuid_from_hex(value.hex)

    assert read == value
    assert hash(read) == hash(value)
    assert str(read) == str(value)
    assert read.version == 4
