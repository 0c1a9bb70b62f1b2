"""The Report screen: contents, the selected table with its sentences, live; export."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList, Static

from sp_tui.services.complaints import import_complaints
from sp_tui.tui.screens.report import ReportScreen
from tests.acceptance.test_qaf_tables import q24_records
from tests.tui.conftest import TODAY, press, press_for, settle


def seed(db):
    from sp_tui.services.registry import import_services
    from sp_tui.services.visits import import_visits

    services, visits = q24_records()
    import_services(db, list(enumerate(services, start=2)), source="test")
    import_visits(db, list(enumerate(visits, start=2)), today=TODAY, source="test")


def page_text(screen) -> str:
    from rich.console import Console

    console = Console(width=160, record=True)
    console.print(screen.query_one("#page", Static).content)
    return " ".join(console.export_text().split())


async def pick(pilot, screen, title: str) -> None:
    contents = screen.query_one("#contents", OptionList)
    for index in range(contents.option_count):
        if str(contents.get_option_at_index(index).prompt).strip().startswith(title):
            contents.highlighted = index
            await pilot.pause()
            return
    raise AssertionError(f"{title} is not in the contents")


async def test_the_report_reads_section_by_section_and_follows_the_records(db, make_app):
    seed(db)
    app = make_app(quarter=24)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.click("#tab-report")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        check = str(screen.query_one("#check-line", Static).content)
        assert "Passed" in check
        await pick(pilot, screen, "6.0 Quality monitoring")
        text = page_text(screen)
        assert "26 were completed, 5 were not completed by quarter close." in text
        assert "[Commentary]" in text
        await pick(pilot, screen, "Table 7")
        text = page_text(screen)
        assert "Lower grade" in text and "16 (62%) were awarded a higher grade" in text
        await pick(pilot, screen, "7.0 Complaints")
        assert "No complaints were received in Quarter 24." in page_text(screen)
        import_complaints(db, [(2, {"ref": "C1", "service_ref": "Q01",
                                    "received_date": "2009-02-01", "summary": "Heating",
                                    "status": "open", "closed_date": None})],
                          today=TODAY, source="test")
        await settle(pilot)
        assert "One complaint was received in Quarter 24. It remains open." \
            in page_text(screen)


async def test_export_the_document_from_the_report_screen(db, make_app, tmp_path: Path):
    seed(db)
    app = make_app(quarter=24)
    target = tmp_path / "report.docx"
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.click("#tab-report")
        await settle(pilot)
        await pilot.press("x")
        modal = app.screen
        modal.query_one("#path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Written" in str(modal.query_one("#result", Static).render())
    from docx import Document

    text = "\n".join(p.text for p in Document(str(target)).paragraphs)
    assert "Visits to 31 services were begun during the quarter." in text


async def test_report_export_asks_before_replacing_an_existing_file(db, make_app, tmp_path: Path):
    from sp_tui.tui.widgets.confirm import ConfirmModal
    from sp_tui.tui.widgets.export_modal import ReportExportModal

    seed(db)
    app = make_app(quarter=24)
    target = tmp_path / "report.docx"
    target.write_bytes(b"the officer's own document")
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.click("#tab-report")
        await settle(pilot)
        modal = await press_for(pilot, ReportExportModal, "x")
        modal.query_one("#path", Input).value = str(target)
        confirm = await press_for(pilot, ConfirmModal, "ctrl+s")
        assert "Replace report.docx?" in confirm.title_text
        await press(pilot, "enter")  # the focused answer is No
        assert app.screen is modal
        assert "Not written" in str(modal.query_one("#result", Static).render())
    assert target.read_bytes() == b"the officer's own document"
