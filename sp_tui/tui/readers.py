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
            db = sqlite_utils.Database(conn)
            self._local.db = db
            with self._lock:
                self._opened.append(db)
        return db

    @contextmanager
    def snapshot(self) -> Iterator[sqlite_utils.Database]:
        """One read transaction: every query of a screen's load sees the same data."""
        db = self.connection()
        if db is self._db:
            yield db
            return
        db.execute("BEGIN")
        try:
            yield db
        finally:
            db.execute("ROLLBACK")

    def close(self) -> None:
        with self._lock:
            opened, self._opened = self._opened, []
        for db in opened:
            try:
                db.close()
            except sqlite3.Error:
                pass
