"""The audit trail, newest first."""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from sp_tui.reports.paging import PAGE_SIZE
from sp_tui.reports.registry import like_pattern


@dataclass(frozen=True)
class AuditEntry:
    at: str
    who: str
    action: str
    summary: str
    old_values: str | None
    new_values: str | None
    source: str | None


def latest_changes(db: sqlite_utils.Database, limit: int = 50) -> list[AuditEntry]:
    return [AuditEntry(*row) for row in db.execute(
        "SELECT at, who, action, summary, old_values, new_values, source FROM audit_log"
        " ORDER BY id DESC LIMIT ?", (max(1, limit),))]


@dataclass(frozen=True)
class ChangeQuery:
    """A page of the change history, newest first; ``search`` matches who, what or action."""

    search: str = ""
    offset: int = 0
    limit: int = PAGE_SIZE


@dataclass(frozen=True)
class ChangePage:
    rows: list[AuditEntry]
    total: int


def changes_page(db: sqlite_utils.Database, query: ChangeQuery) -> ChangePage:
    where, params = "", {}
    if query.search.strip():
        where = (" WHERE summary LIKE :p ESCAPE '\\' OR who LIKE :p ESCAPE '\\'"
                 " OR action LIKE :p ESCAPE '\\'")
        params["p"] = like_pattern(query.search.strip())
    total = db.execute(f"SELECT count(*) FROM audit_log{where}", params).fetchone()[0]
    rows = [AuditEntry(*row) for row in db.execute(
        "SELECT at, who, action, summary, old_values, new_values, source FROM audit_log"
        f"{where} ORDER BY id DESC LIMIT :limit OFFSET :offset",
        {**params, "limit": query.limit, "offset": max(0, query.offset)})]
    return ChangePage(rows, total)
