"""Commit notices: every ``write`` transaction tells the listeners of its connection once it
has committed, so a user interface refreshes what it shows without being told to.

Listeners run in the thread that committed; they must be quick and thread-safe (the TUI's
schedules a refresh on its own thread). Commits by other connections or processes are not
seen here: ``PRAGMA data_version`` tells those (``connection.data_version``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import sqlite_utils

Listener = Callable[[], None]

_lock = threading.Lock()
_listeners: dict[int, list[Listener]] = {}


def subscribe(db: sqlite_utils.Database, listener: Listener) -> Callable[[], None]:
    """Call ``listener()`` after each transaction committed through ``write(db)``; returns
    the function that unsubscribes it."""
    key = id(db.conn)
    with _lock:
        _listeners.setdefault(key, []).append(listener)

    def unsubscribe() -> None:
        with _lock:
            listeners = _listeners.get(key, [])
            if listener in listeners:
                listeners.remove(listener)
            if not listeners:
                _listeners.pop(key, None)

    return unsubscribe


def committed(db: sqlite_utils.Database) -> None:
    """Called by ``write`` after COMMIT (the outermost transaction only)."""
    with _lock:
        listeners = list(_listeners.get(id(db.conn), ()))
    for listener in listeners:
        listener()
