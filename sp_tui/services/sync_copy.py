"""`sp-tui db copy`: a laptop copy that can later be merged back.

The copy is a consistent snapshot (SQLite backup API, safe while the app is open) with an
identity of its own. Both files then remember the content hash of every record as it was at
that moment: the shared base of the first three-way merge, whichever way it goes.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from sp_tui.domain.errors import ValidationError
from sp_tui.services.merge_context import add_peer
from sp_tui.services.merge_records import table_hashes
from sp_tui.store.connection import connect, db_file, write
from sp_tui.store.files import create_private_file
from sp_tui.store.files import atomic_path
from sp_tui.store.meta import ensure_database_id, new_database_id, set_database_id
from sp_tui.store.records import audit, now_iso
from sp_tui.store.schema import describe_tables


@dataclass(frozen=True)
class CopyResult:
    path: Path
    database_id: str
    records: int


def copy_database(db: sqlite_utils.Database, target: str | os.PathLike,
                  *, source: str | None = None) -> CopyResult:
    path = Path(target).expanduser()
    if path.exists():
        raise ValidationError({"path": f"{path} already exists: choose a new file name"})
    if not path.parent.is_dir():
        raise ValidationError({"path": f"folder {path.parent} does not exist"})
    if path.suffix.lower() in (".xlsx", ".csv"):
        raise ValidationError({"path": f"{path.name}: a database copy needs a name such as"
                                       " laptop.sqlite"})
    here = db_file(db)
    our_id = ensure_database_id(db)
    if our_id is None:
        raise ValidationError({"": "this database has no identity yet: reopen it to upgrade"})
    # The copy is made and given its identity under a temporary name beside the target,
    # then renamed: an interruption leaves no file at ``path`` that could pass for a copy.
    with atomic_path(path) as temp:
        create_private_file(temp)
        dest = sqlite3.connect(str(temp))
        try:
            db.conn.backup(dest)
        finally:
            dest.close()
        copy = connect(temp)
        try:
            copy_id = new_database_id()
            # The hashes come from the snapshot itself, so they describe exactly what was
            # copied even if this database changed while they were computed.
            base = [(name, key, value) for name, info in describe_tables(copy).items()
                    if info.kind == "record" for key, value in table_hashes(copy, info)]
            stamp = now_iso()
            with write(copy):
                set_database_id(copy, copy_id)
                # Conflicts are settled where they were found (the team's file), not on a
                # laptop.
                copy.execute("DELETE FROM merge_conflicts")
                _remember(copy, our_id, str(here or ""), stamp, base)
                audit(copy, action="db.copy", entity="database", entity_id=copy_id,
                      summary=f"this copy was made from {here}", source=source)
        finally:
            copy.close()
    with write(db):
        _remember(db, copy_id, str(path), stamp, base)
        audit(db, action="db.copy", entity="database", entity_id=copy_id,
              summary=f"copy written to {path} for work away from the office",
              source=source)
    return CopyResult(path, copy_id, len(base))


def _remember(db: sqlite_utils.Database, peer_id: str, file: str, stamp: str,
              base: list[tuple[str, object, int]]) -> None:
    peer = add_peer(db, peer_id, file, copied_at=stamp, epoch=1)
    db.execute("DELETE FROM sync_base WHERE peer = ?", (peer,))
    db.execute("UPDATE sync_peers SET epoch = 1 WHERE n = ?", (peer,))
    db.conn.executemany("INSERT INTO sync_base (peer, table_name, record_id, row_hash)"
                        " VALUES (?, ?, ?, ?)", [(peer, t, k, h) for t, k, h in base])
