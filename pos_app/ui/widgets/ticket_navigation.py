"""Moving through the kitchen's ticket cards from the keyboard: arrows by card and by row, PageUp/PageDown by a
screenful, Home/End to the first and the last (the 1–9 keys reach only the first nine)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListView

NAVIGATION_KEYS = frozenset(
    int(key)
    for key in (
        Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down,
        Qt.Key.Key_PageUp, Qt.Key.Key_PageDown, Qt.Key.Key_Home, Qt.Key.Key_End,
    )
)  # fmt: skip


def grid_of(view: QListView) -> tuple[int, int]:
    """(cards per row, cards per screenful) as the wrapping list shows them now (at least 1 each)."""
    model = view.model()
    first = view.visualRect(model.index(0, 0))
    spacing = 2 * view.spacing()
    columns = max(1, view.viewport().width() // max(1, first.width() + spacing))
    rows = max(1, view.viewport().height() // max(1, first.height() + spacing))
    return columns, columns * rows


def navigation_target(view: QListView, key: int, current: int) -> int | None:
    """The row `key` moves to from `current` (-1: nothing selected), or None when it is no navigation key."""
    count = view.model().rowCount()
    if key not in NAVIGATION_KEYS or count == 0:
        return None
    if key == int(Qt.Key.Key_Home):
        return 0
    if key == int(Qt.Key.Key_End):
        return count - 1
    if current < 0:
        return 0
    columns, page = grid_of(view)
    steps = {
        int(Qt.Key.Key_Left): -1,
        int(Qt.Key.Key_Right): 1,
        int(Qt.Key.Key_Up): -columns,
        int(Qt.Key.Key_Down): columns,
        int(Qt.Key.Key_PageUp): -page,
        int(Qt.Key.Key_PageDown): page,
    }
    return max(0, min(count - 1, current + steps[key]))
