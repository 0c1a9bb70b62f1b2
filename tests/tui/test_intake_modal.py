"""Workbooks out and in from the app (issue 18): the palette writes the templates; the
intake modal reads a folder, shows what would happen, and receives after a confirmation."""

from __future__ import annotations

from openpyxl import load_workbook
from textual.widgets import DataTable, Input, Static

from sp_tui.domain.quarters import Quarter
from sp_tui.services.workbook_templates import (
    DENOMINATOR_CELL, MAIN_SHEET, NUMERATOR_CELL, templates_folder,
)
from sp_tui.tui.widgets.confirm import ConfirmModal
from sp_tui.tui.widgets.intake_modal import IntakeModal
from tests.conftest import service_fields
from tests.tui.conftest import press, settle, type_text, wait_for_screen


def _services(db):
    from sp_tui.services.registry import import_services

    import_services(db, [(2, service_fields(service_ref="SP1", term="long")),
                         (3, service_fields(service_ref="SP2"))])


async def _palette(pilot, words: str) -> None:
    await press(pilot, "ctrl+p")
    await type_text(pilot, words)
    await settle(pilot)
    await press(pilot, "enter")
    await settle(pilot)


async def test_templates_then_intake_from_the_palette(db, make_app, tmp_path):
    _services(db)
    app = make_app(quarter=24)
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, "4")
        await _palette(pilot, "write templates for providers")
        confirm = await wait_for_screen(pilot, ConfirmModal)
        assert "Write 2 workbook templates for Q24" in confirm.title_text
        await press(pilot, "y")
        folder = templates_folder(db, Quarter(24))
        files = sorted(folder.glob("*.xlsx"))
        assert len(files) == 2 and (folder / "mail-merge.csv").exists()

        returned = tmp_path / "returned"
        returned.mkdir()
        for path in files:
            book = load_workbook(path)
            book[MAIN_SHEET][NUMERATOR_CELL] = 1
            book[MAIN_SHEET][DENOMINATOR_CELL] = 4 if "SP1" in path.name else None
            book.save(returned / path.name)

        await _palette(pilot, "intake returned workbooks")
        modal = await wait_for_screen(pilot, IntakeModal)
        modal.query_one("#in-folder", Input).value = str(returned)
        modal.query_one("#in-date", Input).value = "2009-04-20"
        await press(pilot, "enter")
        await app.workers.wait_for_complete()
        await settle(pilot)
        table = modal.query_one("#in-results", DataTable)
        outcomes = sorted(str(table.get_row_at(i)[1]) for i in range(table.row_count))
        assert outcomes == ["received", "rejected"]
        message = str(modal.query_one("#in-message", Static).render())
        assert "1 received, 1 rejected" in message and "Nothing has been written" in message
        assert db.execute("SELECT count(*) FROM workbooks").fetchone()[0] == 0

        modal.query_one("#in-apply").press()
        confirm = await wait_for_screen(pilot, ConfirmModal)
        assert "receive 1" in confirm.title_text
        await press(pilot, "y")
        await settle(pilot)
        assert not isinstance(app.screen, IntakeModal)
        assert db.execute("SELECT received_date FROM workbooks").fetchall() == [
            ("2009-04-20",)]
        assert db.execute("SELECT kpi1_independent, kpi1_users FROM kpi_figures"
                          ).fetchall() == [(1, 4)]


async def test_the_intake_modal_keeps_a_bad_folder_open_with_a_message(db, make_app,
                                                                     tmp_path):
    _services(db)
    app = make_app(quarter=24)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "4")
        await _palette(pilot, "intake returned workbooks")
        modal = await wait_for_screen(pilot, IntakeModal)
        modal.query_one("#in-folder", Input).value = str(tmp_path / "missing")
        await press(pilot, "enter")
        assert isinstance(app.screen, IntakeModal)
        assert "is not a folder" in str(modal.query_one("#in-message", Static).render())
        assert modal.query_one("#in-apply").disabled
        await press(pilot, "escape")
        assert not isinstance(app.screen, IntakeModal)
