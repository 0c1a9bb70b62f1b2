"""Errors a user can act on: raised by validation, shown as messages, never as tracebacks."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any


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


class Cleaner:
    """Cleans a record field by field, collecting every field's error so that one
    ValidationError names them all (a form shows each beside its field)."""

    def __init__(self, raw: Mapping[str, object]) -> None:
        self.raw = raw
        self.clean: dict[str, Any] = {}
        self.errors: dict[str, str] = {}

    def take(self, field: str, parse: Callable[..., object]) -> None:
        try:
            self.clean[field] = parse(self.raw.get(field))
        except ValueError as exc:
            self.errors[field] = str(exc)

    def result(self) -> dict[str, Any]:
        if self.errors:
            raise ValidationError(self.errors)
        return self.clean


class NotFound(ValidationError):
    """A reference to a record that does not exist."""


class ImportFailed(Exception):
    """An import file with invalid rows; nothing was written. ``errors`` holds (row, message)."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        self.errors = errors
        super().__init__(f"{len(errors)} error(s); nothing was imported")

    def lines(self) -> list[str]:
        return [f"row {row}: {message}" if row else message for row, message in self.errors]
