"""Query handlers that read the write model (menu, one whole order, staff, the terminal's session)."""
