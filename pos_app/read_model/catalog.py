"""Every read model, in the order their projections run for each event and their rebuild steps are built.

The order list comes first: the customers, sales and kitchen-performance read models read the order as placed from
it (its table live, its rows in a rebuild). A new read model is one module ending in a `ReadModel`, listed here.
"""

from __future__ import annotations

from sqlalchemy import Table

from pos_app.read_model import (
    customers,
    kitchen_performance,
    kitchen_queue,
    kitchen_tickets,
    left_open,
    order_list,
    sales,
)
from pos_app.read_model.definition import ReadModel
from pos_app.read_model.projector import Projector

READ_MODELS: tuple[ReadModel, ...] = (
    order_list.READ_MODEL,
    kitchen_queue.READ_MODEL,
    customers.READ_MODEL,
    sales.READ_MODEL,
    kitchen_performance.READ_MODEL,
)

READ_MODEL_TABLES: tuple[Table, ...] = tuple(t for read_model in READ_MODELS for t in read_model.tables)

QUERY_HANDLER_MODULES: tuple[str, ...] = (
    *(read_model.module for read_model in READ_MODELS),
    left_open.__name__,
    kitchen_tickets.__name__,
)
"""The modules whose query handlers the mediator registers (the kitchen queue's are in `kitchen_tickets.py`)."""


def build_projector() -> Projector:
    """Every read model's projections, in the order they run for each event."""
    return Projector(READ_MODELS)
