"""Every screen, and the main forms, at 80×24 on the demo data (issue 13, friction 1): the
record list keeps the space, panels collapse or move behind a key, the search box keeps its
width, the dashboard's Table 2 shows figures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sp_tui.store.connection import open_db
from tests.tui.conftest import TODAY, keys_then_settle

SIZE = (80, 24)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    """The demo (scale 1) built once for the module; the audit trail's times and user are
    fixed so that the History screen draws the same on every run."""
    from sp_tui.areas import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    database = open_db(path)
    build_demo(database, 1, today=TODAY)
    with database.conn:
        database.execute("UPDATE audit_log SET at = '2009-11-20T09:00:00', who = 'officer'")
    database.close()
    return path


@pytest.fixture
def db(tmp_path, demo_file):
    path = tmp_path / "test.sqlite"
    shutil.copyfile(demo_file, path)
    database = open_db(path)
    yield database
    database.close()


SCREENS = {
    "dashboard": (),
    "dashboard_scrolled": ("pagedown",),
    "services": ("2",),
    "contracts": ("2", "v"),
    "visits": ("3",),
    "visits_tables": ("3", "t"),
    "workbooks": ("4",),
    "workbooks_table2": ("4", "t"),
    "complaints": ("5",),
    "alerts": ("6",),
    "kpis": ("7",),
    "outcomes": ("0",),
    "reconnection": ("minus",),
    "report": ("g", "r"),
    "conflicts": ("8",),
    "history": ("9",),
}

FORMS = {
    "service_form": ("2", "a"),
    "visit_form": ("3", "a"),
    "receive_form": ("4", "down", "down", "down", "down", "r"),  # SP00005, overdue
    "complaint_form": ("5", "a"),
    "alert_form": ("6", "a"),
    "kpi_form": ("7", "e"),
    "merge_modal": ("8", "m"),
    "import_modal": ("i",),
    "go_to": ("g",),
}


@pytest.mark.parametrize("keys", SCREENS.values(), ids=SCREENS.keys())
def test_screen_at_80x24(snap_compare, db, make_app, keys):
    assert snap_compare(make_app(quarter=26), terminal_size=SIZE,
                        run_before=keys_then_settle(*keys))


@pytest.mark.parametrize("keys", FORMS.values(), ids=FORMS.keys())
def test_form_at_80x24(snap_compare, db, make_app, keys, monkeypatch):
    # The import screen lists the current folder's spreadsheets: a fixed one
    monkeypatch.chdir(Path(__file__).parent.parent / "fixtures" / "import_screen")
    assert snap_compare(make_app(quarter=26), terminal_size=SIZE,
                        run_before=keys_then_settle(*keys))
