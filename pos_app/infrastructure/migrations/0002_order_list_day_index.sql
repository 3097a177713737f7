-- Schema version 2: "today's orders, newest first" is read straight from the index, with no sort.
DROP INDEX ix_order_list_day;

CREATE INDEX ix_order_list_day ON order_list_view (business_date, placed_at, order_number);
