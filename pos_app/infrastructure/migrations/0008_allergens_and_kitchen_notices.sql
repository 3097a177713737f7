-- Schema version 8: a safe kitchen. Menu items and toppings carry their allergens (the EU's fourteen, comma-separated
-- names), and menu items whether the kitchen prepares them (drinks and desserts served as they are do not), an
-- order's lines keep the customer's allergies and what they contain, a kitchen ticket counts the lines it prepares
-- and keeps a notice (cancelled, changed) until the kitchen acknowledges it.
ALTER TABLE menu_items ADD COLUMN allergens VARCHAR(200) NOT NULL DEFAULT '';
ALTER TABLE menu_items ADD COLUMN needs_preparation BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE toppings ADD COLUMN allergens VARCHAR(200) NOT NULL DEFAULT '';
ALTER TABLE order_items ADD COLUMN allergies VARCHAR(200) NOT NULL DEFAULT '';
ALTER TABLE order_items ADD COLUMN allergens VARCHAR(200) NOT NULL DEFAULT '';
ALTER TABLE order_items ADD COLUMN needs_preparation BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE kitchen_queue_view ADD COLUMN prepared_total INTEGER NOT NULL DEFAULT 0;
ALTER TABLE kitchen_queue_view ADD COLUMN notice_kind VARCHAR(12);
ALTER TABLE kitchen_queue_view ADD COLUMN notice_details TEXT;
ALTER TABLE kitchen_queue_view ADD COLUMN notice_at VARCHAR(32);

-- Every ticket so far was prepared in full (the events before this version say nothing else).
UPDATE kitchen_queue_view SET prepared_total = items_total;

-- Drinks, and desserts that take no minutes, are served as they are.
UPDATE menu_items SET needs_preparation = FALSE WHERE category = 'drink' OR (category = 'dessert' AND preparation_minutes = 0);

-- The demo menu's allergens (resources/menu.json), where the store kept the demo items and has not set any.
UPDATE menu_items SET allergens = 'gluten,milk'
	WHERE allergens = '' AND id IN ('margherita', 'pepperoni', 'quattro_formaggi', 'diavola', 'hawaiian', 'veggie',
	'supreme', 'zucca', 'garlic_bread');
UPDATE menu_items SET allergens = 'soy,mustard' WHERE allergens = '' AND id = 'chicken_wings';
UPDATE menu_items SET allergens = 'gluten,eggs,fish,milk,mustard' WHERE allergens = '' AND id = 'caesar_salad';
UPDATE menu_items SET allergens = 'gluten,eggs,milk' WHERE allergens = '' AND id = 'tiramisu';
UPDATE toppings SET allergens = 'milk' WHERE allergens = '' AND id = 'extra_cheese';
UPDATE toppings SET allergens = 'fish' WHERE allergens = '' AND id = 'anchovies'
