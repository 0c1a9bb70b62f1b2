"""Outcomes: Appendices 3, 4 and 5 live for the selected quarter (or the financial year to
date), a bar chart per high-level outcome, the returns-made measures, and the services whose
returns are missing."""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils
from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from sp_tui.export.outcome_chart import rate_chart
from sp_tui.export.rich_table import rich_table
from sp_tui.reports.outcomes import Period, missing_returns, outcome_tables
from sp_tui.tui.screens.base import AreaScreen, Request
from sp_tui.tui.widgets.record_table import RecordTable


# The tables outcome_tables returns, in its order (one Static each).
TABLE_KEYS = ("appendix3_types", "appendix3_groups", "appendix4_moves", "appendix4",
              *(f"table5_{n}" for n in range(1, 6)), "outcome_returns_made")


@dataclass(frozen=True)
class _Outcomes:
    tables: list[tuple[str, RenderableType]]
    summary: Text
    missing: dict[str, list[object]]


class OutcomesScreen(AreaScreen):
    AREA_ID = "outcomes"
    DEFAULT_CSS = """
    OutcomesScreen #outcome-tables { height: 1fr; padding: 0 1; }
    OutcomesScreen .outcome-table { height: auto; margin-bottom: 1; }
    OutcomesScreen #missing-box { height: 12; padding: 0 1; border-top: solid $primary; }
    OutcomesScreen #missing-title { text-style: bold; }
    """
    PALETTE = [
        ("outcomes: quarter or year to date", "Switch the tables between the quarter and"
                                              " the financial year to date", "toggle_ytd"),
        ("outcomes: services with missing returns", "Move to the missing-returns list",
         "focus_missing"),
    ]
    BINDINGS = [
        Binding("y", "toggle_ytd", "Quarter/year to date", id="outcomes.ytd"),
        Binding("m", "focus_missing", "Missing returns", id="outcomes.missing"),
        Binding("t", "focus_tables", "Tables", show=False, id="outcomes.tables"),
    ]

    ytd = False

    def compose_body(self) -> ComposeResult:
        yield Static("", classes="status-line", id="summary")
        with VerticalScroll(id="outcome-tables"):
            for key in TABLE_KEYS:
                yield Static(id=f"t-{key}", classes="outcome-table")
        with Vertical(id="missing-box"):
            yield Static("Services with missing returns", id="missing-title")
            yield RecordTable(id="missing")

    def on_mount(self) -> None:
        self.query_one(RecordTable).set_columns(
            [("Service", "ref"), ("Name", "name"), ("Provider", "provider"),
             ("Missing", "detail")], widths={"name": 28, "provider": 28, "detail": 50})
        self.query_one(RecordTable).focus()

    def request(self) -> Request:
        return Request(self.ctx.quarter, self.ctx.today, state=self.ytd)

    def fetch(self, db: sqlite_utils.Database, request: Request) -> _Outcomes:
        quarter, ytd = request.quarter, bool(request.state)
        period = Period(quarter, ytd)
        tables = outcome_tables(db, quarter, ytd)
        shown: list[tuple[str, RenderableType]] = []
        for table in tables:
            renderable: RenderableType = rich_table(table, compact=True)
            if table.key.startswith("table5_"):
                renderable = Group(renderable, rate_chart(table, str(table.rows[-1][0])))
            shown.append((table.key, renderable))
        returns = tables[0].rows[-1][1]
        summary = Text(
            f"{period.short}: {returns:,} outcome returns of clients who left"
            f" {period.start.isoformat()} to {period.end.isoformat()}  ·  y: "
            + ("the quarter alone" if ytd else "financial year to date"))
        missing: dict[str, list[object]] = {}
        for m in missing_returns(db, period):
            if m.service_id in missing:
                missing[m.service_id][3] = f"{missing[m.service_id][3]}; {m.detail}"
            else:
                missing[m.service_id] = [m.service_ref, m.service_name, m.provider, m.detail]
        return _Outcomes(shown, summary, missing)

    def show(self, data: _Outcomes) -> None:
        for key, renderable in data.tables:
            self.query_one(f"#t-{key}", Static).update(renderable)
        self.query_one("#summary", Static).update(data.summary)
        missing = data.missing
        self.query_one(RecordTable).load(missing.items())
        self.query_one("#missing-title", Static).update(
            f"Services with missing returns: {len(missing)}" if missing
            else "Services with missing returns: none.")

    def action_toggle_ytd(self) -> None:
        self.ytd = not self.ytd
        self.reload()

    def action_focus_missing(self) -> None:
        self.query_one(RecordTable).focus()

    def action_focus_tables(self) -> None:
        self.query_one("#outcome-tables").focus()
