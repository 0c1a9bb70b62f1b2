"""80×24 (issue 13, frictions 1 and 10): the record list keeps its rows and columns, the
search box keeps its width, panels come back with t, the dashboard scrolls without Tab."""

from __future__ import annotations

import pytest
from rich.console import Console
from textual.containers import VerticalScroll
from textual.widgets import Input, Static

from sp_tui.tui.screens.dashboard import DashboardScreen
from sp_tui.tui.screens.visits import VisitsScreen
from sp_tui.tui.screens.workbooks import WorkbooksScreen
from sp_tui.tui.widgets.record_table import RecordTable
from tests.tui.conftest import press, settle

SMALL = (80, 24)


@pytest.fixture
def demo(db):
    from sp_tui.areas import build_demo
    from tests.tui.conftest import TODAY

    build_demo(db, 1, today=TODAY)
    return db


def _text(widget: Static) -> str:
    console = Console(width=200, record=True)
    console.print(widget.content)
    return console.export_text()


async def test_dashboard_scrolls_with_page_down_from_the_list(demo, make_app):
    app = make_app(quarter=26)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        assert isinstance(app.focused, RecordTable)  # the needs-attention list
        scroll = screen.query_one("#panel-scroll", VerticalScroll)
        assert scroll.scroll_y == 0 and scroll.max_scroll_y > 0
        assert "PgDn/PgUp scroll" in _text(screen.query_one("#attention-title", Static))
        await press(pilot, "pagedown")
        await pilot.pause(0.1)
        assert scroll.scroll_y > 0
        assert isinstance(app.focused, RecordTable)  # the list kept the focus
        await press(pilot, "pageup")
        await pilot.pause(0.1)
        assert scroll.scroll_y == 0


async def test_dashboard_table2_shows_figures_at_80_columns(demo, make_app):
    app = make_app(quarter=26)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        panel = app.screen.query_one("#panel-table2", Static)
        assert panel.size.width >= 70  # one column of panels: the full width
        console = Console(width=panel.size.width, record=True)
        console.print(panel.content)
        text = console.export_text()
        assert "Q26" in text and "…" not in text


async def test_workbooks_list_keeps_the_rows_and_table2_is_behind_t(demo, make_app):
    app = make_app(quarter=26)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "4")
        screen = app.screen
        assert isinstance(screen, WorkbooksScreen)
        table, table2 = screen.table, screen.query_one("#wb-table2")
        assert table.size.height >= 10 and not table2.display
        assert screen.query_one("#wb-search", Input).size.width >= 20
        await press(pilot, "t")
        assert table2.display and not table.display  # Table 2 in the list's place
        await press(pilot, "t")
        assert table.display and not table2.display and table.size.height >= 10


async def test_workbooks_table2_stays_beside_the_list_on_a_tall_terminal(demo, make_app):
    app = make_app(quarter=26)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        await press(pilot, "4")
        table2 = app.screen.query_one("#wb-table2")
        assert table2.display and app.screen.table.display
        await press(pilot, "t")
        assert not table2.display


async def test_visits_keep_their_columns_and_t_shows_the_panels(demo, make_app):
    app = make_app(quarter=26)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "3")
        screen = app.screen
        assert isinstance(screen, VisitsScreen)
        history, tables = screen.query_one("#history"), screen.query_one("#qaf-panel")
        assert not history.display and not tables.display
        visits = screen.query_one("#visits-table", RecordTable)
        columns = sum(c.get_render_width(visits) for c in visits.columns.values())
        # every column in view (beside the scrollbar), no side scrolling
        assert columns <= visits.scrollable_content_region.width
        await press(pilot, "t")
        assert history.display and tables.display
        await press(pilot, "t")
        assert not history.display and not tables.display


@pytest.mark.parametrize("key", ["2", "3", "4", "7", "9"])
async def test_the_search_box_never_shrinks_to_nothing(demo, make_app, key):
    app = make_app(quarter=26)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, key)
        for search in app.screen.query(".toolbar Input"):
            assert search.size.width >= 20
