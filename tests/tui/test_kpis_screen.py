"""The KPI screen driven by keys: the list worst first, sorting, the figures form (with a bad
value refused and nothing written), and Tables 2.1-2.5 beside it, updated live."""

from __future__ import annotations

from rich.console import Console
from textual.widgets import Input, Static

from sp_tui.domain.quarters import Quarter
from sp_tui.services.kpis import record_figures
from sp_tui.services.workbooks import receive_workbook
from sp_tui.tui.screens.kpis import KpisScreen
from sp_tui.tui.widgets.record_table import RecordTable
from sp_tui.tui.widgets.workbook_forms import WorkbookActionForm
from tests.tui.conftest import TODAY, press, settle, type_text

Q26 = Quarter(26)


def _text(widget: Static) -> str:
    console = Console(width=200, record=True)
    console.print(widget.content)
    return console.export_text()


def _column(app, index: int) -> list[str]:
    table = app.screen.query_one(RecordTable)
    return [str(table.get_row_at(i)[index]) for i in range(table.row_count)]


def _setup(db, make_service):
    for ref, term, group in (("L1", "long", "Generic"), ("L2", "long", "Generic"),
                             ("S1", "short", "Rough sleepers"), ("S2", "short", "Rough sleepers"),
                             ("S3", "short", "Teenage parents")):
        make_service(service_ref=ref, term=term, client_group=group, service_name=f"{ref} [b]x")
    for ref, values in (("L1", {"kpi1_independent": 99, "kpi1_users": 100}),
                        ("L2", {"kpi1_independent": 9, "kpi1_users": 10}),
                        ("S1", {"kpi2_planned": 1, "kpi2_departures": 4})):
        record_figures(db, ref, Q26, values)
    receive_workbook(db, "S2", Q26, "2009-10-20", today=TODAY)


async def test_list_sort_and_tables(db, make_service, make_app):
    _setup(db, make_service)
    app = make_app(quarter=26)
    async with app.run_test(size=(160, 45)) as pilot:
        await press(pilot, "7")
        assert isinstance(app.screen, KpisScreen)
        # worst first: S1 25%, L2 90%, L1 99%; then the services without figures
        assert _column(app, 0) == ["S1", "L2", "L1", "S2", "S3"]
        assert _column(app, 8)[:4] == ["Red", "Red", "Green", "missing"]
        assert _column(app, 1)[0] == "S1 [b]x"          # user text is never markup
        position = _text(app.screen.query_one("#kpi-position", Static))
        assert "1 received without figures" in position
        tables = _text(app.screen.query_one("#kpi-tables-body", Static))
        assert "Table 2.1" in tables and "Table 2.5" in tables
        assert "98.18" in tables              # KPI 1: 108 of 110
        await press(pilot, "v")
        assert _column(app, 0)[:3] == ["L1", "L2", "S1"]
        await press(pilot, "s")                 # next sort column: ref
        assert app.screen.state.sort == "ref"
        assert _column(app, 0) == ["L1", "L2", "S1", "S2", "S3"]


async def test_enter_figures_bad_value_refused_then_saved(db, make_service, make_app):
    _setup(db, make_service)
    app = make_app(quarter=26)
    async with app.run_test(size=(160, 45)) as pilot:
        await press(pilot, "7")
        screen = app.screen
        table = screen.query_one(RecordTable)
        table.move_cursor(row=table.get_row_index(
            next(k for k, r in screen.records.items() if r.service_ref == "S2")))
        await press(pilot, "e")
        form = app.screen
        assert isinstance(form, WorkbookActionForm)
        assert form.query_one("#kpi2_planned", Input).value == ""
        await type_text(pilot, "5")
        await press(pilot, "tab")
        await type_text(pilot, "3")
        await press(pilot, "ctrl+s")
        assert app.screen is form             # 5 planned of 3 departures: refused
        assert "cannot exceed" in _text(form.query_one("#error-kpi2_planned", Static))
        assert db.execute("SELECT count(*) FROM kpi_figures").fetchone()[0] == 3
        form.query_one("#kpi2_planned", Input).value = "2"
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, KpisScreen)
        row = db.execute("SELECT f.kpi2_planned, f.kpi2_departures FROM kpi_figures f"
                         " JOIN services s ON s.id = f.service_id WHERE s.service_ref = 'S2'"
                         ).fetchone()
        assert tuple(row) == (2, 3)
        await settle(pilot)
        assert "0 received without figures" in _text(screen.query_one("#kpi-position", Static))
        tables = _text(screen.query_one("#kpi-tables-body", Static))
        assert "42.86" in tables              # KPI 2: 3 planned of 7 departures


async def test_receive_form_takes_the_figures_or_leaves_them_for_later(db, make_service,
                                                                       make_app):
    from sp_tui.tui.screens.workbooks import WorkbooksScreen

    make_service(service_ref="L1", term="long")
    make_service(service_ref="S1", term="short")
    app = make_app(quarter=26)
    async with app.run_test(size=(160, 45)) as pilot:
        await press(pilot, "4")
        screen = app.screen
        assert isinstance(screen, WorkbooksScreen)
        table = screen.query_one(RecordTable)
        table.move_cursor(row=0)                       # L1: long-term, so KPI 1 fields
        await press(pilot, "r")
        form = app.screen
        assert isinstance(form, WorkbookActionForm)
        assert not form.query("#kpi2_planned")
        form.query_one("#kpi1_independent", Input).value = "12"
        form.query_one("#kpi1_users", Input).value = "10"
        await press(pilot, "ctrl+s")
        assert app.screen is form                      # 12 of 10: refused, nothing written
        assert db.execute("SELECT count(*) FROM workbooks").fetchone()[0] == 0
        form.query_one("#kpi1_independent", Input).value = "9"
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, WorkbooksScreen)
        assert tuple(db.execute("SELECT kpi1_independent, kpi1_users FROM kpi_figures")
                     .fetchone()) == (9, 10)
        table.move_cursor(row=1)                       # S1: received without figures
        await press(pilot, "r")
        form = app.screen
        assert form.query_one("#kpi2_planned", Input).value == ""
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert db.execute("SELECT count(*) FROM workbooks WHERE received_date IS NOT NULL"
                          ).fetchone()[0] == 2
        assert db.execute("SELECT count(*) FROM kpi_figures").fetchone()[0] == 1
        await settle(pilot)
        summary = screen.query_one("#wb-summary", Static).content
        assert "1 received without KPI figures" in str(summary)
        await press(pilot, "1")                         # the dashboard lists it
        await settle(pilot)
        attention = app.screen.query_one("#attention", RecordTable)
        kinds = [str(attention.get_row_at(i)[0]) for i in range(attention.row_count)]
        assert "Workbook received, figures missing" in kinds


async def test_regional_figure_and_target_forms(db, make_service, make_app):
    _setup(db, make_service)
    app = make_app(quarter=26)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("7")
        screen = app.screen
        await pilot.press("b")
        form = app.screen
        form.query_one("#value", Input).value = "101"
        await pilot.press("ctrl+s")
        assert app.screen is form and "between 0 and 100" in _text(
            form.query_one("#form-error", Static))
        form.query_one("#value", Input).value = "97.5"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert db.execute("SELECT value FROM kpi_benchmarks").fetchone()[0] == "97.5"
        await pilot.pause()
        assert "97.50" in _text(screen.query_one("#kpi-tables-body", Static))
        await pilot.press("T")
        form = app.screen
        assert form.query_one("#target", Input).value == "68.2"
        form.query_one("#target", Input).value = "20"
        form.query_one("#tolerance", Input).value = "0"            # refused: both unsaved
        await pilot.press("ctrl+s")
        assert app.screen is form
        assert db.execute("SELECT target FROM kpi_targets WHERE id = 'kpi2 2009/10'"
                          ).fetchone()[0] == "68.2"
        form.query_one("#tolerance", Input).value = "3"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert db.execute("SELECT target FROM kpi_targets WHERE id = 'kpi2 2009/10'"
                          ).fetchone()[0] == "20"
        await pilot.pause()
        assert _column(app, 8)[0] == "Green"                     # S1 25% against 20%
