"""Adapters: the real implementations of the domain's ports."""
