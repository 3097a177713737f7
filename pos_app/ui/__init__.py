"""The PySide6 screens. They speak only in messages, through the mediator."""
