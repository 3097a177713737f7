"""Realistic DTOs for the UI tests."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from pos_app.application.behaviors.order_actions import with_actions
from pos_app.domain.staff import Role
from pos_app.messages.dtos import (
    KitchenItemDto,
    KitchenTicketDto,
    MenuItemDto,
    OrderDto,
    OrderItemDto,
    OrderSummaryDto,
    SessionDto,
    StaffDto,
    TimelineEntryDto,
    ToppingDto,
)

NOW = datetime.now(UTC).replace(microsecond=0)
TOPPINGS = [
    ToppingDto(id="extra_cheese", name="Extra cheese", price=Decimal("1.50")),
    ToppingDto(id="ham", name="Ham", price=Decimal("2.00")),
    ToppingDto(id="basil", name="Fresh basil", price=Decimal("0.50")),
]


def menu_item(item_id: str, name: str, price: str, category: str = "pizza", **overrides: object) -> MenuItemDto:
    fields: dict[str, object] = {
        "id": item_id,
        "name": name,
        "description": f"{name} from the oven",
        "category": category,
        "base_price": Decimal(price),
        "preparation_time_minutes": 12 if category == "pizza" else 0,
        "available": True,
        "is_seasonal": False,
        "available_sizes": ["small", "medium", "large"] if category == "pizza" else ["medium"],
        "available_toppings": TOPPINGS if category == "pizza" else [],
    }
    fields.update(overrides)
    return MenuItemDto(**fields)  # type: ignore[arg-type]


MENU = [
    menu_item("margherita", "Margherita", "12.99"),
    menu_item("pepperoni", "Pepperoni", "14.99"),
    menu_item("diavola", "Diavola", "15.49", available=False),
    menu_item("garlic_bread", "Garlic bread", "4.99", category="side"),
    menu_item("cola", "Cola", "2.50", category="drink"),
]

STAFF = [
    StaffDto(id="luigi", name="Luigi Verdi", role="counter"),
    StaffDto(id="mario", name="Mario Rossi", role="manager"),
    StaffDto(id="rosa", name="Rosa Bianchi", role="kitchen"),
    StaffDto(id="toni", name="Toni Esposito", role="driver"),
]


def session(staff_id: str = "luigi", role: str = "counter", name: str = "Luigi Verdi") -> SessionDto:
    """A session as the core answers it (what the role may do filled in, as the pipeline does)."""
    dto = SessionDto(staff_id=staff_id, name=name, role=role, logged_in_at=NOW)  # type: ignore[arg-type]
    filled: SessionDto = with_actions(dto, Role(role))
    return filled


def ticket(
    number: int,
    *,
    minutes_ago: float = 5,
    items: int = 2,
    ready: int = 0,
    status: str = "pending",
    eta_in: float = 10,
    order_type: str = "pickup",
) -> KitchenTicketDto:
    placed = NOW - timedelta(minutes=minutes_ago)
    made = KitchenTicketDto(
        order_id=uuid.UUID(int=number),
        order_number=number,
        order_type=order_type,  # type: ignore[arg-type]
        customer_name=f"Customer {number}",
        status=status,  # type: ignore[arg-type]
        placed_at=placed,
        started_at=placed if status == "cooking" else None,
        estimated_ready_time=NOW + timedelta(minutes=eta_in),
        completed_at=None,
        items=[
            KitchenItemDto(
                index=index,
                name=["Margherita", "Pepperoni", "Diavola", "Cola"][index % 4],
                category="drink" if index % 4 == 3 else "pizza",
                size="large" if index == 0 else "medium",
                toppings=["Ham"] if index == 0 else [],
                special_instructions="well done" if index == 1 else "",
                ready=index < ready,
            )
            for index in range(items)
        ],
    )
    return kitchen_answer(made)


def kitchen_answer(made: KitchenTicketDto) -> KitchenTicketDto:
    """A ticket as the core sends it to the kitchen: with what the kitchen may do to it now."""
    ticket: KitchenTicketDto = with_actions(made, Role.KITCHEN)
    return ticket


def summary(
    number: int,
    *,
    status: str = "pending",
    name: str | None = None,
    phone: str = "5550102030",
    order_type: str = "pickup",
    total: str = "34.48",
    paid: bool = True,
    minutes_ago: float = 10,
    eta_in: float = 5,
) -> OrderSummaryDto:
    placed = NOW - timedelta(minutes=minutes_ago)
    return OrderSummaryDto(
        order_id=uuid.UUID(int=1000 + number),
        order_number=number,
        business_date=placed.date(),
        placed_at=placed,
        customer_name=name or f"Customer {number}",
        customer_phone=phone,
        customer_address="Via Roma 1" if order_type == "delivery" else None,
        order_type=order_type,  # type: ignore[arg-type]
        items_summary="Margherita L, Pepperoni M",
        item_count=2,
        total_amount=Decimal(total),
        status=status,  # type: ignore[arg-type]
        paid=paid,
        payment_method="cash",
        estimated_ready_time=NOW + timedelta(minutes=eta_in),
        ready_at=None,
        completed_at=None,
        driver_id=None,
    )


def order_detail(number: int, *, status: str = "pending", order_type: str = "pickup", paid: bool = True) -> OrderDto:
    row = summary(number, status=status, order_type=order_type, paid=paid)
    return OrderDto(
        order_id=row.order_id,
        order_number=number,
        business_date=row.business_date,
        order_type=row.order_type,
        status=row.status,
        customer_name=row.customer_name,
        customer_phone=row.customer_phone,
        customer_address=row.customer_address,
        items=[
            OrderItemDto(
                index=0,
                pizza_id="margherita",
                name="Margherita",
                size="large",
                toppings=["ham"],
                topping_names=["Ham"],
                special_instructions="",
                price=Decimal("19.49"),
                ready=False,
            ),
            OrderItemDto(
                index=1,
                pizza_id="pepperoni",
                name="Pepperoni",
                size="medium",
                toppings=[],
                topping_names=[],
                special_instructions="well done",
                price=Decimal("14.99"),
                ready=False,
            ),
        ],
        subtotal=Decimal("34.48"),
        delivery_fee=Decimal("0.00"),
        tax=Decimal("3.13"),
        total_amount=Decimal("34.48"),
        payment_method="cash",
        paid=paid,
        amount_tendered=Decimal("50.00") if paid else None,
        change_due=Decimal("15.52") if paid else None,
        placed_at=row.placed_at,
        estimated_ready_time=row.estimated_ready_time,
        started_at=None,
        ready_at=None,
        completed_at=None,
        driver_id=None,
        cancel_reason=None,
        timeline=[
            TimelineEntryDto(
                position=1,
                event_type="OrderPlacedEvent",
                occurred_at=row.placed_at,
                staff_id="luigi",
                description=f"Order #{number} placed: 2 items, 34.48",
            ),
        ],
    )
