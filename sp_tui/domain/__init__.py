"""Pure domain rules: no I/O, no user interface."""
