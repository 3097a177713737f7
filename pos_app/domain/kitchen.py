"""Kitchen capacity and the estimated ready time: the queue's load plus the order's own preparation; a ticket's age
colour; the notices (cancelled, changed) a ticket shows until the kitchen acknowledges them."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from pos_app.domain.errors import InvalidTransitionError, KitchenFullError
from pos_app.domain.events import KitchenNoticeAcknowledgedEvent


@dataclass(frozen=True, slots=True)
class KitchenPolicy:
    capacity_items: int = 30
    """How many items may be waiting or in the oven at once."""
    stations: int = 6
    """How many items are prepared in parallel (places in the oven)."""

    def __post_init__(self) -> None:
        if self.capacity_items < 1 or self.stations < 1:
            raise ValueError("a kitchen has room for at least one item and one station")


@dataclass(frozen=True, slots=True)
class KitchenLoad:
    items_in_progress: int
    prep_minutes_in_progress: int


def queue_wait_minutes(load: KitchenLoad, policy: KitchenPolicy) -> int:
    """Minutes until the kitchen gets to a new order."""
    return math.ceil(load.prep_minutes_in_progress / policy.stations)


def estimate_ready_time(
    now: datetime, load: KitchenLoad, preparation_minutes: Sequence[int], policy: KitchenPolicy
) -> datetime:
    """Now + the queue's wait + the time to prepare this order's items on the free stations."""
    own = max(preparation_minutes, default=0)
    batches = math.ceil(len(preparation_minutes) / policy.stations) if preparation_minutes else 0
    own_minutes = own * max(batches, 1) if preparation_minutes else 0
    return now + timedelta(minutes=queue_wait_minutes(load, policy) + own_minutes)


def check_capacity(load: KitchenLoad, new_items: int, policy: KitchenPolicy, accept_wait: bool) -> None:
    """Raise `KitchenFullError` with the quoted wait when the new items do not fit, unless the wait is accepted.

    An order on an empty kitchen is always taken: nothing is ahead of it, so there is no wait to quote (however big
    the order, its estimated ready time says how long it takes). A refusal's figures are the kitchen's real ones."""
    in_progress = load.items_in_progress
    if accept_wait or in_progress == 0 or in_progress + new_items <= policy.capacity_items:
        return
    wait = queue_wait_minutes(load, policy)
    if in_progress >= policy.capacity_items:
        message = f"The kitchen is full ({in_progress} items in progress): about {wait} minutes wait"
    else:
        room = policy.capacity_items - in_progress
        message = (
            f"The kitchen has room for {room} more items, not {new_items} ({in_progress} items in progress): "
            f"about {wait} minutes wait"
        )
    raise KitchenFullError(message, wait)


# a ticket's age colour ----------------------------------------------------------------------------------------------

NEAR_DUE_WINDOW = timedelta(minutes=2)
"""A ticket is `near` from this long before its promised (estimated ready) time, and `late` after it."""


@dataclass(frozen=True, slots=True)
class AgeThresholds:
    """Minutes since placing after which a ticket is amber (`near`) and red (`late`), whatever was promised."""

    near_minutes: int = 8
    late_minutes: int = 15

    def __post_init__(self) -> None:
        if not 0 < self.near_minutes <= self.late_minutes:
            raise ValueError("a ticket turns amber after a positive number of minutes, and red no sooner")


@dataclass(frozen=True, slots=True)
class AgeDeadlines:
    """When a ticket turns amber and red: the sooner of the elapsed-time threshold and the promised time, so an
    hour-old ticket is never green however late its promise."""

    near_at: datetime
    late_at: datetime


def age_deadlines(placed_at: datetime, estimated_ready_at: datetime, thresholds: AgeThresholds) -> AgeDeadlines:
    near = min(placed_at + timedelta(minutes=thresholds.near_minutes), estimated_ready_at - NEAR_DUE_WINDOW)
    late = min(placed_at + timedelta(minutes=thresholds.late_minutes), estimated_ready_at)
    return AgeDeadlines(near_at=min(near, late), late_at=late)


def age_state(deadlines: AgeDeadlines, now: datetime) -> str:
    """ "on_time", "near" or "late" at `now`: the worse of the elapsed-time rule and the promised-time rule."""
    if now >= deadlines.late_at:
        return "late"
    if now >= deadlines.near_at:
        return "near"
    return "on_time"


# notices ------------------------------------------------------------------------------------------------------------

NOTICE_KINDS = ("cancelled", "changed")
"""What a ticket's notice says: the order was cancelled, or changed after the kitchen saw it."""


def acknowledge_notice(
    order_id: UUID, order_number: int, notice_kind: str | None, now: datetime, staff_id: str | None
) -> KitchenNoticeAcknowledgedEvent:
    """The kitchen acknowledges the notice on a ticket; a ticket without one has nothing to acknowledge (409)."""
    if notice_kind not in NOTICE_KINDS:
        raise InvalidTransitionError(f"Order #{order_number} has no kitchen notice to acknowledge")
    return KitchenNoticeAcknowledgedEvent(occurred_at=now, staff_id=staff_id, order_id=order_id, kind=notice_kind)
