"""Shared fixtures: a real SQLite file per test, services to hang records on."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sp_tui.store.connection import open_db


# The demo is built relative to a day (sp_tui.demo); tests fix it so that figures do not
# drift with the real date: on this day the demo's Q26 is being chased (as the reports).
DEMO_TODAY = date(2009, 11, 4)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.sqlite"


@pytest.fixture
def db(db_path: Path):
    database = open_db(db_path)
    yield database
    database.close()


def service_fields(**overrides) -> dict:
    """A valid service in the import field names; override what a test is about."""
    fields = {
        "provider": "Harbour Trust", "service_ref": "SP001", "service_name": "Harbour House",
        "service_type": "Supported housing", "client_group": "Young people at risk",
        "district": "Thanet", "term": "short", "household_units": 12, "leaseholder_units": 0,
        "workbook_required": True, "start_date": "2005-04-01", "end_date": None,
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def make_service(db):
    """Add a service through the service layer; returns its id."""
    from sp_tui.services.registry import save_service

    def make(**overrides) -> str:
        return save_service(db, service_fields(**overrides), source="test")

    return make
