"""Visits: the selected quarter's monitoring visits, the highlighted service's grade history,
the action plans list, and Tables 6, 7 and 8 kept live underneath."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlite_utils
from rich import box
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Select, Static

from sp_tui.domain.qaf import grade_label
from sp_tui.reports.qaf_tables import GRADE_COLUMNS, QafTables, qaf_tables
from sp_tui.reports.visits import (
    STATUSES, ActionPlanRow, VisitQuery, VisitRow, action_plans, current_grade, grade_history,
    officers, visits_page,
)
from sp_tui.reports.paging import PAGE_SIZE
from sp_tui.tui.screens.base import Request, toggle_panel
from sp_tui.tui.screens.table import ListState, Loaded, TableScreen
from sp_tui.tui.widgets.record_table import RecordTable
from sp_tui.tui.widgets.search_input import SearchInput

VISIT_COLUMNS = [("Ref", "ref"), ("Service", "service"), ("Officer", "officer"),
                 ("Begun", "begun"), ("Completed", "completed"), ("Grade", "grade"),
                 ("", "change")]
PLAN_COLUMNS = [("Ref", "ref"), ("Service", "service"), ("D awarded", "awarded"),
                ("Monitoring officer", "officer"), ("Review by", "review"), ("", "overdue")]
CHANGE_MARK = {"higher": Text("▲", style="green"), "lower": Text("▼", style="red"),
               "same": Text("=", style="dim")}
NAME_WIDTH = 20


def _short(text: str, width: int = NAME_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass(frozen=True)
class _Extra:
    officers: list[str]
    plans: list[ActionPlanRow]
    plans_as_at: date
    tables: QafTables


class VisitsScreen(TableScreen):
    AREA_ID = "visits"
    COLUMNS = VISIT_COLUMNS
    FILTERS = {"officer": "officer", "status": "status"}
    NOUN = "visits (begun in the quarter or still open from earlier)"
    PALETTE = [
        ("visits: log a visit", "Open the visit form", "add"),
        ("visits: edit selected visit", "Edit the visit under the cursor", "edit"),
        ("visits: complete selected visit", "Complete an open visit", "complete"),
        ("visits: action plans", "Services graded D, their officer and review date",
         "toggle_plans"),
        ("visits: toggle tables", "Show or hide the grade history and Tables 6-8",
         "toggle_panels"),
    ]
    BINDINGS = [
        Binding("a", "add", "Log visit", id="visits.add"),
        Binding("e", "edit", "Edit", id="visits.edit"),
        Binding("c", "complete", "Complete", id="visits.complete"),
        Binding("d", "delete", "Delete", show=False, id="visits.delete"),
        Binding("P", "toggle_plans", "Action plans", key_display="P", id="visits.plans"),
        Binding("f", "cycle_status", "Filter", id="visits.filter"),
        Binding("slash", "focus_search", "Search", key_display="/", id="visits.search"),
        Binding("t", "toggle_panels", "Tables", id="visits.panels"),
        Binding("n", "page(1)", "Next page", show=False, id="visits.next_page"),
        Binding("p", "page(-1)", "Prev page", show=False, id="visits.prev_page"),
        Binding("escape", "focus_table", "Table", show=False),
    ]
    DEFAULT_CSS = """
    VisitsScreen #visits-body { height: 1fr; }
    VisitsScreen #history { width: 34; padding: 0 1; border-left: solid $primary-darken-2; }
    VisitsScreen #plans-table { display: none; }
    VisitsScreen.-plans #plans-table { display: block; }
    VisitsScreen.-plans #visits-table { display: none; }
    VisitsScreen #qaf-panel { height: auto; border-top: solid $primary-darken-2; }
    VisitsScreen #qaf-panel > Static { width: auto; padding: 0 2 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.showing_plans = False
        self._officers: list[str] = []
        self._plan_visits: dict[str, str] = {}  # plans row key (service id) -> D visit id
        self._plan_count = 0
        self._plans_as_at = date.min

    def compose_body(self) -> ComposeResult:
        with Horizontal(classes="toolbar"):
            yield SearchInput(placeholder="Search service ref or name   ( / )", id="search")
            yield Select([], prompt="All officers", id="officer")
            yield Select([(s.capitalize(), s) for s in STATUSES], prompt="All visits",
                         id="status")
        yield Static("", classes="status-line", id="summary")
        yield Static("No visits in this quarter. Press [b]a[/b] to log one, or import a file:\n"
                     "  sp-tui import visits FILE.csv   (columns listed in the README)",
                     classes="empty-state", id="empty")
        with Horizontal(id="visits-body"):
            with Vertical():
                yield RecordTable(id="visits-table")
                yield RecordTable(id="plans-table")
            yield Static("", id="history")
        with Horizontal(id="qaf-panel"):
            yield Static("", id="table6")
            yield Static("", id="table7")
            yield Static("", id="table8")

    def on_mount(self) -> None:
        self.query_one("#plans-table", RecordTable).set_columns(PLAN_COLUMNS)

    def action_toggle_panels(self) -> None:
        toggle_panel(self.query_one("#history"), self.query_one("#qaf-panel"))

    @property
    def shown_table(self) -> RecordTable:
        """The list on show: visits, or action plans."""
        return self.query_one("#plans-table" if self.showing_plans else "#visits-table",
                              RecordTable)

    def table_container(self) -> Any:
        return self.query_one("#visits-body")

    # -- data (worker thread) ----------------------------------------------------------------
    def fetch_page(self, db: sqlite_utils.Database, request: Request,
                   state: ListState) -> Loaded:
        quarter = request.quarter
        page = visits_page(db, VisitQuery(
            quarter=quarter, officer=state.filter("officer"), status=state.filter("status"),
            search=state.search, offset=state.offset, limit=PAGE_SIZE))
        rows: list[tuple[str, list[object]]] = [(row.id, [
            row.service_ref, _short(row.service_name), _short(row.officer, 16), row.started_date,
            row.completed_date or Text("open", style="yellow"),
            f"{grade_label(row.existing_grade)}→{grade_label(row.awarded_grade)}"
            if row.completed_date else grade_label(row.existing_grade),
            CHANGE_MARK.get(row.change or "", ""),
        ]) for row in page.rows]
        as_at = min(request.today, quarter.end)  # plans as at the close, or today
        extra = _Extra(officers(db), action_plans(db, as_at), as_at, qaf_tables(db, quarter))
        return Loaded(rows, page.total, state.offset, extra=extra,
                      records={row.id: row for row in page.rows},
                      empty=page.total == 0 and not state.filtered)

    # -- drawing (UI thread) -------------------------------------------------------------------
    def show_extra(self, data: Loaded) -> None:
        extra: _Extra = data.extra
        self._show_officers(extra.officers)
        self._plan_visits = {p.service_id: p.visit_id for p in extra.plans}
        self._plan_count, self._plans_as_at = len(extra.plans), extra.plans_as_at
        self.query_one("#plans-table", RecordTable).load((p.service_id, [
            p.service_ref, _short(p.service_name), p.awarded_on,
            p.plan_officer or Text("(missing)", style="red"),
            p.plan_review_date or Text("(missing)", style="red"),
            Text("overdue", style="bold red") if p.overdue else "",
        ]) for p in extra.plans)
        if self.showing_plans:
            self.query_one("#empty").set_class(False, "-visible")
            self.query_one("#visits-body").display = True
        self._show_tables(extra.tables)

    def after_show(self) -> None:
        self._show_history()

    def _show_officers(self, names: list[str]) -> None:
        if names != self._officers:
            self._officers = names
            select = self.query_one("#officer", Select)
            with self.prevent(Select.Changed):
                select.set_options([(n, n) for n in names])
                if self.state.filter("officer") in names:
                    select.value = self.state.filter("officer")
            if self.state.filter("officer") not in (None, *names):
                self.set_filter("officer", None)

    def position_text(self, data: Loaded) -> Text:
        quarter = self.ctx.quarter
        if self.showing_plans:
            text = (f"Action plans at {self._plans_as_at.isoformat()}: {self._plan_count}"
                    " services graded D  ·  P: back to visits")
        elif data.total == 0:
            text = "No visit matches." if self.state.filtered else ""
        else:
            text = super().position_text(data).plain + "  ·  P: action plans"
        return Text(f"{quarter.label} · {text}")

    def _show_tables(self, tables: QafTables) -> None:
        t6, t7, t8 = tables.table6, tables.table7, tables.table8
        table6 = Table(title=f"Table 6: {t6.begun} begun, {t6.completed} completed",
                       title_justify="left", box=box.SIMPLE_HEAD, padding=(0, 1), show_edge=False)
        table6.add_column("")
        for column in GRADE_COLUMNS:
            table6.add_column("NG" if column == "Not graded" else column, justify="right")
        for label, counts in (("Existing", t6.existing), ("Self-assessed", t6.self_assessed),
                              ("Awarded", t6.awarded)):
            table6.add_row(label, *map(str, counts.cells()))
        table7 = Table(title=f"Table 7: of {t7.completed} completed", title_justify="left",
                       box=box.SIMPLE_HEAD, padding=(0, 1), show_header=False,
                       show_edge=False)
        table7.add_column("")
        table7.add_column("", justify="right")
        table7.add_column("", justify="right")
        for label, count in (("Higher", t7.higher), ("Same", t7.same), ("Lower", t7.lower),
                             ("First graded", t7.first_graded),
                             ("No award", t7.not_awarded)):
            if count or label in ("Higher", "Same", "Lower"):
                share = t7.share(count)
                table7.add_row(label, str(count), "" if share is None else f"{share}%")
        table8 = Table(title=f"Table 8: services at {t8.quarter.end.isoformat()}",
                       title_justify="left", box=box.SIMPLE_HEAD, padding=(0, 1), show_edge=False)
        for column in GRADE_COLUMNS:
            table8.add_column("NG" if column == "Not graded" else column, justify="right")
        table8.add_row(*map(str, t8.services.cells()))
        self.query_one("#table6", Static).update(table6)
        self.query_one("#table7", Static).update(table7)
        self.query_one("#table8", Static).update(table8)

    def _selected_service(self) -> tuple[str, str] | None:
        """(service id, label) of the row under the cursor in either list."""
        key = self.shown_table.selected_key()
        if key is None:
            return None
        if self.showing_plans:
            return key, ""
        row: VisitRow | None = self.records.get(key)
        return (row.service_id, f"{row.service_ref} {row.service_name}") if row else None

    def _show_history(self) -> None:
        panel = self.query_one("#history", Static)
        selected = self._selected_service()
        if selected is None:
            panel.update(Text("Grade history: highlight a visit.", style="dim"))
            return
        service_id, _ = selected
        history = grade_history(self.ctx.db, service_id)
        grade = current_grade(self.ctx.db, service_id, self.ctx.today)
        text = Text()
        if history:
            text.append(f"{history[0].service_ref}  ", style="bold")
            text.append(history[0].service_name + "\n")
        text.append(f"Current grade: {grade_label(grade)}\n\n", style="bold")
        text.append("Begun      Completed  Ex Sa Aw\n", style="dim")
        for visit in history:
            awarded = grade_label(visit.awarded_grade) if visit.completed_date else "-"
            text.append(f"{visit.started_date} {visit.completed_date or 'open      '} "
                        f"{grade_label(visit.existing_grade):<3}"
                        f"{grade_label(visit.self_assessed_grade):<3}{awarded:<2}")
            text.append_text(CHANGE_MARK.get(visit.change or "", Text("")))
            text.append(f"\n  {visit.officer}\n", style="dim")
        panel.update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_history()

    # -- filters and views --------------------------------------------------------------------
    def action_cycle_status(self) -> None:
        """All -> in progress -> completed -> grade changed -> all."""
        order = [None, *STATUSES]
        following = order[(order.index(self.state.filter("status")) + 1) % len(order)]
        self.query_one("#status", Select).value = Select.NULL if following is None \
            else following

    def action_page(self, step: int) -> None:
        if not self.showing_plans:
            super().action_page(step)

    def action_toggle_plans(self) -> None:
        self.showing_plans = not self.showing_plans
        self.set_class(self.showing_plans, "-plans")
        self.reload()
        self.shown_table.focus()

    def show_record(self, record_id: str) -> None:
        """From the dashboard: a service on an action plan, or a visit in this quarter."""
        plans = self.query_one("#plans-table", RecordTable)
        if record_id in plans.rows and not self.showing_plans:
            self.action_toggle_plans()
        super().show_record(record_id)

    def action_focus_table(self) -> None:
        self.shown_table.focus()

    # -- log, edit, complete, delete --------------------------------------------------------
    def _selected_visit(self) -> str | None:
        key = self.shown_table.selected_key()
        if key is None:
            return None
        return self._plan_visits.get(key) if self.showing_plans else key

    def action_add(self) -> None:
        self._open_form(None)

    def action_edit(self) -> None:
        visit_id = self._selected_visit()
        if visit_id is None:
            self.notify("No visit selected.", severity="warning")
            return
        self._open_form(visit_id)

    def action_complete(self) -> None:
        visit_id = self._selected_visit()
        if visit_id is None:
            self.notify("No visit selected.", severity="warning")
            return
        self._open_form(visit_id, complete=True)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_edit()

    def _open_form(self, visit_id: str | None, *, complete: bool = False) -> None:
        from sp_tui.tui.widgets.visit_form import VisitForm

        def saved(result: str | None) -> None:
            if result:
                self.notify("Visit saved.")
                if not self.showing_plans:
                    self.select_after_load(result)

        self.app.push_screen(VisitForm(self.ctx.db, visit_id, today=self.ctx.today,
                                       complete=complete), saved)

    def action_delete(self) -> None:
        from sp_tui.services.visits import delete_visit
        from sp_tui.tui.widgets.confirm import ConfirmModal

        visit_id = self._selected_visit()
        row: VisitRow | None = self.records.get(visit_id or "")
        if visit_id is None or row is None or self.showing_plans:
            self.notify("No visit selected.", severity="warning")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                delete_visit(self.ctx.db, visit_id, source="tui")
                self.notify("Visit deleted.")

        self.app.push_screen(ConfirmModal(
            f"Delete the visit to {row.service_ref} begun {row.started_date}?",
            f"{row.service_name}\nOfficer: {row.officer}\nThe audit log keeps its values.",
            yes_label="Delete", default="no", cancelled="The visit was kept."), answered)
