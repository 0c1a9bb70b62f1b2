"""The dashboard: the selected quarter at a glance, and what needs attention."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.widgets import DataTable, Static

from sp_tui.export.rich_table import rich_table
from sp_tui.reports.attention import needs_attention
from sp_tui.reports.dashboard import DASHBOARD_PANELS
from sp_tui.tui.screens.base import AreaScreen
from sp_tui.tui.widgets.record_table import RecordTable


class DashboardScreen(AreaScreen):
    AREA_ID = "dashboard"
    AREA_TITLE = "Dashboard"
    AREA_KEY = "1"
    DEFAULT_CSS = """
    DashboardScreen #panels {
        grid-size: 2; grid-gutter: 0 2; height: auto; padding: 0 1;
    }
    DashboardScreen .panel { height: auto; }
    DashboardScreen #attention-box { height: 1fr; min-height: 6; padding: 0 1; }
    DashboardScreen #attention-title { text-style: bold; }
    """
    PALETTE = [
        ("export: quarter summary (xlsx)", "Write the Commissioning Body tables", "export"),
    ]
    BINDINGS = [
        Binding("x", "export", "Export quarter", id="dashboard.export"),
        Binding("enter", "open_item", "Open", show=False, id="dashboard.open"),
    ]

    def compose_body(self) -> ComposeResult:
        with Grid(id="panels"):
            for panel in DASHBOARD_PANELS:
                yield Static(id=f"panel-{panel.panel_id}", classes="panel")
        with Vertical(id="attention-box"):
            yield Static("Needs attention", id="attention-title")
            yield RecordTable(id="attention")

    def on_mount(self) -> None:
        self.query_one(RecordTable).set_columns(
            [("What", "kind"), ("Record", "text"), ("Since", "since")], widths={"text": 60})

    def refresh_data(self) -> None:
        db, quarter = self.sp_app.db, self.sp_app.quarter
        for panel in DASHBOARD_PANELS:
            self.query_one(f"#panel-{panel.panel_id}", Static).update(
                rich_table(panel.build(db, quarter), compact=True))
        items = needs_attention(db, quarter, self.sp_app.today)
        self._items = {f"{i.area}:{i.record_id}:{n}": i for n, i in enumerate(items)}
        self.query_one(RecordTable).load(
            (key, [Text(i.kind, style="bold"), i.text,
                   i.since.isoformat() if i.since else ""])
            for key, i in self._items.items())
        self.query_one("#attention-title", Static).update(
            f"Needs attention: {len(items)}" if items else
            "Needs attention: nothing for this quarter.")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self._open(event.row_key.value)

    def action_open_item(self) -> None:
        self._open(self.query_one(RecordTable).selected_key())

    def _open(self, key: str | None) -> None:
        item = self._items.get(key or "")
        if item is None:
            return
        self.sp_app.open_record(item.area, item.record_id)

    def action_export(self) -> None:
        from sp_tui.tui.widgets.export_modal import ExportModal

        self.app.push_screen(ExportModal(self.sp_app.quarter))
