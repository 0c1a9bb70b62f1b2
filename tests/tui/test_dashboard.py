"""The dashboard shows the report tables live, and exports the quarter summary."""

from __future__ import annotations

from openpyxl import load_workbook
from textual.widgets import Input, Static

from sp_tui.domain.quarters import Quarter
from sp_tui.reports.contract import table_1_1
from sp_tui.services.registry import import_services
from sp_tui.tui.screens.dashboard import DashboardScreen
from tests.conftest import service_fields
from tests.tui.conftest import press, settle


def seed(db, n=3):
    import_services(db, [(i + 2, service_fields(service_ref=f"SP{i:03d}")) for i in range(n)])


def panel_text(app, panel_id: str) -> str:
    from rich.console import Console

    console = Console(width=200, record=True)
    console.print(app.screen.query_one(f"#panel-{panel_id}", Static).content)
    return console.export_text()


async def test_dashboard_panel_changes_when_a_record_changes(db, make_app):
    seed(db, 3)
    app = make_app(quarter=24)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)  # the dashboard loads in a worker
        assert isinstance(app.screen, DashboardScreen)
        assert table_1_1(db, Quarter(24)).cell("Number of services", "Q24 Jan-Mar 2009") == 3
        assert "Number of services" in panel_text(app, "contract")
        import_services(db, [(2, service_fields(service_ref="SP999"))])
        await settle(pilot)
        text = panel_text(app, "contract")
        line = next(l for l in text.splitlines() if "Number of services" in l)
        assert line.rstrip(" │").endswith("4")


async def test_export_from_the_dashboard_writes_the_file(db, make_app, tmp_path):
    seed(db, 2)
    app = make_app(quarter=24)
    target = tmp_path / "out" / "summary.xlsx"
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, "x")
        modal = app.screen
        modal.query_one("#path", Input).value = str(target)
        await press(pilot, "ctrl+s")
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert "Written" in str(modal.query_one("#result", Static).render())
    book = load_workbook(target)
    assert book["Cover"]["B3"].value == "Q24 Jan-Mar 2009"


async def test_export_refuses_a_bad_quarter_without_writing(db, make_app, tmp_path):
    seed(db, 1)
    app = make_app(quarter=24)
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, "x")
        modal = app.screen
        modal.query_one("#quarter", Input).value = "Q-x"
        modal.query_one("#path", Input).value = str(tmp_path / "a.xlsx")
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert "quarter" in str(modal.query_one("#result", Static).render())
        assert not (tmp_path / "a.xlsx").exists()
