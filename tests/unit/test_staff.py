"""Staff PINs are kept only as salted scrypt hashes; five wrong PINs lock the account for a while."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from pos_app.domain.staff import LockoutPolicy, Role, Staff, hash_pin, is_valid_pin, verify_pin

FAST = {"n": 2**4, "r": 8, "p": 1}  # cheap scrypt parameters, to keep the tests fast
SALT = bytes(range(16))
NOW = datetime(2026, 3, 14, 11, 0, tzinfo=UTC)
FIVE_MINUTES = LockoutPolicy(max_failed_attempts=5, lock_minutes=5)


def staff(**overrides: object) -> Staff:
    fields: dict[str, object] = {
        "id": "rosa",
        "name": "Rosa",
        "role": Role.COUNTER,
        "pin_hash": hash_pin("3000", SALT, **FAST),
    }
    fields.update(overrides)
    return Staff(**fields)  # type: ignore[arg-type]


# PIN format -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("pin", ["0000", "1234", "12345678", "007007"])
def test_four_to_eight_digits_make_a_valid_pin(pin: str) -> None:
    valid = is_valid_pin(pin)

    assert valid is True


@pytest.mark.parametrize("pin", ["", "123", "123456789", "12a4", "12 34", " 1234", "+123", "-123", "١٢٣٤", "１２３４"])
def test_anything_else_is_not_a_valid_pin(pin: str) -> None:
    valid = is_valid_pin(pin)

    assert valid is False


# hashing ----------------------------------------------------------------------------------------------------------


def test_a_pin_hash_is_scrypt_with_its_parameters_salt_and_digest() -> None:
    pin = "73019582"

    stored = hash_pin(pin, SALT, **FAST)

    expected_digest = hashlib.scrypt(pin.encode(), salt=SALT, n=16, r=8, p=1, dklen=32).hex()
    assert stored == f"scrypt$16$8$1${SALT.hex()}${expected_digest}"


def test_the_hash_never_contains_the_pin() -> None:
    pin = "73019582"

    stored = hash_pin(pin, SALT, **FAST)

    assert pin not in stored


def test_the_same_pin_with_different_salts_gives_different_hashes() -> None:
    pin = "3000"

    first, second = hash_pin(pin, b"\x01" * 16, **FAST), hash_pin(pin, b"\x02" * 16, **FAST)

    assert first != second
    assert first.split("$")[-1] != second.split("$")[-1]


def test_every_hash_gets_a_fresh_random_salt() -> None:
    pin = "3000"

    first, second = hash_pin(pin, **FAST), hash_pin(pin, **FAST)

    assert first.split("$")[4] != second.split("$")[4]
    assert len(bytes.fromhex(first.split("$")[4])) == 16


def test_hashing_uses_strong_scrypt_parameters_by_default() -> None:
    pin = "3000"

    stored = hash_pin(pin, SALT)

    assert stored.split("$")[1:4] == ["16384", "8", "1"]
    assert verify_pin(pin, stored)


def test_the_right_pin_matches_its_hash() -> None:
    stored = hash_pin("3000", **FAST)

    matches = verify_pin("3000", stored)

    assert matches is True


@pytest.mark.parametrize("pin", ["3001", "0300", "30000", "", "3000 "])
def test_a_wrong_pin_does_not_match(pin: str) -> None:
    stored = hash_pin("3000", **FAST)

    matches = verify_pin(pin, stored)

    assert matches is False


SALT_HEX = "000102030405060708090a0b0c0d0e0f"
ZERO_DIGEST = "00" * 32


@pytest.mark.parametrize(
    "stored",
    [
        pytest.param("", id="empty"),
        pytest.param("3000", id="the-pin-itself"),
        pytest.param("not a hash", id="text"),
        pytest.param("scrypt$16$8$1$00", id="too-few-parts"),
        pytest.param("scrypt$16$8$1$00$ab$cd", id="too-many-parts"),
        pytest.param(f"bcrypt$16$8$1${SALT_HEX}${ZERO_DIGEST}", id="another-scheme"),
        pytest.param(f"scrypt$sixteen$8$1${SALT_HEX}${ZERO_DIGEST}", id="cost-not-a-number"),
        pytest.param(f"scrypt$16$8$1$not-hex${ZERO_DIGEST}", id="salt-not-hex"),
        pytest.param(f"scrypt$15$8$1${SALT_HEX}${ZERO_DIGEST}", id="cost-not-a-power-of-two"),
        pytest.param(f"scrypt$0$8$1${SALT_HEX}${ZERO_DIGEST}", id="cost-zero"),
        pytest.param(f"scrypt$16$8$1${SALT_HEX}${'é' * 64}", id="digest-not-ascii"),
    ],
)
def test_a_malformed_stored_hash_matches_nothing_without_raising(stored: str) -> None:
    pin = "3000"

    matches = verify_pin(pin, stored)

    assert matches is False


def test_a_digest_from_another_salt_does_not_match() -> None:
    scheme, n, r, p, _salt, digest = hash_pin("3000", SALT, **FAST).split("$")
    tampered = "$".join([scheme, n, r, p, (b"\xff" * 16).hex(), digest])

    matches = verify_pin("3000", tampered)

    assert matches is False


# lockout ----------------------------------------------------------------------------------------------------------


def test_four_wrong_pins_do_not_lock_the_account() -> None:
    rosa = staff()

    locked = [rosa.record_failed_login(NOW + timedelta(seconds=i), FIVE_MINUTES) for i in range(4)]

    assert locked == [False] * 4
    assert rosa.failed_attempts == 4
    assert not rosa.is_locked(NOW + timedelta(seconds=4))


def test_the_fifth_wrong_pin_locks_the_account_for_the_policys_minutes() -> None:
    rosa = staff()
    for i in range(4):
        rosa.record_failed_login(NOW + timedelta(seconds=i), FIVE_MINUTES)

    locked = rosa.record_failed_login(NOW + timedelta(seconds=10), FIVE_MINUTES)

    assert locked is True
    assert rosa.locked_until == NOW + timedelta(seconds=10, minutes=5)
    assert rosa.failed_attempts == 0


def test_a_locked_account_stays_locked_until_the_lock_runs_out() -> None:
    rosa = staff()
    for _ in range(5):
        rosa.record_failed_login(NOW, FIVE_MINUTES)

    checks = [rosa.is_locked(NOW + timedelta(minutes=m)) for m in (0, 2, 4.99, 5, 6)]

    assert checks == [True, True, True, False, False]


def test_the_lock_follows_the_policy() -> None:
    strict = LockoutPolicy(max_failed_attempts=3, lock_minutes=15)
    rosa = staff()

    locked = [rosa.record_failed_login(NOW, strict) for _ in range(3)]

    assert locked == [False, False, True]
    assert rosa.locked_until == NOW + timedelta(minutes=15)
    assert rosa.is_locked(NOW + timedelta(minutes=14))
    assert not rosa.is_locked(NOW + timedelta(minutes=15))


def test_five_wrong_pins_for_five_minutes_is_the_default_policy() -> None:
    policy = LockoutPolicy()

    assert (policy.max_failed_attempts, policy.lock_minutes) == (5, 5)


def test_a_successful_login_resets_the_count_of_wrong_pins() -> None:
    rosa = staff()
    for _ in range(4):
        rosa.record_failed_login(NOW, FIVE_MINUTES)

    rosa.record_successful_login()
    locked = [rosa.record_failed_login(NOW, FIVE_MINUTES) for _ in range(4)]

    assert rosa.failed_attempts == 4
    assert locked == [False] * 4
    assert not rosa.is_locked(NOW)


def test_a_successful_login_clears_the_lock() -> None:
    rosa = staff()
    for _ in range(5):
        rosa.record_failed_login(NOW, FIVE_MINUTES)

    rosa.record_successful_login()

    assert rosa.locked_until is None
    assert not rosa.is_locked(NOW)


def test_a_new_staff_member_is_not_locked() -> None:
    rosa = staff()

    locked = rosa.is_locked(NOW)

    assert locked is False
    assert rosa.failed_attempts == 0
