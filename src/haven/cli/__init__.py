"""The ``haven`` command line."""
