"""The buttons for what may be done to the selected order: its next step (picked up, out for delivery with a
driver, delivered), take payment, cancel, edit (at the counter). Which show, and which are enabled, is what the
order's answer says the logged-in role may do; the screen sends the commands."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from pos_app.messages.dtos import OrderActionsDto, StaffDto
from pos_app.ui.keymap import show_keys
from pos_app.ui.views.base import error_label, set_error


class OrderActionBar(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.picked_up_button = QPushButton(self.tr("Picked up"), self)
        self.driver_combo = QComboBox(self)
        self.driver_combo.setMinimumWidth(150)
        self.driver_combo.setAccessibleName(self.tr("Driver"))
        self.out_for_delivery_button = QPushButton(self.tr("Out for delivery"), self)
        self.delivered_button = QPushButton(self.tr("Delivered"), self)
        for button in self.next_step_buttons:
            button.setObjectName("primary")  # the order's next step
        self.payment_button = QPushButton(self.tr("Take payment…"), self)
        self.cancel_button = QPushButton(self.tr("Cancel order…"), self)
        self.edit_button = QPushButton(self.tr("Edit order…"), self)
        self.discount_button = QPushButton(self.tr("Discount…"), self)
        self.driver_error = error_label(self)
        for button, action in (
            (self.payment_button, "take_payment"),
            (self.cancel_button, "cancel_order"),
            (self.edit_button, "edit_order"),
            (self.discount_button, "discount"),
        ):
            show_keys(button, "orders", action, mnemonic=True)  # "&Edit order…": Alt+E

        progress = QHBoxLayout()
        progress.addWidget(self.picked_up_button)
        progress.addWidget(self.driver_combo, 1)
        progress.addWidget(self.out_for_delivery_button)
        progress.addWidget(self.delivered_button)
        other = QGridLayout()  # two by two: the four fit the narrow detail pane at 1024 px
        other.addWidget(self.payment_button, 0, 0)
        other.addWidget(self.cancel_button, 0, 1)
        other.addWidget(self.edit_button, 1, 0)
        other.addWidget(self.discount_button, 1, 1)
        other.setColumnStretch(2, 1)  # the buttons keep their width; the rest of the row is room
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(progress)
        layout.addWidget(self.driver_error)
        layout.addLayout(other)

    @property
    def next_step_buttons(self) -> tuple[QPushButton, ...]:
        return (self.picked_up_button, self.out_for_delivery_button, self.delivered_button)

    @property
    def buttons(self) -> list[QPushButton]:
        return [
            *self.next_step_buttons,
            self.payment_button,
            self.cancel_button,
            self.edit_button,
            self.discount_button,
        ]

    def set_drivers(self, staff: list[StaffDto]) -> None:
        self.driver_combo.blockSignals(True)
        self.driver_combo.clear()
        for member in staff:
            if member.role == "driver":
                self.driver_combo.addItem(member.name, member.id)
        if self.driver_combo.count() == 0:
            self.driver_combo.setPlaceholderText(self.tr("No drivers"))
        self.driver_combo.blockSignals(False)

    def select_driver(self, staff_id: str) -> None:
        row = self.driver_combo.findData(staff_id)
        if row >= 0:
            self.driver_combo.setCurrentIndex(row)

    def show_allowed(self, allowed: OrderActionsDto, idle: bool) -> frozenset[str]:
        """Show the actions offered (hand-overs waiting for payment shown disabled), enabled while `idle`; returns
        the actions offered."""
        actions = frozenset(allowed.actions)
        offered = actions | frozenset(allowed.actions_after_payment)
        self.picked_up_button.setVisible("pick_up" in offered)
        self.picked_up_button.setEnabled(idle and "pick_up" in actions)
        self.picked_up_button.setToolTip("" if "pick_up" in actions else self.tr("Take payment first"))
        show_out = "send_out" in offered
        self.out_for_delivery_button.setVisible(show_out)
        self.driver_combo.setVisible(show_out)
        self.driver_combo.setEnabled(idle)
        self.out_for_delivery_button.setEnabled(idle and self.driver_combo.currentData() is not None)
        self.delivered_button.setVisible("deliver" in offered)
        self.delivered_button.setEnabled(idle and "deliver" in actions)
        self.delivered_button.setToolTip("" if "deliver" in actions else self.tr("Take payment first"))
        self.payment_button.setVisible("take_payment" in offered)
        self.payment_button.setEnabled(idle)
        self.cancel_button.setVisible(bool({"cancel", "cancel_with_approval"} & offered))
        self.cancel_button.setEnabled(idle)
        self.edit_button.setVisible("edit" in offered)
        self.edit_button.setEnabled(idle)
        self.discount_button.setVisible("discount" in offered)
        self.discount_button.setEnabled(idle)
        if not show_out:
            set_error(self.driver_error, None)
        return offered
