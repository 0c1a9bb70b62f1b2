"""The Workbooks screen, driven as the officer drives it: keys, forms, confirmations; each test
checks both what the screen shows and what the database holds."""

from __future__ import annotations

from datetime import date, timedelta

from rich.console import Console
from textual.widgets import Input, Select, Static

from sp_tui.domain.quarters import Quarter
from sp_tui.reports.table2 import table2
from sp_tui.services.workbooks import receive_workbook, reject_workbook
from sp_tui.tui.screens.workbooks import WorkbooksScreen
from sp_tui.tui.widgets.confirm import ConfirmModal
from sp_tui.tui.widgets.record_table import RecordTable
from sp_tui.tui.widgets.workbook_forms import WorkbookActionForm
from tests.tui.conftest import TODAY, press, settle, type_text
from tests.workbooks_support import add_services, row_counts

Q26 = Quarter(26)          # Jul-Sep 2009: deadline 2009-10-30, default period to 2009-11-13
DEADLINE = date(2009, 10, 30)


def _text(widget: Static) -> str:
    console = Console(width=200, record=True)
    console.print(widget.content)
    return console.export_text()


def _statuses(app) -> dict[str, str]:
    table = app.screen.query_one(RecordTable)
    return {str(table.get_row_at(i)[0]): str(table.get_row_at(i)[4])
            for i in range(table.row_count)}


def _received(db, ref: str):
    row = db.execute("SELECT w.received_date FROM workbooks w JOIN services s"
                     " ON s.id = w.service_id WHERE s.service_ref = ? AND w.quarter = 26",
                     (ref,)).fetchone()
    return row[0] if row else None


async def _open(app, pilot) -> WorkbooksScreen:
    await press(pilot, "4")
    assert isinstance(app.screen, WorkbooksScreen)
    return app.screen


async def test_mark_received_with_the_date_defaulting_to_today(db, make_service, make_app):
    add_services(make_service, 3)
    app = make_app(quarter=26)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot)
        assert _statuses(app) == {"SP001": "overdue", "SP002": "overdue", "SP003": "overdue"}
        await press(pilot, "r")
        form = app.screen
        assert isinstance(form, WorkbookActionForm)
        assert form.query_one("#received_date", Input).value == TODAY.isoformat()
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert _received(db, "SP001") == TODAY.isoformat()
        assert _statuses(app)["SP001"] == "late"
        assert "received late 1" in _text(screen.query_one("#wb-summary", Static))


async def test_edited_date_and_an_invalid_date_keeps_the_form_open(db, make_service, make_app):
    add_services(make_service, 2)
    app = make_app(quarter=26)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot)
        await press(pilot, "down", "enter")         # Enter opens "mark received" too
        form = app.screen
        form.query_one("#received_date", Input).value = (TODAY + timedelta(days=1)).isoformat()
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "in the future" in str(form.query_one("#error-received_date").render())
        assert row_counts(db)["workbooks"] == 0
        form.query_one("#received_date", Input).value = ""
        await type_text(pilot, DEADLINE.isoformat())
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert _received(db, "SP002") == DEADLINE.isoformat()
        assert _statuses(app)["SP002"] == "on time"


async def test_live_table2_panel_changes_when_a_workbook_is_received(db, make_service,
                                                                     make_app):
    add_services(make_service, 2)
    app = make_app(quarter=26)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot)
        panel = screen.query_one("#wb-table2", Static)
        line = next(l for l in _text(panel).splitlines() if "Returned by deadline" in l)
        assert line.rstrip().endswith("0 (0%)")
        await press(pilot, "r")
        app.screen.query_one("#received_date", Input).value = DEADLINE.isoformat()
        await press(pilot, "ctrl+s")
        await settle(pilot)
        line = next(l for l in _text(panel).splitlines() if "Returned by deadline" in l)
        assert line.rstrip().endswith("1 (50%)")
        assert table2(db, Q26).last.by_deadline == 1


async def test_reject_excuse_and_undo(db, make_service, make_app):
    add_services(make_service, 2)
    receive_workbook(db, "SP001", Q26, DEADLINE, today=TODAY)
    app = make_app(quarter=26)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot)
        await press(pilot, "x")
        await press(pilot, "ctrl+s")                 # no reason: refused, form stays
        await settle(pilot)
        form = app.screen
        assert "reason is required" in str(form.query_one("#error-reason").render())
        await type_text(pilot, "KPI sheet blank")
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert _statuses(app)["SP001"] == "rejected"
        assert "KPI sheet blank" in _text(screen.query_one("#wb-detail", Static))
        await press(pilot, "down", "e")
        await type_text(pilot, "upload fault")
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert _statuses(app)["SP002"] == "excused"
        await press(pilot, "u")                      # undo the excuse
        await settle(pilot)
        assert _statuses(app)["SP002"] == "overdue"
        await press(pilot, "u")                      # undo the rejection
        await settle(pilot)
        assert _statuses(app)["SP001"] == "on time"
        assert _received(db, "SP001") == DEADLINE.isoformat()
        await press(pilot, "u")
        assert screen.undo_stack == []


async def test_send_reminders_after_a_confirmation_showing_how_many_and_to_whom(
        db, db_path, make_service, make_app):
    add_services(make_service, 4)
    receive_workbook(db, "SP001", Q26, DEADLINE, today=TODAY)
    app = make_app(quarter=26)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(app, pilot)
        await press(pilot, "m", "enter")             # the batch's date: today
        modal = app.screen
        assert isinstance(modal, ConfirmModal)
        assert "send 3 reminders to 2 providers" in modal.title_text
        assert "Beta Homes (2): SP002, SP004" in modal.body
        assert "Alpha Trust (1): SP003" in modal.body
        await press(pilot, "n")                      # no: nothing written
        assert row_counts(db)["workbook_reminders"] == 0
        await press(pilot, "m", "enter")
        await press(pilot, "y")
        await settle(pilot)
        assert row_counts(db)["workbook_reminders"] == 3
        assert _statuses(app)["SP002"] == "reminded"
        letters = sorted(p.name for p in (db_path.parent / "outbox").glob("*/*"))
        assert letters == ["Alpha-Trust.docx", "Alpha-Trust.md", "Beta-Homes.docx",
                           "Beta-Homes.md", "mail-merge.csv"]


async def test_issue_defaults_then_nothing_more_is_due(db, make_service, make_app):
    add_services(make_service, 2)
    app = make_app(quarter=26)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot)
        await press(pilot, "d", "enter")
        assert "send 2 default notices to 2 providers" in app.screen.title_text
        await press(pilot, "y")
        await settle(pilot)
        assert set(_statuses(app).values()) == {"IN DEFAULT"}
        assert row_counts(db)["workbook_defaults"] == 2
        await press(pilot, "d", "enter")
        assert app.screen is screen                 # nobody is due: no confirmation
        await press(pilot, "w")
        await type_text(pilot, "issued in error")
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert _statuses(app)["SP001"] == "overdue"
        assert db.execute("SELECT withdrawn_reason FROM workbook_defaults"
                          " WHERE withdrawn_date IS NOT NULL").fetchone() == ("issued in error",)


async def test_before_the_deadline_reminders_are_refused_with_a_message(db, make_service,
                                                                        make_app):
    add_services(make_service, 1)
    app = make_app(quarter=27)                       # Oct-Dec 2009: not yet due on TODAY
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot)
        await press(pilot, "m", "enter")
        assert "deadline is" in str(app.screen.query_one("#error-sent_date").render())
        await press(pilot, "escape")
        assert app.screen is screen
        assert _statuses(app) == {"SP001": "outstanding"}
        assert row_counts(db)["workbook_reminders"] == 0


async def test_filter_by_status_provider_district_and_search(db, make_service, make_app):
    add_services(make_service, 6)
    receive_workbook(db, "SP001", Q26, DEADLINE, today=TODAY)
    make_service(service_ref="ODD", service_name="[/b] =cmd", provider="Gamma")
    app = make_app(quarter=26)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot)
        table = screen.query_one(RecordTable)
        screen.query_one("#wb-status", Select).value = "overdue"
        await settle(pilot)
        assert table.row_count == 6
        screen.query_one("#wb-status", Select).value = "received"
        await settle(pilot)
        assert _statuses(app) == {"SP001": "on time"}
        screen.query_one("#wb-status", Select).clear()
        screen.query_one("#wb-provider", Select).value = "Beta Homes"
        screen.query_one("#wb-district", Select).value = "Dover"
        await settle(pilot)
        assert list(_statuses(app)) == ["SP006"]
        screen.query_one("#wb-provider", Select).clear()
        screen.query_one("#wb-district", Select).clear()
        await press(pilot, "slash")
        await type_text(pilot, "=cmd")
        await press(pilot, "enter")
        assert table.row_count == 1
        assert str(table.get_row_at(0)[1]) == "[/b] =cmd"


async def test_sort_by_status_and_status_colours(db, make_service, make_app):
    add_services(make_service, 3)
    receive_workbook(db, "SP003", Q26, DEADLINE, today=TODAY)
    receive_workbook(db, "SP002", Q26, DEADLINE, today=TODAY)
    reject_workbook(db, "SP002", Q26, "wrong quarter", DEADLINE, today=TODAY)
    app = make_app(quarter=26)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot)
        for _ in range(4):                          # ref -> service -> provider -> district
            await press(pilot, "s")
        assert screen.state.sort == "status"
        assert list(_statuses(app)) == ["SP003", "SP002", "SP001"]
        table = screen.query_one(RecordTable)
        styles = {str(table.get_row_at(i)[4]): str(table.get_row_at(i)[4].style)
                  for i in range(3)}
        assert styles == {"on time": "bold green", "rejected": "bold dark_orange",
                          "overdue": "bold red"}
        await press(pilot, "v")
        assert list(_statuses(app)) == ["SP001", "SP002", "SP003"]


async def test_a_row_updated_in_place_keeps_markup_as_typed(db, make_service, make_app):
    make_service(service_ref="ODD", service_name="[b]bold[/b] =cmd")
    app = make_app(quarter=26)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot)
        table = screen.query_one(RecordTable)
        await press(pilot, "r", "ctrl+s")
        await settle(pilot)
        assert str(table.get_row_at(0)[1]) == "[b]bold[/b] =cmd"
        assert str(table.get_row_at(0)[4]) == "late"
