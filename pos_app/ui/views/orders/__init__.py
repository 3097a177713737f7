"""The Orders screen (`OrdersView`), built from panels with one job each: the list and its filter bar
(`order_list`), the order's detail (`order_detail`), its actions (`action_bar`), the payment and cancel panels, and
the commands they send (`commands`)."""

from pos_app.ui.views.orders.view import OrdersView

__all__ = ["OrdersView"]
