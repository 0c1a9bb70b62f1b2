"""Merge conflicts still to settle, with both values in words, for the screen and the CLI."""

from __future__ import annotations

from datetime import date

import json
from dataclasses import dataclass

import sqlite_utils

from sp_tui.domain.merge import LABEL_COLUMNS, entity_name
from sp_tui.store.schema import TableInfo, describe_tables
from sp_tui.reports.attention import AttentionItem

from sp_tui.reports.paging import PAGE_SIZE


# A conflict that repeats another one (a contract version's units, the service's change) is
# settled with it and not listed (sp_tui.services.merge_records.MIRRORED).
FOLLOWING = "follows %"


@dataclass(frozen=True)
class ConflictRow:
    id: str
    found_at: str
    table: str
    entity: str            # "service", "visit", ...
    record_id: str
    record: str            # the record in words: "service SP001", "visit (SP001) 3f2a…"
    field: str             # "" when the whole record could not be written
    this_value: str
    other_value: str
    current_value: str     # the value here now (it may have been edited since the merge)
    source_file: str
    reason: str


def open_conflict_count(db: sqlite_utils.Database) -> int:
    if "merge_conflicts" not in db.table_names():
        return 0
    return db.execute("SELECT count(*) FROM merge_conflicts WHERE resolved_at IS NULL"
                      " AND reason NOT LIKE ?", (FOLLOWING,)).fetchone()[0]


def open_conflicts(db: sqlite_utils.Database, *, limit: int = PAGE_SIZE,
                   offset: int = 0) -> list[ConflictRow]:
    """Unsettled conflicts, oldest first (index merge_conflicts_open)."""
    tables = describe_tables(db)
    labeller = _Labeller(db, tables)
    rows = db.execute(
        "SELECT id, found_at, table_name, record_id, field, this_value, other_value,"
        " source_file, reason FROM merge_conflicts WHERE resolved_at IS NULL"
        " AND reason NOT LIKE ?"
        " ORDER BY found_at, table_name, record_id, field LIMIT ? OFFSET ?",
        (FOLLOWING, max(1, limit), max(0, offset))).fetchall()
    found = []
    for cid, at, table, record_id, field, this_json, other_json, file, reason in rows:
        info = tables.get(table)
        if field:
            this_text = labeller.value(info, field, _load(this_json))
            other_text = labeller.value(info, field, _load(other_json))
            current = labeller.current(info, record_id, field)
        else:
            this_text = "(the record here, unchanged)"
            other_text = labeller.record_values(info, _load(other_json))
            current = ""
        found.append(ConflictRow(
            id=cid, found_at=at, table=table, entity=entity_name(table), record_id=str(record_id),
            record=f"{entity_name(table)} {labeller.label(info, record_id)}", field=field,
            this_value=this_text, other_value=other_text, current_value=current,
            source_file=file, reason=reason))
    return found


def _load(text: str | None) -> object:
    return None if text is None else json.loads(text)


class _Labeller:
    """Names records and foreign-key values for people (a service's reference, not its id)."""

    def __init__(self, db: sqlite_utils.Database, tables: dict[str, TableInfo]) -> None:
        self.db, self.tables = db, tables
        self._cache: dict[tuple[str, object], str] = {}

    def _row(self, info: TableInfo, key: object) -> dict | None:
        cursor = self.db.execute(f'SELECT * FROM "{info.name}" WHERE "{info.key_column}" = ?',
                                 (key,))
        row = cursor.fetchone()
        return None if row is None else dict(zip([d[0] for d in cursor.description], row))

    def label(self, info: TableInfo | None, key: object) -> str:
        if info is None or info.kind != "record":
            return str(key)
        cache_key = (info.name, key)
        if cache_key not in self._cache:
            self._cache[cache_key] = self._label(info, key)
        return self._cache[cache_key]

    def _label(self, info: TableInfo, key: object) -> str:
        row = self._row(info, key)
        if row is None:
            return f"{key} (not here)"
        for column in LABEL_COLUMNS:
            if row.get(column) not in (None, ""):
                return str(row[column])
        # No name of its own (a visit, a workbook): name it by what it belongs to.
        for column, parent, _ in info.references:
            if row.get(column) is not None and parent in self.tables:
                return f"({self.label(self.tables[parent], row[column])}) {str(key)[:8]}"
        return str(key)

    def value(self, info: TableInfo | None, field: str, value: object) -> str:
        if value is None:
            return "(blank)"
        if info is not None:
            for column, parent, _ in info.references:
                if column == field and parent in self.tables:
                    return self.label(self.tables[parent], value)
        return str(value)

    def current(self, info: TableInfo | None, key: object, field: str) -> str:
        if info is None or field not in info.columns:
            return ""
        row = self.db.execute(f'SELECT "{field}" FROM "{info.name}"'
                              f' WHERE "{info.key_column}" = ?', (key,)).fetchone()
        return "(record not here)" if row is None else self.value(info, field, row[0])

    def record_values(self, info: TableInfo | None, values: object) -> str:
        if not isinstance(values, dict):
            return str(values)
        return ", ".join(f"{k}: {self.value(info, k, v)}" for k, v in values.items()
                         if k not in ("created_at", "updated_at"))


@dataclass(frozen=True)
class FoundConflictLine:
    record: str
    field: str
    this_value: str
    other_value: str
    reason: str


def describe_found(db: sqlite_utils.Database, found) -> list[FoundConflictLine]:
    """The conflicts a merge (or a dry run) reports, in words. ``found`` items have table,
    record_id, label, field, this_value, other_value and reason."""
    tables = describe_tables(db)
    labeller = _Labeller(db, tables)
    lines = []
    for item in found:
        info = tables.get(item.table)
        record = f"{entity_name(item.table)} {item.label}"
        if item.field:
            # the merge names values that refer to other records while both copies are at
            # hand (a record only the other copy holds has no name here)
            this_text = getattr(item, "this_text", None)
            other_text = getattr(item, "other_text", None)
            lines.append(FoundConflictLine(
                record, item.field,
                this_text if this_text is not None
                else labeller.value(info, item.field, item.this_value),
                other_text if other_text is not None
                else labeller.value(info, item.field, item.other_value),
                item.reason))
        else:
            lines.append(FoundConflictLine(record, "(record)", "(kept as it is)",
                                           labeller.record_values(info, item.other_value),
                                           item.reason))
    return lines


COUNT_WORDS = (("inserted", "new"), ("updated", "updated"), ("deleted", "deleted"),
               ("unified", "created in both copies"), ("conflicts", "in conflict"),
               ("blocked", "not written"))


def merge_summary_lines(result) -> list[str]:
    """A merge result (or dry run) in words, one line per table that something happens to.
    ``result`` is a services.merge.MergeResult."""
    lines = []
    for table, counts in result.tables.items():
        parts = [f"{getattr(counts, attr):,} {words}" for attr, words in COUNT_WORDS
                 if getattr(counts, attr)]
        if parts:
            lines.append(f"{table}: {', '.join(parts)}")
    if not lines:
        lines.append("Nothing new: this database already holds everything in that file.")
    if not result.shared_history:
        lines.append("No shared history with that file is known: records present in both"
                     " with different content are listed as conflicts.")
    if result.migrated_copy:
        lines.append(f"The file is an older version (schema {result.other_version}): a copy"
                     " of it is upgraded for the merge; the file itself is not changed.")
    return lines


def conflict_attention(db: sqlite_utils.Database, quarter, today) -> list:
    """For the dashboard's "needs attention": merge conflicts an officer has to settle."""

    if not open_conflict_count(db):
        return []
    return [AttentionItem("conflicts", "Merge conflict to settle", row.id,
                          f"{row.record}: {row.field or 'whole record'}"
                          f" (from {row.source_file})",
                          date.fromisoformat(row.found_at[:10]))
            for row in open_conflicts(db, limit=50)]
