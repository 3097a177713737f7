"""Mario's Pizzeria POS: an offline-first point of sale for a pizzeria, built on CQRS and mediation."""

PRODUCT_NAME = "Mario's Pizzeria POS"
__version__ = "0.1.0"
