"""The Outcomes screen shows Appendices 3-5 live and the services with missing returns."""

from __future__ import annotations

from rich.console import Console
from textual.widgets import Static

from sp_tui.services.outcomes import import_outcome_returns
from sp_tui.services.registry import import_services
from sp_tui.tui.areas import ui_area
from sp_tui.tui.screens.outcomes import OutcomesScreen
from sp_tui.tui.widgets.record_table import RecordTable
from tests.conftest import service_fields
from tests.tui.conftest import press, press_for, settle


def _return(ref: str, day: str, **answers) -> dict:
    row = {"service_ref": ref, "departure_date": day, "client_group": "Generic",
           "planned_move": "yes", "greater_independence": "yes"}
    row.update(answers)
    return row


def _text(widget) -> str:
    console = Console(width=200, record=True)
    console.print(widget.content)
    return console.export_text()


async def _open_outcomes(pilot, app) -> None:
    await press_for(pilot, OutcomesScreen, ui_area("outcomes").key)


async def test_outcomes_screen_updates_when_returns_arrive(db, make_app):
    import_services(db, [(2, service_fields(service_ref="WR1", service_type="Women's refuge",
                                            start_date="2005-04-01")),
                         (3, service_fields(service_ref="FO1", service_type="Foyer",
                                            start_date="2005-04-01"))])
    import_outcome_returns(db, [(2, _return("WR1", "2009-01-10", income_need="yes",
                                            income_achieved="yes"))], today=None)
    app = make_app(quarter=24)
    async with app.run_test(size=(160, 50)) as pilot:
        await _open_outcomes(pilot, app)
        screen = app.screen
        assert "1 outcome returns" in _text(screen.query_one("#summary", Static))
        a5 = _text(screen.query_one("#t-table5_1", Static))
        assert "100.0%" in a5 and "success rate by service type" in a5
        # FO1 made no return in Q24: it is listed as missing.
        missing = screen.query_one(RecordTable)
        assert [str(missing.get_row_at(i)[0]) for i in range(missing.row_count)] == ["FO1"]
        import_outcome_returns(db, [(2, _return("FO1", "2009-02-01", income_need="yes",
                                                income_achieved="no"))])
        await settle(pilot)  # the commit refreshes the screen by itself
        assert "2 outcome returns" in _text(screen.query_one("#summary", Static))
        assert "50.0%" in _text(screen.query_one("#t-appendix4", Static))
        assert missing.row_count == 0


async def test_y_switches_to_the_year_to_date(db, make_app):
    import_services(db, [(2, service_fields(service_ref="WR1", service_type="Women's refuge"))])
    import_outcome_returns(db, [(2, _return("WR1", "2008-05-10")),
                                (3, _return("WR1", "2009-01-10"))])
    app = make_app(quarter=24)
    async with app.run_test(size=(160, 50)) as pilot:
        await _open_outcomes(pilot, app)
        summary = app.screen.query_one("#summary", Static)
        assert "1 outcome returns" in _text(summary)
        await press(pilot, "y")
        await settle(pilot)
        assert "2008/09 to Q24: 2 outcome returns" in _text(summary)
        await press(pilot, "y")
        await settle(pilot)
        assert "Quarter 24: 1 outcome returns" in _text(summary)


async def test_the_dashboard_opens_a_service_with_missing_returns(db, make_app):
    from sp_tui.tui.screens.dashboard import DashboardScreen

    import_services(db, [(2, service_fields(service_ref="WR1", service_type="Women's refuge")),
                         (3, service_fields(service_ref="FO1", service_type="Foyer"))])
    import_outcome_returns(db, [(2, _return("WR1", "2009-01-10"))])
    app = make_app(quarter=24)  # Q24 closed before the tests' today
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)  # the dashboard loads in a worker
        assert isinstance(app.screen, DashboardScreen)
        attention = app.screen.query_one("#attention", RecordTable)
        rows = [attention.get_row_at(i) for i in range(attention.row_count)]
        found = [i for i, r in enumerate(rows) if str(r[0]) == "No outcome returns"]
        assert len(found) == 1 and "FO1" in str(rows[found[0]][1])
        attention.focus()
        attention.move_cursor(row=found[0])
        await pilot.press("enter")
        for _ in range(50):
            if isinstance(app.screen, OutcomesScreen):
                break
            await pilot.pause()
        await pilot.pause()
        table = app.screen.query_one("#missing", RecordTable)
        assert str(table.get_row_at(table.cursor_row)[0]) == "FO1"
