-- Schema version 10: an order keeps the money taken for it, net of refunds. An edit of a paid order may leave a
-- balance to pay (the total is more than was taken) or give change back (a refund). Orders paid before this
-- version were paid their whole total. An order's discount (a percentage or an amount, with its reason) is kept
-- as JSON.
ALTER TABLE orders ADD COLUMN paid_cents INTEGER NOT NULL DEFAULT 0;

UPDATE orders SET paid_cents = total_cents WHERE paid = 1;

ALTER TABLE orders ADD COLUMN discount_json TEXT
