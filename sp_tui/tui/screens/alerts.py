"""Safeguarding alerts: open ones first; alerts not referred to a Safeguarding Co-ordinator
within 1 working day are highlighted until they are. References only, never names."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

from sp_tui.reports.safeguarding import (
    AlertQuery, alerts_page, overdue_referral_count, overdue_referrals, table9,
)
from sp_tui.reports.paging import PAGE_SIZE
from sp_tui.tui.screens.cases_base import CaseListScreen

OVERDUE = "overdue"
OVERDUE_STYLE = "bold white on dark_red"


class AlertsScreen(CaseListScreen):
    AREA_ID = "alerts"
    TABLE = "safeguarding_alerts"
    NOUN = "alert"
    COLUMNS = [("Ref", "ref"), ("Service", "service"), ("Service type", "type"),
               ("Received", "received"), ("Nature", "nature"), ("Referred", "referred"),
               ("Status", "status"), ("Age (days)", "age"), ("Closed", "closed"),
               ("Officer", "officer")]
    WIDTHS = {"type": 20, "nature": 20, "referred": 28, "officer": 12}
    STATUS_OPTIONS = [("Open", "open"), ("Closed", "closed"),
                      ("Not referred in time", OVERDUE)]
    EMPTY_HINT = ("No safeguarding alerts yet. Press [b]a[/b] to log one, or import a file:\n"
                  "  sp-tui import alerts FILE.csv   (columns listed in the README)")
    PALETTE = [
        ("alerts: log a safeguarding alert", "Open the form to log an alert", "add"),
        ("alerts: update selected alert", "Date referred, closing, notes...", "edit"),
        ("alerts: show alerts waiting for referral", "Not referred within 1 working day",
         "show_overdue"),
        ("alerts: add a nature of alert", "Extend the list used by Table 9", "add_nature"),
    ]
    BINDINGS = [
        Binding("a", "add", "Log", id="alerts.add"),
        Binding("e", "edit", "Update", id="alerts.edit"),
        Binding("o", "show_overdue", "Waiting for referral", id="alerts.overdue"),
        Binding("N", "add_nature", "Add nature", key_display="N", id="alerts.add_nature"),
        Binding("n", "page(1)", "Next page", show=False, id="alerts.next_page"),
        Binding("p", "page(-1)", "Prev page", show=False, id="alerts.prev_page"),
        Binding("escape", "focus_table", "Table", show=False),
    ]

    def quarter_filter(self, request, state):
        """Alerts waiting for referral are listed whatever quarter they came in."""
        if state.filter("status") == OVERDUE:
            return None
        return super().quarter_filter(request, state)

    def page(self, db, request, state):
        overdue = state.filter("status") == OVERDUE
        page = alerts_page(db, AlertQuery(
            quarter=self.quarter_filter(request, state),
            status=None if overdue else state.filter("status"), overdue_only=overdue,
            offset=state.offset, limit=PAGE_SIZE), request.today)
        rows = []
        for r in page.rows:
            if r.referral_overdue:
                referred = Text(f"NOT REFERRED, due {r.referral_due.isoformat()}",
                                style=OVERDUE_STYLE)
            elif r.referred_date is None:
                referred = Text(f"due {r.referral_due.isoformat()}", style="yellow")
            elif r.referred_late:
                referred = Text(f"{r.referred_date.isoformat()} (late)", style="yellow")
            else:
                referred = Text(r.referred_date.isoformat())
            row_style = "bold red" if r.referral_overdue else ""
            rows.append((r.id, [
                Text(r.ref, style=row_style), r.service_ref, r.service_type,
                r.received_date.isoformat(), r.nature, referred,
                Text(r.status, style="bold yellow" if r.is_open else "dim"),
                Text(str(r.age_days), justify="right", style="" if r.is_open else "dim"),
                r.closed_date.isoformat() if r.closed_date else "", r.officer,
            ]))
        return rows, page.total

    def summary(self, db, request) -> str:
        t9 = table9(db, request.quarter)
        return (f"{t9.quarter.label}: {t9.total.received} received · {t9.total.closed} closed"
                f" · {t9.total.still_open} open at close")

    def attention(self, db, request) -> str:
        count = overdue_referral_count(db, request.today)
        if not count:
            return ""
        return (f"⚠ {count} alert(s) not referred to a Safeguarding Co-ordinator within 1"
                " working day. Press o to list them.")

    def status_to_show(self, record_id: str) -> str | None:
        waiting = overdue_referrals(self.ctx.db, self.ctx.today)
        return OVERDUE if any(r.id == record_id for r in waiting) else None

    def action_show_overdue(self) -> None:
        from textual.widgets import Select

        self.query_one("#status", Select).value = OVERDUE

    def action_add_nature(self) -> None:
        from sp_tui.tui.widgets.case_forms import NatureForm

        def added(result: str | None) -> None:
            if result:
                self.notify(f"Added {result!r} to the natures of alert.", markup=False)

        self.app.push_screen(NatureForm(self.ctx.db), added)

    def form(self, record_id):
        from sp_tui.tui.widgets.case_forms import AlertForm

        return AlertForm(self.ctx.db, record_id, today=self.ctx.today)
