"""Reminder letters and default notices: one Markdown letter per provider, plus a CSV for a
mail merge, written into an outbox folder (beside the database file unless told otherwise).

A batch is written into a hidden staging folder and renamed into place as the last step of
the database transaction, so a failure leaves neither letters without records nor records
without letters.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import sqlite_utils

from sp_tui.domain.quarters import Quarter, QuarterCalendar
from sp_tui.domain.workbooks import CONTRACT_REVIEW_DEFAULTS, DEFAULT_LIST_QUARTERS
from sp_tui.reports.workbooks import WorkbookRow
from sp_tui.services.templates import render
from sp_tui.store.connection import db_file

OUTBOX = "outbox"
TEAM = "Supporting People Team"


@dataclass(frozen=True)
class Letter:
    provider: str
    filename: str
    text: str
    services: tuple[WorkbookRow, ...]


def outbox_dir(db: sqlite_utils.Database, explicit: str | os.PathLike | None = None) -> Path:
    """--outbox if given, else a folder ``outbox`` beside the database file."""
    if explicit:
        return Path(explicit).expanduser()
    path = db_file(db)
    return (path.parent if path else Path.cwd()) / OUTBOX


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _cell(text: str) -> str:
    """User text inside a Markdown table cell."""
    return " ".join(str(text).split()).replace("\\", "\\\\").replace("|", "\\|")


def _spreadsheet_safe(text: str) -> str:
    """A text a spreadsheet will not run as a formula when the CSV is opened."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def provider_filenames(providers: Iterable[str]) -> dict[str, str]:
    """A distinct, portable file name for each provider's letter."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for provider in providers:
        stem = re.sub(r"[^A-Za-z0-9]+", "-", provider).strip("-")[:60] or "provider"
        candidate, n = stem, 1
        while candidate.casefold() in used:
            n += 1
            candidate = f"{stem}-{n}"
        used.add(candidate.casefold())
        names[provider] = f"{candidate}.md"
    return names


def _by_provider(rows: Iterable[WorkbookRow]) -> dict[str, list[WorkbookRow]]:
    grouped: dict[str, list[WorkbookRow]] = {}
    for row in rows:
        grouped.setdefault(row.provider, []).append(row)
    return grouped


def _service_table(rows: list[WorkbookRow]) -> list[str]:
    lines = ["| Service reference | Service | District |", "|---|---|---|"]
    lines += [f"| {_cell(r.service_ref)} | {_cell(r.service_name)} | {_cell(r.district)} |"
              for r in rows]
    return lines


def _plural_words(services: list[WorkbookRow]) -> dict[str, str]:
    plural = len(services) > 1
    return {"service_word": "services" if plural else "service",
            "each_or_the": "each" if plural else "the"}


def reminder_letters(quarter: Quarter, calendar: QuarterCalendar, sent: date,
                     rows: Iterable[WorkbookRow], *, templates: Path | None = None
                     ) -> list[Letter]:
    """``templates``: the folder a team's own templates may sit in (beside the database)."""
    grouped = _by_provider(rows)
    files = provider_filenames(grouped)
    letters = []
    for provider, services in grouped.items():
        text = render("reminder.md", {
            "provider": _cell(provider), "date": long_date(sent), "quarter": quarter.label,
            "deadline": long_date(calendar.deadline),
            "default_end": long_date(calendar.default_end),
            "services_table": "\n".join(_service_table(services)), "team": TEAM,
            **_plural_words(services)}, beside=templates)
        letters.append(Letter(provider, files[provider], text, tuple(services)))
    return letters


def default_letters(quarter: Quarter, calendar: QuarterCalendar, issued: date,
                    extended: date, rows: Iterable[WorkbookRow],
                    defaults_in_force: dict[str, int], *, templates: Path | None = None
                    ) -> list[Letter]:
    """``defaults_in_force``: each provider's defaults over the default list's quarters,
    this batch included."""
    grouped = _by_provider(rows)
    files = provider_filenames(grouped)
    letters = []
    for provider, services in grouped.items():
        total = defaults_in_force.get(provider, len(services))
        text = render("default_notice.md", {
            "provider": _cell(provider), "date": long_date(issued), "quarter": quarter.label,
            "deadline": long_date(calendar.deadline),
            "default_end": long_date(calendar.default_end), "extended": long_date(extended),
            "services_table": "\n".join(_service_table(services)),
            "defaults_in_force": f"{total} default{'s' if total != 1 else ''}",
            "list_quarters": DEFAULT_LIST_QUARTERS, "review_at": CONTRACT_REVIEW_DEFAULTS,
            "team": TEAM, **_plural_words(services)}, beside=templates)
        letters.append(Letter(provider, files[provider], text, tuple(services)))
    return letters


def mail_merge_csv(letters: list[Letter], quarter: Quarter, calendar: QuarterCalendar,
                   day: date, kind: str) -> str:
    """One line per service, for a word processor's mail merge."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["provider", "service_ref", "service_name", "district", "quarter",
                     "deadline", "default_period_end", f"{kind}_date", "letter_file"])
    for letter in letters:
        for row in letter.services:
            writer.writerow([_spreadsheet_safe(letter.provider),
                             _spreadsheet_safe(row.service_ref),
                             _spreadsheet_safe(row.service_name),
                             _spreadsheet_safe(row.district), quarter.label,
                             calendar.deadline.isoformat(), calendar.default_end.isoformat(),
                             day.isoformat(), letter.filename])
    return out.getvalue()


def batch_folder(outbox: Path, quarter: Quarter, kind: str, day: date) -> Path:
    """A new folder name for a batch, e.g. outbox/Q24-reminders-2009-05-01 (-2, -3 ...)."""
    stem = f"Q{quarter.number}-{kind}-{day.isoformat()}"
    candidate, n = outbox / stem, 1
    while candidate.exists():
        n += 1
        candidate = outbox / f"{stem}-{n}"
    return candidate


def publish_batch(target: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``files`` (text, or bytes for .docx letters) into a staging folder, then rename it to ``target`` (all or nothing).
    Call it as the last step inside the transaction; if the commit then fails, the caller
    removes ``target`` with ``discard_batch``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f".staging-{uuid.uuid4().hex}"
    staging.mkdir()
    try:
        for name, text in files.items():
            mode = "wb" if isinstance(text, bytes) else "w"
            encoding = None if isinstance(text, bytes) else "utf-8"
            with open(staging / name, mode, encoding=encoding, newline=None if encoding is None
                      else "") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def discard_batch(target: Path) -> None:
    shutil.rmtree(target, ignore_errors=True)
