"""What the Complaints and Alerts screens share: filter by status and by quarter, open
records first, a page of rows from ``reports``, and a form to log and to update."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import DataTable, Select, Static

from sp_tui.tui.screens.base import AreaScreen
from sp_tui.tui.widgets.record_table import RecordTable

PAGE_SIZE = 500
SCOPES = [("This quarter", "quarter"), ("All quarters", "all")]  # by date received


class CaseListScreen(AreaScreen):
    """Subclasses give their columns, status options and noun, and implement ``load_page``
    (rows for the table and the total), ``summary`` (the quarter's figures) and ``form``."""

    COLUMNS: ClassVar[list[tuple[str, str]]] = []
    WIDTHS: ClassVar[dict[str, int]] = {}
    STATUS_OPTIONS: ClassVar[list[tuple[str, str]]] = []
    NOUN: ClassVar[str] = "record"
    EMPTY_HINT: ClassVar[str] = ""

    DEFAULT_CSS = """
    CaseListScreen .attention { display: none; padding: 0 1; height: auto;
                                background: $error 30%; color: $text; text-style: bold; }
    CaseListScreen .attention.-visible { display: block; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.scope = "quarter"
        self.status_filter: str | None = None
        self.page_offset = 0

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
        self.query_one(RecordTable).set_columns(self.COLUMNS, widths=self.WIDTHS)
        self.query_one(RecordTable).focus()

    # -- data ------------------------------------------------------------------------------------
    @property
    def quarter_filter(self):
        return self.sp_app.quarter if self.scope == "quarter" else None

    def load_page(self) -> tuple[list[tuple[str, list[object]]], int]:
        raise NotImplementedError

    def summary(self) -> str:
        raise NotImplementedError

    def attention(self) -> str:
        """A warning shown above the table (empty: hidden)."""
        return ""

    def refresh_data(self) -> None:
        rows, total = self.load_page()
        if total and self.page_offset >= total:
            self.page_offset = max(0, (total - 1) // PAGE_SIZE * PAGE_SIZE)
            rows, total = self.load_page()
        table = self.query_one(RecordTable)
        table.load(rows)
        warning = self.attention()
        banner = self.query_one("#attention", Static)
        banner.update(Text(warning))
        banner.set_class(bool(warning), "-visible")
        nothing = self.sp_app.db.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {self.TABLE})"
                                         ).fetchone()[0]
        self.query_one("#empty").set_class(bool(nothing), "-visible")
        table.display = not nothing
        shown = f"{self.page_offset + 1:,}-{self.page_offset + len(rows):,} of {total:,}" \
            if total else "none"
        where = self.sp_app.quarter.label if self.quarter_filter else "all quarters"
        text = f"{self.summary()}  ·  Listed ({where}): {shown}"
        if total > PAGE_SIZE:
            text += "  ·  n/p: next/previous page"
        self.query_one("#summary", Static).update(Text(text))

    TABLE: ClassVar[str] = ""

    # -- filters and pages -------------------------------------------------------------------
    def on_select_changed(self, event: Select.Changed) -> None:
        # A Select also reports its initial value once mounted: reload only on a real change.
        before = (self.scope, self.status_filter)
        if event.select.id == "scope":
            self.scope = str(event.value)
        elif event.select.id == "status":
            self.status_filter = None if event.value is Select.NULL else str(event.value)
        if (self.scope, self.status_filter) == before:
            return
        self.page_offset = 0
        self.refresh_data()

    def action_page(self, step: int) -> None:
        new = max(0, self.page_offset + step * PAGE_SIZE)
        if new != self.page_offset:
            self.page_offset = new
            self.refresh_data()
            self.query_one(RecordTable).move_cursor(row=0)

    def action_focus_table(self) -> None:
        self.query_one(RecordTable).focus()

    def status_to_show(self, record_id: str) -> str | None:
        """The status filter under which ``record_id`` is best shown (None: all)."""
        return None

    def show_record(self, record_id: str) -> None:
        """Opened from the dashboard: widen the filters so the record is listed, select it."""
        self.scope, self.status_filter, self.page_offset = "all", None, 0
        self.status_filter = self.status_to_show(record_id)
        with self.prevent(Select.Changed):
            self.query_one("#scope", Select).value = "all"
            status = self.query_one("#status", Select)
            status.value = self.status_filter if self.status_filter else Select.NULL
        self.refresh_data()
        super().show_record(record_id)

    # -- log / update ----------------------------------------------------------------------
    def form(self, record_id: str | None):
        raise NotImplementedError

    def action_add(self) -> None:
        self._open_form(None)

    def action_edit(self) -> None:
        record_id = self.query_one(RecordTable).selected_key()
        if record_id is None:
            self.notify(f"No {self.NOUN} selected.", severity="warning")
            return
        self._open_form(record_id)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self._open_form(event.row_key.value)

    def _open_form(self, record_id: str | None) -> None:
        def saved(result: str | None) -> None:
            if result:
                self.notify(f"{self.NOUN.capitalize()} saved.")
                self.sp_app.notify_changed()
                self.refresh_data()
                table = self.query_one(RecordTable)
                if result in table.rows:
                    table.move_cursor(row=table.get_row_index(result))

        self.app.push_screen(self.form(record_id), saved)
