"""The Workbooks screen: every workbook expected for the selected quarter with its status as of
today; filter, search, sort and page in SQL; mark received, reject, excuse, undo; send
reminders and issue default notices after a confirmation; Table 2 live underneath."""

from __future__ import annotations

import sqlite3

from rich import box
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Select, Static

from sp_tui.domain.errors import ValidationError
from sp_tui.domain.workbooks import STATUS_GROUPS, STATUS_STYLES, STATUSES
from sp_tui.reports.kpis import figures_missing_count
from sp_tui.reports.table2 import table2_report
from sp_tui.reports.workbooks import (
    SORTS, WorkbookQuery, WorkbookRow, filter_choices, workbook_summary, workbooks_page,
)
from sp_tui.tui.screens.base import AreaScreen
from sp_tui.tui.widgets.record_table import RecordTable
from sp_tui.tui.widgets.search_input import SearchInput

# A page small enough to fill the table in well under the 150 ms a filter may take.
PAGE_SIZE = 200
COLUMNS = [("Ref", "ref"), ("Service", "service"), ("Provider", "provider"),
           ("District", "district"), ("Status", "status"), ("Received", "received"),
           ("Rem.", "reminders"), ("Default", "default")]
WIDTHS = {"ref": 8, "service": 22, "provider": 20, "district": 12, "status": 16,
          "received": 10, "reminders": 4, "default": 10}
# The table's narrow status words (the summary line uses the full labels).
SHORT_STATUS = {"on_time": "on time", "default_period": "default period", "late": "late",
                "excused": "excused", "in_default": "IN DEFAULT", "reminded": "reminded",
                "rejected": "rejected", "overdue": "overdue", "outstanding": "outstanding"}
TABLE2_LABELS = {  # the panel's short row labels for the published rows
    "Number of workbooks expected": "Expected",
    "Number of workbooks returned by deadline": "Returned by deadline",
    "Number of reminders sent": "Reminders sent",
    "Number of workbooks received by end of default period": "Received by end of default",
    "No. Defaults issued": "Defaults issued",
}


class WorkbooksScreen(AreaScreen):
    AREA_ID = "workbooks"
    AREA_TITLE = "Workbooks"
    AREA_KEY = "4"
    DEFAULT_CSS = """
    WorkbooksScreen #wb-filters Select { width: 30; }
    WorkbooksScreen #wb-filters #wb-status { width: 28; }
    WorkbooksScreen #wb-summary { height: auto; padding: 0 1; }
    WorkbooksScreen #wb-detail { height: 1; padding: 0 1; color: $text-muted; }
    WorkbooksScreen #wb-table2 { height: auto; padding: 0 1; }
    WorkbooksScreen #wb-table2.-hidden { display: none; }
    """
    PALETTE = [
        ("workbooks: mark received", "Mark the selected workbook received", "receive"),
        ("workbooks: reject", "Reject the selected workbook (must be resubmitted)", "reject"),
        ("workbooks: excuse", "Excuse the selected workbook (no default)", "excuse"),
        ("workbooks: undo last change", "Undo the last receive, reject or excuse", "undo"),
        ("workbooks: send reminders", "Remind every overdue, unreminded workbook", "remind"),
        ("workbooks: issue default notices", "After the default period", "issue_defaults"),
        ("workbooks: withdraw default", "Withdraw the selected workbook's default",
         "withdraw"),
        ("workbooks: toggle Table 2", "Show or hide the live Table 2 panel", "toggle_table2"),
    ]
    BINDINGS = [
        Binding("enter", "receive", "Received", show=False, id="workbooks.receive_enter"),
        Binding("r", "receive", "Received", id="workbooks.receive"),
        Binding("x", "reject", "Reject", id="workbooks.reject"),
        Binding("e", "excuse", "Excuse", id="workbooks.excuse"),
        Binding("u", "undo", "Undo", id="workbooks.undo"),
        Binding("m", "remind", "Remind", id="workbooks.remind"),
        Binding("d", "issue_defaults", "Defaults", id="workbooks.defaults"),
        Binding("w", "withdraw", "Withdraw default", show=False, id="workbooks.withdraw"),
        Binding("slash", "focus_search", "Search", key_display="/", id="workbooks.search"),
        Binding("f", "focus_filters", "Filter", id="workbooks.filter"),
        Binding("s", "cycle_sort", "Sort", id="workbooks.sort"),
        Binding("v", "reverse_sort", "Reverse", show=False, id="workbooks.reverse"),
        Binding("n", "page(1)", "Next page", show=False, id="workbooks.next_page"),
        Binding("p", "page(-1)", "Prev page", show=False, id="workbooks.prev_page"),
        Binding("t", "toggle_table2", "Table 2", id="workbooks.table2"),
        Binding("c", "app.edit_calendar", "Quarter dates", show=False,
                id="workbooks.calendar"),
        Binding("escape", "focus_table", "Table", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.search_text = ""
        self.status_filter: tuple[str, ...] = ()
        self.provider_filter: str | None = None
        self.district_filter: str | None = None
        self.sort_key = "ref"
        self.descending = False
        self.page_offset = 0
        self.undo_stack: list = []
        """This session's receive/reject/excuse changes, newest last."""
        self._rows: dict[str, WorkbookRow] = {}
        self._choices_quarter: int | None = None

    def compose_body(self) -> ComposeResult:
        with Horizontal(classes="toolbar", id="wb-filters"):
            yield SearchInput(placeholder="Search ref, service, provider or district   ( / )",
                              id="wb-search")
            yield Select([(label.capitalize(), key) for key, label in STATUSES.items()]
                         + [("Received (any)", "received"), ("Not received", "missing")],
                         prompt="All statuses", id="wb-status")
            yield Select([], prompt="All providers", id="wb-provider")
            yield Select([], prompt="All districts", id="wb-district")
        yield Static("", id="wb-summary")
        yield Static("", id="wb-position", classes="status-line")
        yield RecordTable(id="workbooks-table")
        yield Static("", id="wb-detail")
        yield Static("", id="wb-table2")

    def on_mount(self) -> None:
        # Textual then runs AreaScreen.on_mount itself (handlers run along the MRO): calling
        # super() here would subscribe twice and refresh twice on every change.
        self.query_one(RecordTable).set_columns(COLUMNS, widths=WIDTHS)
        self.query_one(RecordTable).focus()

    # -- data -----------------------------------------------------------------------------
    def query_params(self) -> WorkbookQuery:
        return WorkbookQuery(
            quarter=self.sp_app.quarter, as_of=self.sp_app.today, statuses=self.status_filter,
            provider=self.provider_filter, district=self.district_filter,
            search=self.search_text, sort=self.sort_key, descending=self.descending,
            offset=self.page_offset, limit=PAGE_SIZE)

    def refresh_data(self) -> None:
        self._refresh_choices()
        self.refresh_table()
        self.refresh_summary()

    def refresh_table(self) -> None:
        db = self.sp_app.db
        page = workbooks_page(db, self.query_params())
        if page.total and self.page_offset >= page.total:
            self.page_offset = max(0, (page.total - 1) // PAGE_SIZE * PAGE_SIZE)
            page = workbooks_page(db, self.query_params())
        table = self.query_one(RecordTable)
        rows = {row.service_id: row for row in page.rows}
        if list(rows) == list(self._rows) and table.row_count == len(rows):
            # The same rows in the same order (one workbook changed, say): update the cells
            # that changed instead of refilling the table.
            for key, row in rows.items():
                if row != self._rows[key]:
                    for (_, column), cell in zip(COLUMNS, _cells(row)):
                        table.update_cell(key, column,
                                          Text(cell) if isinstance(cell, str) else cell)
        else:
            table.load((row.service_id, _cells(row)) for row in page.rows)
        self._rows = rows
        self._page_total = page.total
        self._show_detail()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        """One line about the workbook under the cursor: what the columns cannot hold."""
        row = self.selected_row()
        self.query_one("#wb-detail", Static).update(_detail(row) if row else "")

    def refresh_summary(self) -> None:
        """The quarter's counts and Table 2: they change with the data, not with filters."""
        db, quarter, today = self.sp_app.db, self.sp_app.quarter, self.sp_app.today
        summary = workbook_summary(db, quarter, today)
        line = Text(f"{quarter.label} · {summary.expected:,} expected · ")
        for key, count in summary.by_status.items():
            if count:
                line.append(f"{STATUSES[key]} {count:,}", style=STATUS_STYLES[key])
                line.append("  ")
        line.append(f"\nDeadline {summary.deadline.isoformat()} · default period ends"
                    f" {summary.default_end.isoformat()} · as of {today.isoformat()}")
        if summary.reminders_due:
            line.append(f" · {summary.reminders_due} due a reminder (m)", style="magenta")
        if summary.defaults_due:
            line.append(f" · {summary.defaults_due} due a default notice (d)", style="bold red")
        missing = figures_missing_count(db, quarter)
        if missing:
            line.append(f" · {missing} received without KPI figures (7: KPIs)", style="magenta")
        self._expected = summary.expected
        self.query_one("#wb-summary", Static).update(line)
        self.query_one("#wb-table2", Static).update(_table2_panel(db, quarter))
        self.refresh_position()

    def refresh_position(self) -> None:
        """Which rows the table shows, and in what order."""
        total = getattr(self, "_page_total", 0)
        if total:
            last = min(total, self.page_offset + PAGE_SIZE)
            sort_label = dict((k, lbl) for lbl, k in COLUMNS)[self.sort_key]
            text = (f"Showing {self.page_offset + 1:,}-{last:,} of {total:,} · sorted by"
                    f" {sort_label} {'↓' if self.descending else '↑'}"
                    + ("  ·  n/p: next/previous page" if total > PAGE_SIZE else ""))
        else:
            text = ("No workbook matches." if getattr(self, "_expected", 0) else
                    "No workbooks are expected this quarter.")
        self.query_one("#wb-position", Static).update(Text(text))

    def _refresh_choices(self) -> None:
        """Provider and district lists for the quarter (only when the quarter changes)."""
        quarter = self.sp_app.quarter
        if self._choices_quarter == quarter.number:
            return
        self._choices_quarter = quarter.number
        choices = filter_choices(self.sp_app.db, quarter)
        for select_id, key in (("#wb-provider", "provider"), ("#wb-district", "district")):
            select = self.query_one(select_id, Select)
            with select.prevent(Select.Changed):
                select.set_options([(Text(v), v) for v in choices[key]])
        if self.provider_filter not in choices["provider"]:
            self.provider_filter = None
        if self.district_filter not in choices["district"]:
            self.district_filter = None

    def selected_row(self) -> WorkbookRow | None:
        key = self.query_one(RecordTable).selected_key()
        return self._rows.get(key) if key else None

    def show_record(self, record_id: str) -> None:
        """Bring a service's workbook into view (opened from the dashboard)."""
        from sp_tui.reports.registry import service_fields

        fields = service_fields(self.sp_app.db, record_id)
        if not fields:
            return
        self.status_filter, self.provider_filter, self.district_filter = (), None, None
        for select_id in ("#wb-status", "#wb-provider", "#wb-district"):
            select = self.query_one(select_id, Select)
            with select.prevent(Select.Changed):
                select.clear()
        search = self.query_one("#wb-search", Input)
        with search.prevent(Input.Changed):
            search.value = str(fields["service_ref"])
        self.search_text, self.page_offset = search.value, 0
        self.refresh_table()
        self.refresh_summary()
        super().show_record(record_id)

    # -- search, filters, sort, pages -----------------------------------------------------
    def on_search_input_settled(self, event: SearchInput.Settled) -> None:
        if event.value != self.search_text:
            self.search_text, self.page_offset = event.value, 0
            self._reload_view()
        if event.submitted:
            self.query_one(RecordTable).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        value = None if event.value is Select.NULL else str(event.value)
        if event.select.id == "wb-status":
            self.status_filter = STATUS_GROUPS.get(value, (value,) if value else ())
        elif event.select.id == "wb-provider":
            self.provider_filter = value
        elif event.select.id == "wb-district":
            self.district_filter = value
        else:
            return
        self.page_offset = 0
        self._reload_view()

    def _reload_view(self) -> None:
        """A filter, search, sort or page changed: the table and its position line only (the
        quarter's figures are unchanged)."""
        self.refresh_table()
        self.refresh_position()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        key = event.column_key.value
        if key in SORTS:
            self.descending = not self.descending if key == self.sort_key else False
            self.sort_key, self.page_offset = key, 0
            self._reload_view()

    def action_cycle_sort(self) -> None:
        keys = [k for _, k in COLUMNS if k in SORTS]
        self.sort_key = keys[(keys.index(self.sort_key) + 1) % len(keys)]
        self.descending, self.page_offset = False, 0
        self._reload_view()

    def action_reverse_sort(self) -> None:
        self.descending = not self.descending
        self.page_offset = 0
        self._reload_view()

    def action_page(self, step: int) -> None:
        new = max(0, self.page_offset + step * PAGE_SIZE)
        if new != self.page_offset and new < getattr(self, "_page_total", 0):
            self.page_offset = new
            self._reload_view()
            self.query_one(RecordTable).move_cursor(row=0)

    def action_focus_search(self) -> None:
        self.query_one("#wb-search", Input).focus()

    def action_focus_filters(self) -> None:
        self.query_one("#wb-status", Select).focus()

    def action_focus_table(self) -> None:
        self.query_one(RecordTable).focus()

    def action_toggle_table2(self) -> None:
        self.query_one("#wb-table2").toggle_class("-hidden")

    # -- one workbook -------------------------------------------------------------------------
    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_receive()

    def _with_row(self, make_form, allowed: bool, refusal: str) -> None:
        row = self.selected_row()
        if row is None:
            self.notify("No workbook selected.", severity="warning")
            return
        if not allowed(row):
            self.notify(refusal.format(row=row), severity="warning")
            return
        form = make_form(self.sp_app.db, row, self.sp_app.quarter, self.sp_app.today)

        def done(result) -> None:
            if result is None:
                return
            if hasattr(result, "workbook_id"):
                # The row, the detail line and the counts show the change: no toast needed.
                self.undo_stack.append(result)
            else:
                self.notify(str(result), title="Saved")
            self.sp_app.notify_changed()

        self.app.push_screen(form, done)

    def action_receive(self) -> None:
        from sp_tui.tui.widgets.workbook_forms import receive_form

        self._with_row(receive_form, lambda r: not r.received_date,
                       "{row.service_ref} was already received on {row.received_date}:"
                       " reject it (x) to record a resubmission, or undo (u).")

    def action_reject(self) -> None:
        from sp_tui.tui.widgets.workbook_forms import reject_form

        self._with_row(reject_form, lambda r: bool(r.received_date),
                       "{row.service_ref}'s workbook has not been received: nothing to reject.")

    def action_excuse(self) -> None:
        from sp_tui.tui.widgets.workbook_forms import excuse_form

        self._with_row(excuse_form, lambda r: not r.received_date and not r.excused_reason,
                       "{row.service_ref}'s workbook is received or excused already.")

    def action_withdraw(self) -> None:
        from sp_tui.tui.widgets.workbook_forms import withdraw_form

        self._with_row(withdraw_form, lambda r: bool(r.default_issued),
                       "{row.service_ref} has no default in force for this quarter.")

    def action_undo(self) -> None:
        from sp_tui.services.workbooks import undo_change

        if not self.undo_stack:
            self.notify("Nothing to undo.", severity="warning")
            return
        change = self.undo_stack[-1]
        try:
            summary = undo_change(self.sp_app.db, change, source="tui")
        except ValidationError as exc:
            self.undo_stack.pop()
            self.notify(exc.summary(), severity="error", title="Not undone")
            return
        except sqlite3.Error as exc:
            self.notify(f"The database refused the change ({exc}); try again.",
                        severity="error", title="Not undone")
            return
        self.undo_stack.pop()
        self.notify(summary, title="Undone")
        self.sp_app.notify_changed()

    # -- the quarter's batches ----------------------------------------------------------------
    def action_remind(self) -> None:
        from sp_tui.services.workbook_runs import send_reminders

        self._batch(send_reminders, "sent", "reminder", "Send reminders")

    def action_issue_defaults(self) -> None:
        from sp_tui.services.workbook_runs import issue_defaults

        self._batch(issue_defaults, "issued", "default notice", "Issue default notices")

    def _batch(self, run, day_arg: str, noun: str, yes_label: str) -> None:
        from sp_tui.services.letters import outbox_dir
        from sp_tui.tui.widgets.confirm import ConfirmModal

        db, quarter, today = self.sp_app.db, self.sp_app.quarter, self.sp_app.today
        try:
            preview = run(db, quarter, **{day_arg: today}, today=today, dry_run=True)
        except ValidationError as exc:
            self.notify(exc.summary(), severity="warning", title=f"No {noun}s")
            return
        if not preview.count:
            self.notify(f"No workbook of {quarter.label} is due a {noun} today.",
                        title=f"No {noun}s")
            return
        lines = []
        for letter in preview.letters:
            refs = ", ".join(r.service_ref for r in letter.services)
            lines.append(f"{letter.provider} ({len(letter.services)}): {refs}")
        body = ("\n".join(lines) + f"\n\nOne letter per provider and a mail-merge CSV go to"
                f" {outbox_dir(db)}. This cannot be undone here.")
        title = (f"{quarter.label}: send {preview.count} {noun}{'s' if preview.count > 1 else ''}"
                 f" to {len(preview.letters)} provider{'s' if len(preview.letters) > 1 else ''},"
                 f" dated {today.isoformat()}?")

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                done = run(db, quarter, **{day_arg: today}, today=today, source="tui")
            except (ValidationError, OSError, sqlite3.Error) as exc:
                message = exc.summary() if isinstance(exc, ValidationError) else str(exc)
                self.notify(message, severity="error", title="Nothing was written")
                return
            self.notify(f"{done.count} {noun}(s) to {len(done.letters)} provider(s); letters in"
                        f" {done.folder}", title="Done", timeout=8)
            self.sp_app.notify_changed()

        self.app.push_screen(ConfirmModal(title, body, yes_label=yes_label), answered)


def _cells(row: WorkbookRow) -> list[object]:
    return [row.service_ref, row.service_name, row.provider, row.district,
            Text(SHORT_STATUS[row.status], style=STATUS_STYLES[row.status]),
            row.received_date or "", Text(str(row.reminders or ""), justify="right"),
            row.default_issued or ""]


def _detail(row: WorkbookRow) -> Text:
    line = Text(f"{row.service_ref} {row.service_name} · {row.provider} · ")
    line.append(STATUSES[row.status], style=STATUS_STYLES[row.status])
    if row.received_date:
        line.append(f" · received {row.received_date}")
    if row.rejected_reason:
        line.append(f" · rejected {row.rejected_on}: {row.rejected_reason}")
    if row.excused_reason:
        line.append(f" · excused: {row.excused_reason}")
    if row.reminders:
        line.append(f" · {row.reminders} reminder(s), last {row.last_reminder}")
    if row.default_issued:
        line.append(f" · default issued {row.default_issued} (w: withdraw)")
    return line


def _table2_panel(db, quarter) -> Table:
    """Table 2 (six quarters) in a compact form: the published rows, "count (percent)"."""
    report = table2_report(db, quarter)
    rows = {row[0]: row[1:] for row in report.rows}
    table = Table(title="Table 2: workbook return monitoring (live)", title_justify="left",
                  title_style="bold", box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False)
    table.add_column("")
    for label in report.columns[1:]:
        table.add_column(label.split(" ")[0], justify="right")
    percents = {"Number of workbooks returned by deadline": "% returned by deadline",
                "Number of workbooks received by end of default period":
                    "% received by end of default period"}
    for label, short in TABLE2_LABELS.items():
        cells = [str(v) for v in rows[label]]
        if label in percents:
            cells = [f"{v} ({p})" if str(p) else v
                     for v, p in zip(cells, rows[percents[label]])]
        table.add_row(short, *cells)
    return table
