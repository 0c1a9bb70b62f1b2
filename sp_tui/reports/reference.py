"""Reference lists as the team has extended them."""

from __future__ import annotations

import sqlite_utils


def reference_lists(db: sqlite_utils.Database) -> dict[str, list[str]]:
    lists: dict[str, list[str]] = {"district": [], "client_group": [], "service_type": []}
    for kind, value in db.execute(
        "SELECT kind, value FROM reference_values ORDER BY kind, value COLLATE NOCASE"
    ):
        lists.setdefault(kind, []).append(value)
    return lists


def provider_names(db: sqlite_utils.Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT name FROM providers ORDER BY name COLLATE NOCASE")]
