"""`export data`: every record in its import format, one sheet per kind, so that importing
the file into an empty database reproduces the same reports."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from sp_tui.export.files import FORMULA_PREFIXES, write_atomically
from sp_tui.imports.formats import FORMATS
from sp_tui.reports.complaints import complaint_import_rows
from sp_tui.reports.safeguarding import alert_import_rows


@dataclass(frozen=True)
class DataSheet:
    kind: str
    """The import kind (`sp-tui import KIND`), also the sheet's name."""
    rows: Callable[[sqlite_utils.Database], Iterable[tuple]]
    """Rows in the order of the import format's columns (required, then optional)."""
    sensitive: bool = False
    """Record-level data that leaves only when detail is asked for (safeguarding alerts)."""


def service_rows(db: sqlite_utils.Database) -> Iterable[tuple]:
    yield from db.execute(
        "SELECT p.name, s.service_ref, s.name, s.service_type, s.client_group, s.district,"
        " s.term, s.start_date, s.household_units, s.leaseholder_units,"
        " CASE s.workbook_required WHEN 1 THEN 'yes' ELSE 'no' END, s.end_date,"
        " p.contact_name, p.address, p.email"
        " FROM services s JOIN providers p ON p.id = s.provider_id ORDER BY s.service_ref")


# Each area adds its kinds in import order (services first: the others refer to them).
DATA_SHEETS: list[DataSheet] = [DataSheet("services", service_rows)]
DATA_SHEETS.append(DataSheet("complaints", complaint_import_rows))


def _visit_rows(db: sqlite_utils.Database) -> Iterable[tuple]:
    from sp_tui.reports.visits import visit_import_rows

    return visit_import_rows(db)


DATA_SHEETS.append(DataSheet("visits", _visit_rows))
DATA_SHEETS.append(DataSheet("alerts", alert_import_rows, sensitive=True))

from sp_tui.reports import workbooks as _workbooks  # noqa: E402

DATA_SHEETS += [DataSheet("workbooks", _workbooks.workbook_import_rows),
                DataSheet("reminders", _workbooks.reminder_import_rows),
                DataSheet("defaults", _workbooks.default_import_rows),
                DataSheet("audits", _workbooks.audit_import_rows)]


def columns_for(kind: str) -> list[str]:
    fmt = FORMATS[kind]
    return [*fmt.required, *fmt.optional]


def export_data(db: sqlite_utils.Database, path: Path, *, detail: bool = False,
                progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Write every kind's rows; returns how many rows each sheet holds. Sensitive kinds
    (safeguarding alerts) are left out unless ``detail`` is asked for."""
    from openpyxl import Workbook

    counts: dict[str, int] = {}

    def build(temp: Path) -> None:
        book = Workbook(write_only=True)
        for sheet_spec in DATA_SHEETS:
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
