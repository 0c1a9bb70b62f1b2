"""The change history: who changed what, newest first; search and pages in SQL."""

from __future__ import annotations

import sqlite_utils
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Static

from sp_tui.reports.audit import ChangeQuery, changes_page
from sp_tui.reports.paging import PAGE_SIZE
from sp_tui.tui.screens.base import Request
from sp_tui.tui.screens.table import ListState, Loaded, TableScreen
from sp_tui.tui.widgets.record_table import RecordTable
from sp_tui.tui.widgets.search_input import SearchInput


class HistoryScreen(TableScreen):
    AREA_ID = "history"
    COLUMNS = [("When", "at"), ("Who", "who"), ("Action", "action"), ("What", "summary"),
               ("Old", "old"), ("New", "new")]
    NOUN = "changes, newest first"
    BINDINGS = [
        Binding("slash", "focus_search", "Search", key_display="/", id="history.search"),
        Binding("n", "page(1)", "Next page", show=False, id="history.next_page"),
        Binding("p", "page(-1)", "Prev page", show=False, id="history.prev_page"),
        Binding("escape", "focus_table", "Table", show=False),
    ]

    def compose_body(self) -> ComposeResult:
        with Horizontal(classes="toolbar"):
            yield SearchInput(placeholder="Search what, who or action   ( / )", id="search")
        yield Static("", classes="status-line", id="summary")
        yield RecordTable(id="history-table")

    def fetch_page(self, db: sqlite_utils.Database, request: Request,
                   state: ListState) -> Loaded:
        page = changes_page(db, ChangeQuery(search=state.search, offset=state.offset,
                                            limit=PAGE_SIZE))
        rows: list[tuple[str, list[object]]] = [
            (f"{state.offset + i}", [e.at.replace("T", " "), e.who, e.action, e.summary,
                                     Text(_short(e.old_values), style="red"),
                                     Text(_short(e.new_values), style="green")])
            for i, e in enumerate(page.rows)]
        return Loaded(rows, page.total, state.offset)

    def position_text(self, data: Loaded) -> Text:
        return super().position_text(data) + Text("  (sp-tui history prints the same)",
                                                  style="dim")


def _short(text: str | None, width: int = 60) -> str:
    if not text:
        return ""
    return text if len(text) <= width else text[: width - 1] + "…"
