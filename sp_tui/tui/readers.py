"""Read connections for the screens' worker threads: one per thread, read-only, on the app's
database file, so a screen's queries never hold up the UI thread nor share its connection."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import sqlite_utils

from sp_tui.store.connection import BUSY_TIMEOUT_MS, db_file


class Readers:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db
        path = db_file(db)
        self._uri = f"{path.resolve().as_uri()}?mode=ro" if path else None
        self._local = threading.local()
        self._opened: list[sqlite_utils.Database] = []
        self._lock = threading.Lock()
        # Connections inside a snapshot right now. Closing a connection while another thread
        # runs a query on it crashes the process (SQLite frees what the query still uses):
        # ``close`` leaves these to the thread using them, which closes them when done.
        self._busy: set[int] = set()
        self._closed = False

    def connection(self) -> sqlite_utils.Database:
        """This thread's read connection (the app's own for an in-memory database)."""
        if self._uri is None:
            return self._db
        db = getattr(self._local, "db", None)
        if db is None:
            try:
                conn = sqlite3.connect(self._uri, uri=True, isolation_level=None,
                                       check_same_thread=False,
                                       timeout=BUSY_TIMEOUT_MS / 1000)
                conn.execute("PRAGMA query_only = ON")
            except sqlite3.Error:
                return self._db
            db = sqlite_utils.Database(conn, execute_plugins=False)
            self._local.db = db
            with self._lock:
                self._opened.append(db)
        return db

    @contextmanager
    def snapshot(self) -> Iterator[sqlite_utils.Database]:
        """One read transaction: every query of a screen's load sees the same data."""
        with self._lock:
            if self._closed:
                raise sqlite3.OperationalError("the app is closing")
        db = self.connection()
        if db is self._db:
            yield db
            return
        with self._lock:
            self._busy.add(id(db))
        try:
            db.execute("BEGIN")
            try:
                yield db
            finally:
                db.execute("ROLLBACK")
        finally:
            with self._lock:
                self._busy.discard(id(db))
                last = self._closed
                if last and db in self._opened:
                    self._opened.remove(db)
            if last:
                _close(db)

    def close(self) -> None:
        """Close every idle read connection now; a busy one is closed by its thread as soon
        as its query is done."""
        with self._lock:
            self._closed = True
            idle = [db for db in self._opened if id(db) not in self._busy]
            self._opened = [db for db in self._opened if id(db) in self._busy]
        for db in idle:
            _close(db)


def _close(db: sqlite_utils.Database) -> None:
    try:
        db.close()
    except sqlite3.Error:
        pass
