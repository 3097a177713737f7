-- Schema version 5: the kitchen's load counts only the business day's open orders, and the manager sees the open
-- orders of earlier days as "left open": both are read by business date.
CREATE INDEX ix_orders_open_day ON orders (business_date) WHERE status IN ('pending', 'cooking');

CREATE INDEX ix_order_list_open ON order_list_view (business_date, placed_at)
	WHERE status IN ('pending', 'cooking', 'ready', 'out_for_delivery')
;

-- An item's toppings rule follows its category (a pizza made a side kept taking toppings, and a side made a pizza
-- took none), and its place in the reports follows its category on every day it was sold (days sold before a
-- change kept the old one, so the popular pizzas left them out or kept them in).
UPDATE menu_items SET takes_toppings = (category = 'pizza');

UPDATE sales_item_daily_view
	SET category = (SELECT category FROM menu_items WHERE menu_items.id = sales_item_daily_view.menu_item_id)
	WHERE menu_item_id IN (SELECT id FROM menu_items)
	AND category != (SELECT category FROM menu_items WHERE menu_items.id = sales_item_daily_view.menu_item_id);

UPDATE customer_item_view
	SET category = (SELECT category FROM menu_items WHERE menu_items.id = customer_item_view.menu_item_id)
	WHERE menu_item_id IN (SELECT id FROM menu_items)
	AND category != (SELECT category FROM menu_items WHERE menu_items.id = customer_item_view.menu_item_id)
