"""The Visits screen and the visit form, driven by keyboard as an officer would."""

from __future__ import annotations

import io
from datetime import date

from rich.console import Console

from textual.widgets import Input, Select, Static

from sp_tui.reports.visits import visit_fields
from sp_tui.services.registry import import_services, service_by_ref
from sp_tui.services.visits import import_visits, save_visit
from sp_tui.tui.screens.visits import VisitsScreen
from sp_tui.tui.widgets.record_table import RecordTable
from sp_tui.tui.widgets.visit_form import VisitForm
from tests.acceptance.test_qaf_tables import REPORT_DAY, q24_records
from tests.conftest import service_fields
from tests.tui.conftest import TODAY, press, settle, type_text


def seed_services(db) -> None:
    import_services(db, [
        (2, service_fields(service_ref="SP001", service_name="Oakwood Close")),
        (3, service_fields(service_ref="SP002", service_name="Harbour House")),
    ])
    # Oakwood Close came into the quarter graded C
    save_visit(db, {"service_ref": "SP001", "officer": "Jo Hart", "started_date": "2007-05-01",
                    "completed_date": "2007-05-20", "existing_grade": None,
                    "self_assessed_grade": "C", "awarded_grade": "C"}, today=TODAY)


def visits(db) -> list[dict]:
    return [dict(r) for r in db.query(
        "SELECT s.service_ref, v.* FROM visits v JOIN services s ON s.id = v.service_id"
        " ORDER BY v.started_date")]


def panel_text(screen, widget_id: str) -> str:
    """What a Static shows, as plain words (rich tables rendered as a terminal would)."""
    console = Console(width=120, record=True, file=io.StringIO())
    console.print(screen.query_one(widget_id, Static).content)
    return " ".join(console.export_text().split())


async def open_visits(pilot) -> VisitsScreen:
    await press(pilot, "3")
    await settle(pilot)
    assert isinstance(pilot.app.screen, VisitsScreen)
    return pilot.app.screen


async def test_log_a_visit_by_keyboard_alone(db, make_app):
    seed_services(db)
    app = make_app(quarter=26)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_visits(pilot)
        await press(pilot, "a")
        form = app.screen
        assert isinstance(form, VisitForm)
        await type_text(pilot, "oakw")  # a few characters of the name
        await press(pilot, "tab")  # takes the highlighted match, moves on to the officer
        assert form.query_one("#service_ref", Input).value == "SP001"
        assert form.query_one("#existing_grade", Input).value == "C"  # its current grade
        await type_text(pilot, "Sam Patel")
        await press(pilot, "tab", "ctrl+u")
        await type_text(pilot, "2009-08-03")
        await press(pilot, "tab")
        await type_text(pilot, "2009-08-20")
        await press(pilot, "tab", "tab", "a")  # existing kept; self-assessed A
        await press(pilot, "tab", "x", "b")  # x is refused, b awards B
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, VisitsScreen)
        saved = visits(db)[-1]
        assert (saved["service_ref"], saved["officer"], saved["started_date"],
                saved["completed_date"]) == ("SP001", "Sam Patel", "2009-08-03", "2009-08-20")
        assert (saved["existing_grade"], saved["self_assessed_grade"],
                saved["awarded_grade"], saved["users_consulted"]) == ("C", "A", "B", 1)
        table = app.screen.query_one("#visits-table", RecordTable)
        assert table.row_count == 1
        assert "SP001" in panel_text(app.screen, "#history")
        assert "Table 6: 1 begun, 1 completed" in panel_text(app.screen, "#table6")


async def test_bad_input_keeps_the_form_open_with_the_message_and_writes_nothing(db, make_app):
    seed_services(db)
    app = make_app(quarter=26)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_visits(pilot)
        await press(pilot, "a")
        form = app.screen
        form.query_one("#service_ref", Input).value = "SP404"
        form.query_one("#officer", Input).value = "Sam Patel"
        form.query_one("#started_date", Input).value = "2009-08-03"
        form.query_one("#completed_date", Input).value = "2009-07-01"
        form.query_one("#awarded_grade", Input).value = "B"
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "no service with reference 'SP404'" in panel_text(form, "#error-service_ref")
        assert "before the date begun" in panel_text(form, "#error-completed_date")
        form.query_one("#service_ref", Input).value = "SP002"
        form.query_one("#completed_date", Input).value = "2009-12-01"  # after today
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "in the future" in panel_text(form, "#error-completed_date")
        form.query_one("#completed_date", Input).value = ""
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert "once the visit is completed" in panel_text(form, "#error-awarded_grade")
        assert len(visits(db)) == 1  # only the seeded visit


async def test_a_d_award_asks_for_the_action_plan_and_lists_it(db, make_app):
    seed_services(db)
    app = make_app(quarter=26)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_visits(pilot)
        await press(pilot, "a")
        form = app.screen
        assert not form.query_one("#plan").display or not form.query_one("#plan").has_class(
            "-shown")
        form.query_one("#service_ref", Input).value = "SP002"
        form.query_one("#officer", Input).value = "Sam Patel"
        form.query_one("#started_date", Input).value = "2009-08-03"
        form.query_one("#completed_date", Input).value = "2009-08-10"
        form.query_one("#awarded_grade", Input).focus()
        await press(pilot, "d")
        assert form.query_one("#plan").has_class("-shown")
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "monitoring officer" in panel_text(form, "#error-plan_officer")
        assert form.query_one("#plan_officer", Input).has_focus  # the first field to fix
        await type_text(pilot, "Jo Hart")
        await press(pilot, "tab")
        await type_text(pilot, "2009-10-01")
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, VisitsScreen)
        assert visits(db)[-1]["plan_officer"] == "Jo Hart"
        await press(pilot, "P")
        plans = app.screen.query_one("#plans-table", RecordTable)
        assert plans.row_count == 1
        row = plans.get_row_at(0)
        assert [str(c) for c in row[:5]] == ["SP002", "Harbour House", "2009-08-10", "Jo Hart",
                                             "2009-10-01"]
        assert str(row[5]) == ""  # review due 1 October: not overdue at Q26's close
        await press(pilot, "right_square_bracket")  # Q27 runs: plans as at today, 20 November
        await settle(pilot)
        assert str(plans.get_row_at(0)[5]) == "overdue"
        await press(pilot, "enter")  # opens the D visit
        assert isinstance(app.screen, VisitForm)
        assert app.screen.query_one("#awarded_grade", Input).value == "D"


async def test_a_visit_begun_one_day_is_completed_later(db, make_app):
    seed_services(db)
    visit_id = save_visit(db, {"service_ref": "SP001", "officer": "Jo Hart",
                               "started_date": "2009-11-02", "existing_grade": "C",
                               "self_assessed_grade": "B"}, today=date(2009, 11, 2))
    app = make_app(quarter=27)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_visits(pilot)
        table = screen.query_one("#visits-table", RecordTable)
        assert table.row_count == 1 and str(table.get_row_at(0)[4]) == "open"
        await press(pilot, "c")
        form = app.screen
        assert isinstance(form, VisitForm) and form.query_one("#awarded_grade", Input).has_focus
        assert form.query_one("#completed_date", Input).value == TODAY.isoformat()
        await press(pilot, "b", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, VisitsScreen)
    saved = visit_fields(db, visit_id)
    assert (saved["completed_date"], saved["awarded_grade"]) == (TODAY.isoformat(), "B")


async def test_the_q24_tables_and_filters_on_screen(db, make_app):
    services, records = q24_records()
    import_services(db, list(enumerate(services, start=2)))
    import_visits(db, list(enumerate(records, start=2)), today=REPORT_DAY)
    app = make_app(quarter=24)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_visits(pilot)
        table6 = panel_text(screen, "#table6")
        assert "Table 6: 31 begun, 26 completed" in table6
        assert "Awarded 7 13 5 1 5 31" in table6
        table7 = panel_text(screen, "#table7")
        assert "Higher 16 62%" in table7 and "Same 8 31%" in table7
        assert "Lower 2 8%" in table7
        assert "8 14 14 4 1 41" in panel_text(screen, "#table8")
        table = screen.query_one("#visits-table", RecordTable)
        assert table.row_count == 31 + 3  # Q23's visits still open when Q24 began
        await press(pilot, "f")  # in progress (as at the quarter's close)
        await settle(pilot)
        assert table.row_count == 6
        await press(pilot, "f", "f")  # grade changed
        await settle(pilot)
        assert table.row_count == 16 + 2 + 2  # Q24's changes and Q23's two completed in Q24
        screen.query_one("#status", Select).value = Select.NULL
        screen.query_one("#officer", Select).value = "Jo Hart"
        await settle(pilot)
        assert 0 < table.row_count < 34
        assert all(screen.records[key.value].officer == "Jo Hart" for key in table.rows)


async def test_user_text_is_never_markup(db, make_app):
    import_services(db, [(2, service_fields(service_ref="SP9", service_name="[/b] Close"))])
    save_visit(db, {"service_ref": "SP9", "officer": "[red]Jo", "started_date": "2009-01-05"},
               today=TODAY)
    app = make_app(quarter=24)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_visits(pilot)
        assert str(screen.query_one("#visits-table", RecordTable).get_row_at(0)[2]) == "[red]Jo"
        assert "[/b] Close" in panel_text(screen, "#history")
    assert service_by_ref(db, "SP9")


async def test_a_grade_field_takes_one_letter_upper_cased_and_refuses_others():
    from textual.app import App

    from sp_tui.tui.widgets.visit_form import GradeInput

    class One(App[None]):
        def compose(self):
            yield GradeInput("A", id="grade")

    app = One()
    async with app.run_test() as pilot:
        grade = app.query_one(GradeInput)
        grade.focus()
        await pilot.press("b")
        assert grade.value == "B"
        await pilot.press("x", "7")  # refused: the grade stays
        assert grade.value == "B"
        await pilot.press("n")
        assert grade.value == "N"
