"""Settling a merge conflict: keep this database's value or take the other copy's."""

from __future__ import annotations

import json
import sqlite3

import sqlite_utils

from sp_tui.domain.errors import NotFound, ValidationError
from sp_tui.domain.merge import entity_name
from sp_tui.services.merge_context import follows
from sp_tui.services.merge_records import MIRRORED, q
from sp_tui.store.connection import write
from sp_tui.store.records import audit, current_user, now_iso
from sp_tui.store.schema import describe_tables

CHOICES = ("this", "other")


def resolve_conflict(db: sqlite_utils.Database, conflict_id: str, choice: str,
                     *, source: str | None = None) -> str:
    """Settle one conflicting field. ``choice`` "this" keeps the value here, "other" writes
    the other copy's value. Returns the record's id."""
    if choice not in CHOICES:
        raise ValidationError({"choice": "choose this database's value or the other copy's"})
    row = db.execute(
        "SELECT peer_database_id, table_name, record_id, field, this_value, other_value,"
        " other_hash, reason, resolved_at, source_file FROM merge_conflicts WHERE id = ?",
        (conflict_id,)).fetchone()
    if row is None:
        raise NotFound({"": "that conflict no longer exists"})
    peer, table, record_id, field, this_json, other_json, other_hash, reason, done, file = row
    if done:
        raise ValidationError({"": "that conflict is already settled"})
    if not field and choice == "other":
        raise ValidationError({"": f"The other copy's record cannot be written here: {reason}."
                                   " Keep this database's record, or change the clashing value"
                                   " in one copy and merge again."})
    info = describe_tables(db).get(table)
    if info is None or (field and field not in info.columns):
        raise NotFound({"": f"{table}.{field} no longer exists in this database"})
    key = q(info.key_column)
    current: tuple = (None,)  # a record that could not be written is not here at all
    if field:
        current = db.execute(f"SELECT {q(field)} FROM {q(table)} WHERE {key} = ?",
                             (record_id,)).fetchone()
        if current is None:
            raise NotFound({"": "that record no longer exists here"})
    entity = entity_name(table)
    with write(db):
        if choice == "other":
            value = json.loads(other_json)
            try:
                db.execute(f"UPDATE {q(table)} SET {q(field)} = ?, updated_at = ?"
                           f" WHERE {key} = ?", (value, now_iso(), record_id))
            except sqlite3.IntegrityError as exc:
                raise ValidationError({field: f"the other copy's value {value!r} does not fit"
                                              f" with the rest of this record ({exc})"}) from None
        db.execute("UPDATE merge_conflicts SET resolved_at = ?, resolution = ?, resolved_by = ?"
                   " WHERE id = ?", (now_iso(), choice, current_user(), conflict_id))
        _remember_when_settled(db, peer, table, record_id, other_hash)
        # the same change held by a child record (the contract version's units) goes the
        # same way
        for child, (column, parent, fields) in MIRRORED.items():
            if parent != table or field not in fields:
                continue
            for (follower,) in db.execute(
                    "SELECT id FROM merge_conflicts WHERE resolved_at IS NULL"
                    " AND peer_database_id IS ? AND table_name = ? AND field = ? AND reason = ?"
                    f" AND record_id IN (SELECT id FROM {q(child)} WHERE {q(column)} = ?)",
                    (peer, child, field, follows(parent, field), record_id)).fetchall():
                resolve_conflict(db, follower, choice, source=source)
        kept = "kept this database's value" if choice == "this" else "took the other copy's value"
        audit(db, action="merge.resolve", entity=entity, entity_id=str(record_id),
              summary=f"conflict on {entity} {field or 'record'} from {file}: {kept}",
              old={field or "record": current[0]},
              new={field or "record": json.loads(other_json) if choice == "other"
                   else current[0]},
              source=source)
    return str(record_id)


def _remember_when_settled(db, peer: str | None, table: str, record_id: object,
                           other_hash: int | None) -> None:
    """Once every field of the record is settled, the other copy's version counts as seen:
    the next merge of that copy keeps what was chosen here instead of asking again."""
    still_open = db.execute(
        "SELECT 1 FROM merge_conflicts WHERE resolved_at IS NULL AND peer_database_id IS ?"
        " AND table_name = ? AND record_id = ?", (peer, table, record_id)).fetchone()
    if still_open or other_hash is None or peer is None:
        return
    found = db.execute("SELECT n FROM sync_peers WHERE database_id = ?", (peer,)).fetchone()
    if found is None:
        return
    db.execute("INSERT INTO sync_base (peer, table_name, record_id, row_hash, epoch)"
               " VALUES (?, ?, ?, ?, NULL) ON CONFLICT (peer, table_name, record_id)"
               " DO UPDATE SET row_hash = excluded.row_hash, epoch = NULL",
               (found[0], table, record_id, other_hash))
