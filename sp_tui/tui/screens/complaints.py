"""Complaints: open ones first with their age in days; filter by status and quarter; log and
update through a form (status changes are kept in the audit log)."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

from sp_tui.domain.cases import COMPLAINT_STATUSES, CONCLUDED, NEGOTIATION, OPEN
from sp_tui.reports.complaints import ComplaintQuery, complaints_page, complaints_summary
from sp_tui.reports.paging import PAGE_SIZE
from sp_tui.tui.screens.cases_base import CaseListScreen

STATUS_STYLE = {OPEN: "bold yellow", NEGOTIATION: "magenta", CONCLUDED: "dim"}


class ComplaintsScreen(CaseListScreen):
    AREA_ID = "complaints"
    TABLE = "complaints"
    NOUN = "complaint"
    COLUMNS = [("Ref", "ref"), ("Service", "service"), ("Provider", "provider"),
               ("Received", "received"), ("Status", "status"), ("Age (days)", "age"),
               ("Closed", "closed"), ("Channel", "channel"), ("Officer", "officer"),
               ("Summary", "summary")]
    WIDTHS = {"provider": 22, "summary": 40, "status": 23}
    STATUS_OPTIONS = [(s.capitalize(), s) for s in COMPLAINT_STATUSES]
    EMPTY_HINT = ("No complaints yet. Press [b]a[/b] to log one, or import a file:\n"
                  "  sp-tui import complaints FILE.csv   (columns listed in the README)")
    PALETTE = [
        ("complaints: log a complaint", "Open the form to log a complaint", "add"),
        ("complaints: update selected complaint", "Status, date closed, outcome...", "edit"),
    ]
    BINDINGS = [
        Binding("a", "add", "Log", id="complaints.add"),
        Binding("e", "edit", "Update", id="complaints.edit"),
        Binding("n", "page(1)", "Next page", show=False, id="complaints.next_page"),
        Binding("p", "page(-1)", "Prev page", show=False, id="complaints.prev_page"),
        Binding("escape", "focus_table", "Table", show=False),
    ]

    def page(self, db, request, state):
        page = complaints_page(db, ComplaintQuery(
            quarter=self.quarter_filter(request, state), status=state.filter("status"),
            offset=state.offset, limit=PAGE_SIZE), request.today)
        rows = [(r.id, [
            r.ref, r.service_ref, r.provider, r.received_date.isoformat(),
            Text(r.status, style=STATUS_STYLE.get(r.status, "")),
            Text(str(r.age_days), justify="right", style="" if r.is_open else "dim"),
            r.closed_date.isoformat() if r.closed_date else "", r.channel, r.officer,
            r.summary,
        ]) for r in page.rows]
        return rows, page.total

    def summary(self, db, request) -> str:
        s = complaints_summary(db, request.quarter)
        return (f"{s.quarter.label}: {s.received} received · {s.concluded} concluded ·"
                f" {s.negotiation} in contractual negotiation · {s.still_open} open at close")

    def form(self, record_id):
        from sp_tui.tui.widgets.case_forms import ComplaintForm

        return ComplaintForm(self.ctx.db, record_id, today=self.ctx.today)
