"""The KPI screen: each service due a workbook in the selected quarter with its KPI (1 for
long-term, 2 for short-term services), percentage and RAG, worst first, sortable, so the
officer finds the services dragging a client group down; Tables 2.1-2.5 beside it, live."""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils
from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Select, Static

from sp_tui.domain.kpi import Rag
from sp_tui.reports.kpis import SORTS, ServiceKpi, kpi_tables, service_kpis
from sp_tui.reports.paging import PAGE_SIZE
from sp_tui.services.kpis import FiguresChange
from sp_tui.reports.tables import ReportTable
from sp_tui.tui.screens.base import Request
from sp_tui.tui.screens.table import ListState, Loaded, TableScreen
from sp_tui.tui.widgets.record_table import RecordTable
from sp_tui.tui.widgets.search_input import SearchInput

COLUMNS = [("Ref", "ref"), ("Service", "name"), ("Client group", "client_group"),
           ("Class", "class"), ("KPI", "kpi"), ("Num.", "numerator"),
           ("Den.", "denominator"), ("%", "percent"), ("RAG", "rag")]
WIDTHS = {"ref": 8, "name": 15, "client_group": 13, "class": 2, "kpi": 3, "numerator": 5,
          "denominator": 5, "percent": 6, "rag": 12}
# Below this width the tables start hidden (t shows them), so the list keeps its columns.
TABLES_MIN_WIDTH = 150
SORT_KEYS = [k for _, k in COLUMNS if k in SORTS]
FILTER_OPTIONS = [("KPI 1 (long-term)", "1"), ("KPI 2 (short-term)", "2"),
           ("Received, figures missing", "missing")]


def _cells(row: ServiceKpi) -> list[object]:
    if row.rag:
        rag = Text(str(row.rag), style=row.rag.style)
    elif row.missing:
        rag = Text("missing", style="bold magenta")
    elif row.received is None:
        rag = Text("not received", style="dim")
    else:
        rag = Text("no departures" if row.kpi == 2 else "none counted", style="dim")
    klass = "FS" if row.service_class == "floating support" else "AB"
    return [Text(row.service_ref), Text(row.name), Text(row.client_group), klass,
            str(row.kpi),
            "" if row.numerator is None else Text(str(row.numerator), justify="right"),
            "" if row.denominator is None else Text(str(row.denominator), justify="right"),
            Text("" if row.percent is None else f"{row.percent:.2f}", justify="right"), rag]


def _short(label: str) -> str:
    """'Q23 KPI 1 (%)' -> 'Q23'; 'Q23 regional (%)' -> 'Region'; 'RAG rating (...)' -> 'RAG'."""
    if label.startswith("RAG"):
        return "RAG"
    if "regional" in label:
        return "Region"
    if label == "Primary client group":
        return ""
    return label.split(" ")[0]


def _panel_table(report: ReportTable) -> Table:
    from sp_tui.export.rich_table import format_cell

    table = Table(title=report.title, title_justify="left", title_style="bold",
                  box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False)
    table.add_column("", max_width=20, no_wrap=True, overflow="ellipsis")
    for label in report.columns[1:]:
        table.add_column(_short(label), justify="right", no_wrap=True,
                         min_width=5 if label.startswith("RAG") else 6)
    body = len(report.rows) - report.total_rows
    for number, row in enumerate(report.rows):
        cells = [Text(str(row[0]))]
        for value in row[1:]:
            style = value.style if isinstance(value, Rag) else ""
            cells.append(Text(format_cell(value).rstrip("%"), style=style))
        table.add_row(*cells, style="bold" if number >= body else None)
    return table


@dataclass(frozen=True)
class _Extra:
    missing: int
    groups: list[str]
    tables: Group


class KpisScreen(TableScreen):
    AREA_ID = "kpis"
    COLUMNS = COLUMNS
    WIDTHS = WIDTHS
    SORTS = tuple(SORT_KEYS)
    DEFAULT_SORT = "percent"
    FILTERS = {"kpi-filter": "filter", "kpi-group": "group"}
    NOUN = "services"
    POSITION_ID = "kpi-position"
    DEFAULT_CSS = """
    KpisScreen #kpi-body { height: 1fr; }
    KpisScreen #kpi-left { width: 1fr; min-width: 60; }
    KpisScreen #kpi-tables { width: 70; padding: 0 1; border-left: solid $primary-darken-2; }
    KpisScreen #kpi-tables.-hidden { display: none; }
    KpisScreen #kpi-filter { width: 30; }
    KpisScreen #kpi-group { width: 30; }
    """
    PALETTE = [
        ("kpis: enter or correct figures", "The selected service's figures", "edit"),
        ("kpis: toggle tables", "Show or hide Tables 2.1-2.5", "toggle_tables"),
        ("kpis: regional or national figure", "Enter a figure CLG published", "benchmark"),
        ("kpis: target and RAG tolerance", "A year's target, the amber band", "target"),
    ]
    BINDINGS = [
        Binding("enter", "edit", "Figures", show=False, id="kpis.edit_enter"),
        Binding("e", "edit", "Figures", id="kpis.edit"),
        Binding("slash", "focus_search", "Search", key_display="/", id="kpis.search"),
        Binding("f", "focus_filters", "Filter", id="kpis.filter"),
        Binding("s", "cycle_sort", "Sort", id="kpis.sort"),
        Binding("v", "reverse_sort", "Reverse", id="kpis.reverse"),
        Binding("n", "page(1)", "Next page", show=False, id="kpis.next_page"),
        Binding("p", "page(-1)", "Prev page", show=False, id="kpis.prev_page"),
        Binding("t", "toggle_tables", "Tables", id="kpis.tables"),
        Binding("b", "benchmark", "Regional figure", id="kpis.benchmark"),
        Binding("T", "target", "Target", show=False, id="kpis.target"),
        Binding("escape", "focus_table", "Table", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._groups: list[str] = []

    @property
    def table(self) -> RecordTable:
        return self.query_one("#kpi-table", RecordTable)

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="kpi-body"):
            with Vertical(id="kpi-left"):
                with Horizontal(classes="toolbar"):
                    yield SearchInput(placeholder="Search ref, service or provider   ( / )",
                                      id="kpi-search")
                    yield Select(FILTER_OPTIONS, prompt="All services", id="kpi-filter")
                    yield Select([], prompt="All client groups", id="kpi-group")
                yield Static("", id="kpi-position", classes="status-line")
                yield RecordTable(id="kpi-table")
            yield VerticalScroll(Static("", id="kpi-tables-body"), id="kpi-tables")

    def on_mount(self) -> None:
        # The other on_mount handlers run too (Textual walks the MRO): no super() here.
        self.query_one("#kpi-tables").set_class(self.app.size.width < TABLES_MIN_WIDTH,
                                                "-hidden")

    # -- data (worker thread) -----------------------------------------------------------------
    def fetch_page(self, db: sqlite_utils.Database, request: Request,
                   state: ListState) -> Loaded:
        from sp_tui.reports.reference import reference_lists

        chosen = state.filter("filter")
        kpi = int(chosen) if chosen in ("1", "2") else None
        page = service_kpis(db, request.quarter, kpi=kpi, client_group=state.filter("group"),
                            search=state.search, sort=state.sort, descending=state.descending,
                            missing_only=chosen == "missing", offset=state.offset,
                            limit=PAGE_SIZE)
        # Tables 2.1-2.5, narrowed for the side panel: quarters by number, short headers,
        # long labels cropped.
        shown: list[Table | Text] = []
        for table in kpi_tables(db, request.quarter):
            shown.append(_panel_table(table))
            shown.extend(Text(n, style="dim") for n in table.footnotes
                         if n.startswith(("*", "Figures")))
            shown.append(Text(""))
        extra = _Extra(page.missing, reference_lists(db)["client_group"], Group(*shown))
        return Loaded([(row.service_id, _cells(row)) for row in page.rows], page.total,
                      state.offset, extra=extra,
                      records={row.service_id: row for row in page.rows})

    # -- drawing (UI thread) ------------------------------------------------------------------
    def show_extra(self, data: Loaded) -> None:
        extra: _Extra = data.extra
        self._missing = extra.missing
        if extra.groups != self._groups:
            self._groups = extra.groups
            select = self.query_one("#kpi-group", Select)
            group = self.state.filter("group")
            with select.prevent(Select.Changed):
                select.set_options([(Text(g), g) for g in extra.groups])
                if group in extra.groups:
                    select.value = group
            if group is not None and group not in extra.groups:
                self.set_filter("group", None)
        self.query_one("#kpi-tables-body", Static).update(extra.tables)

    def position_text(self, data: Loaded) -> Text:
        if data.total:
            return (Text(f"{self.ctx.quarter.label} · ") + super().position_text(data)
                    + Text(f" · {self._missing:,} received without figures"))
        return Text("No service matches." if self.state.filtered
                    else "No workbooks are due this quarter.")

    def selected_row(self) -> ServiceKpi | None:
        key = self.selected_key()
        return self.records.get(key) if key else None

    def show_record(self, record_id: str) -> None:
        """A service opened from the dashboard's "figures missing": show the missing ones."""
        if self.select(record_id):
            self.table.focus()
            return
        for select_id, value in (("#kpi-filter", "missing"), ("#kpi-group", None)):
            select = self.query_one(select_id, Select)
            with select.prevent(Select.Changed):
                if value:
                    select.value = value
                else:
                    select.clear()
        self._select_after_load = record_id
        self.set_search("")
        self.update_state(filters=self.state.with_filters(filter="missing", group=None))
        self.table.focus()

    # -- keys ------------------------------------------------------------------------------------
    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        # Runs before TableScreen's handler (Textual calls each class's along the MRO).
        if event.column_key.value == "rag":  # RAG sorts as its percentage
            event.prevent_default()
            same = self.state.sort == "percent"
            self.update_state(sort="percent",
                              descending=not self.state.descending if same else False)

    def action_focus_filters(self) -> None:
        self.query_one("#kpi-filter", Select).focus()

    def action_toggle_tables(self) -> None:
        self.query_one("#kpi-tables").toggle_class("-hidden")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def action_edit(self) -> None:
        from sp_tui.tui.widgets.kpi_form import figures_form

        row = self.selected_row()
        if row is None:
            self.notify("No service selected.", severity="warning")
            return

        def done(result: FiguresChange | None) -> None:
            if result:
                self.notify(f"{result.service_ref} Q{result.quarter}: figures"
                            f" {result.action}.", markup=False)

        self.app.push_screen(figures_form(self.ctx.db, row, self.ctx.quarter), done)

    def action_benchmark(self) -> None:
        from sp_tui.tui.widgets.kpi_form import benchmark_form

        self._open_form(benchmark_form(self.ctx.db, self.ctx.quarter))

    def action_target(self) -> None:
        from sp_tui.tui.widgets.kpi_form import target_form

        self._open_form(target_form(self.ctx.db, self.ctx.quarter))

    def _open_form(self, form) -> None:
        def done(result) -> None:
            if result:
                self.notify(str(result), title="Saved", markup=False)

        self.app.push_screen(form, done)
