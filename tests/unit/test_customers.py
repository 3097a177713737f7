"""Customers are known by their phone number: `normalize_phone` keeps the digits and a leading +."""

from __future__ import annotations

import pytest

from pos_app.domain.customers import normalize_phone
from pos_app.domain.errors import ValidationFailedError


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("(555) 010-2030", "5550102030"),
        ("+39 06 1234 5678", "+390612345678"),
        ("555.010.2030", "5550102030"),
        ("555/010 20 30", "5550102030"),
        ("  555 010 2030  ", "5550102030"),
        (" +1 (555) 010-2030", "+15550102030"),
        ("5550102030", "5550102030"),
    ],
)
def test_a_phone_number_is_kept_as_its_digits_and_a_leading_plus(raw: str, normalized: str) -> None:
    phone = normalize_phone(raw)

    assert phone == normalized


def test_the_same_number_written_two_ways_is_the_same_customer() -> None:
    written_loosely, written_tidily = "(555) 010-2030", "555-010-2030"

    assert normalize_phone(written_loosely) == normalize_phone(written_tidily)


@pytest.mark.parametrize(
    "raw",
    ["555-CALL-MARIO", "555 010 2030 ext 4", "5550102030x", "555_010_2030", "555+0102030", "++39 06 1234 5678"],
)
def test_letters_and_other_symbols_are_not_a_phone_number(raw: str) -> None:
    with pytest.raises(ValidationFailedError) as caught:
        normalize_phone(raw)

    assert caught.value.status == 400
    assert list(caught.value.errors) == ["customer_phone"]


@pytest.mark.parametrize("raw", ["", "   ", "+", "+ "])
def test_an_empty_phone_number_is_rejected(raw: str) -> None:
    with pytest.raises(ValidationFailedError) as caught:
        normalize_phone(raw)

    assert list(caught.value.errors) == ["customer_phone"]


@pytest.mark.parametrize("raw", ["٥٥٥٠١٠٢٠٣٠", "５５５０１０２０３０"])
def test_only_ascii_digits_count(raw: str) -> None:
    with pytest.raises(ValidationFailedError) as caught:
        normalize_phone(raw)

    assert list(caught.value.errors) == ["customer_phone"]


@pytest.mark.parametrize("raw", ["123456", "(12) 34-56", "+39 123 4", "---"])
def test_fewer_than_seven_digits_are_rejected(raw: str) -> None:
    with pytest.raises(ValidationFailedError) as caught:
        normalize_phone(raw)

    assert caught.value.errors == {"customer_phone": ["A phone number has at least 7 digits"]}


@pytest.mark.parametrize("raw", ["1234567890123456", "+39 0612 3456 7890 12"])
def test_more_than_fifteen_digits_are_rejected(raw: str) -> None:
    with pytest.raises(ValidationFailedError) as caught:
        normalize_phone(raw)

    assert caught.value.errors == {"customer_phone": ["A phone number has at most 15 digits"]}


@pytest.mark.parametrize(("raw", "normalized"), [("1234567", "1234567"), ("+123456789012345", "+123456789012345")])
def test_seven_and_fifteen_digits_are_accepted(raw: str, normalized: str) -> None:
    phone = normalize_phone(raw)

    assert phone == normalized


@pytest.mark.parametrize("raw", ["555-CALL-MARIO", "123", "1234567890123456"])
def test_the_error_names_the_field_passed_in(raw: str) -> None:
    with pytest.raises(ValidationFailedError) as caught:
        normalize_phone(raw, field="new_phone")

    assert list(caught.value.errors) == ["new_phone"]
    assert caught.value.message.startswith("new_phone: ")
