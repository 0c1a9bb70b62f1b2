"""Reconnection (Appendix 6): the quarter's Tables 4.3-4.11 live, a heat map of where leavers
from each district settled, and the monthly returns still missing; `r` opens a service's
return as a grid to type in."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static, TabbedContent, TabPane

from sp_tui.domain.reconnection import month_label
from sp_tui.export.rich_heatmap import heat_map_table
from sp_tui.export.rich_table import rich_table
from sp_tui.reports.reconnection import (
    TABLE_BUILDERS, heat_map, leaver_figures, missing_returns, movements, period_label,
)
from sp_tui.tui.screens.base import AreaScreen
from sp_tui.tui.widgets.record_table import RecordTable


class ReconnectionScreen(AreaScreen):
    AREA_ID = "reconnection"
    AREA_TITLE = "Reconnection"
    AREA_KEY = "7"
    DEFAULT_CSS = """
    ReconnectionScreen TabbedContent { height: 1fr; }
    ReconnectionScreen #recon-tables, ReconnectionScreen #recon-heat { height: 1fr; }
    ReconnectionScreen #recon-summary { height: auto; padding: 0 1; text-style: bold; }
    """
    PALETTE = [
        ("reconnection: enter a monthly return", "A service's entrants and leavers, as a grid",
         "enter_return"),
    ]
    BINDINGS = [
        Binding("r", "enter_return", "Enter return", id="reconnection.return"),
        Binding("h", "show_tab('recon-heat-pane')", "Heat map", id="reconnection.heat"),
        Binding("m", "show_tab('recon-missing-pane')", "Missing", id="reconnection.missing"),
        Binding("v", "show_tab('recon-tables-pane')", "Tables", id="reconnection.tables"),
    ]

    def compose_body(self) -> ComposeResult:
        yield Static(id="recon-summary")
        with TabbedContent(initial="recon-tables-pane"):
            with TabPane("Tables 4.3-4.11", id="recon-tables-pane"):
                with VerticalScroll(id="recon-tables"):
                    yield Static(id="recon-tables-body")
            with TabPane("Heat map (4.9)", id="recon-heat-pane"):
                with VerticalScroll(id="recon-heat"):
                    yield Static(id="recon-heat-body")
            with TabPane("Missing returns", id="recon-missing-pane"):
                yield RecordTable(id="recon-missing")

    def on_mount(self) -> None:
        self.query_one("#recon-missing", RecordTable).set_columns(
            [("Service", "ref"), ("Name", "name"), ("Provider", "provider"),
             ("District", "district"), ("Month", "month"), ("Due", "due")],
            widths={"name": 32, "provider": 26})

    def refresh_data(self) -> None:
        db, quarter, today = self.sp_app.db, self.sp_app.quarter, self.sp_app.today
        data = movements(db, quarter)
        tables = [build(db, quarter, data) for build in TABLE_BUILDERS]
        self.query_one("#recon-tables-body", Static).update(
            Group(*[rich_table(t) for t in tables]))
        districts, matrix = heat_map(data)
        self.query_one("#recon-heat-body", Static).update(heat_map_table(
            districts, matrix, title=f"Leavers by district settled and district of origin,"
                                     f" {period_label(quarter)}"))
        missing = missing_returns(db, quarter, today)
        self._missing = {r.key: r for r in missing}
        self.query_one("#recon-missing", RecordTable).load(
            (r.key, [r.service_ref, r.service_name, r.provider, r.district,
                     month_label(r.month), r.due.isoformat()]) for r in missing)
        entrants = sum(m.count for m in data.entrants())
        f = leaver_figures(data)
        self.query_one("#recon-summary", Static).update(Text(
            f"{period_label(quarter)}: {entrants} entrants · {f.total} leavers ·"
            f" {f.reconnected_own_district} reconnected to their own district ·"
            f" {len(missing)} monthly returns missing"))

    def action_show_tab(self, pane: str) -> None:
        self.query_one(TabbedContent).active = pane
        if pane == "recon-missing-pane":
            self.query_one("#recon-missing", RecordTable).focus()

    def show_record(self, record_id: str) -> None:
        self.action_show_tab("recon-missing-pane")
        super().show_record(record_id)

    def action_enter_return(self) -> None:
        from sp_tui.tui.widgets.reconnection_grid import ReturnGrid, ReturnPicker

        service_ref, month = "", ""
        if self.query_one(TabbedContent).active == "recon-missing-pane":
            chosen = self._missing.get(
                self.query_one("#recon-missing", RecordTable).selected_key() or "")
            if chosen is not None:
                service_ref, month = chosen.service_ref, chosen.month

        def saved(totals: dict[str, int] | None) -> None:
            if totals is not None:
                self.notify(f"{totals['entrants']} entrants, {totals['leavers']} leavers",
                            title="Return saved")
                self.sp_app.notify_changed()

        def picked(choice: tuple[str, str] | None) -> None:
            if choice is not None:
                self.app.push_screen(ReturnGrid(self.sp_app.db, *choice,
                                                today=self.sp_app.today), saved)

        self.app.push_screen(ReturnPicker(self.sp_app.db, service_ref, month), picked)

    _missing: dict = {}
