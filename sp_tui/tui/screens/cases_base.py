"""What the Complaints and Alerts screens share: filter by status and by quarter, open
records first, a page of rows from ``reports``, and a form to log and to update."""

from __future__ import annotations

from typing import ClassVar

import sqlite_utils
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import DataTable, Select, Static

from sp_tui.domain.quarters import Quarter
from sp_tui.tui.screens.base import Request
from sp_tui.tui.screens.table import ListState, Loaded, TableScreen
from sp_tui.tui.widgets.record_table import RecordTable

SCOPES = [("This quarter", "quarter"), ("All quarters", "all")]  # by date received


class CaseListScreen(TableScreen):
    """Subclasses give their columns, status options and noun, and implement ``page``
    (rows for the table and the total), ``summary`` (the quarter's figures), ``attention``
    (a warning line) and ``form``. Filters: ``scope`` (quarter/all) and ``status``."""

    STATUS_OPTIONS: ClassVar[list[tuple[str, str]]] = []
    NOUN: ClassVar[str] = "record"
    EMPTY_HINT: ClassVar[str] = ""
    TABLE: ClassVar[str] = ""
    FILTERS = {"scope": "scope", "status": "status"}
    INITIAL_FILTERS = {"scope": "quarter"}

    DEFAULT_CSS = """
    CaseListScreen .attention { display: none; padding: 0 1; height: auto;
                                background: $error 30%; color: $text; text-style: bold; }
    CaseListScreen .attention.-visible { display: block; }
    """

    def compose_body(self) -> ComposeResult:
        with Horizontal(classes="toolbar"):
            yield Select(SCOPES, value="quarter", allow_blank=False, id="scope")
            yield Select(self.STATUS_OPTIONS, prompt="All statuses", id="status")
        yield Static("", classes="attention", id="attention")
        yield Static("", classes="status-line", id="summary")
        yield Static(self.EMPTY_HINT, classes="empty-state", id="empty")
        yield RecordTable(id=f"{self.AREA_ID}-table")

    def on_mount(self) -> None:
        # Inline: the app stylesheet's width for toolbar selects outranks DEFAULT_CSS.
        self.query_one("#scope", Select).styles.width = 22
        self.query_one("#status", Select).styles.width = 34

    # -- data (worker thread) ----------------------------------------------------------------
    def quarter_filter(self, request: Request, state: ListState) -> Quarter | None:
        return request.quarter if state.filter("scope") == "quarter" else None

    def page(self, db: sqlite_utils.Database, request: Request,
             state: ListState) -> tuple[list[tuple[str, list[object]]], int]:
        raise NotImplementedError

    def summary(self, db: sqlite_utils.Database, request: Request) -> str:
        raise NotImplementedError

    def attention(self, db: sqlite_utils.Database, request: Request) -> str:
        """A warning shown above the table (empty: hidden)."""
        return ""

    def fetch_page(self, db: sqlite_utils.Database, request: Request,
                   state: ListState) -> Loaded:
        rows, total = self.page(db, request, state)
        nothing = db.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {self.TABLE})").fetchone()[0]
        where = request.quarter.label if self.quarter_filter(request, state) else "all quarters"
        return Loaded(rows, total, state.offset, empty=bool(nothing),
                      extra=(self.summary(db, request), self.attention(db, request), where))

    # -- drawing (UI thread) -----------------------------------------------------------------
    def show_extra(self, data: Loaded) -> None:
        summary, warning, self._where = data.extra
        self._summary = summary
        banner = self.query_one("#attention", Static)
        banner.update(Text(warning))
        banner.set_class(bool(warning), "-visible")

    def position_text(self, data: Loaded) -> Text:
        shown = (f"{data.offset + 1:,}-{data.offset + len(data.rows):,} of {data.total:,}"
                 if data.total else "none")
        text = f"{self._summary}  ·  Listed ({self._where}): {shown}"
        if data.total > len(data.rows) and data.total > 0:
            text += "  ·  n/p: next/previous page"
        return Text(text)

    # -- opening a record --------------------------------------------------------------------
    def status_to_show(self, record_id: str) -> str | None:
        """The status filter under which ``record_id`` is best shown (None: all)."""
        return None

    def show_record(self, record_id: str) -> None:
        """Opened from the dashboard: widen the filters so the record is listed, select it."""
        status = self.status_to_show(record_id)
        with self.prevent(Select.Changed):
            self.query_one("#scope", Select).value = "all"
            self.query_one("#status", Select).value = status if status else Select.NULL
        self._select_after_load = record_id
        self.update_state(filters=self.state.with_filters(scope="all", status=status))
        if not self.loading_data:
            self.select(record_id)
        self.table.focus()

    # -- log / update ----------------------------------------------------------------------
    def form(self, record_id: str | None) -> ModalScreen[str | None]:
        raise NotImplementedError

    def action_add(self) -> None:
        self._open_form(None)

    def action_edit(self) -> None:
        record_id = self.selected_key()
        if record_id is None:
            self.notify(f"No {self.NOUN} selected.", severity="warning")
            return
        self._open_form(record_id)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self._open_form(event.row_key.value)

    def _open_form(self, record_id: str | None) -> None:
        def saved(result: str | None) -> None:
            if result:
                self.notify(f"{self.NOUN.capitalize()} saved.")
                self.select_after_load(result)

        self.app.push_screen(self.form(record_id), saved)

