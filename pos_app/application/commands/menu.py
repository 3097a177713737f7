"""The manager's menu changes."""

from __future__ import annotations

from pos_app.application.mapping import amount, menu_item_dto
from pos_app.application.ports import Clock, RequestContext, UnitOfWork
from pos_app.domain.allergens import parse_allergens
from pos_app.domain.events import MenuUpdatedEvent
from pos_app.domain.menu import MenuItem, Size, takes_toppings
from pos_app.domain.money import Money
from pos_app.mediation import CommandHandler, OperationResult
from pos_app.messages.commands import UpdateMenuCommand
from pos_app.messages.dtos import MenuItemDto

DEFAULT_PREPARATION_MINUTES = 10


class UpdateMenuHandler(CommandHandler[UpdateMenuCommand, OperationResult[MenuItemDto]]):
    def __init__(self, uow: UnitOfWork, clock: Clock, context: RequestContext) -> None:
        self._uow = uow
        self._clock = clock
        self._context = context

    async def handle_async(self, request: UpdateMenuCommand) -> OperationResult[MenuItemDto]:
        menu = await self._uow.menu.get_menu()
        existing = menu.items.get(request.item_id)
        price = amount(request.base_price, "base_price")
        sizes = tuple(Size(s) for s in request.available_sizes) if request.available_sizes is not None else None
        allergens = parse_allergens(request.allergens) if request.allergens is not None else None
        if existing is None:
            missing = {
                field: [f"Give the {field.replace('_', ' ')} of the new item"]
                for field in ("name", "category", "base_price")
                if getattr(request, field) is None
            }
            if missing:
                return self.validation_error(
                    missing, f"'{request.item_id}' is not on the menu yet: {', '.join(missing)} needed"
                )
            category = request.category or ""
            item = MenuItem(
                id=request.item_id,
                name=(request.name or "").strip(),
                description=(request.description or "").strip(),
                category=category,
                base_price=price or Money(0),
                preparation_minutes=(
                    request.preparation_time_minutes
                    if request.preparation_time_minutes is not None
                    else DEFAULT_PREPARATION_MINUTES
                ),
                available=request.available if request.available is not None else True,
                seasonal=bool(request.is_seasonal),
                sizes=sizes or ((Size.SMALL, Size.MEDIUM, Size.LARGE) if category == "pizza" else (Size.MEDIUM,)),
                takes_toppings=takes_toppings(category),
                allergens=allergens or (),
                needs_preparation=(
                    request.needs_preparation if request.needs_preparation is not None else category != "drink"
                ),
            )
        else:
            changes: dict[str, object] = {}
            for field, value in (
                ("name", request.name.strip() if request.name is not None else None),
                ("description", request.description.strip() if request.description is not None else None),
                ("category", request.category),
                ("base_price", price),
                ("preparation_minutes", request.preparation_time_minutes),
                ("available", request.available),
                ("seasonal", request.is_seasonal),
                ("sizes", sizes),
                ("allergens", allergens),
                ("needs_preparation", request.needs_preparation),
            ):
                if value is not None and getattr(existing, field) != value:
                    changes[field] = value
            if "category" in changes:
                changes["takes_toppings"] = takes_toppings(str(changes["category"]))
            if not changes:
                return self.ok(menu_item_dto(existing, menu.toppings))
            item = existing.with_changes(**changes)
        await self._uow.menu.save_item(item, added=existing is None)
        self._uow.record(
            [
                MenuUpdatedEvent(
                    occurred_at=self._clock.now(),
                    staff_id=self._context.staff_id,
                    item_id=item.id,
                    name=item.name,
                    description=item.description,
                    category=item.category,
                    base_price_cents=item.base_price.cents,
                    preparation_minutes=item.preparation_minutes,
                    available=item.available,
                    seasonal=item.seasonal,
                    sizes=tuple(size.value for size in item.sizes),
                    added=existing is None,
                    allergens=tuple(a.value for a in item.allergens),
                    needs_preparation=item.needs_preparation,
                )
            ]
        )
        dto = menu_item_dto(item, menu.toppings)
        return self.created(dto) if existing is None else self.ok(dto)
