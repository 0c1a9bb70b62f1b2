"""Reconnection (Appendix 6): the quarter's Tables 4.3-4.11 live, a heat map of where leavers
from each district settled, and the monthly returns still missing; `r` opens a service's
return as a grid to type in."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static, TabbedContent, TabPane

from sp_tui.domain.reconnection import month_label
from sp_tui.export.rich_heatmap import heat_map_table
from sp_tui.reports.reconnection import (
    TABLE_BUILDERS, heat_map, leaver_figures, missing_returns, movements, period_label,
)
from sp_tui.tui.screens.base import AreaScreen
from sp_tui.tui.widgets.record_table import RecordTable
from sp_tui.tui.widgets.report_view import ReportTableView

TABLE_PANES = [("4.3", "recon-4-3"), ("4.4", "recon-4-4"), ("4.9", "recon-4-9"),
               ("4.10", "recon-4-10"), ("4.11", "recon-4-11")]


class ReconnectionScreen(AreaScreen):
    AREA_ID = "reconnection"
    AREA_TITLE = "Reconnection"
    AREA_KEY = "minus"
    DEFAULT_CSS = """
    ReconnectionScreen TabbedContent { height: 1fr; }
    ReconnectionScreen TabPane { height: 1fr; padding: 0; }
    ReconnectionScreen #recon-heat { height: 1fr; }
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
        Binding("v", "show_tab('recon-4-3-pane')", "Tables", id="reconnection.tables"),
    ]

    def compose_body(self) -> ComposeResult:
        yield Static(id="recon-summary")
        with TabbedContent(initial="recon-4-3-pane"):
            for label, pane in TABLE_PANES:
                with TabPane(f"Table {label}", id=f"{pane}-pane"):
                    yield ReportTableView(id=pane)
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
        """Compute every figure (one query for the tables); fill only the pane on show, the
        others when their tab is opened, so a refresh costs one pane's drawing."""
        db, quarter, today = self.sp_app.db, self.sp_app.quarter, self.sp_app.today
        data = movements(db, quarter)
        self._content: dict[str, object] = {
            f"{pane}-pane": build(db, quarter, data)
            for (_, pane), build in zip(TABLE_PANES, TABLE_BUILDERS)}
        self._content["recon-heat-pane"] = heat_map(data)
        missing = missing_returns(db, quarter, today)
        self._missing = {r.key: r for r in missing}
        self._content["recon-missing-pane"] = missing
        self._filled: set[str] = set()
        self._fill(self.query_one(TabbedContent).active)
        entrants = sum(m.people for m in data.entrants())
        f = leaver_figures(data)
        self.query_one("#recon-summary", Static).update(Text(
            f"{period_label(quarter)}: {entrants} entrants · {f.total} leavers ·"
            f" {f.reconnected_own_district} reconnected to their own district ·"
            f" {len(missing)} monthly returns missing"))

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        event.stop()
        self._fill(event.pane.id or "")

    def _fill(self, pane: str) -> None:
        if pane in self._filled or pane not in self._content:
            return
        self._filled.add(pane)
        content = self._content[pane]
        if pane == "recon-heat-pane":
            districts, matrix = content
            self.query_one("#recon-heat-body", Static).update(heat_map_table(
                districts, matrix, title="Leavers by district settled and district of origin,"
                                         f" {period_label(self.sp_app.quarter)}"))
        elif pane == "recon-missing-pane":
            self.query_one("#recon-missing", RecordTable).load(
                (r.key, [r.service_ref, r.service_name, r.provider, r.district,
                         month_label(r.month), r.due.isoformat()])
                for r in content)
        else:
            self.query_one(f"#{pane.removesuffix('-pane')}", ReportTableView).show(
                content)

    def action_show_tab(self, pane: str) -> None:
        self.query_one(TabbedContent).active = pane
        self._fill(pane)
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
    _content: dict = {}
    _filled: set = set()
