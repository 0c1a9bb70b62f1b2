"""Import a whole `sp-tui export data` workbook: every sheet, in the areas' dependency order,
as one transaction, so a bad row anywhere leaves the database exactly as it was. The checks
run on a private copy (sp_tui.store.rehearsal), so the write lock is held only briefly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from sp_tui.areas import import_kinds
from sp_tui.domain.errors import ImportFailed
from sp_tui.imports.reader import read_table
from sp_tui.store.connection import write
from sp_tui.store.rehearsal import rehearsed


def sheets_in(path: Path) -> list[str]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True)
    except Exception as exc:  # not an xlsx file, or a damaged one
        raise ImportFailed([(0, f"{path.name} could not be read as xlsx: {exc}")]) from None
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def _parts(kind: str, names: list[str]) -> list[str]:
    """The sheets holding ``kind``: its own, then its numbered continuations in order."""
    lowered = {name.lower(): name for name in names}
    found = []
    for number in range(1, len(names) + 1):
        name = kind if number == 1 else f"{kind} ({number})"
        if name not in lowered:
            break
        found.append(lowered[name])
    return found


def _sources(path: Path) -> dict[str, list[tuple[Path, str | None]]]:
    """For each kind present: the (file, sheet) pairs to read, in order. A folder holds one
    ``kind.csv`` per kind (``export data --format csv``); an xlsx one sheet per kind."""
    kinds = [kind.kind for kind in import_kinds()]
    if path.is_dir():
        return {kind: [(path / f"{kind}.csv", None)] for kind in kinds
                if (path / f"{kind}.csv").is_file()}
    names = sheets_in(path)
    return {kind: [(path, sheet) for sheet in _parts(kind, names)] for kind in kinds
            if _parts(kind, names)}


def import_data(db: sqlite_utils.Database, path: str | Path,
                progress: Callable[[str], None] | None = None) -> dict[str, dict[str, int]]:
    """Returns each imported kind's counts. Raises ImportFailed naming sheet and row.
    ``path``: an `export data` xlsx file, or a folder written by `export data --format csv`."""
    path = Path(path)
    if not path.exists():
        raise ImportFailed([(0, f"no such file or folder: {path}")])
    sources = _sources(path)
    if not sources:
        names = ", ".join(kind.kind for kind in import_kinds())
        raise ImportFailed([(0, f"{path.name} has none of the sheets {names}")])
    source = f"import data {path.name}"
    # Every sheet is read (and checked as a file) before the write lock is taken: the team's
    # saves wait only for the checks against the database and the writes.
    loaded = []
    for kind in import_kinds():
        for file, sheet in sources.get(kind.kind, []):
            label = sheet or file.name
            if progress:
                progress(f"reading {label}")
            fmt = kind.format
            try:
                rows = read_table(file, fmt.required, fmt.optional, sheet=sheet)
            except ImportFailed as exc:
                raise _in_sheet(exc, label) from None
            loaded.append((kind, label, rows))
    # Checked on a private copy, then written in one short transaction (issue 11, item 14):
    # the team's saves never wait for the checks, only for the copy of the changes.
    return rehearsed(db, lambda target: _import_sheets(target, loaded, source, progress),
                     progress)


def _import_sheets(db: sqlite_utils.Database, loaded: list, source: str,
                   progress: Callable[[str], None] | None) -> dict[str, dict[str, int]]:
    """Every sheet's importer, in the areas' order, as one transaction on ``db``."""
    results: dict[str, dict[str, int]] = {}
    with write(db):
        for kind, label, rows in loaded:
            if progress:
                progress(label)
            try:
                # fresh row dicts: a second check (after a concurrent save) reads them again
                fresh = [(number, dict(fields)) for number, fields in rows]
                counts = kind.importer(db, fresh, source=source) if rows else {}
            except ImportFailed as exc:
                raise _in_sheet(exc, label) from None
            total = results.setdefault(kind.kind, {})
            for name, value in counts.items():
                total[name] = total.get(name, 0) + value
    return results


def _in_sheet(exc: ImportFailed, label: str) -> ImportFailed:
    return ImportFailed([(row, f"sheet {label}: {message}") for row, message in exc.errors])
