"""Storage: one SQLite file opened through sqlite-utils, migrated in order."""
