"""The panels of the counter screen, each with one job; `pos_app.ui.views.counter.CounterView` wires them."""
