"""Store settings, read once at start-up and passed down."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Literal

import platformdirs

from pos_app.domain.kitchen import AgeThresholds, KitchenPolicy
from pos_app.domain.money import TaxPolicy
from pos_app.domain.staff import LockoutPolicy

APP_DIR_NAME = "marios-pizzeria-pos"


def default_database_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False)) / "store.db"


def default_database_url() -> str:
    return f"sqlite:///{default_database_path()}"


@dataclass(frozen=True, slots=True)
class OpeningHours:
    opens: time
    closes: time

    def is_open(self, at: time) -> bool:
        if self.opens <= self.closes:
            return self.opens <= at < self.closes
        return at >= self.opens or at < self.closes  # open past midnight


@dataclass(frozen=True, slots=True)
class Settings:
    store_name: str = "Mario's Pizzeria"
    tax: TaxPolicy = field(default_factory=lambda: TaxPolicy(rate_basis_points=1000, prices_include_tax=True))
    delivery_fee_cents: int = 300
    kitchen: KitchenPolicy = field(default_factory=KitchenPolicy)
    lockout: LockoutPolicy = field(default_factory=LockoutPolicy)
    opening_hours: OpeningHours | None = None
    """None: orders are taken at any hour."""
    timezone: str | None = None
    """IANA name for business days and opening hours; None: the machine's local time."""
    day_starts_at: time = time(4, 0)
    """When one business day ends and the next begins: a shift that runs past midnight stays one day."""
    currency: str = "EUR"
    busy_timeout_ms: int = 5000
    change_poll_seconds: float = 0.04
    kitchen_alert: Literal["none", "flash", "chime", "both"] = "flash"
    """What a new ticket does on the kitchen screen: flash its card, chime, both, or nothing."""
    kitchen_notice_sound: bool = True
    """Chime when a ticket gets a CANCELLED or CHANGED notice."""
    kitchen_age: AgeThresholds = field(default_factory=AgeThresholds)
    """Minutes since placing after which a ticket turns amber and red (as well as against its promised time)."""
    discount_limit_percent: int = 10
    """A discount above this share of the order's subtotal needs a manager's approval on the till."""
    reconnect_wait_seconds: float = 20.0
    """How long a request waits for a lost store server to come back before it is refused (a 503)."""
