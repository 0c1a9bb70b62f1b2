"""The small forms of the Workbooks screen: mark received (date defaults to today), reject,
excuse, withdraw a default. Each calls one service function; invalid input keeps the form
open with the message under the field."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Static

from sp_tui.tui.widgets.form import Field, FormModal


class WorkbookActionForm(FormModal):
    """A form of a few text fields whose ``save`` calls ``action(values)``; dismisses with
    what the action returns."""

    def __init__(self, title: str, hint: str, fields: list[tuple[str, str, str]],
                 action: Callable[[dict[str, object]], object]) -> None:
        super().__init__()
        self.FORM_TITLE = title
        self.hint = hint
        self.field_specs = fields
        """(name, label, initial value) for each field, in order."""
        self.action = action

    def fields(self) -> ComposeResult:
        if self.hint:
            yield Static(Text(self.hint), classes="hint")
        for name, label, value in self.field_specs:
            yield Field(label, Input(value, id=name), name=name)

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    def save(self, values: dict[str, object]) -> object:
        return self.action(values)


def receive_form(db, row, quarter, today: date) -> WorkbookActionForm:
    from sp_tui.domain.kpi import FIELD_LABELS, FIELDS
    from sp_tui.reports.registry import service_fields
    from sp_tui.services.kpis import receive_with_figures

    what = "resubmission" if row.rejected_on else "workbook"
    # the workbook's KPI figures: KPI 1 for a long-term service, KPI 2 for a short-term one
    kpi = 1 if (service_fields(db, row.service_id) or {}).get("term") == "long" else 2
    return WorkbookActionForm(
        f"Mark received: {row.service_ref} {row.service_name}",
        f"{quarter.label}. The {what}'s date: today unless you change it. KPI {kpi} figures:"
        " leave blank to enter them later.",
        [("received_date", "Received on (YYYY-MM-DD)", today.isoformat()),
         *[(name, FIELD_LABELS[name], "") for name in FIELDS[kpi]]],
        lambda v: receive_with_figures(db, row.service_ref, quarter, v["received_date"], v,
                                       today=today, source="tui"))


def reject_form(db, row, quarter, today: date) -> WorkbookActionForm:
    from sp_tui.services.workbooks import reject_workbook

    return WorkbookActionForm(
        f"Reject: {row.service_ref} {row.service_name}",
        f"The workbook received on {row.received_date} is incomplete or wrong: the provider"
        " must resubmit it, and the resubmission's date is what counts.",
        [("reason", "Reason", ""), ("rejected_on", "Rejected on (YYYY-MM-DD)",
                                    today.isoformat())],
        lambda v: reject_workbook(db, row.service_ref, quarter, v["reason"], v["rejected_on"],
                                  today=today, source="tui"))


def excuse_form(db, row, quarter, today: date) -> WorkbookActionForm:
    from sp_tui.services.workbooks import excuse_workbook

    return WorkbookActionForm(
        f"Excuse: {row.service_ref} {row.service_name}",
        "For a failure outside the provider's control (an upload fault, say): an excused"
        " workbook never gets a default notice.",
        [("reason", "Reason", ""), ("excused_on", "Excused on (YYYY-MM-DD)", today.isoformat())],
        lambda v: excuse_workbook(db, row.service_ref, quarter, v["reason"], v["excused_on"],
                                  today=today, source="tui"))


def withdraw_form(db, row, quarter, today: date) -> WorkbookActionForm:
    from sp_tui.services.workbooks import withdraw_default

    return WorkbookActionForm(
        f"Withdraw default: {row.service_ref} {row.service_name}",
        f"The default of {row.default_issued} leaves the counts and the provider default"
        " list; its record is kept with your reason.",
        [("reason", "Reason", ""), ("withdrawn_date", "Withdrawn on (YYYY-MM-DD)",
                                    today.isoformat())],
        lambda v: withdraw_default(db, row.service_ref, quarter, v["reason"],
                                   v["withdrawn_date"], today=today, source="tui"))
