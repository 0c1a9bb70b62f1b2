"""Import a whole `sp-tui export data` workbook: every sheet, in dependency order, as one
transaction, so a bad row anywhere leaves the database exactly as it was."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from sp_tui.domain.errors import ImportFailed
from sp_tui.imports.formats import FORMATS
from sp_tui.imports.reader import read_table
from sp_tui.services.alerts import import_alerts
from sp_tui.services.complaints import import_complaints
from sp_tui.services.contracts import import_contracts, import_grants
from sp_tui.services.registry import import_services
from sp_tui.services.visits import import_visits
from sp_tui.services.workbook_imports import (
    import_audits, import_defaults, import_reminders, import_workbooks,
)
from sp_tui.store.connection import write

# Services first: every other kind refers to them; reminders and defaults to workbooks.
IMPORTERS: dict[str, Callable[..., dict[str, int]]] = {
    "services": import_services,
    "contracts": import_contracts,
    "grants": import_grants,
    "workbooks": import_workbooks,
    "reminders": import_reminders,
    "defaults": import_defaults,
    "audits": import_audits,
    "visits": import_visits,
    "complaints": import_complaints,
    "alerts": import_alerts,
}


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
    kinds = [kind for kind in IMPORTERS if kind in present]
    if not kinds:
        raise ImportFailed([(0, f"{path.name} has none of the sheets {', '.join(IMPORTERS)}")])
    results: dict[str, dict[str, int]] = {}
    source = f"import data {path.name}"
    with write(db):
        for kind in kinds:
            if progress:
                progress(kind)
            fmt = FORMATS[kind]
            try:
                rows = read_table(path, fmt.required, fmt.optional, sheet=kind)
                results[kind] = IMPORTERS[kind](db, rows, source=source) if rows else {}
            except ImportFailed as exc:
                raise ImportFailed([(row, f"sheet {kind}: {message}")
                                    for row, message in exc.errors]) from None
    return results
