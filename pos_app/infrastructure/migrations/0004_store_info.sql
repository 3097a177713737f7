-- Schema version 4: what kind of store this is. Every store made before this version was seeded with the demo
-- staff and their published PINs, so it is a demo store. A new store's row is written when it is created.
CREATE TABLE store_info (
	id INTEGER NOT NULL, 
	is_demo BOOLEAN NOT NULL, 
	PRIMARY KEY (id)
);

INSERT INTO store_info (id, is_demo) SELECT 1, 1 WHERE EXISTS (SELECT 1 FROM staff)
