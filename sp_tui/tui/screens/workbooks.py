"""The Workbooks screen: every workbook expected for the selected quarter with its status as of
today; filter, search, sort and page in SQL; mark received, reject, excuse, undo; send
reminders and issue default notices after a confirmation; Table 2 live underneath."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import sqlite_utils

from rich import box
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Select, Static

from sp_tui.domain.errors import ValidationError
from sp_tui.domain.workbooks import STATUS_GROUPS, STATUS_STYLES, STATUSES
from sp_tui.reports.kpis import figures_missing_count
from sp_tui.services.workbooks import WorkbookBatch, WorkbookChange
from sp_tui.reports.table2 import table2_report
from sp_tui.reports.workbooks import (
    SORTS, WorkbookQuery, WorkbookRow, WorkbookSummary, filter_choices, workbook_summary,
    workbooks_page,
)
from sp_tui.reports.paging import PAGE_SIZE
from sp_tui.tui.screens.base import Request, toggle_panel
from sp_tui.tui.screens.table import ListState, Loaded, TableScreen
from sp_tui.tui.widgets.record_table import RecordTable
from sp_tui.tui.widgets.search_input import SearchInput

COLUMNS = [("Ref", "ref"), ("Service", "service"), ("Provider", "provider"),
           ("District", "district"), ("Status", "status"), ("Received", "received"),
           ("Rem.", "reminders"), ("Default", "default")]
WIDTHS = {"ref": 8, "service": 22, "provider": 20, "district": 12, "status": 16,
          "received": 10, "reminders": 4, "default": 10}
if TYPE_CHECKING:
    from sp_tui.tui.widgets.workbook_forms import WorkbookActionForm

T = TypeVar("T")
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


@dataclass(frozen=True)
class _Extra:
    """What the Workbooks screen shows beside the page: the quarter's counts, Table 2, and
    the provider and district choices (loaded when the quarter changes)."""

    summary: WorkbookSummary
    table2: Table
    choices: dict[str, list[str]] | None
    figures_missing: int


class WorkbooksScreen(TableScreen):
    AREA_ID = "workbooks"
    COLUMNS = COLUMNS
    WIDTHS = WIDTHS
    SORTS = tuple(k for _, k in COLUMNS if k in SORTS)
    DEFAULT_SORT = "ref"
    FILTERS = {"wb-status": "status", "wb-provider": "provider", "wb-district": "district"}
    NOUN = "workbooks"
    POSITION_ID = "wb-position"
    DEFAULT_CSS = """
    WorkbooksScreen #wb-filters Select { width: 30; }
    WorkbooksScreen #wb-filters #wb-status { width: 28; }
    WorkbooksScreen #wb-summary { height: auto; padding: 0 1; }
    WorkbooksScreen #wb-detail { height: 1; padding: 0 1; color: $text-muted; }
    WorkbooksScreen #wb-table2 { height: auto; padding: 0 1; }
    """
    PALETTE = [
        ("workbooks: mark received", "Mark the selected workbook received", "receive"),
        ("workbooks: mark several received", "The rows marked with space, or a pasted list"
         " of references: one date, one transaction, one undo", "receive_many"),
        ("workbooks: reject", "Reject the selected workbook (must be resubmitted)", "reject"),
        ("workbooks: excuse", "Excuse the selected workbook (no default)", "excuse"),
        ("workbooks: undo last change", "Undo the last receive, reject or excuse", "undo"),
        ("workbooks: send reminders", "Remind every overdue, unreminded workbook", "remind"),
        ("workbooks: issue default notices", "After the default period", "issue_defaults"),
        ("workbooks: withdraw default", "Withdraw the selected workbook's default",
         "withdraw"),
        ("workbooks: toggle Table 2", "Show or hide the live Table 2 panel", "toggle_table2"),
        ("workbooks: write templates for providers",
         "One pre-filled xlsx per expected workbook, and a mail-merge CSV", "templates"),
        ("workbooks: intake returned workbooks",
         "Read a folder of returned workbooks: see the result, then receive", "intake"),
    ]
    BINDINGS = [
        Binding("enter", "receive", "Received", show=False, id="workbooks.receive_enter"),
        Binding("r", "receive", "Received", id="workbooks.receive"),
        Binding("space", "toggle_mark", "Mark", show=False, id="workbooks.mark"),
        Binding("R", "receive_many", "Receive several", show=False,
                id="workbooks.receive_many"),
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
        self.undo_stack: list[WorkbookChange | WorkbookBatch] = []
        """This session's receive/reject/excuse changes and bulk receipts, newest last."""
        self.marked: dict[str, str] = {}
        """Rows marked with space for a bulk receipt: service id -> reference (replaced,
        never changed in place: the loading thread reads it)."""
        self._choices_quarter: int | None = None
        self._expected = 0

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

    # -- data (worker thread) ---------------------------------------------------------------
    def fetch_page(self, db: sqlite_utils.Database, request: Request,
                   state: ListState) -> Loaded:
        quarter, today = request.quarter, request.today
        status = state.filter("status")
        page = workbooks_page(db, WorkbookQuery(
            quarter=quarter, as_of=today,
            statuses=STATUS_GROUPS.get(status or "", (status,) if status else ()),
            provider=state.filter("provider"), district=state.filter("district"),
            search=state.search, sort=state.sort, descending=state.descending,
            offset=state.offset, limit=PAGE_SIZE))
        choices = (filter_choices(db, quarter) if quarter.number != self._choices_quarter
                   else None)
        extra = _Extra(workbook_summary(db, quarter, today), _table2_panel(db, quarter),
                       choices, figures_missing_count(db, quarter))
        marked = self.marked
        return Loaded([(row.service_id, _cells(row, row.service_id in marked))
                       for row in page.rows], page.total,
                      state.offset, extra=extra,
                      records={row.service_id: row for row in page.rows})

    # -- drawing (UI thread) ----------------------------------------------------------------
    def show_extra(self, data: Loaded) -> None:
        extra: _Extra = data.extra
        if extra.choices is not None:
            self._show_choices(extra.choices)
        quarter, today = self.ctx.quarter, self.ctx.today
        summary = extra.summary
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
        if extra.figures_missing:
            line.append(f" · {extra.figures_missing} received without KPI figures (7: KPIs)",
                        style="magenta")
        self._expected = summary.expected
        self.query_one("#wb-summary", Static).update(line)
        self.query_one("#wb-table2", Static).update(extra.table2)

    def position_text(self, data: Loaded) -> Text:
        if data.total:
            return Text("Showing ") + super().position_text(data)
        return Text("No workbook matches." if self._expected else
                    "No workbooks are expected this quarter.")

    def after_show(self) -> None:
        self._show_detail()

    def _show_choices(self, choices: dict[str, list[str]]) -> None:
        """Provider and district lists for the quarter (only when the quarter changes)."""
        self._choices_quarter = self.ctx.quarter.number
        cleared: dict[str, str | None] = {}
        for select_id, key in (("#wb-provider", "provider"), ("#wb-district", "district")):
            select = self.query_one(select_id, Select)
            with select.prevent(Select.Changed):
                select.set_options([(Text(v), v) for v in choices[key]])
            if self.state.filter(key) not in choices[key]:
                cleared[key] = None
        if any(self.state.filter(k) for k in cleared):
            self.set_filter_values(**cleared)

    def set_filter_values(self, **values: str | None) -> None:
        self.update_state(filters=self.state.with_filters(**values))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        """One line about the workbook under the cursor: what the columns cannot hold."""
        row = self.selected_row()
        line = _detail(row) if row else Text("")
        if self.marked:
            line = Text(f"{len(self.marked)} marked (R: receive them) · ",
                        style="bold green") + line
        self.query_one("#wb-detail", Static).update(line)

    def quarter_changed(self) -> None:
        super().quarter_changed()
        self.marked = {}  # marks belong to one quarter's workbooks

    # -- several workbooks ------------------------------------------------------------------
    def action_toggle_mark(self) -> None:
        """Mark (or unmark) the row under the cursor for a bulk receipt, then move down."""
        row = self.selected_row()
        if row is None:
            return
        marked = dict(self.marked)
        if marked.pop(row.service_id, None) is None:
            marked[row.service_id] = row.service_ref
        self.marked = marked
        self.table.set_cell(row.service_id, "ref",
                            _ref_cell(row, row.service_id in marked))
        self.table.action_cursor_down()
        self._show_detail()

    def action_receive_many(self) -> None:
        """The marked rows (or a pasted list) received in one transaction, after a check
        and a confirmation; one undo undoes the batch."""
        from sp_tui.tui.widgets.workbook_forms import BulkReceiveForm

        db, quarter, today = self.ctx.db, self.ctx.quarter, self.ctx.today

        def checked(answer) -> None:
            if answer is not None:
                day, preview = answer
                self._confirm_receipt(day, preview)

        self.app.push_screen(BulkReceiveForm(db, quarter, today, sorted(self.marked.values())),
                             checked)

    def _confirm_receipt(self, day, preview: WorkbookBatch) -> None:
        from sp_tui.services.workbooks import receive_workbooks
        from sp_tui.tui.widgets.confirm import ConfirmModal

        db, quarter, today = self.ctx.db, self.ctx.quarter, self.ctx.today
        refs = [c.service_ref for c in preview.changes]
        count = len(refs)
        title = (f"{quarter.label}: mark {count} workbook{'s' if count > 1 else ''} received,"
                 f" dated {day.isoformat()}?")
        body = (", ".join(refs) + "\n\nIn one transaction: u undoes the whole batch.")

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                batch = receive_workbooks(db, refs, quarter, day, today=today, source="tui")
            except ValidationError as exc:  # someone changed one in between: nothing written
                self.notify(exc.summary(), severity="error", title="Nothing was written")
                return
            except sqlite3.Error as exc:
                self.notify(f"The database refused the change ({exc}); try again.",
                            severity="error", title="Nothing was written")
                return
            self.marked = {}
            self.undo_stack.append(batch)
            self.notify(f"{len(batch.changes)} workbook(s) of {quarter.label} received"
                        f" {day.isoformat()} — u to undo", title="Saved", markup=False)

        # Enter receives: the officer asked for it (R) and sees which; u undoes it.
        self.app.push_screen(ConfirmModal(
            title, body, yes_label=f"Mark {count} received", no_label="Cancel",
            default="yes", cancelled="Nothing was marked received."), answered)

    def selected_row(self) -> WorkbookRow | None:
        key = self.selected_key()
        return self.records.get(key) if key else None

    def show_record(self, record_id: str) -> None:
        """Bring a service's workbook into view (opened from the dashboard)."""
        from sp_tui.reports.registry import service_fields

        fields = service_fields(self.ctx.db, record_id)
        if not fields:
            return
        for select_id in ("#wb-status", "#wb-provider", "#wb-district"):
            select = self.query_one(select_id, Select)
            with select.prevent(Select.Changed):
                select.clear()
        self._select_after_load = record_id
        self.state = ListState(sort=self.state.sort, descending=self.state.descending)
        self.set_search(str(fields["service_ref"]))
        self.reload()
        self.table.focus()

    def action_focus_filters(self) -> None:
        self.query_one("#wb-status", Select).focus()

    def action_toggle_table2(self) -> None:
        panel = self.query_one("#wb-table2")
        toggle_panel(panel)
        # On a short terminal Table 2 takes the list's place (app.tcss) until t again.
        self.set_class(panel.has_class("-show"), "-table2-shown")

    # -- one workbook -------------------------------------------------------------------------
    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_receive()

    def _with_row(self, make_form: Callable[..., WorkbookActionForm[T]],
                  allowed: Callable[[WorkbookRow], bool], refusal: str,
                  done: Callable[[T], None]) -> None:
        row = self.selected_row()
        if row is None:
            self.notify("No workbook selected.", severity="warning")
            return
        if not allowed(row):
            self.notify(refusal.format(row=row), severity="warning")
            return
        form = make_form(self.ctx.db, row, self.ctx.quarter, self.ctx.today)

        def dismissed(result: T | None) -> None:
            if result is not None:
                done(result)

        self.app.push_screen(form, dismissed)

    def _undoable(self, change: WorkbookChange) -> None:
        # The row may leave a filtered list: say what happened, and how to undo it.
        self.undo_stack.append(change)
        self.notify(f"{change.summary} — u to undo", title="Saved", markup=False)

    def _saved(self, message: str) -> None:
        self.notify(message, title="Saved", markup=False)

    def action_receive(self) -> None:
        from sp_tui.tui.widgets.workbook_forms import receive_form

        self._with_row(receive_form, lambda r: not r.received_date,
                       "{row.service_ref} was already received on {row.received_date}:"
                       " reject it (x) to record a resubmission, or undo (u).",
                       self._undoable)

    def action_reject(self) -> None:
        from sp_tui.tui.widgets.workbook_forms import reject_form

        self._with_row(reject_form, lambda r: bool(r.received_date),
                       "{row.service_ref}'s workbook has not been received: nothing to reject.",
                       self._undoable)

    def action_excuse(self) -> None:
        from sp_tui.tui.widgets.workbook_forms import excuse_form

        self._with_row(excuse_form, lambda r: not r.received_date and not r.excused_reason,
                       "{row.service_ref}'s workbook is received or excused already.",
                       self._undoable)

    def action_withdraw(self) -> None:
        from sp_tui.tui.widgets.workbook_forms import withdraw_form

        self._with_row(withdraw_form, lambda r: bool(r.default_issued),
                       "{row.service_ref} has no default in force for this quarter.",
                       self._saved)

    def action_undo(self) -> None:
        from sp_tui.services.workbooks import undo_batch, undo_change

        if not self.undo_stack:
            self.notify("Nothing to undo.", severity="warning")
            return
        change = self.undo_stack[-1]
        try:
            if isinstance(change, WorkbookBatch):
                summary = undo_batch(self.ctx.db, change, source="tui")
            else:
                summary = undo_change(self.ctx.db, change, source="tui")
        except ValidationError as exc:
            self.undo_stack.pop()
            self.notify(exc.summary(), severity="error", title="Not undone")
            return
        except sqlite3.Error as exc:
            self.notify(f"The database refused the change ({exc}); try again.",
                        severity="error", title="Not undone")
            return
        self.undo_stack.pop()
        quarter = (change.changes[0] if isinstance(change, WorkbookBatch) else change).quarter
        if quarter != self.ctx.quarter.number:
            summary += f" (not on screen: {self.ctx.quarter.label} is shown)"
        self.notify(summary, title="Undone", markup=False)

    # -- the quarter's batches ----------------------------------------------------------------
    def action_templates(self) -> None:
        from sp_tui.tui.widgets.intake_modal import write_templates_in_app

        write_templates_in_app(self)

    def action_intake(self) -> None:
        from sp_tui.tui.widgets.intake_modal import IntakeModal

        self.app.push_screen(IntakeModal(self.ctx.quarter, self.ctx.today))

    def action_remind(self) -> None:
        from sp_tui.services.workbook_runs import send_reminders

        self._batch(send_reminders, "sent", "reminder", "Send reminders")

    def action_issue_defaults(self) -> None:
        from sp_tui.services.workbook_runs import issue_defaults

        self._batch(issue_defaults, "issued", "default notice", "Issue default notices")

    def _batch(self, run, day_arg: str, noun: str, yes_label: str) -> None:
        from sp_tui.tui.widgets.workbook_forms import batch_date_form

        db, quarter, today = self.ctx.db, self.ctx.quarter, self.ctx.today

        def dated(answer) -> None:
            if answer is not None:
                day, preview = answer
                self._confirm_batch(run, day_arg, noun, yes_label, day, preview)

        self.app.push_screen(batch_date_form(run, day_arg, noun, db, quarter, today), dated)

    def _confirm_batch(self, run, day_arg: str, noun: str, yes_label: str, day,
                       preview) -> None:
        from sp_tui.services.letters import outbox_dir
        from sp_tui.tui.widgets.confirm import ConfirmModal

        db, quarter, today = self.ctx.db, self.ctx.quarter, self.ctx.today
        if not preview.count:
            self.notify(f"No workbook of {quarter.label} is due a {noun} on {day.isoformat()}.",
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
                 f" dated {day.isoformat()}?")

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                done = run(db, quarter, **{day_arg: day}, today=today, source="tui")
            except (ValidationError, OSError, sqlite3.Error) as exc:
                message = exc.summary() if isinstance(exc, ValidationError) else str(exc)
                self.notify(message, severity="error", title="Nothing was written")
                return
            self.notify(f"{done.count} {noun}(s) to {len(done.letters)} provider(s); letters in"
                        f" {done.folder}", title="Done", timeout=8, markup=False)

        # Reminders: Enter sends (the officer pressed m and sees whom); default notices
        # carry contractual consequences: Enter does nothing until "Issue" is chosen.
        reminders = noun == "reminder"
        self.app.push_screen(ConfirmModal(
            title, body, yes_label=yes_label, default="yes" if reminders else "no",
            cancelled=f"No {noun}s were {'sent' if reminders else 'issued'}."), answered)


def _ref_cell(row: WorkbookRow, marked: bool) -> object:
    """The reference, with a tick when the row is marked for a bulk receipt."""
    return Text(f"✓{row.service_ref}", style="bold green") if marked else row.service_ref


def _cells(row: WorkbookRow, marked: bool = False) -> list[object]:
    return [_ref_cell(row, marked), row.service_name, row.provider, row.district,
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
