"""Issue 13, friction 7 in the app: mark several workbooks received at once on the Workbooks
screen (space marks rows, or paste references), after a confirmation, in one transaction,
undone in one go."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from sp_tui.tui.screens.workbooks import WorkbooksScreen
from sp_tui.tui.widgets.confirm import ConfirmModal
from sp_tui.tui.widgets.record_table import RecordTable
from sp_tui.tui.widgets.workbook_forms import BulkReceiveForm
from tests.tui.conftest import press, press_for, settle, type_text
from tests.workbooks_support import add_services, row_counts


def received(db) -> dict[str, str | None]:
    return dict(db.execute(
        "SELECT s.service_ref, w.received_date FROM services s LEFT JOIN workbooks w"
        " ON w.service_id = s.id AND w.quarter = 26 ORDER BY s.service_ref").fetchall())


def refs_shown(app) -> list[str]:
    table = app.screen.query_one(RecordTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def test_marked_rows_are_received_together_and_undone_together(db, make_service,
                                                                     make_app):
    add_services(make_service, 4)
    app = make_app(quarter=26)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await press_for(pilot, WorkbooksScreen, "4")
        await press(pilot, "space", "down", "space", "space")  # SP001, SP003, SP004
        assert refs_shown(app) == ["✓SP001", "SP002", "✓SP003", "✓SP004"]
        await press(pilot, "space")                           # the cursor stays on the last
        assert refs_shown(app)[3] == "SP004"                  # row: unmarked again
        form = await press_for(pilot, BulkReceiveForm, "R")
        assert form.query_one("#service_refs", TextArea).text == "SP001\nSP003"
        date_field = form.query_one("#received_date", Input)
        assert app.focused is date_field and date_field.value == "2009-11-20"
        date_field.value = "2009-11-18"                       # backdated
        before = row_counts(db)
        modal = await press_for(pilot, ConfirmModal, "enter")
        assert modal.title_text == "Q26 Jul-Sep 2009: mark 2 workbooks received, dated 2009-11-18?"
        assert "SP001, SP003" in modal.body
        assert row_counts(db) == before                       # the check wrote nothing
        await press(pilot, "enter")                           # the default: receive them
        await settle(pilot)
        assert app.screen is screen
        assert received(db) == {"SP001": "2009-11-18", "SP002": None,
                                "SP003": "2009-11-18", "SP004": None}
        assert refs_shown(app) == ["SP001", "SP002", "SP003", "SP004"]  # marks cleared
        toasts = [n.message for n in app._notifications]
        assert any("2 workbook(s) of Q26 Jul-Sep 2009 received 2009-11-18 — u to undo" in t for t in toasts)
        assert db.execute("SELECT count(*) FROM audit_log WHERE action ="
                          " 'workbook.receive_batch'").fetchone() == (1,)
        await press(pilot, "u")                               # one undo: the whole batch
        await settle(pilot)
        assert received(db) == {"SP001": None, "SP002": None, "SP003": None, "SP004": None}


async def test_a_pasted_list_with_a_bad_reference_writes_nothing(db, make_service, make_app):
    add_services(make_service, 3)
    app = make_app(quarter=26)
    async with app.run_test(size=(120, 40)) as pilot:
        await press_for(pilot, WorkbooksScreen, "4")
        form = await press_for(pilot, BulkReceiveForm, "R")
        assert app.focused is form.query_one("#service_refs", TextArea)
        await type_text(pilot, "SP002, SP404 sp003")
        before = row_counts(db)
        await press(pilot, "ctrl+s")
        assert app.screen is form
        assert "SP404: no service" in str(form.query_one("#error-service_refs").render())
        assert row_counts(db) == before
        form.query_one("#service_refs", TextArea).text = "SP002, sp003"
        await press_for(pilot, ConfirmModal, "ctrl+s")
        await press(pilot, "n")                               # no: nothing written
        await settle(pilot)
        assert row_counts(db) == before
        await press_for(pilot, BulkReceiveForm, "R")
        app.screen.query_one("#service_refs", TextArea).text = "SP002 sp003"
        await press_for(pilot, ConfirmModal, "ctrl+s")
        await press(pilot, "y")
        await settle(pilot)
    assert received(db) == {"SP001": None, "SP002": "2009-11-20", "SP003": "2009-11-20"}
