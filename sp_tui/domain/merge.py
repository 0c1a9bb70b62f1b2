"""The rules of a three-way merge of two copies of the database, record by record.

Each record is compared through a content hash: ``this`` (here), ``other`` (the other copy) and
the bases (the record as last shared with that copy, as each side remembers it). Pure: no I/O.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from enum import Enum

# Bookkeeping columns: two copies that hold the same content are the same record whatever
# these say, so they never take part in the comparison.
NOT_CONTENT = frozenset({"created_at", "updated_at"})

# Columns that name a record for people, most telling first.
LABEL_COLUMNS = ("service_ref", "ref", "name", "value", "quarter")


class Decision(str, Enum):
    INSERT = "insert"              # new in the other copy (or changed there after we deleted it)
    SAME = "same"                  # both copies hold the same content
    TAKE_OTHER = "take other"      # changed only in the other copy
    KEEP_OURS = "keep ours"        # changed only here (or new here)
    CONFLICT = "conflict"          # changed differently in both
    DELETE = "delete"              # deleted in the other copy, unchanged here
    STAYS_DELETED = "stays deleted"  # deleted here, unchanged in the other copy


def decide(this_hash: int | None, other_hash: int | None, bases: Collection[int]) -> Decision:
    """The three-way rule for one record (None: the copy does not hold it).

    ``bases`` are the hashes of the record as last shared with the other copy (the nearest
    common ancestor). A version equal to the base is unchanged since then. With no base at
    all, any difference is a conflict. A deletion meets a change: the change wins, so that
    nothing typed is lost without a trace (deleting is a rare correction of a mistake).
    """
    if this_hash is None and other_hash is None:
        return Decision.SAME
    if this_hash is None:
        return Decision.STAYS_DELETED if other_hash in bases else Decision.INSERT
    if other_hash is None:
        return Decision.DELETE if this_hash in bases else Decision.KEEP_OURS
    if this_hash == other_hash:
        return Decision.SAME
    this_unchanged, other_unchanged = this_hash in bases, other_hash in bases
    if this_unchanged and not other_unchanged:
        return Decision.TAKE_OTHER
    if other_unchanged and not this_unchanged:
        return Decision.KEEP_OURS
    return Decision.CONFLICT


def latest_bases(candidates: Iterable[tuple[int, int]]) -> set[int]:
    """The hashes of the most recent common ancestor among (hash, epoch) candidates.

    Each side remembers the other as of some epoch; the higher epoch was recorded after the
    lower one was known, so it is the nearer ancestor. Comparing with an older one could take
    a change that was undone since (A -> B -> A) for no change at all."""
    found = list(candidates)
    if not found:
        return set()
    newest = max(epoch for _, epoch in found)
    return {value for value, epoch in found if epoch == newest}


_ENCODER = json.JSONEncoder(separators=(",", ":"), default=repr, ensure_ascii=False)
_NO_DEFAULT = object()


class RowHasher:
    """A signed 64-bit hash of a record's content (every column but its key and timestamps),
    for rows given as value sequences in ``columns`` order.

    A column holding its declared default is left out, so a later migration that adds a column
    with a default does not make every record look changed since the last merge. The encoding
    (JSON of the sorted [column, value] pairs, BLAKE2b) is stored in files: never change it.
    """

    def __init__(self, columns: Sequence[str], defaults: Mapping[str, object] | None = None,
                 key: str | None = None) -> None:
        defaults = defaults or {}
        self._content = [
            (position, column, defaults.get(column, _NO_DEFAULT))
            for position, column in sorted(enumerate(columns), key=lambda p: p[1])
            if column != key and column not in NOT_CONTENT
        ]

    def __call__(self, values: Sequence[object]) -> int:
        pairs = []
        for position, column, default in self._content:
            value = values[position]
            if not (type(value) is type(default) and value == default):
                pairs.append((column, value))
        digest = hashlib.blake2b(_ENCODER.encode(pairs).encode("utf-8"), digest_size=8)
        return int.from_bytes(digest.digest(), "big", signed=True)


def row_hash(row: Mapping[str, object], defaults: Mapping[str, object] | None = None,
             *, key: str | None = None) -> int:
    """RowHasher for one row given as a mapping."""
    return RowHasher(list(row), defaults, key)(list(row.values()))


def differing_fields(this: Mapping[str, object], other: Mapping[str, object],
                     *, key: str | None = None) -> list[str]:
    """The content columns whose values differ, in the table's column order."""
    return [column for column in this
            if column != key and column not in NOT_CONTENT
            and column in other and this[column] != other[column]]


def canonical_key(a: object, b: object) -> object:
    """Two copies created the same record under different keys: both keep the smaller, so
    merging either way round ends with the same key on both sides."""
    return min(a, b, key=lambda k: (type(k).__name__, k))


def merge_order(parents: Mapping[str, Iterable[str]]) -> list[str]:
    """Tables ordered so that every table comes after the tables it references.

    ``parents`` maps each table to the tables its foreign keys point at (references to tables
    outside the mapping, and to itself, are ignored). Ties keep alphabetical order.
    """
    remaining = {t: {p for p in ps if p in parents and p != t} for t, ps in parents.items()}
    ordered: list[str] = []
    while remaining:
        ready = sorted(t for t, ps in remaining.items() if not ps)
        if not ready:  # a cycle: fall back to name order for what is left
            ready = sorted(remaining)
        for table in ready:
            ordered.append(table)
            del remaining[table]
        for ps in remaining.values():
            ps.difference_update(ready)
    return ordered


def record_label(row: Mapping[str, object], fallback: object) -> str:
    """A short name for a record in messages: its reference, name or quarter, else its key."""
    for column in LABEL_COLUMNS:
        if row.get(column) not in (None, ""):
            return str(row[column])
    return str(fallback)


def entity_name(table: str) -> str:
    """The audit log's entity for a table: "services" -> "service"."""
    special = {"quarter_calendar": "quarter", "safeguarding_alerts": "alert"}
    if table in special:
        return special[table]
    return table[:-1] if table.endswith("s") else table


def parse_default(sql_default: str | None) -> tuple[bool, object]:
    """A column's declared default (PRAGMA table_info's text) as a value, when it is a literal.
    Returns (known, value); expressions such as ``strftime(...)`` are not known."""
    if sql_default is None or sql_default.upper() == "NULL":
        return True, None
    text = sql_default.strip()
    while text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return True, text[1:-1].replace("''", "'")
    try:
        return True, int(text)
    except ValueError:
        pass
    try:
        return True, float(text)
    except ValueError:
        return False, None
