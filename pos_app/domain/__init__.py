"""The pizzeria's rules in pure Python: money, menu and pricing, orders, kitchen, customers, staff, events."""
