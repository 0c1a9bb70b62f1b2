"""Reconnection (Appendix 6): the quarter's Tables 4.3-4.11 live, a heat map of where leavers
from each district settled, and the monthly returns still missing; `r` opens a service's
return as a grid to type in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from sqlite_utils import Database
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static, TabbedContent, TabPane

from sp_tui.domain.quarters import Quarter
from sp_tui.domain.reconnection import month_label
from sp_tui.export.rich_heatmap import heat_map_table
from sp_tui.reports.reconnection import (
    TABLE_BUILDERS, heat_map, leaver_figures, missing_returns, movements, period_label,
)
from sp_tui.tui.screens.base import AreaScreen, Request
from sp_tui.tui.widgets.record_table import RecordTable
from sp_tui.tui.widgets.report_view import ReportTableView



@dataclass(frozen=True)
class _Loaded:
    quarter: Quarter
    content: dict[str, Any]      # pane id -> what it draws
    missing: dict[str, Any]      # missing return key -> the return
    summary: str


TABLE_PANES = [("4.3", "recon-4-3"), ("4.4", "recon-4-4"), ("4.9", "recon-4-9"),
               ("4.10", "recon-4-10"), ("4.11", "recon-4-11")]


class ReconnectionScreen(AreaScreen):
    AREA_ID = "reconnection"
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

    def fetch(self, db: Database, request: Request) -> _Loaded:
        """Every figure of the quarter (one query for the movements), in the worker."""
        data = movements(db, request.quarter)
        content: dict[str, Any] = {
            f"{pane}-pane": build(db, request.quarter, data)
            for (_, pane), build in zip(TABLE_PANES, TABLE_BUILDERS)}
        content["recon-heat-pane"] = heat_map(data)
        missing = missing_returns(db, request.quarter, request.today)
        content["recon-missing-pane"] = missing
        f = leaver_figures(data)
        summary = (f"{period_label(request.quarter)}: {sum(m.people for m in data.entrants())}"
                   f" entrants · {f.total} leavers · {f.reconnected_own_district} reconnected"
                   f" to their own district · {len(missing)} monthly returns missing")
        return _Loaded(request.quarter, content, {r.key: r for r in missing}, summary)

    def show(self, data: _Loaded) -> None:
        """Fill only the pane on show; the others when their tab is opened, so a refresh
        costs one pane's drawing."""
        self._loaded = data
        self._missing = data.missing
        self._filled = set()
        self._fill(self.query_one(TabbedContent).active)
        self.query_one("#recon-summary", Static).update(Text(data.summary))

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        event.stop()
        self._fill(event.pane.id or "")

    def _fill(self, pane: str) -> None:
        if self._loaded is None or pane in self._filled or pane not in self._loaded.content:
            return
        self._filled.add(pane)
        content = self._loaded.content[pane]
        if pane == "recon-heat-pane":
            districts, matrix = content
            self.query_one("#recon-heat-body", Static).update(heat_map_table(
                districts, matrix, title="Leavers by district settled and district of origin,"
                                         f" {period_label(self._loaded.quarter)}"))
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

        def picked(choice: tuple[str, str] | None) -> None:
            if choice is not None:
                self.app.push_screen(ReturnGrid(self.ctx.db, *choice,
                                                today=self.ctx.today), saved)

        self.app.push_screen(ReturnPicker(self.ctx.db, service_ref, month), picked)

    _loaded: _Loaded | None = None
    _missing: dict[str, Any] = {}
    _filled: set[str] = set()
