"""The Reconnection screen: tables live, the heat map, missing returns, and a monthly return
typed into the grid."""

from __future__ import annotations

from textual.widgets import DataTable, Static, TabbedContent

from sp_tui.domain.reconnection import ENTRANT, LEAVER, NOT_KNOWN, OUT_OF_COUNTY
from sp_tui.reports.reconnection import return_sheet
from sp_tui.services.reconnection import import_reconnection
from sp_tui.tui.screens.reconnection import ReconnectionScreen
from sp_tui.tui.widgets.reconnection_grid import ReturnGrid, ReturnPicker
from sp_tui.tui.widgets.record_table import RecordTable
from tests.tui.conftest import TODAY, type_text

ORIGINS = ["Ashford", "Canterbury", "Dartford", "Dover", "Gravesham", "Maidstone",
           "Sevenoaks", "Shepway", "Swale", "Thanet", "Tonbridge & Malling", "Tunbridge Wells",
           OUT_OF_COUNTY]


def seed(db, make_service):
    make_service(service_ref="SP001", district="Thanet", client_group="Rough sleepers")
    make_service(service_ref="SP002", district="Dover", client_group="Young people at risk",
                 service_name="Dover [b]Foyer[/b]")
    rows = [
        {"service_ref": "SP001", "month": "2009-01", "movement": "in", "client_group": "",
         "origin": "Canterbury", "settled": "", "count": 3},
        {"service_ref": "SP001", "month": "2009-01", "movement": "out", "client_group": "",
         "origin": "Thanet", "settled": "Thanet", "count": 4},
        {"service_ref": "SP001", "month": "2009-02", "movement": "out", "client_group": "",
         "origin": "Dover", "settled": "Thanet", "count": 1},
    ]
    import_reconnection(db, list(enumerate(rows, 2)), today=TODAY)


async def open_screen(pilot, app) -> ReconnectionScreen:
    await pilot.press(ReconnectionScreen.AREA_KEY)
    await pilot.pause()
    assert isinstance(app.screen, ReconnectionScreen)
    return app.screen


async def wait_for(pilot, app, kind):
    for _ in range(50):
        if isinstance(app.screen, kind):
            return app.screen
        await pilot.pause(0.02)
    raise AssertionError(f"{kind.__name__} did not open; showing {app.screen!r}")


async def test_tables_heat_map_and_missing_returns(db, make_service, make_app):
    seed(db, make_service)
    app = make_app(quarter=24)
    async with app.run_test(size=(150, 45)) as pilot:
        screen = await open_screen(pilot, app)
        summary = str(screen.query_one("#recon-summary", Static).render())
        assert "3 entrants · 5 leavers · 4 reconnected to their own district" in summary
        # SP001 sent January and February; March, and all three of SP002's, are missing
        assert "4 monthly returns missing" in summary
        await pilot.press("h")
        await pilot.pause()
        assert screen.query_one(TabbedContent).active == "recon-heat-pane"
        heat = screen.query_one("#recon-heat-body", Static).render()
        assert heat is not None
        await pilot.press("m")
        await pilot.pause()
        table = screen.query_one("#recon-missing", RecordTable)
        assert table.row_count == 4
        names = [table.get_row_at(i)[1].plain for i in range(table.row_count)]
        assert "Dover [b]Foyer[/b]" in names  # shown as typed, never as markup


async def test_typing_a_monthly_return_in_the_grid(db, make_service, make_app):
    seed(db, make_service)
    app = make_app(quarter=24)
    async with app.run_test(size=(150, 45)) as pilot:
        screen = await open_screen(pilot, app)
        await pilot.press("m")
        await pilot.pause()
        table = screen.query_one("#recon-missing", RecordTable)
        keys = [table.get_row_at(i)[0].plain + " " + table.get_row_at(i)[4].plain
                for i in range(table.row_count)]
        table.move_cursor(row=keys.index("SP001 Mar 2009"))
        await pilot.press("r")
        picker = await wait_for(pilot, app, ReturnPicker)
        assert picker.query_one("#picker-month").value == "2009-03"
        await pilot.press("enter")
        grid = await wait_for(pilot, app, ReturnGrid)
        # Entrants: cursor starts on the first origin (Ashford); 2 from Ashford, 1 from
        # Dover (three cells on), 12 from out of the county
        await type_text(pilot, "2")
        await pilot.press("enter", "enter", "enter")
        await type_text(pilot, "1")
        await pilot.press(*["right"] * (ORIGINS.index(OUT_OF_COUNTY) - 3))
        await type_text(pilot, "13")
        await pilot.press("backspace")
        await type_text(pilot, "2")
        assert "Entrants 15" in str(grid.query_one("#grid-status", Static).render())
        # Leavers: rows are (client group, origin); the first row is from Ashford
        await pilot.press("t")
        await pilot.pause()
        data_table = grid.query_one(DataTable)
        assert data_table.get_row_at(0)[0].plain == "Rough sleepers · Ashford"
        await type_text(pilot, "1")  # Ashford -> Ashford
        await pilot.press(*["right"] * 13)  # to "Not known"
        await type_text(pilot, "2")
        await pilot.press("ctrl+s")
        await wait_for(pilot, app, ReconnectionScreen)
        await pilot.pause()
    sheet = return_sheet(db, "SP001", "2009-03")
    assert sheet.received_date == TODAY.isoformat()
    assert sheet.cells == {
        (ENTRANT, "Rough sleepers", "Ashford", ""): 2,
        (ENTRANT, "Rough sleepers", "Dover", ""): 1,
        (ENTRANT, "Rough sleepers", OUT_OF_COUNTY, ""): 12,
        (LEAVER, "Rough sleepers", "Ashford", "Ashford"): 1,
        (LEAVER, "Rough sleepers", "Ashford", NOT_KNOWN): 2,
    }


async def test_escape_leaves_the_grid_without_writing(db, make_service, make_app):
    seed(db, make_service)
    app = make_app(quarter=24)
    async with app.run_test(size=(150, 45)) as pilot:
        await open_screen(pilot, app)
        await pilot.press("r")
        await wait_for(pilot, app, ReturnPicker)
        await type_text(pilot, "SP002")
        await pilot.press("tab")
        await type_text(pilot, "2009-02")
        await pilot.press("enter")
        await wait_for(pilot, app, ReturnGrid)
        await type_text(pilot, "5")
        await pilot.press("escape")
        await wait_for(pilot, app, ReconnectionScreen)
    assert return_sheet(db, "SP002", "2009-02").received_date is None
