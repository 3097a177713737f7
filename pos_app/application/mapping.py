"""Domain objects and events to the DTOs the screens get. Cents become `Decimal` here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from pos_app.domain.errors import ValidationFailedError
from pos_app.domain.events import (
    CookingStartedEvent,
    DomainEvent,
    LeftOpenOrderClosedEvent,
    OrderCancelledEvent,
    OrderDeliveredEvent,
    OrderDiscountedEvent,
    OrderEditedEvent,
    OrderOutForDeliveryEvent,
    OrderPickedUpEvent,
    OrderPlacedEvent,
    OrderReadyEvent,
    PaymentProcessedEvent,
    PizzaReadyEvent,
)
from pos_app.domain.menu import MenuItem, Topping
from pos_app.domain.money import Money
from pos_app.domain.orders import Order, PaymentMethod
from pos_app.messages.dtos import (
    MenuItemDto,
    OrderDto,
    OrderItemDto,
    OrderPlacedDto,
    TimelineEntryDto,
    ToppingDto,
)


def money(cents: int) -> Decimal:
    return Money(cents).to_decimal()


def amount(value: Decimal | None, field: str) -> Money | None:
    """A request's amount as cents; one that validation would have refused (a request built around it) is a 400
    naming the field, never a huge computation."""
    if value is None:
        return None
    try:
        return Money.from_decimal(value)
    except ValueError:
        raise ValidationFailedError.for_fields({field: ["Enter an amount such as 12.50"]}) from None


def topping_dto(topping: Topping) -> ToppingDto:
    return ToppingDto(
        id=topping.id,
        name=topping.name,
        price=topping.price.to_decimal(),
        allergens=[a.value for a in topping.allergens],
    )


def menu_item_dto(item: MenuItem, toppings: Mapping[str, Topping]) -> MenuItemDto:
    offered = [topping_dto(t) for t in toppings.values() if t.available] if item.takes_toppings else []
    return MenuItemDto(
        id=item.id,
        name=item.name,
        description=item.description,
        category=item.category,
        base_price=item.base_price.to_decimal(),
        preparation_time_minutes=item.preparation_minutes,
        available=item.available,
        is_seasonal=item.seasonal,
        available_sizes=[size.value for size in item.sizes],
        available_toppings=offered,
        allergens=[a.value for a in item.allergens],
        needs_preparation=item.needs_preparation,
    )


def describe_event(event: DomainEvent) -> str:
    """One line for the order's timeline."""
    match event:
        case OrderPlacedEvent():
            return f"Order #{event.order_number} placed: {len(event.items)} items, {money(event.total_cents)}"
        case CookingStartedEvent():
            return "Cooking started"
        case PizzaReadyEvent():
            return f"Item {event.pizza_index + 1} ready after {event.actual_cooking_time_minutes:g} min"
        case OrderReadyEvent():
            return "Order ready"
        case OrderPickedUpEvent():
            return "Picked up"
        case OrderOutForDeliveryEvent():
            return f"Out for delivery with {event.driver_id}"
        case OrderDeliveredEvent():
            return "Delivered"
        case OrderCancelledEvent():
            refund = f", refund {money(event.refund_cents)}" if event.refund_cents else ""
            return f"Cancelled while {event.previous_status}{refund}" + (f": {event.reason}" if event.reason else "")
        case LeftOpenOrderClosedEvent():
            refund = f", refund {money(event.refund_cents)}" if event.refund_cents else ""
            closed = f"Closed as left open while {event.previous_status}: {event.outcome}{refund}"
            return closed + (f" ({event.reason})" if event.reason else "")
        case OrderEditedEvent():
            return edited_text(event)
        case OrderDiscountedEvent():
            on = f"line {event.line_index + 1}" if event.line_index is not None else "the order"
            by = f", approved by {event.approver_name}" if event.approver_name else ""
            refund = f", refund {money(event.refund_cents)}" if event.refund_cents else ""
            more = f", {money(event.balance_cents)} more to pay" if event.balance_cents and event.paid_cents else ""
            return f"Discount {money(event.discount_cents)} on {on} ({event.reason}){by}{refund}{more}"
        case PaymentProcessedEvent():
            change = f", change {money(event.change_cents)}" if event.change_cents else ""
            return f"Paid {money(event.amount_cents)} by {event.payment_method}{change}"
    return type(event).__name__


def edited_text(event: OrderEditedEvent) -> str:
    """ "Changed while cooking: + 1 × Diavola (large); − Margherita · total 41.28 (was 34.48), 6.80 more to pay"."""
    when = "Changed while cooking" if event.cooking_started else "Changed"
    what = f": {'; '.join(event.kitchen_changes)}" if event.kitchen_changes else ": customer details"
    money_text = f" · total {money(event.total_cents)}"
    if event.total_cents != event.previous_total_cents:
        money_text += f" (was {money(event.previous_total_cents)})"
    if event.refund_cents:
        money_text += f", refund {money(event.refund_cents)}"
    elif event.balance_cents and event.paid_cents:
        money_text += f", {money(event.balance_cents)} more to pay"
    return when + what + money_text


def order_dto(order: Order, timeline: Iterable[tuple[int, DomainEvent]] = ()) -> OrderDto:
    paid_cash = order.paid and order.payment_method.value == "cash"
    return OrderDto(
        order_id=order.id,
        order_number=order.number,
        business_date=order.business_date,
        order_type=order.order_type.value,
        status=order.status.value,
        customer_name=order.customer.name,
        customer_phone=order.customer.phone,
        customer_address=order.customer.address,
        items=[
            OrderItemDto(
                index=index,
                pizza_id=item.menu_item_id,
                name=item.name,
                size=item.size,
                toppings=list(item.toppings),
                topping_names=list(item.topping_names),
                special_instructions=item.special_instructions,
                price=money(item.price_cents),
                ready=item.ready_at is not None,
                quantity=item.quantity,
                allergies=list(item.allergies),
            )
            for index, item in enumerate(order.items)
        ],
        subtotal=money(order.subtotal_cents),
        delivery_fee=money(order.delivery_fee_cents),
        tax=money(order.tax_cents),
        total_amount=money(order.total_cents),
        payment_method=order.payment_method.value,
        paid=order.paid,
        amount_tendered=money(order.tendered_cents) if paid_cash else None,
        change_due=money(order.change_cents) if paid_cash else None,
        placed_at=order.placed_at,
        estimated_ready_time=order.estimated_ready_at,
        started_at=order.started_at,
        ready_at=order.ready_at,
        completed_at=order.completed_at,
        driver_id=order.driver_id,
        cancel_reason=order.cancel_reason,
        table_number=order.table_number,
        covers=order.covers,
        amount_paid=money(order.paid_cents),
        balance_due=money(order.total_cents - order.paid_cents if order.paid_cents else 0),
        version=order.version,
        discount=money(order.discount.cents if order.discount else 0),
        discount_reason=order.discount.reason if order.discount else None,
        discount_line=order.discount.line_index if order.discount else None,
        timeline=[
            TimelineEntryDto(
                position=position,
                event_type=type(event).__name__,
                occurred_at=event.occurred_at,
                staff_id=event.staff_id,
                description=describe_event(event),
            )
            for position, event in timeline
        ],
    )


def order_placed_dto(order: Order) -> OrderPlacedDto:
    """What the counter hears back after placing an order."""
    paid_cash = order.paid and order.payment_method is PaymentMethod.CASH
    return OrderPlacedDto(
        order_id=order.id,
        order_number=order.number,
        total_amount=money(order.total_cents),
        tax_amount=money(order.tax_cents),
        estimated_ready_time=order.estimated_ready_at,
        paid=order.paid,
        change_due=money(order.change_cents) if paid_cash else None,
    )
