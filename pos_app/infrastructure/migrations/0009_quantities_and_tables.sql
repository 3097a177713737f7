-- Schema version 9: a line of an order carries how many of the same it is ("2 × Margherita", priced for the
-- whole line), and a dine-in order its table and covers (guests), shown by the order list and the kitchen.
ALTER TABLE order_items ADD COLUMN quantity INTEGER NOT NULL DEFAULT 1;

ALTER TABLE orders ADD COLUMN table_number INTEGER;

ALTER TABLE orders ADD COLUMN covers INTEGER;

ALTER TABLE order_list_view ADD COLUMN table_number INTEGER;

ALTER TABLE kitchen_queue_view ADD COLUMN table_number INTEGER
