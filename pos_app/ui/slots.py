"""Coroutines a widget starts, and how they end with it.

`async_slot`: qasync's `asyncSlot` with types (slots keep their signatures under mypy), whose task belongs to the
widget it runs for. `spawn(owner, coroutine)` starts any other task for a widget. A widget's tasks are cancelled
when the widget is destroyed (`destroyed`), and its refreshes when its screen closes (`cancel_refreshes`), so no
coroutine resumes after an `await` on widgets that are gone. `is_alive(widget)` guards a resume point by hand.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import sys
from collections.abc import Callable, Coroutine
from typing import Any, ParamSpec, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Slot

P = ParamSpec("P")
T = TypeVar("T")

_TASKS_ATTRIBUTE = "_owned_tasks"


class OwnedTasks:
    """The running tasks of one widget, each marked as a refresh or not. Holds no reference to the widget, so it
    can still cancel them while the widget is being destroyed."""

    def __init__(self) -> None:
        self.running: dict[asyncio.Task[Any], bool] = {}  # task → is a refresh
        self.owner_destroyed = False

    def add(self, task: asyncio.Task[Any], refresh: bool) -> None:
        self.running[task] = refresh
        task.add_done_callback(self._forget)

    def _forget(self, task: asyncio.Task[Any]) -> None:
        self.running.pop(task, None)

    def cancel(self, refreshes_only: bool = False) -> None:
        for task, refresh in list(self.running.items()):
            if refresh or not refreshes_only:
                task.cancel()


def tasks_of(owner: QObject) -> OwnedTasks:
    """The tasks `owner` started (made on first use; cancelled when `owner` is destroyed)."""
    tasks: OwnedTasks | None = getattr(owner, _TASKS_ATTRIBUTE, None)
    if tasks is None:
        tasks = OwnedTasks()
        setattr(owner, _TASKS_ATTRIBUTE, tasks)
        owner.destroyed.connect(functools.partial(_on_owner_destroyed, tasks))
    return tasks


def _on_owner_destroyed(tasks: OwnedTasks, *_: object) -> None:
    tasks.owner_destroyed = True
    tasks.cancel()


async def _owned(tasks: OwnedTasks, coroutine: Coroutine[Any, Any, T]) -> T:
    """Run `coroutine`; once its owner is destroyed, clean-up code of the cancelled coroutine that still reaches
    for the owner's deleted widgets (a `finally` that re-enables a button) ends it as cancelled, not as a bug."""
    try:
        return await coroutine
    except RuntimeError as error:
        if tasks.owner_destroyed and _is_deleted_object_error(error):
            raise asyncio.CancelledError from error
        raise


def _is_deleted_object_error(error: RuntimeError) -> bool:
    text = str(error)
    return "already deleted" in text or "Signal source has been deleted" in text


def spawn(owner: QObject, coroutine: Coroutine[Any, Any, T], refresh: bool = False) -> asyncio.Task[T]:
    """Run `coroutine` as a task of `owner`: cancelled when `owner` is destroyed (and, with `refresh`, when its
    screen closes); an exception it raises reaches `sys.excepthook`."""
    tasks = tasks_of(owner)
    task = asyncio.get_event_loop().create_task(_owned(tasks, coroutine))
    tasks.add(task, refresh)
    task.add_done_callback(report_failure)
    # A task cancelled before its first step never starts `coroutine`: close it, so it ends without a "never
    # awaited" warning (closing a coroutine that ran to its end does nothing).
    task.add_done_callback(lambda _: coroutine.close())
    return task


def cancel_refreshes(*owners: QObject) -> None:
    """Cancel the refreshes of `owners` and of every object under them (a screen or window closes)."""
    for owner in owners:
        if not is_alive(owner):
            continue
        for item in (owner, *owner.findChildren(QObject)):
            tasks: OwnedTasks | None = getattr(item, _TASKS_ATTRIBUTE, None)
            if tasks is not None:
                tasks.cancel(refreshes_only=True)


def tasks_under(*owners: QObject) -> set[asyncio.Task[Any]]:
    """The running tasks of `owners` and of every object under them."""
    running: set[asyncio.Task[Any]] = set()
    for owner in owners:
        if not is_alive(owner):
            continue
        for item in (owner, *owner.findChildren(QObject)):
            tasks: OwnedTasks | None = getattr(item, _TASKS_ATTRIBUTE, None)
            if tasks is not None:
                running.update(task for task in tasks.running if not task.done())
    return running


def is_alive(widget: QObject) -> bool:
    """Whether the Qt object behind `widget` still exists."""
    return bool(shiboken6.isValid(widget))


def report_failure(task: asyncio.Task[Any]) -> None:
    """A background task that raised is a bug: hand it to `sys.excepthook` (tests fail; the app logs it)."""
    if task.cancelled():
        return
    error = task.exception()
    if error is not None:
        sys.excepthook(type(error), error, error.__traceback__)


def async_slot(*types: type) -> Callable[[Callable[P, Coroutine[Any, Any, None]]], Callable[P, None]]:
    """Run the decorated coroutine as a Qt slot on the qasync loop, as a task of the object it is a method of
    (see `spawn`); its exceptions reach `sys.excepthook`."""

    def decorate(function: Callable[P, Coroutine[Any, Any, None]]) -> Callable[P, None]:
        signature = inspect.signature(function)
        call: Callable[..., Coroutine[Any, Any, None]] = function

        @Slot(*types)
        @functools.wraps(function)
        def slot(*args: Any) -> Any:
            # Qt may pass more arguments than the slot takes (a signal's trailing ones): drop them until it fits.
            while True:
                try:
                    signature.bind(*args)
                    break
                except TypeError:
                    if not args:
                        raise
                    args = args[:-1]
            coroutine = call(*args)
            if args and isinstance(args[0], QObject):
                return spawn(args[0], coroutine)
            task = asyncio.ensure_future(coroutine)
            task.add_done_callback(report_failure)
            return task

        return slot  # type: ignore[return-value]

    return decorate
