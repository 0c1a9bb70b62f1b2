"""The lists each import's columns are matched against (imports/matching.py), the aliases
the team chose in earlier imports, and writing what an import adds to them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import sqlite_utils

from sp_tui.domain import cases
from sp_tui.domain.reference import KINDS
from sp_tui.domain.workbooks import ASSURANCES
from sp_tui.imports.matching import REPORT_LABELS, YES_NO, Choices, Resolution, resolve
from sp_tui.reports.reference import reference_lists
from sp_tui.reports.safeguarding import alert_natures
from sp_tui.store.records import audit, now_iso

_YES_NO = {alias: value for value, aliases in YES_NO.items() for alias in aliases}
_TERMS = {"short term": "short", "long term": "long", "st": "short", "lt": "long"}
_GRADES = {"ng": "NG", "n g": "NG", "none": "NG", "not graded": "NG", "ungraded": "NG",
           "n": "NG", **{f"grade {g}": g for g in "abcd"}}


def remembered_aliases(db: sqlite_utils.Database) -> dict[str, dict[str, str]]:
    """{list: {alias key: value}} as chosen in earlier imports."""
    found: dict[str, dict[str, str]] = {}
    for name, alias, value in db.execute("SELECT list, alias, value FROM import_aliases"):
        found.setdefault(name, {})[alias] = value
    return found


def _choices(name: str, values: Iterable[str], remembered: Mapping[str, Mapping[str, str]],
             aliases: Mapping[str, str] | None = None, **options) -> Choices:
    return Choices(name, list(values), {**(aliases or {}), **remembered.get(name, {})},
                   **options)


def columns_for(db: sqlite_utils.Database, kind: str) -> dict[str, Choices]:
    """Each listed column of an import kind, with its list."""
    remembered = remembered_aliases(db)
    yes_no = _choices("yes_no", ("yes", "no"), remembered, _YES_NO)
    if kind == "services":
        lists = reference_lists(db)
        columns = {k: _choices(k, lists.get(k, []), remembered, REPORT_LABELS.get(k),
                               extendable=True) for k in KINDS}
        columns["term"] = _choices("term", ("short", "long"), remembered, _TERMS, prefix=True)
        columns["workbook_required"] = yes_no
        return columns
    if kind == "visits":
        from sp_tui.domain.qaf import GRADE_FIELDS

        grades = _choices("grade", ("A", "B", "C", "D", "NG"), remembered, _GRADES)
        return {**{f: grades for f in GRADE_FIELDS}, "users_consulted": yes_no}
    if kind == "complaints":
        return {"status": _choices("complaint_status", cases.COMPLAINT_STATUSES, remembered,
                                   cases._COMPLAINT_ALIASES, prefix=True),
                "channel": _choices("channel", cases.CHANNELS, remembered, prefix=True)}
    if kind == "alerts":
        return {"status": _choices("alert_status", cases.ALERT_STATUSES, remembered,
                                   cases._ALERT_ALIASES, prefix=True),
                "nature": _choices("nature", alert_natures(db), remembered, prefix=True)}
    if kind == "audits":
        return {"assurance": _choices("assurance", ASSURANCES, remembered, prefix=True)}
    return {}


def match_rows(db: sqlite_utils.Database, kind: str,
               rows: Iterable[tuple[int, Mapping[str, object]]],
               mapping: Mapping[str, Mapping[str, str]] | None = None,
               add_new: Iterable[str] = ()) -> Resolution:
    """The rows with their listed columns in the lists' own spelling (see matching.resolve)."""
    return resolve(list(rows), columns_for(db, kind), mapping, add_new)


def save_matches(db: sqlite_utils.Database, resolution: Resolution,
                 *, source: str | None = None) -> None:
    """Add the new list values and remember the chosen mappings. Call inside ``write``."""
    stamp = now_iso()
    for column, values in resolution.new_values.items():
        for value in values:  # only the reference lists are extendable
            db.execute("INSERT INTO reference_values (kind, value, updated_at)"
                       " VALUES (?, ?, ?)", (column, value, stamp))
            audit(db, action="reference.add", entity="reference_value",
                  entity_id=f"{column}:{value}",
                  summary=f"added {KINDS.get(column, column)} {value!r} by import",
                  new={"kind": column, "value": value}, source=source)
    for name, alias, value in resolution.remembered:
        old = db.execute("SELECT value FROM import_aliases WHERE list = ? AND alias = ?",
                         (name, alias)).fetchone()
        if old and old[0] == value:
            continue
        db.execute("INSERT OR REPLACE INTO import_aliases (list, alias, value, updated_at)"
                   " VALUES (?, ?, ?, ?)", (name, alias, value, stamp))
        audit(db, action="import_alias.add", entity="import_alias", entity_id=f"{name}:{alias}",
              summary=f"{name}: {alias!r} now means {value!r} in imports",
              old={"value": old[0]} if old else None, new={"value": value}, source=source)
