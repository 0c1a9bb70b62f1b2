"""Conflicts left by merging a laptop's copy: both values side by side; pick one with a key."""

from __future__ import annotations

import sqlite_utils
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from sp_tui.domain.errors import ValidationError
from sp_tui.reports.conflicts import PAGE_SIZE, ConflictRow, open_conflict_count, open_conflicts
from sp_tui.tui.screens.base import AreaScreen, Request
from sp_tui.tui.widgets.record_table import RecordTable

COLUMNS = [("Record", "record"), ("Field", "field"), ("This database", "this"),
           ("Other copy", "other"), ("From file", "file"), ("Found", "found")]
VALUE_WIDTH = 24


def _short(text: str, width: int = VALUE_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class ConflictsScreen(AreaScreen):
    AREA_ID = "conflicts"
    PALETTE = [
        ("database: merge from file", "Bring in the records of a laptop's copy",
         "merge_from_file"),
        ("conflicts: keep this database's value", "Settle the selected conflict (t)",
         "keep_this"),
        ("conflicts: take the other copy's value", "Settle the selected conflict (o)",
         "take_other"),
    ]
    BINDINGS = [
        Binding("t", "keep_this", "Keep this", id="conflicts.keep_this"),
        Binding("o", "take_other", "Take other", id="conflicts.take_other"),
        Binding("m", "merge_from_file", "Merge from file", id="conflicts.merge"),
    ]
    DEFAULT_CSS = """
    ConflictsScreen #conflicts-table { height: 1fr; }
    ConflictsScreen #detail {
        height: auto; max-height: 12; padding: 0 1; border-top: solid $primary-darken-2;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._rows: dict[str, ConflictRow] = {}

    def compose_body(self) -> ComposeResult:
        yield Static("", classes="status-line", id="summary")
        yield Static("No conflicts to settle. Press [b]m[/b] to merge a laptop's copy"
                     " (or: sp-tui merge FILE).", classes="empty-state", id="empty")
        yield RecordTable(id="conflicts-table")
        yield Static("", id="detail")

    def on_mount(self) -> None:
        # AreaScreen.on_mount runs after this one (handlers run down the MRO) and loads the data.
        self.query_one(RecordTable).set_columns(COLUMNS, widths={"record": 26, "file": 18})
        self.query_one(RecordTable).focus()

    def fetch(self, db: sqlite_utils.Database, request: Request) -> tuple[list[ConflictRow], int]:
        return open_conflicts(db, limit=PAGE_SIZE), open_conflict_count(db)

    def show(self, data: tuple[list[ConflictRow], int]) -> None:
        rows, total = data
        self._rows = {row.id: row for row in rows}
        self.query_one(RecordTable).load((row.id, [
            row.record, row.field or "(record)", _short(row.this_value),
            Text(_short(row.other_value), style="yellow"),
            _short(row.source_file.rsplit("/", 1)[-1], 18), row.found_at.replace("T", " "),
        ]) for row in rows)
        empty = total == 0
        self.query_one("#empty").set_class(empty, "-visible")
        self.query_one(RecordTable).display = not empty
        shown = f" (the first {len(rows):,} shown)" if total > len(rows) else ""
        self.query_one("#summary", Static).update(Text(
            f"{total:,} conflict(s) to settle{shown}. t: keep this database's value,"
            " o: take the other copy's value, m: merge from a file."))
        self._show_detail()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _selected(self) -> ConflictRow | None:
        key = self.query_one(RecordTable).selected_key()
        return self._rows.get(key) if key else None

    def _show_detail(self) -> None:
        row = self._selected()
        detail = self.query_one("#detail", Static)
        detail.display = row is not None
        if row is None:
            detail.update("")
            return
        text = Text()
        text.append(f"{row.record}", style="bold")
        text.append(f"  ·  {row.field or 'the whole record'}  ·  from {row.source_file}\n")
        if row.field:
            text.append("This database: ", style="bold")
            text.append(f"{row.this_value}\n")
            if row.current_value != row.this_value:
                text.append("   (now: ", style="dim")
                text.append(row.current_value, style="dim")
                text.append(")\n", style="dim")
        text.append("Other copy:    ", style="bold")
        text.append(f"{row.other_value}\n", style="yellow")
        if row.reason:
            text.append(f"Not written: {row.reason}\n", style="red")
        detail.update(text)

    # -- settling -------------------------------------------------------------------------------
    def action_keep_this(self) -> None:
        self._settle("this")

    def action_take_other(self) -> None:
        self._settle("other")

    def _settle(self, choice: str) -> None:
        from sp_tui.services.conflicts import resolve_conflict

        row = self._selected()
        if row is None:
            self.notify("No conflict selected.", severity="warning")
            return
        try:
            resolve_conflict(self.ctx.db, row.id, choice, source="app")
        except ValidationError as exc:
            self.notify(exc.summary(), title="Not settled", severity="error", timeout=8)
            return
        kept = "kept this database's value" if choice == "this" else "took the other copy's value"
        self.notify(f"{row.record} {row.field or 'record'}: {kept}.",
                    title="Conflict settled")

    # -- merging ----------------------------------------------------------------------------------
    def action_merge_from_file(self) -> None:
        from sp_tui.reports.conflicts import merge_summary_lines
        from sp_tui.services.merge import MergeResult
        from sp_tui.tui.widgets.merge_modal import MergeModal

        def merged(result: MergeResult | None) -> None:
            if result is None:
                return
            lines = merge_summary_lines(result)
            self.notify("\n".join(lines), title=f"Merged {result.source.name}",
                        timeout=10)
            # The merge wrote through its own connection: the poll would see it within a
            # second; reload now.
            self.ctx.data_changed.publish(None)

        self.app.push_screen(MergeModal(), merged)
