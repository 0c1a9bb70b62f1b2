-- 0005: merging copies of the database (a laptop's copy back into the team's file).
--
-- meta.database_id names this file; a copy made with `sp-tui db copy` gets its own.
-- sync_base holds, per peer copy, a 64-bit content hash of every record as last shared with
-- it: the common ancestor of a three-way merge. Hashes, not rows, keep it compact.
-- merge_conflicts lists the fields that changed differently in both copies, to settle by hand.

CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO meta (key, value) VALUES ('database_id', lower(hex(randomblob(16))));

-- Peers are numbered so that each sync_base row carries a small integer, not a 32-char id.
-- epoch is a counter the two copies share (a Lamport clock): each merge sets it above both
-- sides' values, so comparing this file's memory of the peer with the peer's memory of this
-- file tells which is the more recent common ancestor.
CREATE TABLE sync_peers (
    n INTEGER PRIMARY KEY,
    database_id TEXT NOT NULL UNIQUE,   -- or "file:PATH" for a file with no identity of its own
    epoch INTEGER NOT NULL DEFAULT 0,
    last_file TEXT NOT NULL DEFAULT '',
    copied_at TEXT,
    last_merged_at TEXT
);

-- record_id has no declared type so that keys keep their type (text ids, quarter numbers).
-- epoch is NULL while the entry is as recent as the peer's epoch; a record left in conflict
-- keeps the epoch of the base it was compared with.
CREATE TABLE sync_base (
    peer INTEGER NOT NULL REFERENCES sync_peers(n),
    table_name TEXT NOT NULL,
    record_id NOT NULL,
    row_hash INTEGER NOT NULL,
    epoch INTEGER,
    PRIMARY KEY (peer, table_name, record_id)
) WITHOUT ROWID;

CREATE TABLE merge_conflicts (
    id TEXT PRIMARY KEY,
    peer_database_id TEXT,          -- or "file:PATH" for a file with no identity of its own
    source_file TEXT NOT NULL,
    table_name TEXT NOT NULL,
    record_id NOT NULL,
    field TEXT NOT NULL,            -- '' when the whole record could not be written
    this_value TEXT,                -- JSON
    other_value TEXT,               -- JSON
    other_hash INTEGER,             -- the other copy's record, to record once settled
    reason TEXT NOT NULL DEFAULT '',
    found_at TEXT NOT NULL,
    resolved_at TEXT,
    resolution TEXT CHECK (resolution IN ('this', 'other', 'merged')),
    resolved_by TEXT
);
-- The conflicts screen lists the open ones, oldest first.
CREATE INDEX merge_conflicts_open ON merge_conflicts (resolved_at, found_at, table_name);
CREATE INDEX merge_conflicts_record ON merge_conflicts (table_name, record_id, peer_database_id);
