"""The Services register: search, filter by status, sort, page; add and edit services."""

from __future__ import annotations

import sqlite_utils
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Select, Static

from sp_tui.reports.paging import PAGE_SIZE
from sp_tui.reports.registry import SORTS, STATUSES, ServiceQuery, services_page
from sp_tui.tui.screens.base import Request
from sp_tui.tui.screens.table import ListState, Loaded, TableScreen
from sp_tui.tui.widgets.record_table import RecordTable
from sp_tui.tui.widgets.search_input import SearchInput

COLUMNS = [("Ref", "ref"), ("Service", "name"), ("Provider", "provider"), ("Status", "status"),
           ("Type", "type"), ("District", "district"), ("Client group", "client_group"),
           ("Term", "term"), ("Units", "units")]
STATUS_STYLE = {"active": "green", "ended": "dim", "not started": "yellow"}


class ServicesScreen(TableScreen):
    AREA_ID = "services"
    COLUMNS = COLUMNS
    WIDTHS = {"name": 30, "provider": 28}
    SORTS = tuple(k for _, k in COLUMNS if k in SORTS)
    DEFAULT_SORT = "ref"
    FILTERS = {"status": "status"}
    NOUN = "services"
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

    def fetch_page(self, db: sqlite_utils.Database, request: Request,
                   state: ListState) -> Loaded:
        page = services_page(db, ServiceQuery(
            quarter=request.quarter, search=state.search, status=state.filter("status"),
            sort=state.sort, descending=state.descending, offset=state.offset,
            limit=PAGE_SIZE))
        rows = [(row.id, [
            row.service_ref, row.name, row.provider,
            Text(row.status, style=STATUS_STYLE.get(row.status, ""), justify="left"),
            row.service_type, row.district, row.client_group, row.term, row.household_units,
        ]) for row in page.rows]
        return Loaded(rows, page.total, state.offset,
                      empty=page.total == 0 and not state.filtered)

    def position_text(self, data: Loaded) -> Text:
        return Text(f"{self.ctx.quarter.label} · ") + super().position_text(data)

    def action_contracts(self) -> None:
        from sp_tui.tui.screens.contracts import open_contracts

        open_contracts(self.app, self.ctx.db, self.query_one(RecordTable).selected_key())

    # -- add / edit --------------------------------------------------------------------------
    def action_add(self) -> None:
        self._open_form(None)

    def action_edit(self) -> None:
        service_id = self.selected_key()
        if service_id is None:
            self.notify("No service selected.", severity="warning")
            return
        self._open_form(service_id)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self._open_form(event.row_key.value)

    def _open_form(self, service_id: str | None) -> None:
        from sp_tui.tui.widgets.service_form import ServiceForm

        def saved(result: str | None) -> None:
            if result:
                self.notify("Service saved.")
                self.select_after_load(result)

        self.app.push_screen(ServiceForm(self.ctx.db, service_id), saved)
