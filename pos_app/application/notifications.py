"""Tells subscribers (the screens) what changed: after each commit here, and when another terminal commits."""

from __future__ import annotations

import logging
from collections.abc import Callable

from pos_app.domain.events import DomainEvent, MenuUpdatedEvent, OrderEvent
from pos_app.mediation import EventHandler

logger = logging.getLogger("pos_app.notifications")

ORDERS = "orders"
KITCHEN = "kitchen"
MENU = "menu"
ALL_TOPICS = frozenset({ORDERS, KITCHEN, MENU})

Subscriber = Callable[[frozenset[str]], None]


class ChangeNotifier:
    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Call `subscriber(topics)` on every change; returns a function that unsubscribes."""
        self._subscribers.append(subscriber)
        return lambda: self._subscribers.remove(subscriber) if subscriber in self._subscribers else None

    def notify(self, topics: frozenset[str]) -> None:
        for subscriber in list(self._subscribers):
            try:
                subscriber(topics)
            except Exception:
                logger.exception("A change subscriber failed")


def topics_of(event: DomainEvent) -> frozenset[str]:
    if isinstance(event, OrderEvent):
        return frozenset({ORDERS, KITCHEN})
    if isinstance(event, MenuUpdatedEvent):
        return frozenset({MENU})
    return frozenset()


class ChangeNotificationHandler(EventHandler[DomainEvent]):
    """After each commit in this process: tell the subscribers which views to refresh."""

    def __init__(self, notifier: ChangeNotifier) -> None:
        self._notifier = notifier

    async def handle_async(self, event: DomainEvent) -> None:
        topics = topics_of(event)
        if topics:
            self._notifier.notify(topics)
