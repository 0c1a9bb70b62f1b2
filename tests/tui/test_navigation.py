"""Navigation that scales: the UI registry, the Go to list, palette entries, loads that a
newer one supersedes."""

from __future__ import annotations

import io
import threading

from sp_tui.services.registry import import_services
from sp_tui.tui.areas import UI_AREAS, ui_area
from sp_tui.tui.screens.audit import HistoryScreen
from sp_tui.tui.screens.base import AreaScreen
from sp_tui.tui.screens.go_to import GoToModal
from sp_tui.tui.screens.services import ServicesScreen
from sp_tui.tui.widgets.record_table import RecordTable
from tests.conftest import service_fields
from tests.tui.conftest import press, press_for, settle, wait_for_screen


def seed(db, n=3):
    import_services(db, [(i + 2, service_fields(service_ref=f"SP{i:03d}",
                                                service_name=f"Home {i}"))
                         for i in range(n)])


def test_every_registered_screen_declares_its_area():
    for area in UI_AREAS:
        screen = area.screen_class()
        assert issubclass(screen, AreaScreen)
        assert screen.AREA_ID == area.area_id


async def test_cold_start_builds_only_the_first_screen(db, make_app):
    seed(db)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert [type(s).__name__ for s in app.screen_stack] == ["DashboardScreen"]
        assert set(app._screen_stacks) == {"_default", "dashboard"}


async def test_g_then_a_letter_opens_any_area(db, make_app):
    seed(db)
    app = make_app()
    async with app.run_test(size=(80, 30)) as pilot:
        modal = await press_for(pilot, GoToModal, "g")
        from rich.console import Console
        from textual.widgets import Static

        console = Console(width=80, record=True, file=io.StringIO())
        console.print(modal.query_one("#go-to-list", Static).content)
        listed = console.export_text()
        for area in UI_AREAS:
            assert f"{area.letter}  {area.title}" in listed
        await press_for(pilot, HistoryScreen, ui_area("history").letter)
        await press_for(pilot, GoToModal, "g")
        await press_for(pilot, HistoryScreen, "escape")  # Esc: stays where it was
        await press_for(pilot, ServicesScreen, "g", ui_area("services").letter)


async def test_the_palette_offers_go_to_every_area(db, make_app):
    from sp_tui.tui.commands import AreaCommands

    seed(db)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        provider = AreaCommands(app.screen)
        titles = [title for title, _, _ in provider._commands()]
        for area in UI_AREAS:
            assert f"go to: {area.title.lower()}" in titles
        go = dict((t, c) for t, _, c in provider._commands())["go to: history"]
        go()
        await wait_for_screen(pilot, HistoryScreen)


async def test_a_stale_load_never_overwrites_a_newer_one(db, make_app, monkeypatch):
    seed(db, 3)
    release = threading.Event()
    original = ServicesScreen.fetch_page

    def fetch_page(self, db, request, state):
        if state.search == "slow":
            release.wait(10)  # finishes after the newer load
        return original(self, db, request, state)

    monkeypatch.setattr(ServicesScreen, "fetch_page", fetch_page)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await press_for(pilot, ServicesScreen, "2")
        screen.update_state(search="slow")       # matches nothing, and is slow
        await pilot.pause()
        screen.update_state(search="SP001")      # the newer query
        for _ in range(100):
            if not screen.loading_data:
                break
            await pilot.pause(0.01)
        table = screen.query_one(RecordTable)
        assert table.row_count == 1
        release.set()
        await settle(pilot)
        assert table.row_count == 1              # the slow result was dropped
        assert screen.state.search == "SP001"


async def test_history_searches_and_lists_every_change(db, make_app):
    seed(db, 3)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await press_for(pilot, HistoryScreen, "9")
        total = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
        assert screen.query_one(RecordTable).row_count == total
        screen.set_search("SP001")
        await settle(pilot)
        assert 0 < screen.query_one(RecordTable).row_count < total
        assert "of" in str(screen.query_one("#summary").render())


async def test_a_write_elsewhere_refreshes_the_screen_without_being_told(db, make_app):
    seed(db, 1)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await press_for(pilot, ServicesScreen, "2")
        seed(db, 2)          # through the services layer, on the app's connection
        await settle(pilot)
        assert screen.query_one(RecordTable).row_count == 2
        await press(pilot, "1")
