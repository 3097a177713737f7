"""Login: pick your name, type your PIN (keyboard or on-screen keypad).

From the keyboard: the arrow keys move in the staff list, digits typed there go to the PIN, Backspace takes the last
one back, Enter logs in."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRegularExpression, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.messages.commands import LoginCommand
from pos_app.messages.dtos import SessionDto, StaffDto
from pos_app.messages.queries import GetStaffQuery
from pos_app.ui.models.staff import StaffListModel
from pos_app.ui.protocols import Sender
from pos_app.ui.slots import async_slot
from pos_app.ui.theme import FOCUS_RING
from pos_app.ui.views.base import ScreenView, error_label, set_error

KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "Clear", "0", "⌫"]
ARROWS = (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down)
KEY_NAMES = {"Clear": "Clear the PIN", "⌫": "Delete the last digit"}


class LoginView(ScreenView):
    logged_in = Signal(SessionDto)

    def __init__(self, mediator: Sender, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(mediator, parent)
        self.model = StaffListModel(self)
        heading = QLabel(title or self.tr("Who is working?"), self)
        heading.setObjectName("heading")
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.staff_list = QListView(self)
        self.staff_list.setModel(self.model)
        self.staff_list.setViewMode(QListView.ViewMode.IconMode)
        self.staff_list.setFlow(QListView.Flow.LeftToRight)
        self.staff_list.setWrapping(True)
        self.staff_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.staff_list.setGridSize(QSize(190, 90))
        self.staff_list.setUniformItemSizes(True)
        self.staff_list.setMovement(QListView.Movement.Static)
        self.staff_list.setSpacing(8)
        self.staff_list.setMinimumHeight(90 + 2 * 8 + 4)  # one row of names: more scroll on a small screen
        self.staff_list.setStyleSheet(
            "QListView::item { border: 1px solid #bbb; border-radius: 8px; }"
            "QListView::item:selected { background: #ffcdd2; color: black; }" + FOCUS_RING
        )
        self.staff_list.setAccessibleName(self.tr("Staff"))
        self.staff_list.setAccessibleDescription(self.tr("Arrow keys choose your name; then type your PIN"))
        self.staff_list.selectionModel().selectionChanged.connect(self._on_staff_list_selection_changed)
        self.staff_list.installEventFilter(self)

        self.pin = QLineEdit(self)
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(8)
        self.pin.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,8}"), self))
        self.pin.setPlaceholderText(self.tr("PIN"))
        self.pin.setAccessibleName(self.tr("PIN"))
        self.pin.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pin.setStyleSheet("font-size: 28px; letter-spacing: 8px;")
        self.pin.returnPressed.connect(self._on_login_button_clicked)
        self.error = error_label(self)
        self.error.setAlignment(Qt.AlignmentFlag.AlignCenter)

        keypad = QGridLayout()
        self.keys: dict[str, QPushButton] = {}
        for position, key in enumerate(KEYS):
            button = QPushButton(key, self)
            button.setAccessibleName(self.tr(KEY_NAMES.get(key, key)))
            button.setMinimumSize(96, 64)
            button.setStyleSheet("font-size: 22px;")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, k=key: self._press(k))
            keypad.addWidget(button, position // 3, position % 3)
            self.keys[key] = button
        self.login_button = QPushButton(self.tr("Log in"), self)
        self.login_button.setObjectName("primary")
        self.login_button.clicked.connect(self._on_login_button_clicked)
        keypad.addWidget(self.login_button, 4, 0, 1, 3)

        pad = QVBoxLayout()
        pad.addWidget(self.pin)
        pad.addWidget(self.error)
        pad.addLayout(keypad)
        pad_box = QWidget(self)
        pad_box.setLayout(pad)
        pad_box.setMaximumWidth(360)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(pad_box)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.staff_list, 1)
        layout.addLayout(row)
        layout.addStretch(1)
        self._busy = False

    @property
    def selected_staff(self) -> StaffDto | None:
        selected = self.staff_list.selectionModel().selectedIndexes()
        staff = selected[0].data(StaffListModel.StaffRole) if selected else None
        return staff if isinstance(staff, StaffDto) else None

    def select_staff(self, staff_id: str) -> None:
        row = self.model.row_of(staff_id)
        if row >= 0:
            self.staff_list.setCurrentIndex(self.model.index(row))

    def _on_staff_list_selection_changed(self, *_: object) -> None:
        set_error(self.error, None)
        self.pin.clear()
        if not self.staff_list.hasFocus():
            self.pin.setFocus()  # the arrow keys keep moving in the list; digits typed there reach the PIN

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.staff_list and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if key in ARROWS and self.selected_staff is None and self.model.rowCount() > 0:
                self._select_current_staff()  # the first arrow chooses the name the focus is on
                return True
            if event.text().isdigit():
                self._press(event.text())
                return True
            if key == Qt.Key.Key_Backspace:
                self._press("⌫")
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.login_button.click()
                return True
        return super().eventFilter(watched, event)

    def _select_current_staff(self) -> None:
        """Choose the name the focus ring is on (else the first): the arrows then move from it."""
        if self.selected_staff is None and self.model.rowCount() > 0:
            current = self.staff_list.currentIndex()
            self.staff_list.setCurrentIndex(current if current.isValid() else self.model.index(0))

    def _press(self, key: str) -> None:
        if key == "Clear":
            self.pin.clear()
        elif key == "⌫":
            self.pin.backspace()
        elif len(self.pin.text()) < self.pin.maxLength():
            self.pin.insert(key)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.text().isdigit() and not self.pin.hasFocus():
            self._press(event.text())
            return
        super().keyPressEvent(event)

    async def refresh(self) -> None:
        result = await self._mediator.execute_async(GetStaffQuery())
        if result.is_success and result.data is not None:
            current = self.selected_staff
            self.model.apply(result.data)
            if current is not None:
                self.select_staff(current.id)
            if self.focusWidget() is None:
                self.staff_list.setFocus(Qt.FocusReason.OtherFocusReason)

        else:
            set_error(self.error, result.error_message)

    def reset(self) -> None:
        """Back to a clean login screen (after a lock), the focus on the staff list."""
        self.pin.clear()
        set_error(self.error, None)
        self.staff_list.clearSelection()
        self.staff_list.setFocus(Qt.FocusReason.OtherFocusReason)

    @async_slot()
    async def _on_login_button_clicked(self) -> None:
        if self._busy:
            return
        staff = self.selected_staff
        if staff is None:
            set_error(self.error, self.tr("Choose your name first"))
            return
        if not self.pin.text():
            set_error(self.error, self.tr("Type your PIN"))
            return
        self._busy = True
        self.login_button.setEnabled(False)
        try:
            result = await self._mediator.execute_async(LoginCommand(staff_id=staff.id, pin=self.pin.text()))
        finally:
            self._busy = False
            self.login_button.setEnabled(True)
        self.pin.clear()
        if not result.is_success or result.data is None:
            set_error(self.error, result.error_message)
            return
        set_error(self.error, None)
        self.logged_in.emit(result.data)
