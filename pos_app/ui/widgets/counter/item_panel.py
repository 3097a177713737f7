"""The item being configured at the counter: size, toppings, notes, its price, and Add (or Update a cart line).

From the keyboard: Enter on a tile brings the item here with the focus on its size; Tab goes on to the toppings
(Space adds one) and the notes; Enter anywhere in the panel adds the item (the Add button says so). An item chosen
or changed here and not yet added is `pending`: placing the order asks about it first."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.messages.dtos import MenuItemDto
from pos_app.messages.queries import PriceOrderQuery
from pos_app.ui.formatting import format_money
from pos_app.ui.keymap import keys_text
from pos_app.ui.models.cart import CartLine, CartModel
from pos_app.ui.models.menu import ToppingsModel
from pos_app.ui.protocols import Sender
from pos_app.ui.views.base import error_label, set_error
from pos_app.ui.widgets.counter.allergies import AllergiesPicker
from pos_app.ui.widgets.counter.background import BackgroundTasks, first_error
from pos_app.ui.widgets.counter.quantity import QuantityBox

SIZES = ("small", "medium", "large")
TOPPING_COLUMN_WIDTH = 170


class ItemPanel(QGroupBox):
    """Configures one menu item and puts it in `cart`: a new line, or the line being edited (`edit`).
    Shows the line's price as the core quotes it. `line_submitted` after the cart got the line."""

    line_submitted = Signal()

    def __init__(self, mediator: Sender, cart: CartModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Item"))
        self._mediator = mediator
        self._cart = cart
        self._background = BackgroundTasks(self)
        self._preview_generation = 0
        self.current_item: MenuItemDto | None = None
        self.editing_row: int | None = None
        self.pending = False
        self.toppings_model = ToppingsModel(self)

        self.item_name = QLabel(self)
        self.item_name.setObjectName("heading")
        self.item_description = QLabel(self)
        self.item_description.setWordWrap(True)
        self.size_group = QButtonGroup(self)
        self.size_group.setExclusive(True)
        sizes = QHBoxLayout()
        self.size_buttons: dict[str, QPushButton] = {}
        for size in SIZES:
            button = QPushButton(size.title(), self)
            button.setAccessibleName(self.tr("Size {size}").format(size=size.title()))
            button.setCheckable(True)
            self.size_group.addButton(button)
            self.size_buttons[size] = button
            sizes.addWidget(button)
        self.size_group.buttonToggled.connect(self._on_size_group_button_toggled)
        self.toppings_view = QListView(self)
        self.toppings_view.setModel(self.toppings_model)
        self.toppings_view.setViewMode(QListView.ViewMode.ListMode)
        self.toppings_view.setFlow(QListView.Flow.LeftToRight)
        self.toppings_view.setWrapping(True)
        self.toppings_view.setResizeMode(QListView.ResizeMode.Adjust)
        self.toppings_view.setGridSize(QSize(TOPPING_COLUMN_WIDTH, 30))
        self.toppings_view.setMaximumHeight(110)
        self.toppings_view.setAccessibleName(self.tr("Toppings"))
        self.toppings_view.setAccessibleDescription(self.tr("Arrow keys move between toppings; Space adds or removes"))
        self.toppings_model.dataChanged.connect(self._on_toppings_model_data_changed)
        self.toppings_model.modelReset.connect(self._fit_toppings_grid)
        self.notes = QLineEdit(self)
        self.notes.setAccessibleName(self.tr("Special instructions"))
        self.notes.textEdited.connect(self._on_notes_text_edited)
        self.notes.setPlaceholderText(self.tr("Special instructions (e.g. well done, no basil)"))
        self.notes.setMaxLength(200)
        self.allergies = AllergiesPicker(self)
        self.allergies.changed.connect(self._on_allergies_changed)
        self.quantity = QuantityBox(self)
        self.quantity.valueChanged.connect(self._on_quantity_value_changed)
        self.line_price = QLabel(self)
        self.line_price.setObjectName("heading")
        self.add_button = QPushButton(self.tr("Add to order"), self)
        self.add_button.setAccessibleDescription(self.tr("Shortcut: Enter in the item panel"))
        self.add_button.clicked.connect(self.submit)
        self.cancel_edit_button = QPushButton(self.tr("Cancel edit"), self)
        self.cancel_edit_button.clicked.connect(self.cancel_edit)
        self.line_price.setAccessibleName(self.tr("Line price"))
        self.item_error = error_label(self)
        actions = QHBoxLayout()
        actions.addWidget(self.quantity)
        actions.addWidget(self.line_price, 1)
        actions.addWidget(self.cancel_edit_button)
        actions.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        heading = QHBoxLayout()
        heading.addWidget(self.item_name)
        heading.addWidget(self.item_description, 1)
        layout.addLayout(heading)
        layout.addLayout(sizes)
        layout.addWidget(self.toppings_view)
        layout.addWidget(self.notes)
        layout.addWidget(self.allergies)
        layout.addWidget(self.item_error)
        layout.addLayout(actions)
        self.set_item(None)

    # what is being configured -----------------------------------------------------------------------------------
    def choose(self, item: MenuItemDto) -> None:
        """A new line of `item`, with its default choices."""
        self.editing_row = None
        self.set_item(item)
        self.pending = True

    def edit(self, row: int, item: MenuItemDto, line: CartLine) -> None:
        """Change the cart's line `row` (of `item`): its choices are shown and Add becomes Update."""
        self.editing_row = row
        self.set_item(item, line=line)
        self.pending = True

    def cancel_edit(self) -> None:
        self.editing_row = None
        self.set_item(None)

    def set_item(self, item: MenuItemDto | None, keep_choices: bool = False, line: CartLine | None = None) -> None:
        previous_size = self.selected_size
        previous_toppings = self.toppings_model.checked_ids()
        self.current_item = item
        set_error(self.item_error, None)
        self.add_button.setEnabled(item is not None and item.available)
        self.cancel_edit_button.setVisible(self.editing_row is not None)
        action = self.tr("Update line") if self.editing_row is not None else self.tr("Add to order")
        self.add_button.setText(f"{action}  ({keys_text('counter', 'add')})")
        self.add_button.setAccessibleName(action)
        if item is None:
            self.pending = False
            self.item_name.setText(self.tr("Choose from the menu"))
            self.item_description.setText("")
            self.toppings_model.set_toppings([])
            for button in self.size_buttons.values():
                button.setEnabled(False)
            self.line_price.setText("")
            self.notes.clear()
            self.allergies.set_allergies([])
            return
        self.item_name.setText(item.name)
        self.item_description.setText(item.description)
        size = line.size if line else previous_size if keep_choices else "medium"
        if size not in item.available_sizes:
            size = "medium" if "medium" in item.available_sizes else item.available_sizes[0]
        for name, button in self.size_buttons.items():
            button.setEnabled(name in item.available_sizes)
            button.setVisible(len(item.available_sizes) > 1)
        self.size_group.blockSignals(True)
        self.size_buttons[size].setChecked(True)
        self.size_group.blockSignals(False)
        checked = list(line.toppings) if line else previous_toppings if keep_choices else []
        self.toppings_model.set_toppings(item.available_toppings, checked)
        self.toppings_view.setVisible(bool(item.available_toppings))
        if item.available_toppings:
            self.toppings_view.setCurrentIndex(self.toppings_model.index(0))
        self.quantity.blockSignals(True)
        if line is not None:
            self.notes.setText(line.special_instructions)
            self.allergies.set_allergies(line.allergies)
            self.quantity.setValue(line.quantity)
        elif not keep_choices:
            self.notes.clear()
            self.allergies.set_allergies([])
            self.quantity.reset()
        self.quantity.blockSignals(False)
        self._schedule_preview()

    def _fit_toppings_grid(self) -> None:
        """Columns as wide as the widest topping with its price (a narrower grid cuts the price off)."""
        model, view = self.toppings_model, self.toppings_view
        widest = max((view.sizeHintForIndex(model.index(row)).width() for row in range(model.rowCount())), default=0)
        view.setGridSize(QSize(max(TOPPING_COLUMN_WIDTH, widest + 12), view.gridSize().height()))

    @property
    def selected_size(self) -> str:
        return next((size for size, button in self.size_buttons.items() if button.isChecked()), "medium")

    def current_line(self) -> CartLine | None:
        item = self.current_item
        if item is None:
            return None
        return CartLine(
            pizza_id=item.id,
            name=item.name,
            category=item.category,
            size=self.selected_size,
            toppings=tuple(self.toppings_model.checked_ids()),
            topping_names=tuple(self.toppings_model.checked_names()),
            special_instructions=self.notes.text().strip(),
            allergies=tuple(self.allergies.allergies()),
            quantity=self.quantity.value(),
        )

    def focus_first(self) -> None:
        """Put the focus on the first choice the item offers: its size, else its toppings, else the notes."""
        size = self.size_buttons.get(self.selected_size)
        if size is not None and size.isVisibleTo(self) and size.isEnabled():
            size.setFocus(Qt.FocusReason.ShortcutFocusReason)
        elif self.toppings_view.isVisibleTo(self):
            self.toppings_view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        else:
            self.notes.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def pending_description(self) -> str | None:
        """The item chosen or changed here and not yet in the cart ("Margherita, large, with Ham"), or None."""
        line = self.current_line() if self.pending else None
        if line is None:
            return None
        toppings = ", with " + ", ".join(line.topping_names) if line.topping_names else ""
        notes = f" ({line.special_instructions})" if line.special_instructions else ""
        size = f", {line.size}" if self.current_item and len(self.current_item.available_sizes) > 1 else ""
        what = f"{line.label}{size}{toppings}{notes}"
        return self.tr("The change to {line}").format(line=what) if self.editing_row is not None else what

    def _on_size_group_button_toggled(self, *_: object) -> None:
        self.pending = self.current_item is not None
        self._schedule_preview()

    def _on_toppings_model_data_changed(self, *_: object) -> None:
        self.pending = self.current_item is not None
        self._schedule_preview()

    def _on_notes_text_edited(self, _text: str) -> None:
        self.pending = self.current_item is not None

    def _on_allergies_changed(self) -> None:
        self.pending = self.current_item is not None

    def _on_quantity_value_changed(self, _value: int) -> None:
        self.pending = self.current_item is not None
        self._schedule_preview()

    # into the cart --------------------------------------------------------------------------------------------------
    def submit(self) -> None:
        """Add the line to the cart, or put it in place of the line being edited."""
        line = self.current_line()
        if line is None:
            return
        if self.editing_row is not None and self.editing_row < self._cart.rowCount():
            self._cart.replace_line(self.editing_row, line)
            self.editing_row = None
            self.set_item(None)
        else:
            self._cart.add_line(line)
            self.notes.clear()
            self.allergies.set_allergies([])
            self.quantity.blockSignals(True)
            self.quantity.reset()
            self.quantity.blockSignals(False)
            if line.quantity > 1:
                self._schedule_preview()
            self.toppings_model.set_toppings(self.current_item.available_toppings if self.current_item else [])
            if line.toppings:
                self._schedule_preview()  # the next line starts without them; else its price is the one shown
        self.pending = False
        self.line_submitted.emit()

    def forget_row(self, row: int) -> None:
        """The cart's line `row` is about to go: stop editing it."""
        if self.editing_row == row:
            self.cancel_edit()

    # the line's price -----------------------------------------------------------------------------------------------
    def _schedule_preview(self, *_: object) -> None:
        self._preview_generation += 1
        self._background.start(self._preview(self._preview_generation))

    async def _preview(self, generation: int) -> None:
        if generation != self._preview_generation:
            return  # changed again before this price started: only the latest is asked for (one per action)
        line = self.current_line()
        if line is None:
            return
        result = await self._mediator.execute_async(PriceOrderQuery(pizza_items=[line.as_item()]))
        if generation != self._preview_generation:
            return
        if result.is_success and result.data is not None and result.data.lines:
            self.line_price.setText(format_money(result.data.lines[0].price))
            set_error(self.item_error, None)
        else:
            self.line_price.setText("")
            set_error(self.item_error, first_error(result))

    async def wait_idle(self) -> None:
        await self._background.wait()
