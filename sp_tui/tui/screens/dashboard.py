"""The dashboard: the selected quarter at a glance, and what needs attention."""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils
from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
from textual.widgets import DataTable, Static

from sp_tui.export.rich_chart import target_chart
from sp_tui.export.rich_table import rich_table
from sp_tui.areas import dashboard_panels, needs_attention
from sp_tui.reports.attention import AttentionItem
from sp_tui.tui.screens.base import AreaScreen, Request
from sp_tui.tui.widgets.record_table import RecordTable


@dataclass(frozen=True)
class _Dashboard:
    panels: list[tuple[str, RenderableType]]
    items: list[AttentionItem]


class DashboardScreen(AreaScreen):
    AREA_ID = "dashboard"
    DEFAULT_CSS = """
    DashboardScreen #panel-scroll { height: 1fr; }
    DashboardScreen #panels {
        grid-size: 2; grid-gutter: 1 2; height: auto; padding: 0 1;
    }
    DashboardScreen .panel { height: auto; }
    DashboardScreen .panel.wide { column-span: 2; }
    DashboardScreen #attention-box {
        height: 12; padding: 0 1; border-top: solid $primary;
    }
    DashboardScreen #attention-title { text-style: bold; }
    """
    PALETTE = [
        ("export: quarter summary (xlsx)", "Write the Commissioning Body tables", "export"),
    ]
    BINDINGS = [
        Binding("x", "export", "Export quarter", id="dashboard.export"),
        Binding("enter", "open_item", "Open", show=False, id="dashboard.open"),
        # The panels scroll from wherever the focus is (the needs-attention list keeps its
        # arrows and Enter): no Tab first.
        Binding("pagedown", "scroll_panels(1)", "Scroll down", show=False, priority=True,
                id="dashboard.page_down"),
        Binding("pageup", "scroll_panels(-1)", "Scroll up", show=False, priority=True,
                id="dashboard.page_up"),
        Binding("ctrl+end", "scroll_panels(99)", "Scroll to end", show=False, priority=True,
                id="dashboard.end"),
        Binding("ctrl+home", "scroll_panels(-99)", "Scroll to top", show=False,
                priority=True, id="dashboard.home"),
    ]
    HINT = "PgDn/PgUp scroll the tables · ↑/↓ Enter open a record"

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="panel-scroll"):
            with Grid(id="panels"):
                for panel in dashboard_panels():
                    yield Static(id=f"panel-{panel.panel_id}",
                                 classes="panel wide" if panel.wide else "panel")
        with Vertical(id="attention-box"):
            yield Static("Needs attention", id="attention-title")
            yield RecordTable(id="attention")

    def on_mount(self) -> None:
        self.query_one(RecordTable).set_columns(
            [("What", "kind"), ("Record", "text"), ("Since", "since")], widths={"text": 60})
        self.query_one(RecordTable).focus()

    def fetch(self, db: sqlite_utils.Database, request: Request) -> _Dashboard:
        panels = []
        for panel in dashboard_panels():
            report = (panel.build(db, request.quarter, request.today) if panel.as_of_today
                      else panel.build(db, request.quarter))
            shown: RenderableType = rich_table(report, compact=True)
            if panel.chart_row and panel.target is not None:
                shown = Group(shown, target_chart(report, panel.chart_row, panel.target))
            panels.append((panel.panel_id, shown))
        return _Dashboard(panels, needs_attention(db, request.quarter, request.today))

    def show(self, data: _Dashboard) -> None:
        for panel_id, shown in data.panels:
            self.query_one(f"#panel-{panel_id}", Static).update(shown)
        items = data.items
        self._items = {f"{i.area}:{i.record_id}:{n}": i for n, i in enumerate(items)}
        self.query_one(RecordTable).load(
            (key, [Text(i.kind, style="bold"), i.text,
                   i.since.isoformat() if i.since else ""])
            for key, i in self._items.items())
        title = Text(f"Needs attention: {len(items)}" if items else
                     "Needs attention: nothing for this quarter.", style="bold")
        title.append(f"   {self.HINT}" if items else "   PgDn/PgUp scroll the tables",
                     style="not bold dim")
        self.query_one("#attention-title", Static).update(title)

    def action_scroll_panels(self, pages: int) -> None:
        scroll = self.query_one("#panel-scroll", VerticalScroll)
        if pages >= 99:
            scroll.scroll_end(animate=False)
        elif pages <= -99:
            scroll.scroll_home(animate=False)
        elif pages > 0:
            scroll.scroll_page_down(animate=False)
        else:
            scroll.scroll_page_up(animate=False)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self._open(event.row_key.value)

    def action_open_item(self) -> None:
        self._open(self.query_one(RecordTable).selected_key())

    def _open(self, key: str | None) -> None:
        item = self._items.get(key or "")
        if item is None:
            return
        self.ctx.open_record(item.area, item.record_id)

    def action_export(self) -> None:
        from sp_tui.tui.widgets.export_modal import ExportModal

        self.app.push_screen(ExportModal(self.ctx.quarter))
