"""What the tables of one merge share (the other file, key aliases, conflicts found, audit
rows), kept apart from the merge's steps so that the record-level merge and the whole-file
merge both depend on it and not on each other."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from sp_tui.domain.merge import entity_name
from sp_tui.store.records import audit, current_user, new_id, now_iso

@dataclass(frozen=True)
class OtherFile:
    path: Path
    version: int
    database_id: str | None
    older: bool = False     # lacks migrations this version has: merged from a migrated copy


@dataclass(frozen=True)
class ConflictFound:
    table: str
    record_id: object
    label: str
    field: str              # "" when the whole record could not be written
    this_value: object
    other_value: object
    reason: str = ""
    # the two values in words when they name other records (read while both copies are at
    # hand: a record only the other copy holds is named too)
    this_text: str | None = None
    other_text: str | None = None


def conflict_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


class MergeContext:
    """What the tables of one merge share: the peer, key aliases, conflicts, audit rows."""

    def __init__(self, db: sqlite_utils.Database, other: OtherFile, our_id: str | None,
                 source: str) -> None:
        self.db = db
        self.other = other
        self.file_name = str(other.path)
        self.source = source
        distinct = other.database_id is not None and other.database_id != our_id
        # A file without an identity of its own (older than 0005, or a plain file copy of this
        # one) is remembered by its path: the first merge has no shared history, so every
        # difference is a conflict; later merges of the same file are three-way.
        self.peer_key = (other.database_id if distinct and other.database_id is not None
                         else f"file:{other.path.resolve()}")
        self.peer_here, self.epoch_here = _peer(db, "main", self.peer_key)
        self.peer_there, self.epoch_there = (_peer(db, "other", our_id) if distinct and our_id
                                             else (None, 0))
        # This merge's place in the pair's shared count of exchanges.
        self.epoch = max(self.epoch_here, self.epoch_there) + 1
        self.aliases: dict[str, dict[object, object]] = {}
        self.audit_rows: list[tuple] = []
        self.conflicts: list[ConflictFound] = []
        self.new_conflicts = 0
        self.changed = False          # anything written, the shared-history bookkeeping included
        self.records_changed = False  # records or conflicts: what the audit log reports
        self.renamed = False
        self._names: dict[str, dict[object, str]] = {}
        self._open = {(t, r) for t, r in db.execute(
            "SELECT table_name, record_id FROM main.merge_conflicts WHERE resolved_at IS NULL"
            " AND peer_database_id = ?", (self.peer_key,))}

    def name_of(self, table: str, key: object) -> str:
        """A record of ``table`` in words (a service's reference, a workbook's service and
        quarter), from this copy or else the other one."""
        if key is None:
            return "(blank)"
        cache = self._names.setdefault(table, {})
        if key not in cache:
            cache[key] = self._name_of(table, key)
        return cache[key]

    def _name_of(self, table: str, key: object) -> str:
        from sp_tui.domain.merge import LABEL_COLUMNS

        for schema in ("main", "other"):
            try:
                cursor = self.db.execute(f'SELECT * FROM {schema}."{table}" WHERE rowid IN'
                                         f' (SELECT rowid FROM {schema}."{table}" WHERE'
                                         f' {_key_column(self.db, schema, table)} = ?)',
                                         (key,))
            except sqlite3.Error:
                continue
            row = cursor.fetchone()
            if row is None:
                continue
            values = dict(zip([d[0] for d in cursor.description], row))
            for column in LABEL_COLUMNS:
                if values.get(column) not in (None, "") and column != "quarter":
                    return str(values[column])
            if "service_id" in values:
                name = self.name_of("services", values["service_id"])
                return f"{name} Q{values['quarter']}" if "quarter" in values else name
            return str(key)
        return str(key)

    def candidates(self, here: list, there: list) -> list[tuple[int, int]]:
        """Every known base of a record as (hash, epoch): this file's memories of it, then
        the other file's memories of this one."""
        found = [(e.hash, self.epoch_here if e.epoch is None else e.epoch) for e in here if e]
        found += [(e.hash, self.epoch_there if e.epoch is None else e.epoch) for e in there if e]
        return found

    def remember(self, table: str, items: list[tuple[object, int]]) -> None:
        """The other copy's version of these records is now shared history."""
        self._write_base(table, [(key, value, None) for key, value in items])

    def pin(self, table: str, items: list[tuple[object, int, int]]) -> None:
        """Records left as they are keep the base they were compared with, and its epoch."""
        self._write_base(table, items)

    def _write_base(self, table: str,
                    items: Sequence[tuple[object, int, int | None]]) -> None:
        if not items:
            return
        if self.peer_here is None:
            self.peer_here = add_peer(self.db, self.peer_key, self.file_name)
        self.db.conn.executemany(
            "INSERT INTO main.sync_base (peer, table_name, record_id, row_hash, epoch)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (peer, table_name, record_id)"
            " DO UPDATE SET row_hash = excluded.row_hash, epoch = excluded.epoch",
            [(self.peer_here, table, key, value, epoch) for key, value, epoch in items])
        self.changed = True

    def found(self, conflict: ConflictFound, other_hash: int | None) -> None:
        """List a conflict; an identical open one from an earlier merge is left alone."""
        self.conflicts.append(conflict)
        this_json = conflict_json(conflict.this_value)
        other_json = conflict_json(conflict.other_value)
        row = self.db.execute(
            "SELECT id, this_value, other_value, other_hash, reason FROM main.merge_conflicts"
            " WHERE resolved_at IS NULL AND peer_database_id = ? AND table_name = ?"
            " AND record_id = ? AND field = ?",
            (self.peer_key, conflict.table, conflict.record_id, conflict.field)).fetchone()
        values = (this_json, other_json, other_hash, conflict.reason)
        if row and tuple(row[1:]) == values:
            return
        if row:
            self.db.execute(
                "UPDATE main.merge_conflicts SET this_value = ?, other_value = ?, other_hash = ?,"
                " reason = ?, source_file = ?, found_at = ? WHERE id = ?",
                (*values, self.file_name, now_iso(), row[0]))
        else:
            self.db.execute(
                "INSERT INTO main.merge_conflicts (id, peer_database_id, source_file, table_name,"
                " record_id, field, this_value, other_value, other_hash, reason, found_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (new_id(), self.peer_key, self.file_name, conflict.table, conflict.record_id,
                 conflict.field, *values, now_iso()))
        self.new_conflicts += 1
        self.changed = self.records_changed = True

    def settle_conflicts(self, table: str, key: object, keep_fields: set[str] | None = None
                         ) -> None:
        """Open conflicts of a record that this merge found settled (both copies now agree,
        or only one of them changed since)."""
        if (table, key) not in self._open:
            return
        keep = sorted(keep_fields or ())
        cursor = self.db.execute(
            "UPDATE main.merge_conflicts SET resolved_at = ?, resolution = 'merged',"
            " resolved_by = ? WHERE resolved_at IS NULL AND peer_database_id = ?"
            " AND table_name = ? AND record_id = ?"
            f" AND field NOT IN ({', '.join('?' * len(keep))})",
            (now_iso(), current_user(), self.peer_key, table, key, *keep))
        if cursor.rowcount:
            self.changed = self.records_changed = True

    def note_rekeyed(self, table: str, old: object, new: object, label: str) -> None:
        entity = entity_name(table)
        audit(self.db, action="merge.rekey", entity=entity, entity_id=str(new),
              summary=f"{entity} {label} was also created in {self.file_name}:"
                      " both copies now use one key",
              old={"id": old}, new={"id": new}, source=self.source)
        self.changed = self.records_changed = True


def _key_column(db: sqlite_utils.Database, schema: str, table: str) -> str:
    keys = [r[1] for r in db.execute(f'PRAGMA {schema}.table_info("{table}")') if r[5]]
    return f'"{keys[0]}"' if len(keys) == 1 else "rowid"


def _peer(db: sqlite_utils.Database, schema: str, peer_id: str | None
          ) -> tuple[int | None, int]:
    """(number, epoch) of a peer in ``schema``'s sync_peers; (None, 0) if unknown."""
    if peer_id is None:
        return None, 0
    try:
        row = db.execute(f"SELECT n, epoch FROM {schema}.sync_peers WHERE database_id = ?",
                         (peer_id,)).fetchone()
    except sqlite3.OperationalError:  # no sync tables
        return None, 0
    return (row[0], row[1]) if row else (None, 0)


def add_peer(db: sqlite_utils.Database, peer_id: str, file: str,
              copied_at: str | None = None, epoch: int = 0) -> int:
    db.execute("INSERT INTO main.sync_peers (database_id, last_file, copied_at, epoch)"
               " VALUES (?, ?, ?, ?) ON CONFLICT (database_id) DO UPDATE SET"
               " last_file = excluded.last_file, epoch = max(epoch, excluded.epoch),"
               " copied_at = coalesce(excluded.copied_at, copied_at)",
               (peer_id, file, copied_at, epoch))
    return db.execute("SELECT n FROM main.sync_peers WHERE database_id = ?",
                      (peer_id,)).fetchone()[0]
