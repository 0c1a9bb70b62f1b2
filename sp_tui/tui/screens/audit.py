"""The audit log: who changed what, newest first."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from sp_tui.reports.audit import latest_changes
from sp_tui.tui.screens.base import AreaScreen
from sp_tui.tui.widgets.record_table import RecordTable

LIMIT = 500


class AuditScreen(AreaScreen):
    AREA_ID = "audit"
    AREA_TITLE = "Audit log"
    AREA_KEY = "9"

    def compose_body(self) -> ComposeResult:
        yield Static("", classes="status-line", id="summary")
        yield RecordTable(id="audit-table")

    def on_mount(self) -> None:
        self.query_one(RecordTable).set_columns(
            [("When", "at"), ("Who", "who"), ("Action", "action"), ("What", "summary"),
             ("Old", "old"), ("New", "new")])
        self.query_one(RecordTable).focus()

    def refresh_data(self) -> None:
        entries = latest_changes(self.sp_app.db, LIMIT)
        self.query_one(RecordTable).load(
            (f"{i}", [e.at.replace("T", " "), e.who, e.action, e.summary,
                      Text(_short(e.old_values), style="red"),
                      Text(_short(e.new_values), style="green")])
            for i, e in enumerate(entries))
        self.query_one("#summary", Static).update(
            f"The latest {len(entries)} changes, newest first (sp-tui audit prints the same).")


def _short(text: str | None, width: int = 60) -> str:
    if not text:
        return ""
    return text if len(text) <= width else text[: width - 1] + "…"
