"""Headless tools that drive a store through the mediator, as a client would."""
