"""What a merge needs to know of the schema, read from SQLite itself (never a hand-kept list).

A *record table* has a single-column primary key that is not a rowid counter and an
``updated_at`` column: ``id TEXT PRIMARY KEY`` tables, and natural keys such as
``quarter_calendar.quarter``. Its rows are merged one by one. A *list table* (a composite key,
such as reference_values) only gains the rows it lacks. Bookkeeping tables are never merged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlite_utils

# The audit log is appended to, never merged row by row; the others are the merge's own.
NOT_MERGED = frozenset({"schema_migrations", "audit_log", "meta", "sync_peers", "sync_base",
                        "merge_conflicts"})


@dataclass(frozen=True)
class TableInfo:
    name: str
    kind: str                              # "record" | "list"
    key: tuple[str, ...]                   # primary key column(s)
    columns: tuple[str, ...]
    defaults: dict[str, str | None] = field(default_factory=dict)  # SQL text of DEFAULTs
    # (column, parent table, parent column) for every single-column foreign key
    references: tuple[tuple[str, str, str], ...] = ()
    # column sets of the UNIQUE constraints other than the primary key (no partial indexes)
    unique: tuple[tuple[str, ...], ...] = ()

    @property
    def key_column(self) -> str:
        return self.key[0]

    @property
    def parents(self) -> set[str]:
        return {parent for _, parent, _ in self.references}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def describe_tables(db: sqlite_utils.Database, schema: str = "main") -> dict[str, TableInfo]:
    """Every mergeable table of ``schema`` (an attached database's name, or "main")."""
    found: dict[str, TableInfo] = {}
    rows = db.execute(f"SELECT name, sql FROM {schema}.sqlite_master WHERE type = 'table'"
                      " AND name NOT LIKE 'sqlite_%' ORDER BY name").fetchall()
    for name, sql in rows:
        if name in NOT_MERGED:
            continue
        info = db.execute(f"PRAGMA {schema}.table_info({_quote(name)})").fetchall()
        columns = tuple(r[1] for r in info)
        key = tuple(r[1] for r in sorted((r for r in info if r[5]), key=lambda r: r[5]))
        if not key:
            continue
        rowid_counter = "AUTOINCREMENT" in (sql or "").upper()
        if len(key) == 1 and "updated_at" in columns and not rowid_counter:
            kind = "record"
        elif rowid_counter:
            continue  # keys are a local counter: the same number means different things
        else:
            kind = "list"
        found[name] = TableInfo(
            name=name, kind=kind, key=key, columns=columns,
            defaults={r[1]: r[4] for r in info},
            references=_references(db, schema, name),
            unique=_unique_sets(db, schema, name, set(key)),
        )
    return found


def _references(db, schema: str, table: str) -> tuple[tuple[str, str, str], ...]:
    refs = []
    rows = db.execute(f"PRAGMA {schema}.foreign_key_list({_quote(table)})").fetchall()
    by_id: dict[int, list] = {}
    for row in rows:
        by_id.setdefault(row[0], []).append(row)
    for parts in by_id.values():
        if len(parts) != 1:
            continue  # composite foreign keys: none in the schema
        _, _, parent, column, parent_column = parts[0][:5]
        if parent_column is None:
            pk = [r[1] for r in db.execute(f"PRAGMA {schema}.table_info({_quote(parent)})")
                  if r[5]]
            parent_column = pk[0] if len(pk) == 1 else None
        if parent_column:
            refs.append((column, parent, parent_column))
    return tuple(refs)


def _unique_sets(db, schema: str, table: str, key: set[str]) -> tuple[tuple[str, ...], ...]:
    sets = []
    for row in db.execute(f"PRAGMA {schema}.index_list({_quote(table)})").fetchall():
        index, unique, origin, partial = row[1], row[2], row[3], row[4]
        if not unique or partial or origin == "pk":
            continue
        columns = tuple(r[2] for r in db.execute(f"PRAGMA {schema}.index_info({_quote(index)})"))
        if None in columns or set(columns) == key:
            continue  # expression indexes cannot be checked column by column
        sets.append(columns)
    return tuple(sets)


def children_of(db: sqlite_utils.Database, parent: str, parent_column: str,
                schema: str = "main") -> list[tuple[str, str]]:
    """(child table, column) for every foreign key in the whole schema (merged tables or not)
    that points at ``parent.parent_column``."""
    found = []
    for (name,) in db.execute(f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table'"
                              " AND name NOT LIKE 'sqlite_%' ORDER BY name").fetchall():
        for column, ref_parent, ref_column in _references(db, schema, name):
            if ref_parent == parent and ref_column == parent_column:
                found.append((name, column))
    return found
