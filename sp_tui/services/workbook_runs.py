"""The two batch actions of a quarter: send reminders for every overdue, unreminded workbook,
and issue default notices for every workbook still missing after the default period. Each
records one row per workbook and writes one letter per provider (plus a mail-merge CSV)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import sqlite_utils

from sp_tui.domain.errors import ValidationError
from sp_tui.domain.quarters import Quarter
from sp_tui.domain.workbooks import check_not_future, extended_deadline
from sp_tui.reports.calendar import calendar_for
from sp_tui.reports.workbooks import (
    WorkbookRow, default_candidates, provider_default_list, reminder_candidates,
)
from sp_tui.services.letters import (
    Letter, batch_folder, default_letters, discard_batch, mail_merge_csv, outbox_dir,
    publish_batch, reminder_letters,
)
from sp_tui.services.letter_docx import letter_docx
from sp_tui.services.workbooks import parse_day
from sp_tui.store.connection import db_file, write
from sp_tui.store.records import audit, audit_many, new_id, now_iso

MAIL_MERGE = "mail-merge.csv"


@dataclass(frozen=True)
class LetterRun:
    """What a batch did (or, for a dry run, would do)."""

    kind: str                  # "reminders" or "defaults"
    quarter: Quarter
    day: date
    letters: list[Letter]
    folder: Path | None        # where the letters were written (None: dry run or none due)
    dry_run: bool

    @property
    def count(self) -> int:
        return sum(len(letter.services) for letter in self.letters)

    @property
    def providers(self) -> list[str]:
        return [letter.provider for letter in self.letters]

    @property
    def rows(self) -> list[WorkbookRow]:
        return [row for letter in self.letters for row in letter.services]


def _team_folder(db: sqlite_utils.Database) -> Path | None:
    """The folder a team's own letter templates sit in: beside the database file."""
    path = db_file(db)
    return path.parent if path else None


def send_reminders(db: sqlite_utils.Database, quarter: Quarter, *, sent: object = None,
                   today: date | None = None, outbox: str | os.PathLike | None = None,
                   dry_run: bool = False, source: str | None = None) -> LetterRun:
    """Remind every overdue workbook that has had no reminder yet."""
    today = today or date.today()
    day = parse_day(sent, today, "sent_date", "reminder date")
    check_not_future(day, today, "sent_date", "reminder date")
    calendar = calendar_for(db, quarter)
    if day <= calendar.deadline:
        raise ValidationError({"sent_date": (
            f"reminders are for overdue workbooks: {quarter.label}'s deadline is"
            f" {calendar.deadline.isoformat()}")})

    def letters_for(rows: list[WorkbookRow]) -> list[Letter]:
        return reminder_letters(quarter, calendar, day, rows, templates=_team_folder(db))

    return _run(db, "reminders", quarter, day, outbox, dry_run,
                lambda: reminder_candidates(db, quarter, day), letters_for,
                lambda letters, folder: _record_reminders(db, quarter, day, letters, folder,
                                                          source))


def issue_defaults(db: sqlite_utils.Database, quarter: Quarter, *, issued: object = None,
                   today: date | None = None, outbox: str | os.PathLike | None = None,
                   dry_run: bool = False, source: str | None = None) -> LetterRun:
    """Issue a default notice for every workbook not received and not excused, once the
    default period has ended. Each notice gives an extended deadline."""
    today = today or date.today()
    day = parse_day(issued, today, "issued_date", "default notice date")
    check_not_future(day, today, "issued_date", "default notice date")
    calendar = calendar_for(db, quarter)
    if day <= calendar.default_end:
        raise ValidationError({"issued_date": (
            f"defaults can be issued only after the default period ends:"
            f" {quarter.label}'s ends on {calendar.default_end.isoformat()}")})
    extended = extended_deadline(day)

    def letters_for(rows: list[WorkbookRow]) -> list[Letter]:
        in_force = {p.provider: p.total for p in provider_default_list(db, quarter).providers}
        for row in rows:
            in_force[row.provider] = in_force.get(row.provider, 0) + 1
        return default_letters(quarter, calendar, day, extended, rows, in_force,
                               templates=_team_folder(db))

    return _run(db, "defaults", quarter, day, outbox, dry_run,
                lambda: default_candidates(db, quarter, day), letters_for,
                lambda letters, folder: _record_defaults(db, quarter, day, extended, letters,
                                                         folder, source))


def _run(db, kind: str, quarter: Quarter, day: date, outbox, dry_run: bool, candidates,
         letters_for, record) -> LetterRun:
    rows = candidates()
    if dry_run or not rows:
        return LetterRun(kind, quarter, day, letters_for(rows), None, dry_run)
    target = batch_folder(outbox_dir(db, outbox), quarter, kind, day)
    calendar = calendar_for(db, quarter)
    try:
        with write(db):
            # Inside the write lock: who is due now, not when the officer was asked to confirm.
            letters = letters_for(candidates())
            record(letters, target)
            if letters:
                files: dict[str, str | bytes] = {}
                for letter in letters:  # each letter as Markdown and as a Word document
                    files[letter.filename] = letter.text
                    files[letter.filename.removesuffix(".md") + ".docx"] = \
                        letter_docx(letter.text)
                files[MAIL_MERGE] = mail_merge_csv(letters, quarter, calendar, day,
                                                   kind.rstrip("s"))
                publish_batch(target, files)
    except BaseException:
        discard_batch(target)
        raise
    return LetterRun(kind, quarter, day, letters, target if letters else None, False)


def _letter_path(folder: Path, letter: Letter) -> str:
    return f"{folder.name}/{letter.filename}"


def _record_reminders(db, quarter: Quarter, day: date, letters: list[Letter], folder: Path,
                      source: str | None) -> None:
    stamp = now_iso()
    rows, audits = [], []
    for letter in letters:
        for wb in letter.services:
            reminder_id = new_id()
            rows.append((reminder_id, wb.service_id, quarter.number, day.isoformat(),
                         _letter_path(folder, letter), stamp, stamp))
            audits.append(("reminder.send", "workbook_reminder", reminder_id,
                           f"{wb.service_ref} {quarter.label}: reminder sent {day.isoformat()}",
                           {"service_ref": wb.service_ref, "quarter": quarter.number,
                            "sent_date": day.isoformat()}, source))
    db.conn.executemany(
        "INSERT INTO workbook_reminders (id, service_id, quarter, sent_date, letter,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    audit_many(db, audits)
    if rows:
        audit(db, action="reminder.batch", entity="quarter", entity_id=str(quarter.number),
              summary=f"{quarter.label}: {len(rows)} reminder(s) to {len(letters)} provider(s),"
                      f" letters in {folder}", source=source)


def _record_defaults(db, quarter: Quarter, day: date, extended: date, letters: list[Letter],
                     folder: Path, source: str | None) -> None:
    stamp = now_iso()
    rows, audits = [], []
    for letter in letters:
        for wb in letter.services:
            default_id = new_id()
            rows.append((default_id, wb.service_id, quarter.number, day.isoformat(),
                         extended.isoformat(), _letter_path(folder, letter), stamp, stamp))
            audits.append(("default.issue", "workbook_default", default_id,
                           f"{wb.service_ref} {quarter.label}: default issued {day.isoformat()},"
                           f" extended deadline {extended.isoformat()}",
                           {"service_ref": wb.service_ref, "quarter": quarter.number,
                            "issued_date": day.isoformat(),
                            "extended_deadline": extended.isoformat()}, source))
    db.conn.executemany(
        "INSERT INTO workbook_defaults (id, service_id, quarter, issued_date, extended_deadline,"
        " letter, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    audit_many(db, audits)
    if rows:
        audit(db, action="default.batch", entity="quarter", entity_id=str(quarter.number),
              summary=f"{quarter.label}: {len(rows)} default notice(s) to {len(letters)}"
                      f" provider(s), letters in {folder}", source=source)
