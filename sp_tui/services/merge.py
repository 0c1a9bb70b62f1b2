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
from sp_tui.domain.merge import merge_order
from sp_tui.services.merge_context import MergeContext, OtherFile, add_peer
from sp_tui.services.merge_records import (
    ConflictFound, RecordTableMerge, TableCounts, merge_list_table,
)
from sp_tui.store.connection import connect, db_file, write
from sp_tui.store.files import create_private_file
from sp_tui.store.files import atomic_path
from sp_tui.store.meta import database_id, ensure_database_id
from sp_tui.store.migrate import applied_versions, available_migrations, backup_to, migrate_database
from sp_tui.store.records import audit, audit_many, now_iso
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


class _DryRun(Exception):
    """Raised at the end of a dry run so that ``write`` rolls everything back."""


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
