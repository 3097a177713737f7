"""The menu and the one pricing formula: line = (base + Σ toppings) × size multiplier, half-up to the cent."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from fractions import Fraction

from pos_app.domain.allergens import Allergen, parse_allergens
from pos_app.domain.errors import ValidationFailedError
from pos_app.domain.money import Money


class Size(StrEnum):
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


SIZE_MULTIPLIERS: dict[Size, Fraction] = {
    Size.SMALL: Fraction(4, 5),
    Size.MEDIUM: Fraction(1),
    Size.LARGE: Fraction(13, 10),
}

CATEGORIES = ("pizza", "side", "drink", "dessert")
MAX_TOPPINGS = 10
MAX_QUANTITY = 50
"""The most of one item on one line of an order."""


def takes_toppings(category: str) -> bool:
    """The toppings rule: pizzas take toppings, nothing else does (it follows the item's category)."""
    return category == "pizza"


def line_price(base: Money, toppings: Iterable[Money], size: Size) -> Money:
    """The price of one line of an order, rounded once."""
    before_size = Money(base.cents + sum(topping.cents for topping in toppings))
    return before_size.scaled(SIZE_MULTIPLIERS[size])


@dataclass(frozen=True, slots=True)
class Topping:
    id: str
    name: str
    price: Money
    available: bool = True
    allergens: tuple[Allergen, ...] = ()


@dataclass(frozen=True, slots=True)
class MenuItem:
    id: str
    name: str
    description: str
    category: str
    base_price: Money
    preparation_minutes: int
    available: bool = True
    seasonal: bool = False
    sizes: tuple[Size, ...] = (Size.SMALL, Size.MEDIUM, Size.LARGE)
    takes_toppings: bool = True
    allergens: tuple[Allergen, ...] = ()
    """What the item contains, from the EU's fourteen (its toppings' are added per line)."""
    needs_preparation: bool = True
    """False for what the kitchen does not make (drinks, packaged desserts): such a line is ready when placed."""

    def __post_init__(self) -> None:
        problems = menu_item_problems(
            self.id, self.name, self.category, self.base_price, self.preparation_minutes, self.sizes
        )
        if problems:
            raise ValidationFailedError.for_fields(problems)

    def with_changes(self, **changes: object) -> MenuItem:
        return replace(self, **changes)  # type: ignore[arg-type]


def menu_item_problems(
    item_id: str, name: str, category: str, base_price: Money, preparation_minutes: int, sizes: Sequence[Size]
) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if not item_id or not item_id.replace("_", "").isalnum() or not item_id.isascii() or item_id != item_id.lower():
        problems["item_id"] = ["Use lowercase letters, digits and underscores"]
    if not name.strip():
        problems["name"] = ["A menu item needs a name"]
    if category not in CATEGORIES:
        problems["category"] = [f"Choose one of: {', '.join(CATEGORIES)}"]
    if base_price.cents <= 0 or base_price.cents > 100_000:
        problems["base_price"] = ["A price is between 0.01 and 1000.00"]
    if not 0 <= preparation_minutes <= 180:
        problems["preparation_time_minutes"] = ["Preparation takes 0 to 180 minutes"]
    if not sizes:
        problems["available_sizes"] = ["Offer at least one size"]
    return problems


@dataclass(frozen=True, slots=True)
class PricedLine:
    item: MenuItem
    size: Size
    toppings: tuple[Topping, ...]
    special_instructions: str
    price: Money
    """The line's price: the unit price (rounded once) times `quantity`, exact in cents."""
    quantity: int = 1
    allergies: tuple[Allergen, ...] = ()
    """The customer's allergies for this line."""

    @property
    def allergens(self) -> tuple[Allergen, ...]:
        """What the line contains: the item's allergens and its toppings', each once."""
        return parse_allergens([*self.item.allergens, *(a for t in self.toppings for a in t.allergens)])

    @property
    def unit_price(self) -> Money:
        return Money(self.price.cents // self.quantity)

    def times(self, quantity: int) -> PricedLine:
        """This line (priced for one) as `quantity` of the same: 1 to `MAX_QUANTITY`."""
        if not 1 <= quantity <= MAX_QUANTITY:
            raise ValidationFailedError.for_fields({"quantity": [f"Order 1 to {MAX_QUANTITY} of an item"]})
        return replace(self, price=self.unit_price * quantity, quantity=quantity)


@dataclass(slots=True)
class Menu:
    items: dict[str, MenuItem] = field(default_factory=dict)
    toppings: dict[str, Topping] = field(default_factory=dict)

    def price_lines(
        self,
        requested: Sequence[tuple[str, str, Sequence[str], str]],
        field_name: str,
        allergies: Sequence[Sequence[str]] = (),
    ) -> list[PricedLine]:
        """Price `(item id, size, topping ids, notes)` lines, or raise naming every bad field, e.g.
        `pizza_items[1].size`. `allergies[i]`, when given, are the customer's allergies on line i."""
        errors: dict[str, list[str]] = {}
        lines: list[PricedLine] = []
        if not requested:
            raise ValidationFailedError("An order needs at least one item", {field_name: ["Add at least one item"]})
        for index, (item_id, size_name, topping_ids, notes) in enumerate(requested):
            where = f"{field_name}[{index}]"
            item = self.items.get(item_id)
            if item is None:
                errors[f"{where}.pizza_id"] = [f"'{item_id}' is not on the menu"]
                continue
            if not item.available:
                errors[f"{where}.pizza_id"] = [f"{item.name} is not available right now"]
                continue
            try:
                size = Size(size_name)
            except ValueError:
                size = None
            if size is None or size not in item.sizes:
                offered = ", ".join(s.value for s in item.sizes)
                errors[f"{where}.size"] = [f"{item.name} comes in: {offered}"]
                continue
            toppings: list[Topping] = []
            for topping_id in topping_ids:
                topping = self.toppings.get(topping_id)
                if not item.takes_toppings:
                    errors.setdefault(f"{where}.toppings", []).append(f"{item.name} takes no toppings")
                    break
                if topping is None:
                    errors.setdefault(f"{where}.toppings", []).append(f"'{topping_id}' is not a topping")
                elif not topping.available:
                    errors.setdefault(f"{where}.toppings", []).append(f"{topping.name} is not available right now")
                else:
                    toppings.append(topping)
            if len(topping_ids) > MAX_TOPPINGS:
                errors.setdefault(f"{where}.toppings", []).append(f"At most {MAX_TOPPINGS} toppings")
            if f"{where}.toppings" in errors:
                continue
            price = line_price(item.base_price, (t.price for t in toppings), size)
            try:
                line_allergies = parse_allergens(
                    allergies[index] if index < len(allergies) else (), f"{where}.allergies"
                )
            except ValidationFailedError as error:
                errors.update(error.errors)
                continue
            lines.append(PricedLine(item, size, tuple(toppings), notes.strip(), price, allergies=line_allergies))
        if errors:
            raise ValidationFailedError.for_fields(errors)
        return lines
