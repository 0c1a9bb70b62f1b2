"""Read a CSV or xlsx file into (row number, {header: value}) pairs.

Headers are matched case-insensitively and extra columns are ignored. Row numbers are the
spreadsheet's own (the header is row 1), so an error message points at the line to fix.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sp_tui.domain.errors import ImportFailed
from sp_tui.domain.values import FORMULA_PREFIXES

Rows = list[tuple[int, dict[str, object]]]
MAX_CELL = 100_000
# Files beyond these sizes are refused at once (documented in the README): an import of
# millions of rows or columns would hold the user for minutes before saying anything.
MAX_BYTES = 100 * 1024 * 1024
MAX_ROWS = 1_000_000
MAX_COLUMNS = 500

# An OLE container: an encrypted (password-protected) xlsx, or an old .xls
_ENCRYPTED = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_table(path: str | Path, required: Iterable[str], optional: Iterable[str] = (),
               progress: Callable[[int], None] | None = None, sheet: str | None = None) -> Rows:
    """Every non-blank row, keyed by the lower-cased header. Raises ImportFailed.

    In an xlsx file the sheet named ``sheet`` is read if there is one (as `export data`
    writes them), else the first sheet."""
    path = _existing(path)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ImportFailed([(0, f"{path.name} is {size / 1024 / 1024:,.0f} MB: imports take"
                                f" files up to {MAX_BYTES // 1024 // 1024} MB; split it")])
    with _read_plainly(path):
        return _keyed(_raw_rows(path, sheet), list(required), list(optional), progress)


def read_header(path: str | Path) -> list[str]:
    """The header row of a file (lower-cased, as ``read_table`` keys it; xlsx: its first
    sheet), to tell which import a file is for. Raises ImportFailed."""
    path = _existing(path)
    with _read_plainly(path):
        raw = _raw_rows(path, None)
        try:
            for row in raw:
                if any(_blank(c) is False for c in row):
                    return [str(c).strip().lower() if c is not None else "" for c in row]
        finally:
            raw.close()  # closes the workbook (or the CSV file) at once
        raise ImportFailed([(0, "the file is empty: it needs a header row")])


def _existing(path: str | Path) -> Path:
    path = Path(path)
    if not path.is_file():
        raise ImportFailed([(0, f"no such file: {path}")])
    return path


def _raw_rows(path: Path, sheet: str | None) -> Generator[list[object], None, None]:
    """The file's rows as read, by its kind (an xlsx is checked before it is opened)."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        _check_xlsx_container(path)
        return _xlsx_rows(path, sheet)
    if suffix in (".csv", ".txt", ""):
        return _csv_rows(path)
    raise ImportFailed([(0, f"{path.name}: expected a .csv or .xlsx file")])


@contextmanager
def _read_plainly(path: Path) -> Iterator[None]:
    """Whatever goes wrong while reading becomes an ImportFailed in words, never a traceback."""
    try:
        yield
    except ImportFailed:
        raise
    except UnicodeDecodeError:
        raise ImportFailed([(0, f"{path.name} is not UTF-8 text; save it as CSV UTF-8")]) from None
    except Exception as exc:  # a damaged file: say so plainly
        raise ImportFailed([(0, f"{path.name} could not be read: {exc}")]) from None


def _csv_rows(path: Path) -> Generator[list[object], None, None]:
    csv.field_size_limit(16 * 1024 * 1024)
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for number, row in enumerate(csv.reader(handle), start=1):
            if len(row) > MAX_COLUMNS:
                raise ImportFailed([(number, f"{len(row):,} columns: imports take up to"
                                             f" {MAX_COLUMNS} columns")])
            yield [_undefused(cell) for cell in row]


def _undefused(cell: str) -> str:
    """Text a CSV writer defused with a leading quote ("'=SUM…") comes back as it was."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] and cell[1] in FORMULA_PREFIXES else cell


def _check_xlsx_container(path: Path) -> None:
    with path.open("rb") as handle:
        start = handle.read(8)
    if start == _ENCRYPTED:
        raise ImportFailed([(0, f"{path.name} is password-protected (or an old .xls file):"
                                " open it in your spreadsheet, save it as .xlsx without a"
                                " password, and import that")])
    if not start.startswith(b"PK"):
        raise ImportFailed([(0, f"{path.name} is not an xlsx workbook (its content is not"
                                " a spreadsheet): save it as .xlsx or CSV")])


def _xlsx_rows(path: Path, name: str | None) -> Generator[list[object], None, None]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        names = {n.lower(): n for n in book.sheetnames}
        sheet = book[names[name.lower()]] if name and name.lower() in names \
            else book.worksheets[0]
        rows, columns = sheet.max_row or 0, sheet.max_column or 0
        if rows > MAX_ROWS + 1:
            raise ImportFailed([(0, f"{path.name}: {rows - 1:,} rows: imports take up to"
                                    f" {MAX_ROWS:,} rows; split the file")])
        if columns > MAX_COLUMNS:
            raise ImportFailed([(0, f"{path.name}: {columns:,} columns: imports take up to"
                                    f" {MAX_COLUMNS} columns")])
        missing = _formulas_without_values(book, sheet)
        if missing:
            raise ImportFailed([(row, f"cell {column}{row} holds a formula with no saved"
                                      " result (the file was never calculated): open it in"
                                      " your spreadsheet, save it, and import again")
                                for row, column in missing])
        # (a sheet whose size is not recorded is read no wider than the limit)
        for row in sheet.iter_rows(values_only=True, max_col=None if columns else MAX_COLUMNS):
            yield list(row)
    finally:
        book.close()


_CELL = re.compile(rb'<c\b[^>]*?\br="([A-Z]+)(\d+)"[^>]*?(?:/>|>(.*?)</c>)', re.S)


def _formulas_without_values(book, sheet) -> list[tuple[int, str]]:
    """Formula cells that have no saved result: read as blank, they would import silently
    wrong (a workbook written by a program that does not calculate, never opened since)."""
    source = getattr(sheet, "_worksheet_path", None)
    archive = getattr(book, "_archive", None)
    if not source or archive is None:
        return []
    data = archive.read(source)
    if b"<f" not in data:
        return []
    found = []
    for match in _CELL.finditer(data):
        body = match.group(3) or b""
        if b"<f" in body and not re.search(rb"<v>[^<]+</v>", body):
            found.append((int(match.group(2)), match.group(1).decode()))
            if len(found) >= 20:
                break
    return found


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
    if len(header) > MAX_COLUMNS:
        raise ImportFailed([(1, f"{len(header):,} columns: imports take up to {MAX_COLUMNS}"
                                " columns")])
    missing = [name for name in required if name not in header]
    if missing:
        raise ImportFailed([(1, f"missing column(s): {', '.join(missing)}")])
    wanted = {name: header.index(name) for name in [*required, *optional] if name in header}
    rows: Rows = []
    errors: list[tuple[int, str]] = []
    for offset, values in enumerate(iterator, start=2):
        if offset > MAX_ROWS + 1:
            raise ImportFailed([(offset, f"more than {MAX_ROWS:,} rows: imports take up to"
                                         f" {MAX_ROWS:,} rows; split the file")])
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
