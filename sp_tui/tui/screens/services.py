"""The Services register: search, filter by status, sort, page; add and edit services."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Select, Static

from sp_tui.reports.registry import PAGE_SIZE, SORTS, STATUSES, ServiceQuery, services_page
from sp_tui.tui.screens.base import AreaScreen
from sp_tui.tui.widgets.record_table import RecordTable
from sp_tui.tui.widgets.search_input import SearchInput

COLUMNS = [("Ref", "ref"), ("Service", "name"), ("Provider", "provider"), ("Status", "status"),
           ("Type", "type"), ("District", "district"), ("Client group", "client_group"),
           ("Term", "term"), ("Units", "units")]
STATUS_STYLE = {"active": "green", "ended": "dim", "not started": "yellow"}


class ServicesScreen(AreaScreen):
    AREA_ID = "services"
    AREA_TITLE = "Services"
    AREA_KEY = "2"
    PALETTE = [
        ("services: add service", "Open the form to add a service", "add"),
        ("services: edit selected service", "Edit the service under the cursor", "edit"),
        ("services: search", "Move to the search box", "focus_search"),
        ("quarter: edit deadline and default period", "Dates for the selected quarter",
         "app.edit_calendar"),
    ]
    BINDINGS = [
        Binding("a", "add", "Add", id="services.add"),
        Binding("e", "edit", "Edit", id="services.edit"),
        Binding("slash", "focus_search", "Search", key_display="/", id="services.search"),
        Binding("s", "cycle_sort", "Sort", id="services.sort"),
        Binding("r", "reverse_sort", "Reverse", show=False, id="services.reverse"),
        Binding("n", "page(1)", "Next page", show=False, id="services.next_page"),
        Binding("p", "page(-1)", "Prev page", show=False, id="services.prev_page"),
        Binding("c", "app.edit_calendar", "Quarter dates", id="services.calendar"),
        Binding("v", "contracts", "Contracts", id="services.contracts"),
        Binding("escape", "focus_table", "Table", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.search_text = ""
        self.status_filter: str | None = None
        self.sort_key = "ref"
        self.descending = False
        self.page_offset = 0

    def compose_body(self) -> ComposeResult:
        with Horizontal(classes="toolbar"):
            yield SearchInput(placeholder="Search ref, name, provider or district   ( / )",
                              id="search")
            yield Select([(s.capitalize(), s) for s in STATUSES], prompt="All statuses",
                         id="status")
        yield Static("", classes="status-line", id="summary")
        yield Static("No services yet. Press [b]a[/b] to add one, or import a file:\n"
                     "  sp-tui import services FILE.csv   (columns listed in the README)",
                     classes="empty-state", id="empty")
        yield RecordTable(id="services-table")

    def on_mount(self) -> None:
        self.query_one(RecordTable).set_columns(COLUMNS, widths={"name": 30, "provider": 28})
        self.query_one(RecordTable).focus()

    # -- data ------------------------------------------------------------------------------------
    def query_params(self) -> ServiceQuery:
        return ServiceQuery(quarter=self.sp_app.quarter, search=self.search_text, status=self.status_filter,
                            sort=self.sort_key, descending=self.descending, offset=self.page_offset,
                            limit=PAGE_SIZE)

    def refresh_data(self) -> None:
        page = services_page(self.sp_app.db, self.query_params())
        if page.total and self.page_offset >= page.total:
            self.page_offset = max(0, (page.total - 1) // PAGE_SIZE * PAGE_SIZE)
            page = services_page(self.sp_app.db, self.query_params())
        table = self.query_one(RecordTable)
        table.load((row.id, [
            row.service_ref, row.name, row.provider,
            Text(row.status, style=STATUS_STYLE.get(row.status, ""), justify="left"),
            row.service_type, row.district, row.client_group, row.term, row.household_units,
        ]) for row in page.rows)
        self._show_summary(page.total, len(page.rows))

    def _show_summary(self, total: int, shown: int) -> None:
        empty = total == 0 and not self.search_text and not self.status_filter
        self.query_one("#empty").set_class(empty, "-visible")
        self.query_one(RecordTable).display = not empty
        arrow = "↓" if self.descending else "↑"
        sort_label = dict((k, lbl) for lbl, k in COLUMNS)[self.sort_key]
        if total == 0:
            text = "No service matches." if not empty else ""
        else:
            first, last = self.page_offset + 1, self.page_offset + shown
            text = f"{first:,}-{last:,} of {total:,} services · sorted by {sort_label} {arrow}"
            if total > PAGE_SIZE:
                text += "  ·  n/p: next/previous page"
        self.query_one("#summary", Static).update(Text(
            f"{self.sp_app.quarter.label} · {text}"))

    # -- search, filter, sort, page --------------------------------------------------------
    def on_search_input_settled(self, event: SearchInput.Settled) -> None:
        if event.value != self.search_text:
            self.search_text, self.page_offset = event.value, 0
            self.refresh_data()
        if event.submitted:
            self.query_one(RecordTable).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "status":
            self.status_filter = None if event.value is Select.NULL else str(event.value)
            self.page_offset = 0
            self.refresh_data()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        key = event.column_key.value
        if key in SORTS:
            self.descending = not self.descending if key == self.sort_key else False
            self.sort_key, self.page_offset = key, 0
            self.refresh_data()

    def action_cycle_sort(self) -> None:
        keys = [k for _, k in COLUMNS]
        self.sort_key = keys[(keys.index(self.sort_key) + 1) % len(keys)]
        self.descending, self.page_offset = False, 0
        self.refresh_data()

    def action_reverse_sort(self) -> None:
        self.descending = not self.descending
        self.page_offset = 0
        self.refresh_data()

    def action_page(self, step: int) -> None:
        new = max(0, self.page_offset + step * PAGE_SIZE)
        if new != self.page_offset:
            self.page_offset = new
            self.refresh_data()
            self.query_one(RecordTable).move_cursor(row=0)

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_focus_table(self) -> None:
        self.query_one(RecordTable).focus()

    def action_contracts(self) -> None:
        from sp_tui.tui.screens.contracts import open_contracts

        open_contracts(self.app, self.sp_app.db, self.query_one(RecordTable).selected_key())

    # -- add / edit --------------------------------------------------------------------------
    def action_add(self) -> None:
        self._open_form(None)

    def action_edit(self) -> None:
        service_id = self.query_one(RecordTable).selected_key()
        if service_id is None:
            self.notify("No service selected.", severity="warning")
            return
        self._open_form(service_id)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self._open_form(event.row_key.value)

    def _open_form(self, service_id: str | None) -> None:
        from sp_tui.tui.widgets.service_form import ServiceForm

        def saved(result: str | None) -> None:
            if result:
                self.notify("Service saved.")
                self.sp_app.notify_changed()
                self.refresh_data()
                table = self.query_one(RecordTable)
                if result in table.rows:
                    table.move_cursor(row=table.get_row_index(result))

        self.app.push_screen(ServiceForm(self.sp_app.db, service_id), saved)
