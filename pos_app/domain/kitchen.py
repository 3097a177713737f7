"""Kitchen capacity and the estimated ready time: the queue's load plus the order's own preparation."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from pos_app.domain.errors import KitchenFullError


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
