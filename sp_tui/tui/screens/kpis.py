"""The KPI screen: each service due a workbook in the selected quarter with its KPI (1 for
long-term, 2 for short-term services), percentage and RAG, worst first, sortable, so the
officer finds the services dragging a client group down; Tables 2.1-2.5 beside it, live."""

from __future__ import annotations

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Input, Select, Static

from sp_tui.domain.kpi import Rag
from sp_tui.reports.kpis import PAGE, SORTS, ServiceKpi, kpi_tables, service_kpis
from sp_tui.reports.tables import ReportTable
from sp_tui.tui.screens.base import AreaScreen
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
FILTERS = [("KPI 1 (long-term)", "1"), ("KPI 2 (short-term)", "2"),
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
            str(row.kpi), "" if row.numerator is None else Text(str(row.numerator), justify="right"),
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


class KpisScreen(AreaScreen):
    AREA_ID = "kpis"
    AREA_TITLE = "KPIs"
    AREA_KEY = "7"
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
        self.search_text = ""
        self.filter: str | None = None
        self.group: str | None = None
        self.sort_key = "percent"
        self.descending = False
        self.page_offset = 0
        self._rows: dict[str, ServiceKpi] = {}
        self._total = 0

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="kpi-body"):
            with Vertical(id="kpi-left"):
                with Horizontal(classes="toolbar"):
                    yield SearchInput(placeholder="Search ref, service or provider   ( / )",
                                      id="kpi-search")
                    yield Select(FILTERS, prompt="All services", id="kpi-filter")
                    yield Select([], prompt="All client groups", id="kpi-group")
                yield Static("", id="kpi-position", classes="status-line")
                yield RecordTable(id="kpi-table")
            yield VerticalScroll(Static("", id="kpi-tables-body"), id="kpi-tables")

    def on_mount(self) -> None:
        # AreaScreen.on_mount runs after this one (Textual walks the MRO): no super() here.
        self.query_one(RecordTable).set_columns(COLUMNS, widths=WIDTHS)
        self.query_one(RecordTable).focus()
        self.query_one("#kpi-tables").set_class(self.app.size.width < TABLES_MIN_WIDTH,
                                                "-hidden")

    # -- data -------------------------------------------------------------------------------
    def refresh_data(self) -> None:
        self._refresh_groups()
        self.refresh_table()
        self.refresh_tables()

    def _refresh_groups(self) -> None:
        from sp_tui.reports.reference import reference_lists

        groups = reference_lists(self.sp_app.db)["client_group"]
        select = self.query_one("#kpi-group", Select)
        with select.prevent(Select.Changed):
            select.set_options([(Text(g), g) for g in groups])
            if self.group in groups:
                select.value = self.group
        if self.group not in groups:
            self.group = None

    def refresh_table(self) -> None:
        kpi = int(self.filter) if self.filter in ("1", "2") else None
        page = service_kpis(self.sp_app.db, self.sp_app.quarter, kpi=kpi,
                            client_group=self.group, search=self.search_text,
                            sort=self.sort_key, descending=self.descending,
                            missing_only=self.filter == "missing", offset=self.page_offset,
                            limit=PAGE)
        self._rows = {row.service_id: row for row in page.rows}
        self._total = page.total
        self.query_one(RecordTable).load((row.service_id, _cells(row)) for row in page.rows)
        label = dict((k, lbl) for lbl, k in COLUMNS)[self.sort_key]
        if page.total:
            last = min(page.total, self.page_offset + PAGE)
            text = (f"{self.sp_app.quarter.label} · services {self.page_offset + 1:,}-{last:,}"
                    f" of {page.total:,} · sorted by {label} {'↓' if self.descending else '↑'}"
                    f" · {page.missing:,} received without figures")
        else:
            text = "No service matches." if self.search_text or self.filter or self.group \
                else "No workbooks are due this quarter."
        self.query_one("#kpi-position", Static).update(Text(text))

    def refresh_tables(self) -> None:
        """Tables 2.1-2.5, narrowed for the side panel: quarters by number, short headers,
        long labels cropped."""
        shown = []
        for table in kpi_tables(self.sp_app.db, self.sp_app.quarter):
            shown.append(_panel_table(table))
            shown.extend(Text(n, style="dim") for n in table.footnotes
                         if n.startswith(("*", "Figures")))
            shown.append(Text(""))
        self.query_one("#kpi-tables-body", Static).update(Group(*shown))

    def selected_row(self) -> ServiceKpi | None:
        key = self.query_one(RecordTable).selected_key()
        return self._rows.get(key) if key else None

    def show_record(self, record_id: str) -> None:
        """A service opened from the dashboard's "figures missing": show the missing ones."""
        if record_id not in self._rows:
            self.filter, self.group, self.search_text, self.page_offset = "missing", None, "", 0
            for select_id, value in (("#kpi-filter", "missing"), ("#kpi-group", None)):
                select = self.query_one(select_id, Select)
                with select.prevent(Select.Changed):
                    if value:
                        select.value = value
                    else:
                        select.clear()
            search = self.query_one("#kpi-search", Input)
            with search.prevent(Input.Changed):
                search.value = ""
            self.refresh_table()
        super().show_record(record_id)

    # -- search, filters, sort, pages -------------------------------------------------------
    def on_search_input_settled(self, event: SearchInput.Settled) -> None:
        if event.value != self.search_text:
            self.search_text, self.page_offset = event.value, 0
            self.refresh_table()
        if event.submitted:
            self.query_one(RecordTable).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        value = None if event.value is Select.NULL else str(event.value)
        if event.select.id == "kpi-filter":
            self.filter = value
        elif event.select.id == "kpi-group":
            self.group = value
        else:
            return
        self.page_offset = 0
        self.refresh_table()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        key = event.column_key.value
        if key == "rag":
            key = "percent"
        if key in SORTS:
            self.descending = not self.descending if key == self.sort_key else False
            self.sort_key, self.page_offset = key, 0
            self.refresh_table()

    def action_cycle_sort(self) -> None:
        self.sort_key = SORT_KEYS[(SORT_KEYS.index(self.sort_key) + 1) % len(SORT_KEYS)]
        self.descending, self.page_offset = False, 0
        self.refresh_table()

    def action_reverse_sort(self) -> None:
        self.descending, self.page_offset = not self.descending, 0
        self.refresh_table()

    def action_page(self, step: int) -> None:
        new = max(0, self.page_offset + step * PAGE)
        if new != self.page_offset and new < self._total:
            self.page_offset = new
            self.refresh_table()

    def action_focus_search(self) -> None:
        self.query_one("#kpi-search", Input).focus()

    def action_focus_filters(self) -> None:
        self.query_one("#kpi-filter", Select).focus()

    def action_focus_table(self) -> None:
        self.query_one(RecordTable).focus()

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

        def done(result) -> None:
            if result:
                self.notify(Text(f"{result.service_ref} Q{result.quarter}: figures"
                                 f" {result.action}.").plain)
                self.sp_app.notify_changed()

        self.app.push_screen(figures_form(self.sp_app.db, row, self.sp_app.quarter), done)

    def action_benchmark(self) -> None:
        from sp_tui.tui.widgets.kpi_form import benchmark_form

        self._open_form(benchmark_form(self.sp_app.db, self.sp_app.quarter))

    def action_target(self) -> None:
        from sp_tui.tui.widgets.kpi_form import target_form

        self._open_form(target_form(self.sp_app.db, self.sp_app.quarter))

    def _open_form(self, form) -> None:
        def done(result) -> None:
            if result:
                self.notify(str(result), title="Saved")
                self.sp_app.notify_changed()

        self.app.push_screen(form, done)
