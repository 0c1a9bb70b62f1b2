"""Visits: the selected quarter's monitoring visits, the highlighted service's grade history,
the action plans list, and Tables 6, 7 and 8 kept live underneath."""

from __future__ import annotations

from rich import box
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Select, Static

from sp_tui.domain.qaf import grade_label
from sp_tui.reports.qaf_tables import GRADE_COLUMNS, QafTables, qaf_tables
from sp_tui.reports.visits import (
    PAGE_SIZE, STATUSES, VisitQuery, VisitRow, action_plans, current_grade, grade_history,
    officers, visits_page,
)
from sp_tui.tui.screens.base import AreaScreen
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


class VisitsScreen(AreaScreen):
    AREA_ID = "visits"
    AREA_TITLE = "Visits"
    AREA_KEY = "3"
    PALETTE = [
        ("visits: log a visit", "Open the visit form", "add"),
        ("visits: edit selected visit", "Edit the visit under the cursor", "edit"),
        ("visits: complete selected visit", "Complete an open visit", "complete"),
        ("visits: action plans", "Services graded D, their officer and review date",
         "toggle_plans"),
    ]
    BINDINGS = [
        Binding("a", "add", "Log visit", id="visits.add"),
        Binding("e", "edit", "Edit", id="visits.edit"),
        Binding("c", "complete", "Complete", id="visits.complete"),
        Binding("d", "delete", "Delete", show=False, id="visits.delete"),
        Binding("P", "toggle_plans", "Action plans", key_display="P", id="visits.plans"),
        Binding("f", "cycle_status", "Filter", id="visits.filter"),
        Binding("slash", "focus_search", "Search", key_display="/", id="visits.search"),
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
        self.search_text = ""
        self.officer_filter: str | None = None
        self.status_filter: str | None = None
        self.page_offset = 0
        self.showing_plans = False
        self._officers: list[str] = []
        self._rows: dict[str, VisitRow] = {}
        self._plan_visits: dict[str, str] = {}  # plans row key (service id) -> D visit id

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
        self.query_one("#visits-table", RecordTable).set_columns(VISIT_COLUMNS)
        self.query_one("#plans-table", RecordTable).set_columns(PLAN_COLUMNS)
        self.query_one("#visits-table", RecordTable).focus()

    @property
    def table(self) -> RecordTable:
        return self.query_one("#plans-table" if self.showing_plans else "#visits-table",
                              RecordTable)

    # -- data ------------------------------------------------------------------------------
    def refresh_data(self) -> None:
        db, quarter = self.sp_app.db, self.sp_app.quarter
        self._refresh_officers()
        query = VisitQuery(quarter=quarter, officer=self.officer_filter,
                           status=self.status_filter, search=self.search_text,
                           offset=self.page_offset, limit=PAGE_SIZE)
        page = visits_page(db, query)
        if page.total and self.page_offset >= page.total:
            self.page_offset = (page.total - 1) // PAGE_SIZE * PAGE_SIZE
            page = visits_page(db, VisitQuery(**{**query.__dict__, "offset": self.page_offset}))
        self._rows = {row.id: row for row in page.rows}
        self.query_one("#visits-table", RecordTable).load((row.id, [
            row.service_ref, _short(row.service_name), _short(row.officer, 16), row.started_date,
            row.completed_date or Text("open", style="yellow"),
            f"{grade_label(row.existing_grade)}→{grade_label(row.awarded_grade)}"
            if row.completed_date else grade_label(row.existing_grade),
            CHANGE_MARK.get(row.change or "", ""),
        ]) for row in page.rows)
        self._refresh_plans()
        self._show_summary(page.total, len(page.rows))
        self._show_tables(qaf_tables(db, quarter))
        self._show_history()

    def _refresh_officers(self) -> None:
        names = officers(self.sp_app.db)
        if names != self._officers:
            self._officers = names
            select = self.query_one("#officer", Select)
            with self.prevent(Select.Changed):
                select.set_options([(n, n) for n in names])
                if self.officer_filter in names:
                    select.value = self.officer_filter
                else:
                    self.officer_filter = None

    def _plans_as_at(self):
        """Action plans as at the quarter's close, or today while the quarter runs."""
        return min(self.sp_app.today, self.sp_app.quarter.end)

    def _refresh_plans(self) -> None:
        plans = action_plans(self.sp_app.db, self._plans_as_at())
        self._plan_visits = {p.service_id: p.visit_id for p in plans}
        self.query_one("#plans-table", RecordTable).load((p.service_id, [
            p.service_ref, _short(p.service_name), p.awarded_on,
            p.plan_officer or Text("(missing)", style="red"),
            p.plan_review_date or Text("(missing)", style="red"),
            Text("overdue", style="bold red") if p.overdue else "",
        ]) for p in plans)
        self._plan_count = len(plans)

    def _show_summary(self, total: int, shown: int) -> None:
        filtered = bool(self.search_text or self.officer_filter or self.status_filter)
        empty = total == 0 and not filtered and not self.showing_plans
        self.query_one("#empty").set_class(empty, "-visible")
        self.query_one("#visits-body").display = not empty
        quarter = self.sp_app.quarter
        if self.showing_plans:
            text = (f"Action plans at {self._plans_as_at().isoformat()}: {self._plan_count}"
                    " services graded D  ·  P: back to visits")
        elif total == 0:
            text = "No visit matches." if filtered else ""
        else:
            first, last = self.page_offset + 1, self.page_offset + shown
            text = (f"visits {first:,}-{last:,} of {total:,} (begun in the quarter or still"
                    " open from earlier)  ·  P: action plans")
            if total > PAGE_SIZE:
                text += "  ·  n/p: pages"
        self.query_one("#summary", Static).update(Text(f"{quarter.label} · {text}"))

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
        key = self.table.selected_key()
        if key is None:
            return None
        if self.showing_plans:
            return key, ""
        row = self._rows.get(key)
        return (row.service_id, f"{row.service_ref} {row.service_name}") if row else None

    def _show_history(self) -> None:
        panel = self.query_one("#history", Static)
        selected = self._selected_service()
        if selected is None:
            panel.update(Text("Grade history: highlight a visit.", style="dim"))
            return
        service_id, _ = selected
        history = grade_history(self.sp_app.db, service_id)
        grade = current_grade(self.sp_app.db, service_id, self.sp_app.today)
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

    # -- search, filters, pages, views --------------------------------------------------------
    def on_search_input_settled(self, event: SearchInput.Settled) -> None:
        if event.value != self.search_text:
            self.search_text, self.page_offset = event.value, 0
            self.refresh_data()
        if event.submitted:
            self.table.focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        value = None if event.value is Select.NULL else str(event.value)
        if event.select.id == "officer":
            self.officer_filter = value
        elif event.select.id == "status":
            self.status_filter = value
        else:
            return
        self.page_offset = 0
        self.refresh_data()

    def action_cycle_status(self) -> None:
        """All -> in progress -> completed -> grade changed -> all."""
        order = [None, *STATUSES]
        following = order[(order.index(self.status_filter) + 1) % len(order)]
        self.query_one("#status", Select).value = Select.NULL if following is None \
            else following

    def action_page(self, step: int) -> None:
        new = max(0, self.page_offset + step * PAGE_SIZE)
        if new != self.page_offset and not self.showing_plans:
            self.page_offset = new
            self.refresh_data()
            self.table.move_cursor(row=0)

    def action_toggle_plans(self) -> None:
        self.showing_plans = not self.showing_plans
        self.set_class(self.showing_plans, "-plans")
        self.refresh_data()
        self.table.focus()

    def show_record(self, record_id: str) -> None:
        """From the dashboard: a service on an action plan, or a visit in this quarter."""
        plans = self.query_one("#plans-table", RecordTable)
        if record_id in plans.rows and not self.showing_plans:
            self.action_toggle_plans()
        super().show_record(record_id)

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_focus_table(self) -> None:
        self.table.focus()

    # -- log, edit, complete, delete --------------------------------------------------------
    def _selected_visit(self) -> str | None:
        key = self.table.selected_key()
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
                self.sp_app.notify_changed()
                self.refresh_data()
                table = self.query_one("#visits-table", RecordTable)
                if result in table.rows and not self.showing_plans:
                    table.move_cursor(row=table.get_row_index(result))

        self.app.push_screen(VisitForm(self.sp_app.db, visit_id, today=self.sp_app.today,
                                       complete=complete), saved)

    def action_delete(self) -> None:
        from sp_tui.services.visits import delete_visit
        from sp_tui.tui.widgets.confirm import ConfirmModal

        visit_id = self._selected_visit()
        row = self._rows.get(visit_id or "")
        if visit_id is None or row is None or self.showing_plans:
            self.notify("No visit selected.", severity="warning")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                delete_visit(self.sp_app.db, visit_id, source="tui")
                self.notify("Visit deleted.")
                self.sp_app.notify_changed()
                self.refresh_data()

        self.app.push_screen(ConfirmModal(
            f"Delete the visit to {row.service_ref} begun {row.started_date}?",
            f"{row.service_name}\nOfficer: {row.officer}\nThe audit log keeps its values.",
            yes_label="Delete", default="no", cancelled="The visit was kept."), answered)
