"""The app shell and the Services register, driven as a user drives them."""

from __future__ import annotations

from textual.widgets import Input, Select

from sp_tui.services.registry import import_services, service_by_ref
from sp_tui.tui.screens.audit import HistoryScreen
from sp_tui.tui.screens.dashboard import DashboardScreen
from sp_tui.tui.screens.help import HelpScreen
from sp_tui.tui.screens.services import ServicesScreen
from sp_tui.tui.widgets.record_table import RecordTable
from sp_tui.tui.widgets.service_form import ServiceForm
from tests.conftest import service_fields
from tests.tui.conftest import press, settle, type_text


def seed(db, n=3):
    import_services(db, [(i + 2, service_fields(service_ref=f"SP{i:03d}",
                                                service_name=f"Home {i}"))
                         for i in range(n)])


async def test_opens_on_services_while_the_register_is_empty(db, make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ServicesScreen)
        assert app.screen.query_one("#empty").has_class("-visible")


async def test_opens_on_the_dashboard_and_moves_between_screens(db, make_app):
    seed(db)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, DashboardScreen)
        await press(pilot, "2")
        assert isinstance(app.screen, ServicesScreen)
        assert app.screen.query_one(RecordTable).row_count == 3
        assert "Q24 Jan-Mar 2009" in app.sub_title and "test.sqlite" in app.sub_title
        await press(pilot, "9")
        assert isinstance(app.screen, HistoryScreen)
        # choosing a tab (a click; the row may be scrolled past it at this width) switches area
        from textual.widgets import Tabs

        app.screen.query_one(Tabs).active = "tab-services"
        await settle(pilot)
        assert isinstance(app.screen, ServicesScreen)
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        await press(pilot, "escape")
        assert isinstance(app.screen, ServicesScreen)


async def test_quarter_keys_step_the_selected_quarter(db, make_app):
    seed(db)
    app = make_app(quarter=24)
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, "right_square_bracket")
        assert app.quarter.number == 25 and "Q25 Apr-Jun 2009" in app.sub_title
        await press(pilot, "left_square_bracket", "left_square_bracket")
        assert app.quarter.number == 23


async def test_add_a_service_through_the_form(db, make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#empty").has_class("-visible")
        await press(pilot, "a")
        form = app.screen
        assert isinstance(form, ServiceForm)
        await type_text(pilot, "NEW01")
        await press(pilot, "tab")
        await type_text(pilot, "New Start House")
        form.query_one("#provider", Input).value = "Harbour Trust"
        form.query_one("#service_type", Select).value = "Foyer"
        form.query_one("#client_group", Select).value = "Young people at risk"
        form.query_one("#district", Select).value = "Dover"
        form.query_one("#term", Select).value = "short"
        form.query_one("#start_date", Input).value = "2008-05-01"
        await press(pilot, "ctrl+s")
        await press(pilot, "y")         # the first provider: added once confirmed
        await settle(pilot)
        assert isinstance(app.screen, ServicesScreen)
        assert service_by_ref(db, "NEW01")["name"] == "New Start House"
        assert app.screen.query_one(RecordTable).row_count == 1


async def test_an_invalid_service_keeps_the_form_open_and_writes_nothing(db, make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, "a")
        form = app.screen
        await type_text(pilot, "BAD 1")
        form.query_one("#start_date", Input).value = "12/31/2008"  # no 31st month
        form.query_one("#household_units", Input).value = "-4"
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert app.screen is form
        errors = {w.id: str(w.render()) for w in form.query(".field-error")}
        assert "spaces" in errors["error-service_ref"]
        assert "YYYY-MM-DD" in errors["error-start_date"]
        assert "negative" in errors["error-household_units"]
        assert "required" in errors["error-provider"]
        assert db.execute("SELECT count(*) FROM services").fetchone()[0] == 0
        await press(pilot, "escape", "d")  # discard what was typed
        assert isinstance(app.screen, ServicesScreen)


async def test_edit_a_service_with_enter(db, make_app):
    seed(db, 1)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, "2")
        await press(pilot, "enter")
        form = app.screen
        assert isinstance(form, ServiceForm)
        assert form.query_one("#service_name", Input).value == "Home 0"
        form.query_one("#service_name", Input).value = "Home Renamed"
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert service_by_ref(db, "SP000")["name"] == "Home Renamed"


async def test_search_filters_in_sql_and_shows_markup_as_typed(db, make_app):
    seed(db, 3)
    import_services(db, [(2, service_fields(service_ref="ODD", service_name="[/b] =cmd"))])
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, "2")
        await press(pilot, "slash")
        await type_text(pilot, "=cmd")
        await press(pilot, "enter")
        table = app.screen.query_one(RecordTable)
        assert table.row_count == 1
        assert str(table.get_row_at(0)[1]) == "[/b] =cmd"


async def test_changes_from_another_connection_show_after_a_poll(db, db_path, make_app):
    from sp_tui.store.connection import open_db

    seed(db, 1)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, "2")
        other = open_db(db_path)
        import_services(other, [(2, service_fields(service_ref="FROMCLI"))])
        app.check_external_changes()
        await settle(pilot)
        assert app.screen.query_one(RecordTable).row_count == 2


async def test_edit_quarter_dates_from_the_tui(db, make_app):
    from sp_tui.domain.quarters import Quarter
    from sp_tui.reports.calendar import calendar_for

    app = make_app(quarter=24)
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, "c")
        form = app.screen
        form.query_one("#deadline", Input).value = "2009-04-20"
        form.query_one("#default_end", Input).value = "2009-04-10"
        await press(pilot, "ctrl+s")
        assert app.screen is form  # default end before deadline: stays open
        form.query_one("#default_end", Input).value = "2009-05-04"
        await press(pilot, "ctrl+s")
        await settle(pilot)
        cal = calendar_for(db, Quarter(24))
        assert (cal.deadline.isoformat(), cal.default_end.isoformat()) == (
            "2009-04-20", "2009-05-04")


async def test_a_database_error_on_save_is_a_message_not_a_crash(db, make_app, monkeypatch):
    import sqlite3

    from sp_tui.tui.widgets import service_form

    def refuse(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(service_form, "save_service", refuse)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, "a")
        form = app.screen
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "Nothing was saved" in str(form.query_one("#form-error").render())


async def test_search_runs_once_typing_pauses_without_enter(db, make_app, monkeypatch):
    from sp_tui.tui.widgets import search_input
    from sp_tui.tui.widgets.search_input import SearchInput

    # A pause long enough that a loaded machine never sees one between two key presses.
    monkeypatch.setattr(search_input, "SEARCH_DELAY", 1.0)
    searched: list[str] = []
    original = ServicesScreen.fetch_page

    def fetch_page(self, db, request, state):
        searched.append(state.search)
        return original(self, db, request, state)

    monkeypatch.setattr(ServicesScreen, "fetch_page", fetch_page)
    seed(db, 3)
    import_services(db, [(2, service_fields(service_ref="ZED", service_name="Zebra Court"))])
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, "2", "slash")
        await pilot.press(*"zebra")          # typed quickly: no wait between keys
        table = app.screen.query_one(RecordTable)
        assert table.row_count == 4          # nothing runs while typing
        await pilot.pause(1.5)
        await settle(pilot)
        assert table.row_count == 1
        assert searched == ["", "zebra"]     # the first load, then one search
        assert isinstance(app.focused, SearchInput)  # focus stays in the box
