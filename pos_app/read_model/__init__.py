"""The read side: read-model tables, the projections that keep them, and the query handlers that read them."""
