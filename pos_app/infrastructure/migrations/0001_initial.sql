-- Schema version 1. Frozen: change the schema with a new migration, never by editing this file.

CREATE TABLE customer_item_view (
	phone VARCHAR(20) NOT NULL, 
	menu_item_id VARCHAR(40) NOT NULL, 
	name VARCHAR(60) NOT NULL, 
	category VARCHAR(20) NOT NULL, 
	quantity INTEGER NOT NULL, 
	PRIMARY KEY (phone, menu_item_id)
);

CREATE TABLE customer_view (
	phone VARCHAR(20) NOT NULL, 
	name VARCHAR(80) NOT NULL, 
	address VARCHAR(200), 
	addresses_json TEXT NOT NULL, 
	total_orders INTEGER NOT NULL, 
	total_spent_cents INTEGER NOT NULL, 
	first_order_at VARCHAR(32) NOT NULL, 
	last_order_at VARCHAR(32) NOT NULL, 
	last_order_id CHAR(32) NOT NULL, 
	PRIMARY KEY (phone)
);

CREATE TABLE events (
	position INTEGER NOT NULL, 
	order_id CHAR(32), 
	event_type VARCHAR(40) NOT NULL, 
	payload TEXT NOT NULL, 
	staff_id VARCHAR(40), 
	occurred_at VARCHAR(32) NOT NULL, 
	PRIMARY KEY (position)
);

CREATE INDEX ix_events_order_id ON events (order_id);

CREATE TABLE kitchen_daily_view (
	business_date VARCHAR(10) NOT NULL, 
	orders_completed INTEGER NOT NULL, 
	items_completed INTEGER NOT NULL, 
	cooking_seconds INTEGER NOT NULL, 
	ready_seconds INTEGER NOT NULL, 
	on_time_orders INTEGER NOT NULL, 
	late_orders INTEGER NOT NULL, 
	PRIMARY KEY (business_date)
);

CREATE TABLE kitchen_queue_view (
	order_id CHAR(32) NOT NULL, 
	position INTEGER NOT NULL, 
	order_number INTEGER NOT NULL, 
	order_type VARCHAR(12) NOT NULL, 
	customer_name VARCHAR(80) NOT NULL, 
	status VARCHAR(20) NOT NULL, 
	placed_at VARCHAR(32) NOT NULL, 
	started_at VARCHAR(32), 
	estimated_ready_at VARCHAR(32) NOT NULL, 
	completed_at VARCHAR(32), 
	items_json TEXT NOT NULL, 
	items_total INTEGER NOT NULL, 
	items_ready INTEGER NOT NULL, 
	PRIMARY KEY (order_id)
);

CREATE INDEX ix_kitchen_completed ON kitchen_queue_view (completed_at) WHERE completed_at IS NOT NULL;

CREATE INDEX ix_kitchen_open ON kitchen_queue_view (position) WHERE completed_at IS NULL;

CREATE TABLE menu_items (
	id VARCHAR(40) NOT NULL, 
	name VARCHAR(60) NOT NULL, 
	description VARCHAR(200) NOT NULL, 
	category VARCHAR(20) NOT NULL, 
	base_price_cents INTEGER NOT NULL, 
	preparation_minutes INTEGER NOT NULL, 
	available BOOLEAN NOT NULL, 
	seasonal BOOLEAN NOT NULL, 
	sizes VARCHAR(40) NOT NULL, 
	takes_toppings BOOLEAN NOT NULL, 
	sort_order INTEGER NOT NULL, 
	PRIMARY KEY (id)
);

CREATE TABLE order_list_view (
	order_id CHAR(32) NOT NULL, 
	order_number INTEGER NOT NULL, 
	business_date VARCHAR(10) NOT NULL, 
	placed_at VARCHAR(32) NOT NULL, 
	customer_name VARCHAR(80) NOT NULL, 
	customer_phone VARCHAR(20) NOT NULL, 
	customer_address VARCHAR(200), 
	order_type VARCHAR(12) NOT NULL, 
	items_summary TEXT NOT NULL, 
	items_json TEXT NOT NULL, 
	item_count INTEGER NOT NULL, 
	items_ready INTEGER NOT NULL, 
	total_cents INTEGER NOT NULL, 
	tax_cents INTEGER NOT NULL, 
	delivery_fee_cents INTEGER NOT NULL, 
	status VARCHAR(20) NOT NULL, 
	paid BOOLEAN NOT NULL, 
	payment_method VARCHAR(8) NOT NULL, 
	estimated_ready_at VARCHAR(32) NOT NULL, 
	started_at VARCHAR(32), 
	ready_at VARCHAR(32), 
	completed_at VARCHAR(32), 
	driver_id VARCHAR(40), 
	last_position INTEGER NOT NULL, 
	PRIMARY KEY (order_id)
);

CREATE INDEX ix_order_list_day ON order_list_view (business_date, placed_at);

CREATE INDEX ix_order_list_delivery ON order_list_view (status) WHERE order_type = 'delivery' AND status IN ('ready', 'out_for_delivery');

CREATE INDEX ix_order_list_phone ON order_list_view (customer_phone, placed_at);

CREATE TABLE order_numbers (
	business_date VARCHAR(10) NOT NULL, 
	last_number INTEGER NOT NULL, 
	PRIMARY KEY (business_date)
);

CREATE TABLE orders (
	id CHAR(32) NOT NULL, 
	number INTEGER NOT NULL, 
	business_date VARCHAR(10) NOT NULL, 
	order_type VARCHAR(12) NOT NULL, 
	status VARCHAR(20) NOT NULL, 
	customer_name VARCHAR(80) NOT NULL, 
	customer_phone VARCHAR(20) NOT NULL, 
	customer_address VARCHAR(200), 
	placed_at VARCHAR(32) NOT NULL, 
	estimated_ready_at VARCHAR(32) NOT NULL, 
	started_at VARCHAR(32), 
	ready_at VARCHAR(32), 
	completed_at VARCHAR(32), 
	cancelled_at VARCHAR(32), 
	cancel_reason VARCHAR(200), 
	subtotal_cents INTEGER NOT NULL, 
	delivery_fee_cents INTEGER NOT NULL, 
	tax_cents INTEGER NOT NULL, 
	total_cents INTEGER NOT NULL, 
	payment_method VARCHAR(8) NOT NULL, 
	paid BOOLEAN NOT NULL, 
	tendered_cents INTEGER NOT NULL, 
	change_cents INTEGER NOT NULL, 
	driver_id VARCHAR(40), 
	placed_by VARCHAR(40), 
	version INTEGER NOT NULL, 
	PRIMARY KEY (id)
);

CREATE UNIQUE INDEX ix_orders_day_number ON orders (business_date, number);

CREATE INDEX ix_orders_open ON orders (status) WHERE status IN ('pending', 'cooking');

CREATE TABLE processed_commands (
	"key" VARCHAR(80) NOT NULL, 
	command_type VARCHAR(60) NOT NULL, 
	status INTEGER NOT NULL, 
	payload TEXT, 
	processed_at VARCHAR(32) NOT NULL, 
	PRIMARY KEY ("key")
);

CREATE TABLE sales_daily_view (
	business_date VARCHAR(10) NOT NULL, 
	orders INTEGER NOT NULL, 
	cancelled_orders INTEGER NOT NULL, 
	items_sold INTEGER NOT NULL, 
	total_cents INTEGER NOT NULL, 
	tax_cents INTEGER NOT NULL, 
	delivery_fee_cents INTEGER NOT NULL, 
	cash_cents INTEGER NOT NULL, 
	card_cents INTEGER NOT NULL, 
	refund_cents INTEGER NOT NULL, 
	pickup_orders INTEGER NOT NULL, 
	delivery_orders INTEGER NOT NULL, 
	dine_in_orders INTEGER NOT NULL, 
	PRIMARY KEY (business_date)
);

CREATE TABLE sales_item_daily_view (
	business_date VARCHAR(10) NOT NULL, 
	menu_item_id VARCHAR(40) NOT NULL, 
	name VARCHAR(60) NOT NULL, 
	category VARCHAR(20) NOT NULL, 
	quantity INTEGER NOT NULL, 
	revenue_cents INTEGER NOT NULL, 
	PRIMARY KEY (business_date, menu_item_id)
);

CREATE TABLE staff (
	id VARCHAR(40) NOT NULL, 
	name VARCHAR(60) NOT NULL, 
	role VARCHAR(10) NOT NULL, 
	pin_hash VARCHAR(200) NOT NULL, 
	active BOOLEAN NOT NULL, 
	failed_attempts INTEGER NOT NULL, 
	locked_until VARCHAR(32), 
	PRIMARY KEY (id)
);

CREATE TABLE toppings (
	id VARCHAR(40) NOT NULL, 
	name VARCHAR(60) NOT NULL, 
	price_cents INTEGER NOT NULL, 
	available BOOLEAN NOT NULL, 
	sort_order INTEGER NOT NULL, 
	PRIMARY KEY (id)
);

CREATE TABLE order_items (
	order_id CHAR(32) NOT NULL, 
	idx INTEGER NOT NULL, 
	menu_item_id VARCHAR(40) NOT NULL, 
	name VARCHAR(60) NOT NULL, 
	category VARCHAR(20) NOT NULL, 
	size VARCHAR(8) NOT NULL, 
	toppings TEXT NOT NULL, 
	topping_names TEXT NOT NULL, 
	special_instructions VARCHAR(200) NOT NULL, 
	price_cents INTEGER NOT NULL, 
	preparation_minutes INTEGER NOT NULL, 
	ready_at VARCHAR(32), 
	PRIMARY KEY (order_id, idx), 
	FOREIGN KEY(order_id) REFERENCES orders (id) ON DELETE CASCADE
);
