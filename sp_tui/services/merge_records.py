"""One table of a merge: decide record by record, then write (inside the merge's transaction).

The other copy is attached as the schema ``other``. Reading happens before writing, so no
statement changes a table that a pending SELECT is walking.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlite_utils

from sp_tui.domain.merge import (
    Decision, RowHasher, canonical_key, decide, differing_fields, entity_name, latest_bases,
    parse_default, record_label,
)
from sp_tui.services.merge_context import ConflictFound, MergeContext, follows
from sp_tui.store.records import audit
from sp_tui.store.schema import TableInfo, children_of



@dataclass(frozen=True)
class NaturalKey:
    """Columns that name one real-world event, so that the same event recorded in both
    copies (under two random ids) becomes one record, or a conflict, never two. Only rows
    whose ``null_columns`` are all NULL take part (a withdrawn default is a record apart)."""
    columns: tuple[str, ...]
    null_columns: tuple[str, ...] = ()

    def applies(self, row: dict) -> bool:
        return all(row.get(c) is not None for c in self.columns) and all(
            row.get(c) is None for c in self.null_columns)


# Beyond the UNIQUE constraints, which the schema itself declares: the events that have no
# unique constraint because a copy may hold several of them, but never the same one twice.
NATURAL_KEYS: dict[str, tuple[NaturalKey, ...]] = {
    # one reminder per workbook and day
    "workbook_reminders": (NaturalKey(("service_id", "quarter", "sent_date")),),
    # one default per workbook: the one in force; a notice of the same day is the same notice
    "workbook_defaults": (NaturalKey(("service_id", "quarter", "issued_date")),
                          NaturalKey(("service_id", "quarter"), ("withdrawn_date",))),
    # one audit per service, quarter and day
    "workbook_audits": (NaturalKey(("service_id", "quarter", "audit_date")),),
    # one rejection per submission (the workbook and the date it was received)
    "workbook_rejections": (NaturalKey(("workbook_id", "received_date", "rejected_on")),
                            NaturalKey(("workbook_id", "received_date"), ("undone_at",))),
}


# Fields that repeat a parent record's field: a change of the register's units is saved on
# the service and on its contract version in force. Changed in both copies, it is one real
# change: one conflict (the service's), which the version's conflict follows when settled.
# {child table: (column naming the parent, parent table, repeated fields)}
MIRRORED: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "contract_versions": ("service_id", "services", ("household_units", "leaseholder_units")),
}


@dataclass
class TableCounts:
    inserted: int = 0
    updated: int = 0
    unified: int = 0      # the same record created in both copies under different keys
    conflicts: int = 0    # records left as they are because both copies changed them
    blocked: int = 0      # records that could not be written (a key already used, ...)
    deleted: int = 0      # deleted in the other copy and unchanged here
    stays_deleted: int = 0  # deleted here (or a clash settled by keeping ours), unchanged there





@dataclass(frozen=True)
class Entry:
    """One file's memory of a record in the other copy (a sync_base row)."""
    hash: int
    epoch: int | None     # None: as recent as the peer's epoch


@dataclass
class _Plan:
    updates: list[tuple[object, dict, dict, int, tuple | None, object]] = field(
        default_factory=list)
    inserts: list[tuple[dict, int]] = field(default_factory=list)
    renames: list[tuple[object, object]] = field(default_factory=list)
    bases: list[tuple[object, int]] = field(default_factory=list)
    pins: list[tuple[object, int, int]] = field(default_factory=list)
    deletes: list[dict] = field(default_factory=list)


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def known_defaults(info: TableInfo) -> dict[str, object]:
    found = {}
    for column, sql in info.defaults.items():
        known, value = parse_default(sql)
        if known:
            found[column] = value
    return found


def table_hashes(db: sqlite_utils.Database, info: TableInfo,
                 schema: str = "main") -> Iterable[tuple[object, int]]:
    """(key, content hash) of every record of a record table."""
    defaults, key = known_defaults(info), info.key_column
    hasher = RowHasher(info.columns, defaults, key)
    position = info.columns.index(key)
    cursor = db.execute(f"SELECT {', '.join(map(q, info.columns))} FROM {schema}.{q(info.name)}")
    for row in cursor:
        yield row[position], hasher(row)


class RecordTableMerge:
    """Merges one record table: SELECT and decide, then rename, update, insert, remember."""

    def __init__(self, ctx: MergeContext, info: TableInfo, their_columns: Iterable[str]) -> None:
        self.ctx, self.info, self.db = ctx, info, ctx.db
        theirs = set(their_columns)
        self.columns = [c for c in info.columns if c in theirs]
        self.key = info.key_column
        self.defaults = known_defaults(info)
        self.hasher = RowHasher(self.columns, self.defaults, self.key)
        self._key_position = self.columns.index(self.key)
        # (position, parent table) of the foreign keys, to follow keys the other copy names
        # differently (read once per table: most merges have none)
        self._references = [(self.columns.index(c), parent) for c, parent, _ in info.references
                            if c in self.columns]
        self.counts = TableCounts()
        self.plan = _Plan()
        self.aliases: dict[object, object] = ctx.aliases.setdefault(info.name, {})

    # -- reading and deciding -------------------------------------------------------------
    def run(self) -> TableCounts:
        new_rows = self._decide_shared_records()
        self._write()
        self.plan = _Plan()
        for other, other_hash, here, there in new_rows:
            self._decide_new_record(other, other_hash, here, there)
        self._decide_deleted_there()
        self._write()
        return self.counts

    def _decide_shared_records(self) -> list[tuple[dict, int, Entry | None, Entry | None]]:
        """Records present in both copies under the same key are decided now; the others
        wait until the updates are written (an update may free a unique value)."""
        cols, n = self.columns, len(self.columns)
        select = ", ".join([*(f"o.{q(c)}" for c in cols), f"t.{q(self.key)}",
                            *(f"t.{q(c)}" for c in cols),
                            "bt.row_hash", "bt.epoch", "bo.row_hash", "bo.epoch"])
        table = q(self.info.name)
        sql = (f"SELECT {select} FROM other.{table} AS o"
               f" LEFT JOIN main.{table} AS t ON t.{q(self.key)} = o.{q(self.key)}"
               " LEFT JOIN main.sync_base AS bt ON bt.peer = ? AND bt.table_name = ?"
               f"  AND bt.record_id = coalesce(t.{q(self.key)}, o.{q(self.key)})"
               " LEFT JOIN other.sync_base AS bo ON bo.peer = ? AND bo.table_name = ?"
               f"  AND bo.record_id = coalesce(t.{q(self.key)}, o.{q(self.key)})")
        params = (self.ctx.peer_here, self.info.name, self.ctx.peer_there, self.info.name)
        waiting = []
        # Streamed, not fetched whole: this phase writes only merge_conflicts until the end.
        for row in self.db.execute(sql, params):
            other_values = self._translated(row[:n])
            other_hash = self.hasher(other_values)
            here = Entry(row[-4], row[-3]) if row[-4] is not None else None
            if row[n] is None:
                there = Entry(row[-2], row[-1]) if row[-2] is not None else None
                waiting.append((dict(zip(cols, other_values)), other_hash, here, there))
                continue
            this_values = row[n + 1: 2 * n + 1]
            if this_values == other_values:  # the common case: nothing to compare
                self._same(other_values[self._key_position], other_hash, here)
                continue
            there = Entry(row[-2], row[-1]) if row[-2] is not None else None
            self._decide_shared(this_values[self._key_position], dict(zip(cols, this_values)),
                                dict(zip(cols, other_values)), other_hash, here,
                                self.ctx.candidates([here], [there]))
        return waiting

    def _translated(self, values: tuple) -> tuple:
        """Foreign keys pointing at records the other copy holds under another key."""
        changed = None
        for position, parent in self._references:
            aliases = self.ctx.aliases.get(parent)
            if aliases and values[position] in aliases:
                changed = changed or list(values)
                changed[position] = aliases[values[position]]
        return values if changed is None else tuple(changed)

    def _same(self, base_key: object, other_hash: int, here: Entry | None) -> None:
        """Nothing to write but the base, now the other copy's version."""
        if here is None or here.hash != other_hash or here.epoch is not None:
            self.plan.bases.append((base_key, other_hash))
        self.ctx.settle_conflicts(self.info.name, base_key)

    def _decide_shared(self, key: object, this: dict, other: dict, other_hash: int,
                       here: Entry | None, candidates: list[tuple[int, int]],
                       base_key: object = None) -> None:
        """``here`` is this file's memory of the record; ``candidates`` every known base as
        (hash, epoch), from both files. ``base_key``: the key the other copy uses for it, if
        not ``key`` (what is remembered is what that copy holds, under its own key)."""
        base_key = key if base_key is None else base_key
        bases = latest_bases(candidates)
        decision = decide(self.hasher([this[c] for c in self.columns]), other_hash, bases)
        if decision in (Decision.CONFLICT, Decision.TAKE_OTHER):
            # Should the record be left as it is, this file remembers the base it was
            # compared with, so that later merges compare with the same ancestor.
            pin = None
            if len(bases) == 1:
                epoch = max(e for _, e in candidates)
                if here != Entry(next(iter(bases)), epoch):
                    pin = (base_key, next(iter(bases)), epoch)
            if decision is Decision.CONFLICT:
                self._conflict(key, this, other, other_hash, pin)
            else:
                self.plan.updates.append((key, this, other, other_hash, pin, base_key))
            return
        # SAME or KEEP_OURS: nothing to write but the base, now the other copy's version.
        if here is None or here.hash != other_hash or here.epoch is not None:
            self.plan.bases.append((base_key, other_hash))
        self.ctx.settle_conflicts(self.info.name, key)

    def _decide_new_record(self, other: dict, other_hash: int, here: Entry | None,
                           there: Entry | None) -> None:
        key = other[self.key]
        if here is not None and here.hash == other_hash:
            # This file has seen this very version and does not hold it under this key:
            # deleted here, a clash settled by keeping ours, or the same record held here
            # under another key. The other copy has not changed it since: nothing to do.
            self.counts.stays_deleted += 1
            return
        clashes = self._clashes(other)
        if not clashes:
            candidates = self.ctx.candidates([here], [there])
            if decide(None, other_hash, latest_bases(candidates)) is Decision.STAYS_DELETED:
                self.counts.stays_deleted += 1
            else:
                self.plan.inserts.append((other, other_hash))
            return
        ours = next(iter(clashes))
        if len(clashes) > 1 or self._in_other(ours):
            columns = sorted({c for found in clashes.values() for c in found})
            self._block(key, other, other_hash, "its " + ", ".join(
                f"{c} {other.get(c)!r}" for c in columns) + " is already used here by "
                + ", ".join(self._label_of(k) for k in clashes))
            return
        # The same record was created in both copies: both end up under the smaller key.
        this = self._row(ours)
        ours_here, ours_there = self._entries(ours)
        candidates = self.ctx.candidates([here, ours_here], [there, ours_there])
        winner = canonical_key(key, ours)
        self.counts.unified += 1
        if winner == ours:
            self.aliases[key] = ours  # their key stands for ours from now on in this merge
            other = other | {self.key: ours}
            self._decide_shared(ours, this, other, other_hash, here, candidates, base_key=key)
        else:
            self.plan.renames.append((ours, key))
            self.ctx.note_rekeyed(self.info.name, ours, key, self.describe(this, key))
            this = this | {self.key: key}
            self._decide_shared(key, this, other, other_hash, ours_here, candidates)

    def _clashes(self, other: dict) -> dict[object, tuple[str, ...]]:
        """Records here that hold one of the incoming record's unique values."""
        found: dict[object, tuple[str, ...]] = {}
        keys = [NaturalKey(columns) for columns in ((self.key,), *self.info.unique)]
        keys += [k for k in NATURAL_KEYS.get(self.info.name, ())
                 if all(c in self.columns for c in (*k.columns, *k.null_columns))]
        for natural in keys:
            if not natural.applies(other):
                continue
            columns = natural.columns
            where = " AND ".join([*(f"{q(c)} = ?" for c in columns),
                                  *(f"{q(c)} IS NULL" for c in natural.null_columns)])
            for (key,) in self.db.execute(
                    f"SELECT {q(self.key)} FROM main.{q(self.info.name)} WHERE {where}",
                    [other[c] for c in columns]):
                found.setdefault(key, columns)
        return found

    def _in_other(self, key: object) -> bool:
        return self.db.execute(f"SELECT 1 FROM other.{q(self.info.name)} WHERE {q(self.key)} = ?",
                               (key,)).fetchone() is not None

    def _row(self, key: object) -> dict:
        row = self.db.execute(
            f"SELECT {', '.join(map(q, self.columns))} FROM main.{q(self.info.name)}"
            f" WHERE {q(self.key)} = ?", (key,)).fetchone()
        return dict(zip(self.columns, row))

    def _decide_deleted_there(self) -> None:
        """Records here that the other copy no longer holds although the two shared them."""
        cols, n = self.columns, len(self.columns)
        table, key = q(self.info.name), q(self.key)
        sql = (f"SELECT {', '.join(f't.{q(c)}' for c in cols)}, bt.row_hash, bt.epoch,"
               f" bo.row_hash, bo.epoch FROM main.{table} AS t"
               " LEFT JOIN main.sync_base AS bt ON bt.peer = ? AND bt.table_name = ?"
               f"  AND bt.record_id = t.{key}"
               " LEFT JOIN other.sync_base AS bo ON bo.peer = ? AND bo.table_name = ?"
               f"  AND bo.record_id = t.{key}"
               " WHERE (bt.row_hash IS NOT NULL OR bo.row_hash IS NOT NULL)"
               f" AND NOT EXISTS (SELECT 1 FROM other.{table} AS o WHERE o.{key} = t.{key})")
        params = (self.ctx.peer_here, self.info.name, self.ctx.peer_there, self.info.name)
        # Ours, matched with theirs under another key (kept, or about to take their key).
        standing_in = set(self.aliases.values()) | {old for old, _ in self.plan.renames}
        for row in self.db.execute(sql, params).fetchall():
            this = dict(zip(cols, row[:n]))
            if this[self.key] in standing_in:
                continue
            here = Entry(row[n], row[n + 1]) if row[n] is not None else None
            there = Entry(row[n + 2], row[n + 3]) if row[n + 2] is not None else None
            bases = latest_bases(self.ctx.candidates([here], [there]))
            if decide(self.hasher(row[:n]), None, bases) is Decision.DELETE:
                self.plan.deletes.append(this)

    def _entries(self, key: object) -> tuple[Entry | None, Entry | None]:
        """This file's and the other file's memory of a record here."""
        found = []
        for schema, peer in (("main", self.ctx.peer_here), ("other", self.ctx.peer_there)):
            row = self.db.execute(f"SELECT row_hash, epoch FROM {schema}.sync_base"
                                  " WHERE peer = ? AND table_name = ? AND record_id = ?",
                                  (peer, self.info.name, key)).fetchone()
            found.append(Entry(*row) if row else None)
        return found[0], found[1]

    def describe(self, row: dict, key: object) -> str:
        """A record in words: its reference or name; else what it belongs to (a workbook is
        "SP001 Q26", not "26"), looked up here or in the other copy."""
        own = record_label(row, None)
        if own != "None" and not (own == str(row.get("quarter")) and self._references):
            return own
        parts = []
        for column, parent, _ in self.info.references:
            value = row.get(column)
            if value is not None:
                parts.append(self.ctx.name_of(parent, value))
        if row.get("quarter") is not None:
            parts.append(f"Q{row['quarter']}")
        return " ".join(parts) if parts else str(key)

    def _label_of(self, key: object) -> str:
        return self.describe(self._row(key), key)

    # -- conflicts ---------------------------------------------------------------------------
    def _conflict(self, key: object, this: dict, other: dict, other_hash: int,
                  pin: tuple | None) -> None:
        if pin:
            self.plan.pins.append(pin)
        fields = differing_fields(this, other, key=self.key)
        label = self.describe(this, key)
        followed = self._followed(this, other, fields)
        if set(fields) - followed:
            self.counts.conflicts += 1
        parents = {column: parent for column, parent, _ in self.info.references}
        for name in fields:
            texts = {}
            if name in parents:
                texts = {"this_text": self.ctx.name_of(parents[name], this[name]),
                         "other_text": self.ctx.name_of(parents[name], other[name])}
            reason = follows(MIRRORED[self.info.name][1], name) if name in followed else ""
            self.ctx.found(ConflictFound(self.info.name, key, label, name, this[name],
                                         other[name], reason, **texts), other_hash,
                           listed=name not in followed)
        self.ctx.settle_conflicts(self.info.name, key, keep_fields=set(fields))

    def _followed(self, this: dict, other: dict, fields: Iterable[str]) -> set[str]:
        """The fields whose conflict repeats the parent record's (MIRRORED)."""
        if self.info.name not in MIRRORED:
            return set()
        column, parent, mirrored = MIRRORED[self.info.name]
        return {name for name in fields if name in mirrored and self.ctx.has_conflict(
            parent, this.get(column), name, this[name], other[name])}

    def _block(self, key: object, other: dict, other_hash: int, reason: str) -> None:
        self.counts.blocked += 1
        self.ctx.found(ConflictFound(self.info.name, key, self.describe(other, key), "", None,
                                     {c: v for c, v in other.items() if c != self.key},
                                     reason), other_hash)

    # -- writing -------------------------------------------------------------------------------
    def _write(self) -> None:
        for old, new in self.plan.renames:
            self._rename(old, new)
        for key, this, other, other_hash, pin, base_key in self.plan.updates:
            if self._update(key, this, other, other_hash):
                self.ctx.remember(self.info.name, [(base_key, other_hash)])
            elif pin:
                self.plan.pins.append(pin)
        for other, other_hash in self.plan.inserts:
            self._insert(other, other_hash)
        for this in self.plan.deletes:
            self._delete(this)
        self.ctx.remember(self.info.name, self.plan.bases)
        self.ctx.pin(self.info.name, self.plan.pins)

    def _rename(self, old: object, new: object) -> None:
        """Give a record here the key the other copy uses, and follow it everywhere."""
        db, table = self.db, self.info.name
        db.execute("PRAGMA defer_foreign_keys = ON")
        db.execute(f"UPDATE main.{q(table)} SET {q(self.key)} = ? WHERE {q(self.key)} = ?",
                   (new, old))
        for child, column in children_of(db, table, self.key):
            db.execute(f"UPDATE main.{q(child)} SET {q(column)} = ? WHERE {q(column)} = ?",
                       (new, old))
        db.execute("UPDATE OR REPLACE main.sync_base SET record_id = ? WHERE table_name = ?"
                   " AND record_id = ?", (new, table, old))
        db.execute("UPDATE main.merge_conflicts SET record_id = ? WHERE table_name = ?"
                   " AND record_id = ?", (new, table, old))
        db.execute("PRAGMA defer_foreign_keys = OFF")
        self.ctx.renamed = True

    def _update(self, key: object, this: dict, other: dict, other_hash: int) -> bool:
        columns = [c for c in self.columns if c not in (self.key, "created_at")]
        try:
            self.db.execute(
                f"UPDATE main.{q(self.info.name)} SET {', '.join(f'{q(c)} = ?' for c in columns)}"
                f" WHERE {q(self.key)} = ?", [*(other[c] for c in columns), key])
        except sqlite3.IntegrityError as exc:
            self._block(key, other, other_hash, f"the other copy's version was refused: {exc}")
            return False
        self.counts.updated += 1
        self.ctx.changed = self.ctx.records_changed = True
        self.ctx.settle_conflicts(self.info.name, key)
        entity = entity_name(self.info.name)
        audit(self.db, action="merge.update", entity=entity, entity_id=str(key),
              summary=f"{entity} {self.describe(other, key)} updated from {self.ctx.file_name}",
              old={c: this.get(c) for c in columns}, new={c: other[c] for c in columns},
              source=self.ctx.source)
        return True

    def _insert(self, other: dict, other_hash: int) -> None:
        key = other[self.key]
        try:
            self.db.execute(
                f"INSERT INTO main.{q(self.info.name)} ({', '.join(map(q, self.columns))})"
                f" VALUES ({', '.join('?' * len(self.columns))})",
                [other[c] for c in self.columns])
        except sqlite3.IntegrityError as exc:
            self._block(key, other, other_hash, f"it could not be added: {exc}")
            return
        self.counts.inserted += 1
        self.ctx.changed = self.ctx.records_changed = True
        self.ctx.remember(self.info.name, [(key, other_hash)])
        entity = entity_name(self.info.name)
        self.ctx.audit_rows.append((
            "merge.insert", entity, str(key),
            f"{entity} {self.describe(other, key)} brought in from {self.ctx.file_name}",
            {c: v for c, v in other.items() if c not in (self.key, "created_at", "updated_at")},
            self.ctx.source))

    def _delete(self, this: dict) -> None:
        key = this[self.key]
        try:
            self.db.execute(f"DELETE FROM main.{q(self.info.name)} WHERE {q(self.key)} = ?",
                            (key,))
        except sqlite3.IntegrityError:
            # Records here still refer to it: keep it, and say so.
            self.counts.blocked += 1
            self.ctx.found(ConflictFound(
                self.info.name, key, self.describe(this, key), "", None, None,
                "the other copy deleted it, but records here still refer to it"), None)
            return
        self.counts.deleted += 1
        self.ctx.changed = self.ctx.records_changed = True
        self.ctx.settle_conflicts(self.info.name, key)
        entity = entity_name(self.info.name)
        audit(self.db, action="merge.delete", entity=entity, entity_id=str(key),
              summary=f"{entity} {self.describe(this, key)} deleted, as in {self.ctx.file_name}",
              old={c: v for c, v in this.items() if c not in (self.key, "created_at")},
              new={}, source=self.ctx.source)


def merge_list_table(ctx: MergeContext, info: TableInfo, their_columns: Iterable[str]) -> int:
    """A list table (composite key) only gains the rows it lacks; returns how many."""
    theirs = set(their_columns)
    columns = [c for c in info.columns if c in theirs]
    table = q(info.name)
    match = " AND ".join(f"m.{q(c)} = o.{q(c)}" for c in info.key)
    rows = ctx.db.execute(
        f"SELECT {', '.join(f'o.{q(c)}' for c in columns)} FROM other.{table} AS o"
        f" WHERE NOT EXISTS (SELECT 1 FROM main.{table} AS m WHERE {match})").fetchall()
    added = 0
    for values in rows:
        row = dict(zip(columns, values))
        for column, parent, _ in info.references:
            aliases = ctx.aliases.get(parent) or {}
            row[column] = aliases.get(row[column], row[column])
        try:
            ctx.db.execute(f"INSERT INTO main.{table} ({', '.join(map(q, columns))})"
                           f" VALUES ({', '.join('?' * len(columns))})", list(row.values()))
        except sqlite3.IntegrityError:
            continue  # a variant spelling already listed here (the list's own collation)
        added += 1
        label = ":".join(str(row[c]) for c in info.key)
        ctx.audit_rows.append(("merge.insert", entity_name(info.name), label,
                               f"{entity_name(info.name)} {label!r} brought in from"
                               f" {ctx.file_name}", row, ctx.source))
    if added:
        ctx.changed = ctx.records_changed = True
    return added
