"""Merge another copy of the database (a laptop's) into this one.

Every record created or changed in the other copy since the two last shared history comes in,
by its stable key; a record changed differently in both is left as it is here and its fields
are listed in ``merge_conflicts``. One transaction, after a backup. The other file is never
written: it is read through a snapshot, migrated on that snapshot when it is older.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import sqlite_utils

from sp_tui.domain.errors import ValidationError
from sp_tui.domain.merge import entity_name, merge_order
from sp_tui.services.merge_records import (
    ConflictFound, RecordTableMerge, TableCounts, conflict_json, merge_list_table,
)
from sp_tui.store.connection import connect, create_private_file, db_file, write
from sp_tui.store.files import atomic_path
from sp_tui.store.meta import database_id, ensure_database_id
from sp_tui.store.migrate import applied_versions, available_migrations, backup_to, migrate_database
from sp_tui.store.records import audit, audit_many, current_user, new_id, now_iso
from sp_tui.store.schema import describe_tables

Progress = Callable[[str, int, int], None]


@dataclass
class MergeResult:
    source: Path
    dry_run: bool
    shared_history: bool            # a base was known for at least this peer
    other_version: int              # the other file's schema version before any migration
    migrated_copy: bool             # the other file was older: a copy of it was migrated
    backup: Path | None
    tables: dict[str, TableCounts] = field(default_factory=dict)
    conflicts: list[ConflictFound] = field(default_factory=list)
    new_conflicts: int = 0          # conflict rows written or changed by this merge
    changed: bool = False           # records or conflicts written (not only bookkeeping)
    written: bool = False           # anything at all written, shared-history bookkeeping too

    def total(self, name: str) -> int:
        return sum(getattr(counts, name) for counts in self.tables.values())


@dataclass(frozen=True)
class OtherFile:
    path: Path
    version: int
    database_id: str | None
    older: bool = False     # lacks migrations this version has: merged from a migrated copy


class _DryRun(Exception):
    """Raised at the end of a dry run so that ``write`` rolls everything back."""


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
        self.peer_key = other.database_id if distinct else f"file:{other.path.resolve()}"
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

    def _write_base(self, table: str, items: list[tuple[object, int, int | None]]) -> None:
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

    def found(self, conflict: ConflictFound, other_hash: int) -> None:
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


# -- reading the other file ---------------------------------------------------------------------
def inspect_other(path: Path) -> OtherFile:
    """Check that ``path`` is an sp-tui database this version can merge."""
    if not path.is_file():
        raise ValidationError({"file": f"{path} does not exist or is not a file"})
    try:
        conn = _open_read_only(path)
    except sqlite3.DatabaseError as exc:
        raise ValidationError({"file": f"{path} cannot be read as a database ({exc})"}) from None
    try:
        db = sqlite_utils.Database(conn)
        applied = applied_versions(db)
        if not applied:
            raise ValidationError({"file": f"{path} is not an sp-tui database"})
        other_id = database_id(db)
    except sqlite3.DatabaseError as exc:
        raise ValidationError({"file": f"{path} cannot be read as a database ({exc})"}) from None
    finally:
        conn.close()
    known = {m.version for m in available_migrations()}
    unknown = sorted(applied - known)
    if unknown:
        raise ValidationError({"file": (
            f"{path} was written by a newer sp-tui (it has schema changes"
            f" {', '.join(map(str, unknown))} that this one does not know). Upgrade sp-tui"
            " here before merging.")})
    return OtherFile(path, max(applied), other_id, older=bool(known - applied))


def _open_read_only(path: Path) -> sqlite3.Connection:
    """Read the other file without writing anything beside it: with no -wal file, nobody
    has it open, so it is read as immutable (SQLite then creates no -wal or -shm)."""
    if not Path(f"{path}-wal").exists():
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        # A read-only folder: SQLite cannot create the WAL index beside the file.
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn


def snapshot_other(other: OtherFile, folder: Path) -> Path:
    """A consistent private copy of the other file (its app may be open), migrated to this
    version if it is older. The original is never written."""
    target = folder / "other.sqlite"
    create_private_file(target)
    source = _open_read_only(other.path)
    dest = sqlite3.connect(str(target))
    try:
        source.backup(dest)
    finally:
        dest.close()
        source.close()
    if other.older:
        copy = connect(target)
        try:
            migrate_database(copy, None)
        finally:
            copy.close()
    return target


def merge_backup_path(path: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.name}.pre-merge-{stamp}.bak")
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.pre-merge-{stamp}-{n}.bak")
    return candidate


# -- the merge ----------------------------------------------------------------------------------
def merge_database(db: sqlite_utils.Database, other_path: str | os.PathLike, *,
                   dry_run: bool = False, source: str | None = None,
                   progress: Progress | None = None) -> MergeResult:
    """Merge the file at ``other_path`` into ``db``. With ``dry_run`` the merge runs to the
    end and is rolled back: the result says exactly what would happen; nothing is written."""
    path = Path(other_path).expanduser()
    here = db_file(db)
    if here is not None and path.exists() and (path.resolve() == here.resolve()
                                               or path.samefile(here)):
        raise ValidationError({"file": "that is this database's own file (or a link to it)"})
    other = inspect_other(path)
    our_id = ensure_database_id(db)
    # The snapshot of the other file lives in the private folder beside this database
    # (removed at the end, or by the next run after an interruption), never in /tmp.
    anchor = here if here is not None else path
    with atomic_path(anchor.with_name(f"merge-{anchor.name}"), folder=True,
                     publish_result=False) as tmp:
        snapshot = snapshot_other(other, Path(tmp))
        backup = None
        if not dry_run and here is not None:
            backup = backup_to(db, merge_backup_path(here))
        result = MergeResult(source=path, dry_run=dry_run, shared_history=False,
                             other_version=other.version,
                             migrated_copy=other.older, backup=backup)
        db.execute("ATTACH DATABASE ? AS other", (str(snapshot),))
        try:
            _merge_attached(db, other, our_id, result, source or f"merge {path.name}",
                            progress)
        except _DryRun:
            pass
        finally:
            db.execute("DETACH DATABASE other")
    if backup is not None and not result.written:
        backup.unlink()  # nothing was written: the backup would only be clutter
        result.backup = None
    return result


def _merge_attached(db: sqlite_utils.Database, other: OtherFile, our_id: str | None,
                    result: MergeResult, source: str, progress: Progress | None) -> None:
    ours, theirs = describe_tables(db, "main"), describe_tables(db, "other")
    tables = {name: info for name, info in ours.items()
              if name in theirs and theirs[name].kind == info.kind
              and theirs[name].key == info.key}
    order = merge_order({name: info.parents for name, info in tables.items()})
    with write(db):
        ctx = MergeContext(db, other, our_id, source)
        result.shared_history = ctx.peer_here is not None or ctx.peer_there is not None
        for number, name in enumerate(order, start=1):
            if progress:
                progress(name, number, len(order))
            info = tables[name]
            if info.kind == "record":
                counts = RecordTableMerge(ctx, info, theirs[name].columns).run()
            else:
                counts = TableCounts(inserted=merge_list_table(ctx, info, theirs[name].columns))
            result.tables[name] = counts
        if ctx.renamed:
            problems = db.execute("PRAGMA main.foreign_key_check").fetchall()
            if problems:
                raise RuntimeError(f"merge left broken references: {problems[:3]}")
        result.conflicts = ctx.conflicts
        result.new_conflicts = ctx.new_conflicts
        result.changed = ctx.records_changed
        result.written = ctx.changed
        if ctx.changed:
            # What this file remembers of the other is now as of this merge.
            if ctx.peer_here is None:
                ctx.peer_here = add_peer(db, ctx.peer_key, ctx.file_name)
            db.execute("UPDATE main.sync_peers SET epoch = ? WHERE n = ?",
                       (ctx.epoch, ctx.peer_here))
        if ctx.records_changed:
            audit_many(db, ctx.audit_rows)
            _record_merge(db, ctx, result)
        if result.dry_run:
            raise _DryRun()


def _record_merge(db: sqlite_utils.Database, ctx: MergeContext, result: MergeResult) -> None:
    db.execute("UPDATE main.sync_peers SET last_file = ?, last_merged_at = ? WHERE n = ?",
               (ctx.file_name, now_iso(), ctx.peer_here))
    counts = {"inserted": result.total("inserted"), "updated": result.total("updated"),
              "conflicts": result.total("conflicts"), "not_written": result.total("blocked")}
    audit(db, action="merge", entity="database", entity_id=ctx.other.database_id,
          summary=f"merged {ctx.file_name}: {counts['inserted']} new, {counts['updated']}"
                  f" updated, {counts['conflicts']} in conflict,"
                  f" {counts['not_written']} not written",
          new=counts, source=ctx.source)
