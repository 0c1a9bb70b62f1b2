"""Import a whole `sp-tui export data` workbook: every sheet, in the areas' dependency order,
as one transaction, so a bad row anywhere leaves the database exactly as it was."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from sp_tui.areas import import_kinds
from sp_tui.domain.errors import ImportFailed
from sp_tui.imports.reader import read_table
from sp_tui.store.connection import write


def sheets_in(path: Path) -> list[str]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True)
    except Exception as exc:  # not an xlsx file, or a damaged one
        raise ImportFailed([(0, f"{path.name} could not be read as xlsx: {exc}")]) from None
    try:
        return [name.lower() for name in book.sheetnames]
    finally:
        book.close()


def import_data(db: sqlite_utils.Database, path: str | Path,
                progress: Callable[[str], None] | None = None) -> dict[str, dict[str, int]]:
    """Returns each imported kind's counts. Raises ImportFailed naming sheet and row."""
    path = Path(path)
    if not path.is_file():
        raise ImportFailed([(0, f"no such file: {path}")])
    present = sheets_in(path)
    known = import_kinds()
    kinds = [kind for kind in known if kind.kind in present]
    if not kinds:
        names = ", ".join(kind.kind for kind in known)
        raise ImportFailed([(0, f"{path.name} has none of the sheets {names}")])
    results: dict[str, dict[str, int]] = {}
    source = f"import data {path.name}"
    with write(db):
        for kind in kinds:
            if progress:
                progress(kind.kind)
            fmt = kind.format
            try:
                rows = read_table(path, fmt.required, fmt.optional, sheet=kind.kind)
                results[kind.kind] = kind.importer(db, rows, source=source) if rows else {}
            except ImportFailed as exc:
                raise ImportFailed([(row, f"sheet {kind.kind}: {message}")
                                    for row, message in exc.errors]) from None
    return results
