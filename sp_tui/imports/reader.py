"""Read a CSV or xlsx file into (row number, {header: value}) pairs.

Headers are matched case-insensitively and extra columns are ignored. Row numbers are the
spreadsheet's own (the header is row 1), so an error message points at the line to fix.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from pathlib import Path

from sp_tui.domain.errors import ImportFailed
from sp_tui.domain.values import FORMULA_PREFIXES

Rows = list[tuple[int, dict[str, object]]]
MAX_CELL = 100_000


def read_table(path: str | Path, required: Iterable[str], optional: Iterable[str] = (),
               progress: Callable[[int], None] | None = None, sheet: str | None = None) -> Rows:
    """Every non-blank row, keyed by the lower-cased header. Raises ImportFailed.

    In an xlsx file the sheet named ``sheet`` is read if there is one (as `export data`
    writes them), else the first sheet."""
    path = Path(path)
    if not path.is_file():
        raise ImportFailed([(0, f"no such file: {path}")])
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            raw = _xlsx_rows(path, sheet)
        elif suffix in (".csv", ".txt", ""):
            raw = _csv_rows(path)
        else:
            raise ImportFailed([(0, f"{path.name}: expected a .csv or .xlsx file")])
        return _keyed(raw, list(required), list(optional), progress)
    except ImportFailed:
        raise
    except UnicodeDecodeError:
        raise ImportFailed([(0, f"{path.name} is not UTF-8 text; save it as CSV UTF-8")]) from None
    except Exception as exc:  # a damaged file: say so plainly
        raise ImportFailed([(0, f"{path.name} could not be read: {exc}")]) from None


def _csv_rows(path: Path) -> Iterable[list[object]]:
    csv.field_size_limit(16 * 1024 * 1024)
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for row in csv.reader(handle):
            yield [_undefused(cell) for cell in row]


def _undefused(cell: str) -> str:
    """Text a CSV writer defused with a leading quote ("'=SUM…") comes back as it was."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] and cell[1] in FORMULA_PREFIXES else cell


def _xlsx_rows(path: Path, name: str | None) -> Iterable[list[object]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        names = {n.lower(): n for n in book.sheetnames}
        sheet = book[names[name.lower()]] if name and name.lower() in names \
            else book.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    finally:
        book.close()


def _keyed(raw: Iterable[list[object]], required: list[str], optional: list[str],
           progress: Callable[[int], None] | None) -> Rows:
    iterator = iter(raw)
    header = None
    for header_row in iterator:
        if any(_blank(c) is False for c in header_row):
            header = [str(c).strip().lower() if c is not None else "" for c in header_row]
            break
    if header is None:
        raise ImportFailed([(0, "the file is empty: it needs a header row")])
    missing = [name for name in required if name not in header]
    if missing:
        raise ImportFailed([(1, f"missing column(s): {', '.join(missing)}")])
    wanted = {name: header.index(name) for name in [*required, *optional] if name in header}
    rows: Rows = []
    errors: list[tuple[int, str]] = []
    for offset, values in enumerate(iterator, start=2):
        if all(_blank(v) for v in values):
            continue
        record = {}
        for name, index in wanted.items():
            value = values[index] if index < len(values) else None
            if isinstance(value, str) and len(value) > MAX_CELL:
                errors.append((offset, f"{name} is too long ({len(value):,} characters)"))
                value = None
            record[name] = value
        rows.append((offset, record))
        if progress and len(rows) % 1000 == 0:
            progress(len(rows))
    if errors:
        raise ImportFailed(errors)
    if progress:
        progress(len(rows))
    return rows


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
