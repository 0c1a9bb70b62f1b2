"""Reference lists as the team has extended them."""

from __future__ import annotations

from datetime import date

import sqlite_utils


def reference_lists(db: sqlite_utils.Database) -> dict[str, list[str]]:
    lists: dict[str, list[str]] = {"district": [], "client_group": [], "service_type": []}
    for kind, value in db.execute(
        "SELECT kind, value FROM reference_values ORDER BY kind, value COLLATE NOCASE"
    ):
        lists.setdefault(kind, []).append(value)
    return lists


def provider_names(db: sqlite_utils.Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT name FROM providers ORDER BY name COLLATE NOCASE")]


def provider_contacts(db: sqlite_utils.Database) -> dict[str, dict[str, str]]:
    """Each provider's contact details by name: {name: {contact_name, address, email}}."""
    return {name: {"contact_name": contact, "address": address, "email": email}
            for name, contact, address, email in db.execute(
                "SELECT name, contact_name, address, email FROM providers")}


def provider_contact(db: sqlite_utils.Database, name: str) -> dict[str, str] | None:
    row = db.execute("SELECT contact_name, address, email FROM providers WHERE name = ?"
                     " COLLATE NOCASE", (str(name).strip(),)).fetchone()
    return dict(zip(("contact_name", "address", "email"), row)) if row else None


_OFFICER_SOURCES = (("visits", "officer"), ("visits", "plan_officer"),
                    ("complaints", "officer"), ("safeguarding_alerts", "officer"),
                    ("workbook_audits", "officer"))


def officer_names(db: sqlite_utils.Database) -> list[str]:
    """Every officer name typed before in any officer field (visits and their action plans,
    complaints, alerts, workbook audits), A-Z, one spelling per name (any case): the
    suggestions of every officer field."""
    union = " UNION ALL ".join(f"SELECT trim({column}) AS name FROM {table}"
                               for table, column in _OFFICER_SOURCES)
    rows = db.execute(f"SELECT name FROM ({union}) WHERE name IS NOT NULL AND name != ''"
                      " GROUP BY name COLLATE NOCASE ORDER BY name COLLATE NOCASE")
    return [r[0] for r in rows]


def provider_exists(db: sqlite_utils.Database, name: str) -> bool:
    return db.execute("SELECT 1 FROM providers WHERE name = ? COLLATE NOCASE",
                      (str(name).strip(),)).fetchone() is not None


_CASE_TABLES = {"complaint": ("complaints", "C"), "alert": ("safeguarding_alerts", "A")}


def proposed_case_ref(db: sqlite_utils.Database, kind: str, today: date) -> str:
    """The next reference for a new complaint or alert received today, following the pattern
    of the one logged last (``sp_tui.domain.cases.next_case_ref``)."""
    from sp_tui.domain.cases import next_case_ref
    from sp_tui.domain.quarters import quarter_of

    table, letter = _CASE_TABLES[kind]
    latest = db.execute(f"SELECT ref, received_date FROM {table}"
                        " ORDER BY created_at DESC, received_date DESC LIMIT 1").fetchone()
    latest_quarter = quarter_of(date.fromisoformat(latest[1])).number if latest else None
    refs = [r[0] for r in db.execute(f"SELECT ref FROM {table}")]
    return next_case_ref(latest[0] if latest else None, latest_quarter,
                         quarter_of(today).number, refs, letter)
