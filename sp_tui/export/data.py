"""`export data`: every record in its import format, one sheet per kind, so that importing
the file into an empty database reproduces the same reports."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from sp_tui.areas import data_sheets, import_format
from sp_tui.export.files import FORMULA_PREFIXES, write_atomically


def columns_for(kind: str) -> list[str]:
    fmt = import_format(kind)
    return [*fmt.required, *fmt.optional]


def export_data(db: sqlite_utils.Database, path: Path, *, detail: bool = False,
                progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Write every kind's rows; returns how many rows each sheet holds. Sensitive kinds
    (safeguarding alerts) are left out unless ``detail`` is asked for."""
    from openpyxl import Workbook

    counts: dict[str, int] = {}

    def build(temp: Path) -> None:
        book = Workbook(write_only=True)
        for sheet_spec in data_sheets():
            if sheet_spec.sensitive and not detail:
                continue
            if progress:
                progress(sheet_spec.kind)
            sheet = book.create_sheet(sheet_spec.kind)
            sheet.append(columns_for(sheet_spec.kind))
            n = 0
            for row in sheet_spec.rows(db):
                sheet.append([_safe(sheet, v) for v in row])
                n += 1
            counts[sheet_spec.kind] = n
        book.save(temp)

    write_atomically(Path(path), build)
    return counts


def _safe(sheet, value: object) -> object:
    """Text that looks like a formula is written as a string cell, never evaluated."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell
    return value
