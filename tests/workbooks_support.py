"""Helpers shared by the workbook tests: a quarter with known dates, row counts."""

from __future__ import annotations

from datetime import date

from sp_tui.domain.quarters import Quarter

Q24 = Quarter(24)              # Jan-Mar 2009
DEADLINE = date(2009, 4, 30)   # the domain defaults: 30 days after close...
DEFAULT_END = date(2009, 5, 14)  # ...then a 14-day default period
TODAY = date(2009, 7, 1)

TABLES = ("workbooks", "workbook_rejections", "workbook_reminders", "workbook_defaults",
          "workbook_audits", "audit_log")


def row_counts(db) -> dict[str, int]:
    """How many rows each workbook table (and the audit log) holds: to prove nothing was
    written after an error."""
    return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def add_services(make_service, count: int, **overrides) -> list[str]:
    """``count`` services SP001.. (providers alternate A and B); returns their refs."""
    refs = []
    for n in range(1, count + 1):
        ref = f"SP{n:03d}"
        fields = {"service_ref": ref, "service_name": f"Service {n}",
                  "provider": "Alpha Trust" if n % 2 else "Beta Homes",
                  "district": "Thanet" if n % 3 else "Dover"}
        fields.update(overrides)
        make_service(**fields)
        refs.append(ref)
    return refs
