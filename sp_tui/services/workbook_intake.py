"""Returned workbooks: read every file in a folder, recognise each workbook by its hidden
identity (``sp_tui.services.workbook_templates``), and receive it with its figures.

For each file:
- valid and not yet received: received (the date given, else the file's modification date)
  with its KPI figures;
- already received with the same figures: skipped; with other figures: a conflict, applied
  as a correction only when asked (the old figures stay in the audit log);
- invalid (figures missing or wrong, a formula where a number belongs, another quarter, a
  service not due a workbook, not an xlsx, damaged, password-protected, macros, external
  links, far too big): not received, listed with the reason; on request the workbook is
  received and rejected through the existing reject action (so its history is kept) and a
  letter per provider saying what to correct and by when goes to the outbox.

The receipts, corrections and rejections of one intake are one transaction: all or none.
The files are only read (never changed; moved to ``processed/`` after the commit only when
asked). Hostile files are refused from the zip directory before any XML is parsed: sizes and
member counts bounded, no DOCTYPE, no macros or external links; only the few cells needed are
read, in read-only mode.
"""

from __future__ import annotations

import hmac
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import sqlite_utils

from sp_tui.domain.errors import ValidationError
from sp_tui.domain.kpi import FIELDS, FIGURE_FIELDS, Figures, check_figures, parse_figure
from sp_tui.domain.quarters import Quarter
from sp_tui.domain.workbooks import check_receipt_date, extended_deadline, is_expected
from sp_tui.imports.reader import _ENCRYPTED, MAX_BYTES
from sp_tui.reports.calendar import calendar_for
from sp_tui.reports.reference import provider_contacts
from sp_tui.services.kpis import receive_with_figures, record_figures
from sp_tui.services.letter_docx import letter_docx
from sp_tui.services.letters import (
    TEAM, _cell, _contact_values, _spreadsheet_safe, batch_folder, discard_batch, long_date,
    outbox_dir, provider_filenames, publish_batch,
)
from sp_tui.services.templates import render
from sp_tui.services.workbook_templates import (
    DENOMINATOR_CELL, FORMAT, IDENTITY_ROWS, IDENTITY_SHEET, INPUT_ROWS, MAIN_SHEET,
    NUMERATOR_CELL, identity_digest, identity_key,
)
from sp_tui.services.workbooks import parse_day, receive_workbook, reject_workbook, tracked
from sp_tui.store.connection import db_file, write
from sp_tui.store.files import make_private_dirs
from sp_tui.store.records import audit

# A returned template is about 8 kB (30 kB unpacked): these bounds leave a wide margin for
# what spreadsheets add, and refuse zip bombs and giant sheets before anything is parsed.
MAX_FILE_BYTES = min(MAX_BYTES, 20 * 1024 * 1024)
MAX_UNPACKED = 50 * 1024 * 1024        # all members together, as the zip directory states
MAX_MEMBER = 20 * 1024 * 1024          # a worksheet (streamed: only its first rows parsed)
MAX_PART = 4 * 1024 * 1024             # any other part (shared strings, styles: parsed whole)
MAX_MEMBERS = 2000
MAX_RATIO = 200                        # unpacked / packed, for members over 1 MB
MAX_SHEET_ROWS = 10_000                # a sheet's stated dimension
MAX_FILES = 20_000                     # files in one intake folder
PROCESSED = "processed"
OUTCOMES = ("received", "corrected", "skipped", "conflict", "rejected")

_MACRO_PARTS = ("vbaproject", "activex", "macrosheets", "xl/embeddings/")
_XML_HEAD = 4096


class Unreadable(Exception):
    """A file that is not a workbook sp-tui can read: the message says why."""


@dataclass(frozen=True)
class FileReading:
    """What one file holds (only the identity and the two figures are read)."""

    path: Path
    modified: date
    service_ref: str | None = None
    quarter: int | None = None
    kpi: int | None = None
    numerator: int | None = None
    denominator: int | None = None
    problem: str | None = None          # not recognised: no workbook is known
    figures_problem: str | None = None  # recognised, figures wrong


# -- reading one file ------------------------------------------------------------------------

def _check_container(path: Path) -> None:
    """Refuse what must not reach openpyxl: judged from the header and the zip directory."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise Unreadable(f"the file is {size / 1024 / 1024:,.1f} MB: a returned workbook is"
                         f" a few kB (at most {MAX_FILE_BYTES // 1024 // 1024} MB is read)")
    with path.open("rb") as handle:
        head = handle.read(8)
    if head == _ENCRYPTED:
        raise Unreadable("the file is password-protected (or an old .xls file): save it as"
                         " .xlsx without a password")
    if not head.startswith(b"PK"):
        raise Unreadable("not an xlsx workbook (its content is not a spreadsheet)")
    if path.suffix.lower() == ".xlsm":
        raise Unreadable("a macro-enabled workbook (.xlsm): macros are never opened; save it"
                         " as .xlsx")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise Unreadable(f"the file holds {len(members):,} parts: not a workbook")
            total = 0
            for member in members:
                name = member.filename.lower()
                total += member.file_size
                limit = MAX_MEMBER if name.startswith("xl/worksheets/") else MAX_PART
                if member.file_size > limit or total > MAX_UNPACKED:
                    raise Unreadable(
                        f"the file unpacks to more than {limit // 1024 // 1024} MB"
                        " (a zip bomb, or far more rows than a workbook has)")
                if member.file_size > 1024 * 1024 and \
                        member.file_size > MAX_RATIO * max(member.compress_size, 1):
                    raise Unreadable("the file is compressed suspiciously well (a zip bomb)")
                if any(part in name for part in _MACRO_PARTS):
                    raise Unreadable("the workbook carries macros or embedded programs:"
                                     " they are never opened; save it as .xlsx without them")
                if "externallink" in name:
                    raise Unreadable("the workbook links to other files (external links):"
                                     " remove the links and save again")
            names = {m.filename for m in members}
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                raise Unreadable("not an xlsx workbook (a zip file without a workbook)")
            types = archive.read("[Content_Types].xml")
            if b"macroEnabled" in types:
                raise Unreadable("a macro-enabled workbook: macros are never opened; save it"
                                 " as .xlsx")
            for member in members:
                if member.filename.lower().endswith((".xml", ".rels")):
                    with archive.open(member) as part:
                        start = part.read(_XML_HEAD)
                    if b"<!DOCTYPE" in start or b"<!ENTITY" in start:
                        raise Unreadable("the workbook's XML declares entities: refused")
    except zipfile.BadZipFile:
        raise Unreadable("the file is damaged (not a readable xlsx)") from None


def _number(value: object, label: str) -> int | None:
    """A figure from its cell: blank is None; a formula (even one with a saved result) or
    text is refused, never evaluated."""
    if isinstance(value, str) and value.lstrip().startswith("="):
        raise ValueError(f"{label} holds a formula ({value[:40]!r}): type the number itself")
    if value is not None and not isinstance(value, (int, float, str)):
        raise ValueError(f"{label} is not a whole number")
    return parse_figure(value, field=label)


def _cells(sheet, rows: tuple[int, int], max_col: int) -> dict[tuple[int, int], object]:
    """The values of a few rows only (read-only mode stops parsing after the last)."""
    found: dict[tuple[int, int], object] = {}
    for r, row in enumerate(sheet.iter_rows(min_row=rows[0], max_row=rows[1], min_col=1,
                                            max_col=max_col, values_only=True),
                            start=rows[0]):
        for c, value in enumerate(row, start=1):
            found[(r, c)] = value
    return found


def _whole(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 6:
        return int(value.strip())
    return None


def read_workbook_file(path: Path, key: str | None) -> FileReading:
    """Read one returned file; never raises for a bad file (the reading says why)."""
    path = Path(path)
    try:
        modified = date.fromtimestamp(path.stat().st_mtime)
    except (OSError, ValueError, OverflowError):
        modified = date.today()
    reading = FileReading(path, modified)
    try:
        _check_container(path)
        return _read_checked(reading, key)
    except Unreadable as exc:
        return replace(reading, problem=str(exc))
    except OSError as exc:
        return replace(reading, problem=f"the file could not be read ({exc.strerror or exc})")
    except Exception as exc:  # a damaged file that passed the checks: say so plainly
        text = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        return replace(reading, problem=f"the file is damaged ({text})")


def _read_checked(reading: FileReading, key: str | None) -> FileReading:
    from openpyxl import load_workbook

    book = load_workbook(reading.path, read_only=True, data_only=False, keep_links=False)
    try:
        if IDENTITY_SHEET not in book.sheetnames:
            raise Unreadable("not a workbook sent by sp-tui (its identity sheet is missing):"
                             " send the provider the workbook made for the service")
        ident = book[IDENTITY_SHEET]
        values = _cells(ident, (1, IDENTITY_ROWS), 2)
        fields = {str(values.get((r, 1)) or "").strip(): values.get((r, 2))
                  for r in range(1, IDENTITY_ROWS + 1)}
        ref = fields.get("service_ref")
        quarter, kpi = _whole(fields.get("quarter")), _whole(fields.get("kpi"))
        digest = fields.get("digest")
        if fields.get("format") != FORMAT or not isinstance(ref, str) or not ref.strip() \
                or len(ref) > 100 or quarter is None or kpi not in (1, 2) \
                or not isinstance(digest, str):
            raise Unreadable("its identity sheet is damaged or altered: send the provider a"
                             " new workbook")
        if key is None:
            raise Unreadable("no workbooks were made from this database (no identity key):"
                             " the file cannot be checked")
        expected = identity_digest(key, ref.strip(), quarter, kpi)
        if not hmac.compare_digest(expected, digest.strip()):
            raise Unreadable("its identity was altered, or it was made from another database:"
                             " send the provider a new workbook")
        reading = replace(reading, service_ref=ref.strip(), quarter=quarter, kpi=kpi)
        main = book[MAIN_SHEET] if MAIN_SHEET in book.sheetnames else book.worksheets[0]
        rows = main.max_row or 0
        if rows > MAX_SHEET_ROWS:
            raise Unreadable(f"its {main.title} sheet has {rows:,} rows: a workbook has"
                             " about 15")
        for sheet in book.worksheets:
            if (sheet.max_row or 0) > MAX_SHEET_ROWS:
                raise Unreadable(f"its {sheet.title[:40]} sheet has {sheet.max_row:,} rows: a"
                                 " workbook has about 15")
        cells = _cells(main, INPUT_ROWS, 2)
    finally:
        book.close()
    column = ord(NUMERATOR_CELL[0]) - 64
    num_field, den_field = FIELDS[kpi]
    labels = {num_field: f"the first figure ({NUMERATOR_CELL})",
              den_field: f"the second figure ({DENOMINATOR_CELL})"}
    raw = {num_field: cells.get((INPUT_ROWS[0], column)),
           den_field: cells.get((INPUT_ROWS[1], column))}
    problems = []
    parsed: dict[str, int | None] = {}
    for name, value in raw.items():
        try:
            parsed[name] = _number(value, labels[name])
        except ValueError as exc:
            problems.append(str(exc))
            parsed[name] = None
    if not problems:
        missing = [labels[n] for n, v in parsed.items() if v is None]
        if missing:
            problems.append(f"figures missing: {' and '.join(missing)}")
        else:
            num, den = parsed[num_field] or 0, parsed[den_field] or 0
            if num > den:
                problems.append(f"the first figure ({num}) is above the second ({den})")
    return replace(reading, numerator=parsed[num_field], denominator=parsed[den_field],
                   figures_problem="; ".join(problems) or None)


# -- deciding and applying -------------------------------------------------------------------

@dataclass(frozen=True)
class IntakeItem:
    """One file's outcome, as the summary table shows it."""

    file: str
    outcome: str                 # one of OUTCOMES
    service_ref: str = ""
    provider: str = ""
    quarter: int | None = None
    received: str = ""           # the receipt date used (or the date already recorded)
    figures: str = ""            # "45 / 50"
    reason: str = ""
    letter: bool = False         # a rejection letter goes (or went) to the provider
    # what to do (internal)
    action: str = ""             # receive, figures, correct, reject, ""
    values: dict = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class IntakeResult:
    folder: Path
    items: list[IntakeItem]
    dry_run: bool
    letters_folders: list[Path] = field(default_factory=list)
    moved: int = 0

    def count(self, outcome: str) -> int:
        return sum(1 for item in self.items if item.outcome == outcome)

    @property
    def counts(self) -> dict[str, int]:
        return {outcome: self.count(outcome) for outcome in OUTCOMES}

    def summary(self) -> str:
        parts = [f"{n} {outcome}" for outcome, n in self.counts.items() if n]
        what = ", ".join(parts) or "no files"
        return f"{self.folder.name}: {what}{' (dry run: nothing written)' if self.dry_run else ''}"


def intake_files(folder: Path) -> list[Path]:
    """The files an intake reads: every visible regular file in the folder itself."""
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise ValidationError({"folder": f"{folder} is not a folder"})
    files = []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name.casefold()):
        if entry.name.startswith((".", "~$")) or entry.is_symlink() or not entry.is_file():
            continue
        files.append(entry)
        if len(files) > MAX_FILES:
            raise ValidationError({"folder": f"{folder} holds more than {MAX_FILES:,} files:"
                                             " split them into folders"})
    return files


def read_folder(folder: Path, key: str | None,
                progress: Callable[[int, int], None] | None = None) -> list[FileReading]:
    """Every file of the folder read (no database needed: ``key`` is the identity key)."""
    files = intake_files(folder)
    readings = []
    for number, path in enumerate(files, start=1):
        readings.append(read_workbook_file(path, key))
        if progress:
            progress(number, len(files))
    return readings


def _figures_text(num: int | None, den: int | None) -> str:
    return "" if num is None and den is None else f"{'' if num is None else num} /" \
        f" {'' if den is None else den}"


def _services(db) -> dict[str, dict]:
    return {row["service_ref"].casefold(): row for row in db.query(
        "SELECT s.id, s.service_ref, s.term, s.start_date, s.end_date, s.workbook_required,"
        " p.name AS provider FROM services s JOIN providers p ON p.id = s.provider_id")}


def _stored_pair(db, service_id: str, quarter: int, kpi: int) -> tuple | None:
    num, den = FIELDS[kpi]
    row = db.execute(f"SELECT {num}, {den} FROM kpi_figures WHERE service_id = ? AND"
                     " quarter = ?", (service_id, quarter)).fetchone()
    return tuple(row) if row and any(v is not None for v in row) else None


def _plan(db, readings: list[FileReading], day: date | None, only: Quarter | None,
          today: date, letters: bool, correct: bool) -> list[IntakeItem]:
    services = _services(db)
    seen: dict[tuple[str, int], IntakeItem] = {}
    items: list[IntakeItem] = []
    for reading in readings:
        name = reading.path.name
        if reading.problem:
            items.append(IntakeItem(name, "rejected", reason=reading.problem))
            continue
        ref, number = reading.service_ref or "", reading.quarter or 0
        service = services.get(ref.casefold())
        base = IntakeItem(name, "rejected", ref, quarter=number,
                          figures=_figures_text(reading.numerator, reading.denominator))
        if service is None:
            items.append(replace(base, reason=f"{ref} is not a service in the register"))
            continue
        base = replace(base, service_ref=service["service_ref"], provider=service["provider"])
        try:
            quarter = Quarter(number)
        except ValueError as exc:
            items.append(replace(base, reason=str(exc)))
            continue
        if only is not None and quarter != only:
            items.append(replace(base, reason=f"a workbook for Q{number}, not {only.label}"))
            continue
        start = date.fromisoformat(service["start_date"])
        end = date.fromisoformat(service["end_date"]) if service["end_date"] else None
        if not is_expected(start, end, bool(service["workbook_required"]), quarter):
            items.append(replace(base, reason=f"{service['service_ref']} is not due a workbook"
                                              f" for {quarter.label}"))
            continue
        term_kpi = 1 if service["term"] == "long" else 2
        if reading.kpi != term_kpi:
            items.append(replace(base, reason=f"the workbook asks for KPI {reading.kpi}, but"
                                              f" {service['service_ref']} now reports KPI"
                                              f" {term_kpi}: send a new workbook"))
            continue
        received = day or reading.modified
        base = replace(base, received=received.isoformat())
        try:
            check_receipt_date(received, quarter, today)
        except ValidationError as exc:
            items.append(replace(base, reason="; ".join(exc.errors.values())
                                 + " (give the date received)"))
            continue
        state = tracked(db, service["id"], quarter)
        key = (service["id"], quarter.number)
        if not state["received_date"] and state["rejected_on"] \
                and received.isoformat() < state["rejected_on"]:
            items.append(replace(base, reason=f"dated {received.isoformat()}, before the"
                                              f" rejection of {state['rejected_on']}: give the"
                                              " date received"))
            continue
        if reading.figures_problem:
            letter = letters and not state["received_date"] and key not in seen
            items.append(replace(base, reason=reading.figures_problem, letter=letter,
                                 action="reject" if letter else ""))
            if letter:
                seen[key] = items[-1]
            continue
        values = dict(zip(FIELDS[term_kpi], (reading.numerator, reading.denominator)))
        problems = check_figures(_figures(values), service["term"], service["service_ref"])
        if problems:
            items.append(replace(base, reason="; ".join(problems.values())))
            continue
        pair = (reading.numerator, reading.denominator)
        if key in seen:
            first = seen[key]
            if first.values == values:
                items.append(replace(base, outcome="skipped",
                                     reason=f"the same workbook as {first.file}"))
            else:
                items.append(replace(base, outcome="conflict",
                                     reason=f"{first.file} gives other figures"
                                            f" ({first.figures}): keep one of the two files"))
            continue
        stored = _stored_pair(db, service["id"], quarter.number, term_kpi)
        if state["received_date"]:
            base = replace(base, received=state["received_date"])
            if stored == pair:
                item = replace(base, outcome="skipped", values=values,
                               reason=f"already received {state['received_date']} with these"
                                      " figures")
            elif stored is None:
                item = replace(base, outcome="received", action="figures", values=values,
                               reason=f"received {state['received_date']} without figures:"
                                      " figures added")
            else:
                item = replace(base, outcome="corrected" if correct else "conflict",
                               action="correct" if correct else "", values=values,
                               reason=f"received {state['received_date']} with"
                                      f" {_figures_text(*stored)}; this file says"
                                      f" {_figures_text(*pair)}")
        else:
            resubmission = " (resubmission)" if state["rejected_on"] else ""
            item = replace(base, outcome="received", action="receive", values=values,
                           reason=f"received{resubmission}")
        seen[key] = item
        items.append(item)
    return items


def _figures(values: dict) -> Figures:
    return Figures(**{f: values.get(f) for f in FIGURE_FIELDS})


def resubmit_by(db, quarter: Quarter, day: date) -> date:
    """The date a corrected workbook is due: the deadline if it is still ahead, else the end
    of the default period, else 14 days after the rejection."""
    calendar = calendar_for(db, quarter)
    for candidate in (calendar.deadline, calendar.default_end):
        if day < candidate:
            return candidate
    return extended_deadline(day)


def _letters(db, items: list[IntakeItem], day: date) -> dict[int, dict[str, str | bytes]]:
    """Rejection letters per quarter: {quarter: {file name: text or docx bytes}}."""
    contacts = provider_contacts(db)
    path = db_file(db)
    beside = path.parent if path else None
    batches: dict[int, dict[str, str | bytes]] = {}
    by_quarter: dict[int, dict[str, list[IntakeItem]]] = {}
    for item in items:
        if item.action == "reject" and item.quarter is not None:
            by_quarter.setdefault(item.quarter, {}).setdefault(item.provider, []).append(item)
    for number, providers in by_quarter.items():
        quarter = Quarter(number)
        by = resubmit_by(db, quarter, day)
        names = provider_filenames(providers)
        files: dict[str, str | bytes] = {}
        merge = ["provider,contact_name,email,service_ref,quarter,reason,resubmit_by,"
                 "letter_file"]
        for provider, rejected in providers.items():
            table = ["| Service reference | File | What to correct |", "|---|---|---|"]
            table += [f"| {_cell(i.service_ref)} | {_cell(i.file)} | {_cell(i.reason)} |"
                      for i in rejected]
            plural = len(rejected) > 1
            text = render("rejection.md", {
                "provider": _cell(provider), **_contact_values(provider, contacts),
                "date": long_date(day), "quarter": quarter.label,
                "services_table": "\n".join(table), "resubmit_by": long_date(by),
                "team": TEAM, "service_word": "workbooks" if plural else "workbook",
                "workbook_word": "workbooks" if plural else "workbook",
                "each_or_the": "each" if plural else "the"}, beside=beside)
            filename = names[provider]
            files[filename] = text
            files[filename.removesuffix(".md") + ".docx"] = letter_docx(text)
            contact = contacts.get(provider) or {}
            for i in rejected:
                merge.append(",".join(_csv(v) for v in (
                    provider, contact.get("contact_name") or "", contact.get("email") or "",
                    i.service_ref, quarter.label, i.reason, by.isoformat(), filename)))
        files["mail-merge.csv"] = "\r\n".join(merge) + "\r\n"
        batches[number] = files
    return batches


def _csv(value: object) -> str:
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow([_spreadsheet_safe(str(value))])
    return out.getvalue()


def run_intake(db: sqlite_utils.Database, folder: str | os.PathLike, *,
               received: object = None, quarter: Quarter | None = None,
               dry_run: bool = False, reject_letters: bool = False,
               correct_conflicts: bool = False, move_processed: bool = False,
               outbox: str | os.PathLike | None = None, today: date | None = None,
               source: str | None = None,
               progress: Callable[[int, int], None] | None = None,
               readings: list[FileReading] | None = None) -> IntakeResult:
    """Read every file in ``folder`` and receive the valid workbooks, in one transaction.

    ``received``: the date of receipt for every file (else each file's modification date);
    ``quarter``: only workbooks of this quarter are accepted; ``reject_letters``: invalid
    workbooks of known services are rejected (received, then rejected: the history keeps
    it) and a letter per provider is written; ``correct_conflicts``: figures that differ from
    those recorded replace them (audited); ``move_processed``: after the commit, received
    and skipped files move to ``processed/`` in the folder. ``readings``: the files as
    ``read_folder`` read them (the app reads them in a worker, shows the dry run, then
    applies exactly what it showed)."""
    today = today or date.today()
    day = parse_day(received, today, "received_date", "received date") \
        if received not in (None, "") else None
    if day is not None and day > today:
        raise ValidationError({"received_date": f"received date {day.isoformat()} is in the"
                                                f" future (today is {today.isoformat()})"})
    folder = Path(folder).expanduser()
    if readings is None:
        readings = read_folder(folder, identity_key(db), progress)
    if dry_run:
        items = _plan(db, readings, day, quarter, today, reject_letters, correct_conflicts)
        return IntakeResult(folder, items, True)
    letter_day = day or today
    folders: list[Path] = []
    try:
        with write(db):
            items = _plan(db, readings, day, quarter, today, reject_letters, correct_conflicts)
            _apply(db, items, today, source)
            batches = _letters(db, items, letter_day)
            done = [i for i in items if i.action]
            if done:
                counts = {o: sum(1 for i in items if i.outcome == o) for o in OUTCOMES}
                audit(db, action="workbook.intake", entity="intake", entity_id=str(folder),
                      summary=f"intake of {folder}: " + ", ".join(
                          f"{n} {o}" for o, n in counts.items() if n), source=source)
            base = outbox_dir(db, outbox)
            for number, files_ in batches.items():
                target = batch_folder(base, Quarter(number), "rejections", letter_day)
                folders.append(target)
                make_private_dirs(base)
                publish_batch(target, files_)
    except BaseException:
        for target in folders:
            discard_batch(target)
        raise
    moved = _move_processed(folder, items) if move_processed else 0
    return IntakeResult(folder, items, False, folders, moved)


def _apply(db, items: list[IntakeItem], today: date, source: str | None) -> None:
    for item in items:
        if not item.action or item.quarter is None:
            continue
        quarter = Quarter(item.quarter)
        try:
            if item.action == "receive":
                receive_with_figures(db, item.service_ref, quarter, item.received,
                                     item.values, today=today, source=source)
            elif item.action in ("figures", "correct"):
                record_figures(db, item.service_ref, quarter, item.values, source=source)
            elif item.action == "reject":
                receive_workbook(db, item.service_ref, quarter, item.received, today=today,
                                 source=source)
                reject_workbook(db, item.service_ref, quarter,
                                f"returned workbook {item.file}: {item.reason}"[:500],
                                item.received, today=today, source=source)
        except ValidationError as exc:
            raise ValidationError({"": f"{item.file}: {exc.summary()}; nothing was"
                                       " received"}) from None


def _move_processed(folder: Path, items: list[IntakeItem]) -> int:
    """Move the received, corrected and skipped files to folder/processed/ (never over a
    file already there: a number is added)."""
    target = folder / PROCESSED
    moved = 0
    for item in items:
        if item.outcome not in ("received", "corrected", "skipped"):
            continue
        source = folder / item.file
        if not source.is_file():
            continue
        make_private_dirs(target)
        destination, n = target / item.file, 1
        while destination.exists():
            n += 1
            destination = target / f"{Path(item.file).stem}-{n}{Path(item.file).suffix}"
        try:
            os.rename(source, destination)
            moved += 1
        except OSError:
            continue
    return moved


# -- the summary table (shared by the CLI and the app) --------------------------------------

INTAKE_COLUMNS = ("File", "Outcome", "Ref", "Provider", "Quarter", "Received", "Figures",
                  "Reason")


def intake_rows(result: IntakeResult) -> list[tuple[str, str, str, str, str, str, str, str]]:
    """One row per file, in the order received, corrected, conflict, rejected, skipped."""
    order = {"received": 0, "corrected": 1, "conflict": 2, "rejected": 3, "skipped": 4}
    rows = []
    for item in sorted(result.items, key=lambda i: (order[i.outcome], i.file.casefold())):
        reason = item.reason + ("; a rejection letter goes to the provider" if item.letter
                                else "")
        rows.append((item.file, item.outcome, item.service_ref, item.provider,
                     f"Q{item.quarter}" if item.quarter else "", item.received,
                     item.figures, reason))
    return rows


def received_dates_note(result: IntakeResult, given: bool) -> str:
    """How the receipt dates were chosen, for the confirmation."""
    if given:
        return "Receipt date: the date given, for every file."
    days = sorted({i.received for i in result.items if i.action == "receive"})
    if not days:
        return ""
    shown = ", ".join(days[:5]) + (f" and {len(days) - 5} more" if len(days) > 5 else "")
    return f"Receipt dates: each file's own modification date ({shown})."

