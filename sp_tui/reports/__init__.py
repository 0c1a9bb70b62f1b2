"""Pure queries that turn records into the rows every screen, CLI command and export shows."""
