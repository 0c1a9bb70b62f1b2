"""Pre-filled quarterly workbooks to send to providers, one xlsx per expected workbook.

Each file holds, locked: the service reference, name, provider, quarter, deadline and the
service's term (so only KPI 1 or KPI 2 is asked); unlocked and validated in the sheet: the
two figures to fill in. A notes sheet explains each field; a hidden identity sheet carries
the service reference, the quarter and a keyed digest over them, so the intake
(``sp_tui.services.workbook_intake``) recognises a returned file even renamed, and refuses
one whose identity was altered. A mail-merge CSV (provider, contact, email, file name) goes
beside the files.

Files are 0600 in a 0700 folder, each written under a temporary name and renamed; existing
files are never replaced unless asked (``force``).
"""

from __future__ import annotations

import hashlib
import hmac
import io
import csv
import os
import re
import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import sqlite_utils

from sp_tui.domain.errors import ValidationError
from sp_tui.domain.kpi import FIELD_LABELS, FIELDS, KPI_NAMES
from sp_tui.domain.quarters import Quarter
from sp_tui.domain.values import FORMULA_PREFIXES, MAX_UNITS
from sp_tui.domain.workbooks import is_expected
from sp_tui.reports.calendar import calendar_for
from sp_tui.reports.reference import provider_contacts
from sp_tui.services.letters import _spreadsheet_safe, long_date, outbox_dir
from sp_tui.store.connection import write
from sp_tui.store.files import atomic_path, make_private_dirs
from sp_tui.store.records import audit

FORMAT = "sp-tui workbook 1"
KEY_NAME = "workbook_identity_key"
MAIL_MERGE = "mail-merge.csv"

# Where things are in the file (the intake reads exactly these cells, nothing else).
MAIN_SHEET = "Workbook"
NOTES_SHEET = "Notes"
IDENTITY_SHEET = "sp-tui identity"
NUMERATOR_CELL = "B12"
DENOMINATOR_CELL = "B13"
INPUT_ROWS = (12, 13)
IDENTITY_ROWS = 5           # A1:B5 on the identity sheet
TERM_WORDS = {"long": "long-term", "short": "short-term"}


# -- identity ------------------------------------------------------------------------------

def identity_digest(key: str, service_ref: str, quarter: int, kpi: int) -> str:
    """A keyed digest over the identity: a changed reference, quarter or KPI, or a digest
    copied from another file, no longer matches."""
    message = f"{FORMAT}|{service_ref.casefold()}|{quarter}|{kpi}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()[:40]


def identity_key(db: sqlite_utils.Database) -> str | None:
    """This database's key for workbook identities (None until templates were made)."""
    row = db.execute("SELECT value FROM meta WHERE key = ?", (KEY_NAME,)).fetchone()
    return row[0] if row else None


def ensure_identity_key(db: sqlite_utils.Database) -> str:
    """Create the key on first use (kept in the file: copies of the database share it)."""
    with write(db):
        db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)",
                   (KEY_NAME, secrets.token_hex(32)))
        return identity_key(db) or ""


# -- what to write -------------------------------------------------------------------------

@dataclass(frozen=True)
class TemplateSpec:
    service_id: str
    service_ref: str
    service_name: str
    provider: str
    term: str
    quarter: Quarter
    deadline: date
    filename: str

    @property
    def kpi(self) -> int:
        return 1 if self.term == "long" else 2


def _slug(text: str, limit: int) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:limit] or "x"


def expected_templates(db: sqlite_utils.Database, quarter: Quarter) -> list[TemplateSpec]:
    """One spec per workbook expected for the quarter (the same rule as the Workbooks
    screen: ``domain.workbooks.is_expected``), named provider_ref_Qn.xlsx."""
    calendar = calendar_for(db, quarter)
    specs: list[TemplateSpec] = []
    used: set[str] = set()
    for sid, ref, name, provider, term, start, end, required in db.execute(
            "SELECT s.id, s.service_ref, s.name, p.name, s.term, s.start_date, s.end_date,"
            " s.workbook_required FROM services s JOIN providers p ON p.id = s.provider_id"
            " ORDER BY p.name COLLATE NOCASE, s.service_ref COLLATE NOCASE"):
        if not is_expected(date.fromisoformat(start),
                           date.fromisoformat(end) if end else None, bool(required), quarter):
            continue
        stem = f"{_slug(provider, 50)}_{_slug(ref, 30)}_Q{quarter.number}"
        candidate, n = stem, 1
        while candidate.casefold() in used:
            n += 1
            candidate = f"{stem}-{n}"
        used.add(candidate.casefold())
        specs.append(TemplateSpec(sid, ref, name, provider, term, quarter, calendar.deadline,
                                  f"{candidate}.xlsx"))
    return specs


def _text(cell, value: object) -> None:
    """User text as text: never a formula, whatever it starts with."""
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"
        cell.quotePrefix = True


NOTES = [
    ("What this file is", "Your quarterly performance workbook for one service. Fill in the"
     " two yellow cells on the Workbook sheet, save the file (keep it as .xlsx) and send it"
     " back by email by the deadline shown. You may rename the file."),
    ("Service reference, name, provider", "Which service the workbook is for. These cells"
     " are locked: if any of them is wrong, tell us instead of changing the file."),
    ("Quarter and deadline", "The three months the figures cover, and the day we must"
     " receive the workbook by."),
    ("Service term", "Long-term services report KPI 1; short-term services report KPI 2."
     " Only the KPI for your service is asked."),
    ("KPI 1 (NI 142)", "Long-term services. First figure: the service users who have"
     " established or are maintaining independent living (those still in the service and"
     " those who left). Second figure: all service users in the quarter. Independent living"
     " includes owner occupation, a long-term private or social tenancy, a long-stay"
     " supported service, sheltered housing, a long-stay arrangement in another household;"
     " not care homes, hospital, custody, short stays or temporary accommodation."),
    ("KPI 2 (NI 141)", "Short-term services. First figure: the service users who left in a"
     " planned way. Second figure: all the service users who left in the quarter."),
    ("How to fill in", "Whole numbers only, 0 or more; the first figure cannot be more than"
     " the second. Type the numbers themselves, not a formula. If nobody left (KPI 2), enter"
     " 0 in both cells."),
    ("If the file is refused", "We will write to you saying what to correct and by when."),
]


def build_workbook(spec: TemplateSpec, key: str):
    """The openpyxl workbook for one spec (not yet saved)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = MAIN_SHEET
    sheet["A1"] = "Quarterly performance workbook"
    sheet["A1"].font = Font(bold=True, size=14)
    kpi = spec.kpi
    rows = [
        ("Service reference", spec.service_ref),
        ("Service name", spec.service_name),
        ("Provider", spec.provider),
        ("Quarter", spec.quarter.label),
        ("Deadline", long_date(spec.deadline)),
        ("Service term", TERM_WORDS.get(spec.term, spec.term)),
        ("KPI", KPI_NAMES[kpi]),
    ]
    for offset, (label, value) in enumerate(rows, start=3):
        sheet.cell(offset, 1, label).font = Font(bold=True)
        _text(sheet.cell(offset, 2), value)
    sheet["A11"] = "Figures to fill in (whole numbers)"
    sheet["A11"].font = Font(bold=True)
    numerator, denominator = FIELDS[kpi]
    sheet["A12"] = FIELD_LABELS[numerator]
    sheet["A13"] = FIELD_LABELS[denominator]
    sheet["A15"] = (f"Fill in the two yellow cells and return the file by"
                    f" {long_date(spec.deadline)}. The Notes sheet explains each field.")
    sheet["A15"].alignment = Alignment(wrap_text=True)
    yellow = PatternFill("solid", fgColor="FFF2CC")
    for address in (NUMERATOR_CELL, DENOMINATOR_CELL):
        sheet[address].protection = Protection(locked=False)
        sheet[address].fill = yellow
        sheet[address].number_format = "0"
    whole = DataValidation(type="whole", operator="between", formula1="0",
                           formula2=str(MAX_UNITS), allow_blank=True, showErrorMessage=True,
                           errorTitle="Whole number", promptTitle="Whole number",
                           error=f"Enter a whole number from 0 to {MAX_UNITS:,}.",
                           prompt="A whole number, 0 or more.", showInputMessage=True)
    below = DataValidation(type="whole", operator="between", formula1="0",
                           formula2=f"${DENOMINATOR_CELL[0]}${DENOMINATOR_CELL[1:]}",
                           allow_blank=True, showErrorMessage=True, showInputMessage=True,
                           errorTitle="Not above the second figure",
                           error="A whole number, 0 or more, not above the figure below it.",
                           promptTitle="Whole number",
                           prompt="A whole number, not above the figure below.")
    sheet.add_data_validation(whole)
    sheet.add_data_validation(below)
    below.add(NUMERATOR_CELL)
    whole.add(DENOMINATOR_CELL)
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 48
    sheet.protection.sheet = True
    sheet.protection.formatCells = True
    sheet.protection.insertRows = True
    sheet.protection.deleteRows = True

    notes = book.create_sheet(NOTES_SHEET)
    notes["A1"] = "Notes: what each field means"
    notes["A1"].font = Font(bold=True, size=14)
    for offset, (label, text) in enumerate(NOTES, start=3):
        notes.cell(offset, 1, label).font = Font(bold=True)
        notes.cell(offset, 2, text).alignment = Alignment(wrap_text=True, vertical="top")
    notes.column_dimensions["A"].width = 30
    notes.column_dimensions["B"].width = 90
    notes.protection.sheet = True

    ident = book.create_sheet(IDENTITY_SHEET)
    identity: tuple[tuple[str, object], ...] = (
        ("format", FORMAT), ("service_ref", spec.service_ref),
        ("quarter", spec.quarter.number), ("kpi", kpi),
        ("digest", identity_digest(key, spec.service_ref, spec.quarter.number, kpi)))
    for offset, (name, content) in enumerate(identity, start=1):
        ident.cell(offset, 1, name)
        _text(ident.cell(offset, 2), content)
    ident.sheet_state = "hidden"
    ident.protection.sheet = True
    book.security.lockStructure = True   # sheets cannot be unhidden, renamed or removed
    return book


# -- writing -------------------------------------------------------------------------------

@dataclass(frozen=True)
class TemplateRun:
    quarter: Quarter
    folder: Path
    specs: list[TemplateSpec]
    bytes_written: int


def templates_folder(db: sqlite_utils.Database, quarter: Quarter,
                     outbox: str | os.PathLike | None = None) -> Path:
    """outbox/Q24-workbooks (the outbox: --outbox, else beside the database)."""
    return outbox_dir(db, outbox) / f"Q{quarter.number}-workbooks"


def mail_merge_rows(db: sqlite_utils.Database, specs: list[TemplateSpec]) -> str:
    """provider, contact_name, email, service_ref, service_name, quarter, deadline, file."""
    contacts = provider_contacts(db)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["provider", "contact_name", "email", "service_ref", "service_name",
                     "quarter", "deadline", "file_name"])
    for spec in specs:
        contact = contacts.get(spec.provider) or {}
        writer.writerow([_spreadsheet_safe(spec.provider),
                         _spreadsheet_safe(str(contact.get("contact_name") or "")),
                         _spreadsheet_safe(str(contact.get("email") or "")),
                         _spreadsheet_safe(spec.service_ref),
                         _spreadsheet_safe(spec.service_name), spec.quarter.label,
                         spec.deadline.isoformat(), _spreadsheet_safe(spec.filename)])
    return out.getvalue()


def write_templates(db: sqlite_utils.Database, quarter: Quarter, *,
                    outbox: str | os.PathLike | None = None, force: bool = False,
                    source: str | None = None, progress=None) -> TemplateRun:
    """Write every expected workbook of the quarter, and the mail-merge CSV, into
    outbox/Qn-workbooks/. Refused, before anything is written, when a file of the same name
    exists there (unless ``force``)."""
    specs = expected_templates(db, quarter)
    if not specs:
        raise ValidationError({"quarter": f"no workbooks are expected for {quarter.label}"})
    folder = templates_folder(db, quarter, outbox)
    if folder.exists() and not folder.is_dir():
        raise ValidationError({"outbox": f"{folder} is a file, not a folder"})
    names = [spec.filename for spec in specs] + [MAIL_MERGE]
    if not force:
        existing = [name for name in names if (folder / name).exists()]
        if existing:
            more = f" and {len(existing) - 3} more" if len(existing) > 3 else ""
            raise ValidationError({"outbox": (
                f"{folder} already holds {', '.join(existing[:3])}{more}: add --force to"
                " replace them")})
    key = identity_key(db) or ensure_identity_key(db)
    try:
        make_private_dirs(folder)
    except OSError as exc:
        raise ValidationError({"outbox": f"cannot create {folder}: {exc.strerror}"}) from None
    total = 0
    for count, spec in enumerate(specs, start=1):
        book = build_workbook(spec, key)
        buffer = io.BytesIO()
        book.save(buffer)
        data = buffer.getvalue()
        total += len(data)
        _write_file(folder / spec.filename, data, force)
        if progress:
            progress(count, len(specs))
    merge = mail_merge_rows(db, specs).encode("utf-8")
    total += len(merge)
    _write_file(folder / MAIL_MERGE, merge, force)
    with write(db):
        audit(db, action="workbook.templates", entity="quarter", entity_id=str(quarter.number),
              summary=f"{quarter.label}: {len(specs)} workbook templates written to {folder}",
              source=source)
    return TemplateRun(quarter, folder, specs, total)


def _write_file(target: Path, data: bytes, force: bool) -> None:
    try:
        with atomic_path(target, overwrite=force) as temp:
            fd = os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
    except FileExistsError:
        raise ValidationError({"outbox": f"{target} already exists: add --force to replace"
                                         " it"}) from None
