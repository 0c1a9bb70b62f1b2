"""Errors a user can act on: raised by validation, shown as messages, never as tracebacks."""

from __future__ import annotations


class ValidationError(Exception):
    """Bad input. ``errors`` maps a field name (or "" for the whole record) to a message."""

    def __init__(self, errors: dict[str, str] | str) -> None:
        if isinstance(errors, str):
            errors = {"": errors}
        self.errors: dict[str, str] = dict(errors)
        super().__init__(self.summary())

    def summary(self) -> str:
        parts = []
        for field, message in self.errors.items():
            parts.append(f"{field}: {message}" if field else message)
        return "; ".join(parts)


class NotFound(ValidationError):
    """A reference to a record that does not exist."""


class ImportFailed(Exception):
    """An import file with invalid rows; nothing was written. ``errors`` holds (row, message)."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        self.errors = errors
        super().__init__(f"{len(errors)} error(s); nothing was imported")

    def lines(self) -> list[str]:
        return [f"row {row}: {message}" if row else message for row, message in self.errors]
