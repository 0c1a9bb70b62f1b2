"""Issue 13, bug 1: a name such as HOSTILE crashed the app (MarkupError) from a form title.
User text must never be parsed as markup anywhere: form titles, labels, toasts,
confirmations, the header. Each place is visited here with that name."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Input, Label

from sp_tui.domain.quarters import Quarter
from sp_tui.services.workbook_runs import issue_defaults
from sp_tui.services.workbooks import receive_workbook
from sp_tui.store.connection import open_db
from sp_tui.tui.app import SpTuiApp
from sp_tui.tui.screens.workbooks import WorkbooksScreen
from sp_tui.tui.widgets.confirm import ConfirmModal
from sp_tui.tui.widgets.form import FormModal
from tests.tui.conftest import TODAY

HOSTILE = "[/b] =cmd|' /C calc'!A0 <script>"
Q26 = Quarter(26)


def add_hostile(make_service, ref: str = "SP001") -> None:
    make_service(service_ref=ref, service_name=HOSTILE, provider=HOSTILE + " Trust")


def title_of(screen) -> str:
    return str(screen.query_one(".form-title, .title", Label).render())


async def _workbooks(app, pilot) -> WorkbooksScreen:
    await pilot.press("4")
    await pilot.pause()
    assert isinstance(app.screen, WorkbooksScreen)
    return app.screen


async def test_workbook_forms_toasts_and_undo_show_the_name_as_typed(db, make_service,
                                                                     make_app):
    add_hostile(make_service)
    app = make_app(quarter=26)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await _workbooks(app, pilot)
        for key in ("r", "e"):                     # receive, excuse: the form titles
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, FormModal)
            assert HOSTILE in title_of(app.screen)
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is screen
        await pilot.press("r", "ctrl+s")           # received today: a toast names it
        await pilot.pause()
        toasts = [n.message for n in app._notifications]
        assert any("SP001 Q26 Jul-Sep 2009: workbook received" in t and "u to undo" in t
                   for t in toasts)
        await pilot.press("x")                     # reject: the form title
        await pilot.pause()
        assert HOSTILE in title_of(app.screen)
        await pilot.press("escape")
        await pilot.press("u")
        await pilot.pause()
        assert any(t.startswith("SP001 Q26 Jul-Sep 2009: undone") for t in
                   (n.message for n in app._notifications))
    assert app.return_code in (None, 0)


async def test_withdraw_form_and_batch_confirmation(db, make_service, make_app):
    add_hostile(make_service)
    issue_defaults(db, Q26, issued=TODAY - timedelta(days=1), today=TODAY)
    app = make_app(quarter=26)
    async with app.run_test(size=(140, 45)) as pilot:
        await _workbooks(app, pilot)
        await pilot.press("w")
        await pilot.pause()
        assert HOSTILE in title_of(app.screen)
        await pilot.press("escape")
    add_hostile(make_service, "SP002")
    receive_workbook(db, "SP001", Q26, "2009-10-01", today=TODAY)
    app = make_app(quarter=26)
    async with app.run_test(size=(140, 45)) as pilot:
        await _workbooks(app, pilot)
        await pilot.press("m", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        assert HOSTILE in app.screen.body
        await pilot.press("n")
    assert app.return_code in (None, 0)


async def test_services_and_visits_forms(db, make_service, make_app):
    add_hostile(make_service)
    app = make_app(quarter=26)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("e")                     # edit the service: its values
        await pilot.pause()
        assert isinstance(app.screen, FormModal)
        assert app.screen.query_one("#service_name", Input).value == HOSTILE
        await pilot.press("escape")
        await pilot.press("3", "a")                # a visit to it: the name shown
        await pilot.pause()
        form = app.screen
        form.query_one("#service_ref", Input).value = "SP001"
        await pilot.pause()
        await pilot.press("escape", "d")
    assert app.return_code in (None, 0)


async def test_header_with_a_database_file_named_so(tmp_path, make_service):
    path = tmp_path / "[b]x [red].sqlite"
    db = open_db(path)
    app = SpTuiApp(db, today=TODAY, quarter=Q26, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "[b]x [red].sqlite" in app.sub_title
        app.notify("[/b] direct toast", markup=True)   # even when a caller asks for markup
        await pilot.pause()
    assert app.return_code in (None, 0)
    db.close()
