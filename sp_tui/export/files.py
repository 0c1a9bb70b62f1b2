"""Write export files safely: checked first, written under a temporary name in a private
folder beside the target (openpyxl's own temporaries too), fsync, rename; 0600."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from sp_tui.domain.values import FORMULA_PREFIXES
from sp_tui.store.files import (
    OutputProblem, atomic_path, call_unwrapping_os_errors, private_temp_folder, temp_name,
)

SQLITE_HEADER = b"SQLite format 3\x00"
# Files that belong to a database: never an export's output, even with --force.
DATABASE_SIDE_FILES = ("-wal", "-shm", "-journal")
DATABASE_SUFFIXES = (".sqlite", ".sqlite3", ".db", ".bak")

_openpyxl_temp_dir: ContextVar[Path | None] = ContextVar("openpyxl_temp_dir", default=None)


def _install_openpyxl_temp_dir() -> None:
    """openpyxl's write-only sheets spill to temporary files in the system's /tmp; make them
    go to the private folder beside the file being written (removed with it)."""
    from openpyxl.worksheet import _writer

    if getattr(_writer.create_temporary_file, "sp_tui", False):
        return
    original = _writer.create_temporary_file

    def create_private(suffix: str = "") -> str:
        folder = _openpyxl_temp_dir.get()
        if folder is None:
            return original(suffix)
        path = folder / f"{os.getpid()}-{os.urandom(6).hex()}-openpyxl{suffix}"
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
        _writer.ALL_TEMP_FILES.append(str(path))
        return str(path)

    create_private.sp_tui = True  # type: ignore[attr-defined]
    _writer.create_temporary_file = create_private


def is_sqlite_file(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def check_output(target: str | os.PathLike, *, database: Path | None = None,
                 force: bool = False, what: str = "file") -> Path:
    """Refuse an output path before anything is written: the database itself, its WAL, SHM
    or journal, a backup, any SQLite file (even with ``force``); a folder; an existing file
    without ``force``; a folder that does not exist or cannot be written."""
    target = Path(target).expanduser()
    if database is not None:
        database = Path(database)
        for side in ("", *DATABASE_SIDE_FILES):
            if _same_file(target, Path(f"{database}{side}")):
                raise OutputProblem(f"{target} is the database{' ' + side[1:] if side else ''}"
                                    " file: choose another name for the export")
    if target.name.endswith(DATABASE_SIDE_FILES) or target.suffix.lower() in DATABASE_SUFFIXES:
        raise OutputProblem(f"{target} looks like a database or backup file: an export is"
                            " never written there; choose a name ending in .xlsx or .csv")
    if target.is_dir():
        raise OutputProblem(f"{target} is a folder: give a file name for the {what}")
    if target.exists():
        if is_sqlite_file(target):
            raise OutputProblem(f"{target} is an SQLite database: an export never replaces it")
        if not force:
            raise OutputProblem(f"{target} already exists: add --force to replace it")
    parent = target.parent
    if parent.exists() and not parent.is_dir():
        raise OutputProblem(f"{parent} is a file, not a folder")
    existing = parent
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputProblem(f"cannot write in {existing}: permission denied")
    return target


def check_output_folder(folder: str | os.PathLike, names: list[str], *,
                        database: Path | None = None, force: bool = False) -> Path:
    """A folder to write ``names`` into: not a file; the files in it checked as above."""
    folder = Path(folder).expanduser()
    if folder.exists() and not folder.is_dir():
        raise OutputProblem(f"{folder} is a file, not a folder: give a folder for the CSV files")
    for name in names:
        check_output(folder / name, database=database, force=force, what="CSV file")
    return folder


@contextmanager
def _openpyxl_temporaries(target: Path) -> Iterator[None]:
    _install_openpyxl_temp_dir()
    folder = private_temp_folder(target) / temp_name(target).name
    os.mkdir(folder, 0o700)
    token = _openpyxl_temp_dir.set(folder)
    try:
        yield
    finally:
        _openpyxl_temp_dir.reset(token)
        for entry in folder.iterdir():
            entry.unlink(missing_ok=True)
        folder.rmdir()
        try:
            folder.parent.rmdir()  # the private folder, once empty
        except OSError:
            pass


def write_atomically(target: Path, write: Callable[[Path], None], *, mode: int = 0o600) -> Path:
    """Call ``write(temp_path)``, then move the finished file over ``target``.

    The temporary file (and openpyxl's own) live in a private folder beside ``target``; a
    database file is never replaced, whatever the caller checked."""
    target = Path(target)
    if target.exists() and is_sqlite_file(target):
        raise OutputProblem(f"{target} is an SQLite database: an export never replaces it")
    with _openpyxl_temporaries(target), atomic_path(target, overwrite=True) as temp:
        call_unwrapping_os_errors(write, temp)
    return target


def defuse_formula(text: str) -> str:
    """For CSV: a leading quote stops a spreadsheet from evaluating the cell as a formula."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


_PLAIN_NUMBER = re.compile(r"^[+-]?\d[\d,]*(\.\d+)?%?$")


def defuse_cell(value: object) -> object:
    """A CSV cell: text that a spreadsheet would evaluate (=, +, -, @, tab, CR first) gets a
    leading quote; plain numbers, negative ones included, are left as they are."""
    if isinstance(value, str) and not _PLAIN_NUMBER.match(value):
        return defuse_formula(value)
    return value


def defuse_row(values) -> list:
    """Every text cell of a CSV row defused (numbers and blanks as they are)."""
    return [defuse_cell(v) for v in values]


class SafeCsvWriter:
    """csv.writer whose every text cell is defused: for every CSV sp-tui writes, to a file or
    to the terminal."""

    def __init__(self, handle, **options) -> None:
        import csv

        self._writer = csv.writer(handle, **options)

    def writerow(self, row) -> None:
        self._writer.writerow(defuse_row(row))

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)
