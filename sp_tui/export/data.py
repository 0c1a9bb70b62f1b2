"""`export data`: every record in its import format, one sheet per kind, so that importing
the file into an empty database reproduces the same reports.

The xlsx is written by xlsxwriter in constant-memory mode (rows stream to disk; measured about
twice openpyxl's write-only speed). A kind with more rows than a sheet holds continues on
numbered sheets ("workbooks (2)"), which `import data` reads back in order. ``--format csv``
writes a folder of CSV files in the same import formats instead.
"""

from __future__ import annotations

import csv
import os
import shutil
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

import sqlite_utils

from sp_tui.areas import DataSheet, data_sheets, import_format
from sp_tui.export.files import defuse_formula, write_atomically

SHEET_ROWS = 1_048_576
"""An xlsx sheet's row limit; the header takes one."""


def columns_for(kind: str) -> list[str]:
    fmt = import_format(kind)
    return [*fmt.required, *fmt.optional]


def sheet_names(kind: str, parts: int) -> list[str]:
    """The sheets a kind is written to: its name, then "kind (2)", "kind (3)"..."""
    return [kind] + [f"{kind} ({n})" for n in range(2, parts + 1)]


def _chosen(detail: bool) -> list[DataSheet]:
    return [spec for spec in data_sheets() if detail or not spec.sensitive]


def export_data(db: sqlite_utils.Database, path: Path, *, detail: bool = False,
                progress: Callable[[str], None] | None = None,
                sheet_rows: int = SHEET_ROWS) -> dict[str, int]:
    """Write every kind's rows to an xlsx file; returns how many rows each kind holds.
    Sensitive kinds (safeguarding alerts) are left out unless ``detail`` is asked for."""
    import xlsxwriter

    counts: dict[str, int] = {}

    def build(temp: Path) -> None:
        private_tmp = temp.parent / f".{temp.name}.parts"
        private_tmp.mkdir(mode=0o700)
        try:
            book = xlsxwriter.Workbook(str(temp), {
                "constant_memory": True, "tmpdir": str(private_tmp),
                "strings_to_formulas": False, "strings_to_urls": False,
                "strings_to_numbers": False})
            text = book.add_format({"num_format": "@"})
            for spec in _chosen(detail):
                if progress:
                    progress(spec.kind)
                counts[spec.kind] = _write_kind(book, spec.kind, spec.rows(db), sheet_rows,
                                                text)
            book.close()
        finally:
            shutil.rmtree(private_tmp, ignore_errors=True)

    write_atomically(Path(path), build)
    return counts


def _write_kind(book, kind: str, rows: Iterable[tuple], sheet_rows: int, text_format) -> int:
    header = columns_for(kind)
    part, sheet, row_number, n = 1, None, 0, 0
    for row in rows:
        if sheet is None or row_number >= sheet_rows:
            name = sheet_names(kind, part)[-1]
            part += 1
            sheet = book.add_worksheet(name)
            sheet.write_row(0, 0, header)
            row_number = 1
        for col, value in enumerate(row):
            if isinstance(value, str):
                # write_string: text that looks like a formula stays text, never evaluated
                sheet.write_string(row_number, col, value, text_format)
            elif value is not None:
                sheet.write(row_number, col, value)
        row_number += 1
        n += 1
    if sheet is None:
        book.add_worksheet(kind).write_row(0, 0, header)
    return n


def export_data_csv(db: sqlite_utils.Database, folder: Path, *, detail: bool = False,
                    progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Write one CSV per kind (``kind.csv``) into a new folder, all or nothing: the files are
    written into a private staging folder that is renamed into place at the end."""
    folder = Path(folder)
    if folder.exists():
        raise FileExistsError(f"{folder} already exists: choose a new folder name")
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = folder.parent / f".{folder.name}.{uuid.uuid4().hex}.staging"
    staging.mkdir(mode=0o700)
    counts: dict[str, int] = {}
    try:
        for spec in _chosen(detail):
            if progress:
                progress(spec.kind)
            counts[spec.kind] = _write_csv(staging / f"{spec.kind}.csv", spec.kind,
                                           spec.rows(db))
        os.rename(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return counts


def _write_csv(path: Path, kind: str, rows: Iterable[tuple]) -> int:
    n = 0
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with open(fd, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns_for(kind))
        for row in rows:
            writer.writerow(["" if v is None else defuse_formula(v) if isinstance(v, str)
                             else v for v in row])
            n += 1
        handle.flush()
        os.fsync(handle.fileno())
    return n
