"""CLI tests start from an existing, empty database: commands other than `demo` and
`db init` refuse a path where there is none."""

from __future__ import annotations

from pathlib import Path

import pytest

from sp_tui.store.connection import open_db


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "test.sqlite"
    open_db(path).close()
    return path
