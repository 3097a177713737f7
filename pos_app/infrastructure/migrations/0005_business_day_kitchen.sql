-- Schema version 5: the kitchen's load counts only the business day's open orders, and the manager sees the open
-- orders of earlier days as "left open": both are read by business date.
CREATE INDEX ix_orders_open_day ON orders (business_date) WHERE status IN ('pending', 'cooking');

CREATE INDEX ix_order_list_open ON order_list_view (business_date, placed_at)
	WHERE status IN ('pending', 'cooking', 'ready', 'out_for_delivery')
