"""The write side: command handlers, pipeline behaviors and the ports they need."""
