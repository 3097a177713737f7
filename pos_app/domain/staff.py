"""Staff: roles, PINs kept only as salted scrypt hashes, and the lock after repeated wrong PINs."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class Role(StrEnum):
    COUNTER = "counter"
    KITCHEN = "kitchen"
    DRIVER = "driver"
    MANAGER = "manager"


ALL_ROLES = frozenset(Role)

# scrypt cost: n=2**14, r=8, p=1 (about 16 MB and tens of milliseconds per check)
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1


_STAFF_ID = re.compile(r"[a-z0-9][a-z0-9_.-]{0,39}")


def is_valid_pin(pin: str) -> bool:
    return pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 8


def is_valid_staff_id(staff_id: str) -> bool:
    """Lowercase letters, digits, `_`, `.` and `-`, up to 40, as the login screen shows them (`mario`, `anna.b`)."""
    return _STAFF_ID.fullmatch(staff_id) is not None


def hash_pin(pin: str, salt: bytes | None = None, *, n: int = _SCRYPT_N, r: int = _SCRYPT_R, p: int = _SCRYPT_P) -> str:
    """`scrypt$n$r$p$salt$hash`, hex encoded. The PIN itself is never kept."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=32)
    return f"scrypt${n}${r}${p}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    """True only for the right PIN; a malformed stored hash matches nothing (and never raises)."""
    try:
        scheme, n, r, p, salt, expected = stored.split("$")
        if scheme != "scrypt" or not expected.isascii():
            return False
        digest = hashlib.scrypt(
            pin.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), maxmem=64 * 1024 * 1024, dklen=32
        )
    except (ValueError, TypeError, MemoryError, OverflowError):
        return False
    return hmac.compare_digest(digest.hex(), expected)


@dataclass(frozen=True, slots=True)
class LockoutPolicy:
    max_failed_attempts: int = 5
    lock_minutes: int = 5


@dataclass(slots=True, kw_only=True)
class Staff:
    id: str
    name: str
    role: Role
    pin_hash: str
    active: bool = True
    failed_attempts: int = 0
    locked_until: datetime | None = None

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until

    def bound_lock(self, now: datetime, policy: LockoutPolicy) -> bool:
        """A lock never lasts longer than its length from now: one set while the clock was fast (its end further
        away than the lock's length) is taken as starting now. Returns True when it changed the lock."""
        length = timedelta(minutes=policy.lock_minutes)
        if self.locked_until is None or self.locked_until - now <= length:
            return False
        self.locked_until = now + length
        return True

    def record_failed_login(self, now: datetime, policy: LockoutPolicy) -> bool:
        """Count a wrong PIN; returns True when this one locked the account."""
        self.failed_attempts += 1
        if self.failed_attempts >= policy.max_failed_attempts:
            self.locked_until = now + timedelta(minutes=policy.lock_minutes)
            self.failed_attempts = 0
            return True
        return False

    def record_successful_login(self) -> None:
        self.failed_attempts = 0
        self.locked_until = None

    def change_pin(self, new_pin_hash: str) -> None:
        """Keep the new PIN's hash (the caller checked the current PIN: that counts as a right PIN)."""
        self.pin_hash = new_pin_hash
        self.record_successful_login()
