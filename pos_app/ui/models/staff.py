"""Staff who can log in on this terminal."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, QSize, Qt

from pos_app.messages.dtos import StaffDto

ROLE_LABELS = {"counter": "Counter", "kitchen": "Kitchen", "driver": "Driver", "manager": "Manager"}


class StaffListModel(QAbstractListModel):
    StaffRole = Qt.ItemDataRole.UserRole

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._staff: list[StaffDto] = []

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._staff)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._staff):
            return None
        staff = self._staff[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{staff.name}\n{ROLE_LABELS.get(staff.role, staff.role)}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.SizeHintRole:
            return QSize(176, 78)
        if role == self.StaffRole:
            return staff
        return None

    def apply(self, staff: list[StaffDto]) -> None:
        """Staff rarely change: replace the whole list."""
        if staff == self._staff:
            return
        self.beginResetModel()
        self._staff = list(staff)
        self.endResetModel()

    def row_of(self, staff_id: str) -> int:
        return next((row for row, staff in enumerate(self._staff) if staff.id == staff_id), -1)
