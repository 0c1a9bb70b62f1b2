"""Services screen -> `v`: a service's contract history; `a` adds a version through the form;
bad input keeps the form open with the message and writes nothing; `g` sets a grant."""

from __future__ import annotations

from textual.widgets import Input, Select

from sp_tui.reports.contract import contract_history, grant_for
from sp_tui.services.registry import import_services
from sp_tui.tui.screens.contracts import ContractsScreen
from sp_tui.tui.screens.services import ServicesScreen
from sp_tui.tui.widgets.contract_form import ContractVersionForm, GrantForm
from sp_tui.tui.widgets.record_table import RecordTable
from tests.conftest import service_fields
from tests.tui.conftest import type_text


def seed(db) -> str:
    import_services(db, [(2, service_fields(service_ref="SP001", service_name="[b]Harbour[/b]",
                                            household_units=12))])
    return db.execute("SELECT id FROM services").fetchone()[0]


async def open_history(app, pilot) -> ContractsScreen:
    await pilot.press("2")
    await pilot.wait_for_scheduled_animations()
    assert isinstance(app.screen, ServicesScreen)
    await pilot.press("v")
    await pilot.pause()
    assert isinstance(app.screen, ContractsScreen)
    return app.screen


async def fill(pilot, form, **values) -> None:
    for name, value in values.items():
        widget = form.query_one(f"#{name}", Input)
        widget.value = ""
        widget.focus()
        await pilot.pause()
        await type_text(pilot, value)


async def test_history_then_add_a_version_that_closes_the_previous_one(db, make_app):
    sid = seed(db)
    app = make_app(quarter=24)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_history(app, pilot)
        assert screen.query_one(RecordTable).row_count == 1
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ContractVersionForm)
        # starts from the version in force: the units are filled in
        assert form.query_one("#household_units", Input).value == "12"
        await fill(pilot, form, start_date="2008-04-01", household_units="20",
                   annual_value="125000.50")
        form.query_one("#contract_type", Select).value = "block subsidy"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ContractsScreen)
        assert app.screen.query_one(RecordTable).row_count == 2
    history = contract_history(db, sid)
    assert [(r.start_date, r.end_date, r.contract_type, r.household_units,
             r.annual_value_pence) for r in history] == [
        ("2008-04-01", None, "block subsidy", 20, 12_500_050),
        ("2005-04-01", "2008-03-31", "block gross", 12, 0)]
    assert db.execute("SELECT household_units FROM services").fetchone()[0] == 20


async def test_an_overlapping_or_bad_version_keeps_the_form_open_and_writes_nothing(db, make_app):
    sid = seed(db)
    app = make_app(quarter=24)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_history(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        await fill(pilot, form, start_date="2005-04-01", annual_value="10.123")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        errors = {e.id: str(e.render()) for e in form.query(".field-error")}
        assert "two decimals" in errors["error-annual_value"]
        await fill(pilot, form, annual_value="10")
        form.query_one("#contract_type", Select).value = "block gross"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "already starts" in str(form.query_one("#error-start_date").render())
        await pilot.press("escape", "d")  # discard what was typed
        await pilot.pause()
        assert isinstance(app.screen, ContractsScreen)
    assert len(contract_history(db, sid)) == 1


async def test_g_sets_the_grant_of_the_selected_quarters_year(db, make_app):
    seed(db)
    app = make_app(quarter=24)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_history(app, pilot)
        await pilot.press("g")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, GrantForm)
        assert form.query_one("#financial_year", Input).value == "2008/09"
        await type_text(pilot, "32024915")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ContractsScreen)
        assert "£32,024,915.00" in str(app.screen.query_one("#contract-summary").render())
    assert grant_for(db, "2008/09") == 32_024_915_00
