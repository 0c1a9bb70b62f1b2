"""The report document's title block: to, from, date, subject, classification, summary.

One editable record; a blank field takes the default below, so a new database still writes a
complete title block. The date, when not set, is the day the document is written.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from sp_tui.domain.errors import ValidationError
from sp_tui.domain.values import parse_date

MAX_LENGTHS = {"addressee": 200, "author": 200, "subject": 200, "classification": 60,
               "summary": 2000}

DEFAULTS = {
    "addressee": "Supporting People Commissioning Body",
    "author": "Supporting People Team",
    "subject": "Performance Management",
    "classification": "Unrestricted",
    "summary": "This report provides data on all aspects of performance management in the"
               " Supporting People Programme.",
}

LABELS = {"addressee": "To", "author": "By", "report_date": "Date", "subject": "Subject",
          "classification": "Classification", "summary": "Summary"}


@dataclass(frozen=True)
class ReportSettings:
    addressee: str = ""
    author: str = ""
    report_date: date | None = None
    subject: str = ""
    classification: str = ""
    summary: str = ""

    def shown(self, name: str) -> str:
        """The value the document prints: the field, else its default."""
        value = getattr(self, name)
        if name == "report_date":
            return value.isoformat() if value else ""
        return value or DEFAULTS.get(name, "")

    def title_block(self, today: date) -> list[tuple[str, str]]:
        """(label, text) lines in the published order: By, To, date, Subject, ..."""
        day = self.report_date or today
        return [(LABELS["author"], self.shown("author")),
                (LABELS["addressee"], self.shown("addressee")),
                (LABELS["report_date"], long_date(day)),
                (LABELS["subject"], self.shown("subject")),
                (LABELS["classification"], self.shown("classification")),
                (LABELS["summary"], self.shown("summary"))]


FIELD_NAMES = tuple(f.name for f in fields(ReportSettings))


def long_date(day: date) -> str:
    """'2 July 2009', as the report dates itself."""
    return f"{day.day} {day.strftime('%B')} {day.year}"


def apply_changes(current: ReportSettings, changes: dict[str, object]) -> ReportSettings:
    """The settings with ``changes`` applied (None: leave the field as it is; "" clears it).
    Raises ValidationError naming every bad field; nothing is changed then."""
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}  # str, or date | None for report_date: checked per field below
    for name, value in changes.items():
        if value is None:
            continue
        if name not in FIELD_NAMES:
            errors[name] = "not a report setting"
            continue
        if name == "report_date":
            text = str(value).strip() if not isinstance(value, date) else value
            if text == "":
                clean[name] = None
                continue
            try:
                clean[name] = parse_date(text, field="date")
            except ValueError as exc:
                errors[name] = str(exc)
            continue
        text = " ".join(str(value).split()) if name != "summary" else str(value).strip()
        if len(text) > MAX_LENGTHS[name]:
            errors[name] = f"at most {MAX_LENGTHS[name]} characters (got {len(text)})"
            continue
        clean[name] = text
    if errors:
        raise ValidationError(errors)
    return replace(current, **clean)
