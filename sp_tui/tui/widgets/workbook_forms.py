"""The small forms of the Workbooks screen: mark received (date defaults to today), reject,
excuse, withdraw a default. Each calls one service function; invalid input keeps the form
open with the message under the field."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Static

from sp_tui.services.workbooks import WorkbookChange
from sp_tui.tui.widgets.form import Field, FormModal

T = TypeVar("T")


class WorkbookActionForm(FormModal[T]):
    """A form of a few text fields whose ``save`` calls ``action(values)``; dismisses with
    what the action returns."""

    def __init__(self, title: str, hint: str, fields: list[tuple[str, str, str]],
                 action: Callable[[dict[str, object]], T]) -> None:
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

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the last field saves (r, Enter marks received today); in another field
        it moves on."""
        event.stop()
        inputs = list(self.query(Input))
        if event.input is inputs[-1]:
            self.action_save()
        else:
            self.focus_next()

    def save(self, values: dict[str, object]) -> T:
        return self.action(values)


def receive_form(db, row, quarter, today: date) -> WorkbookActionForm[WorkbookChange]:
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


def reject_form(db, row, quarter, today: date) -> WorkbookActionForm[WorkbookChange]:
    from sp_tui.services.workbooks import reject_workbook

    return WorkbookActionForm(
        f"Reject: {row.service_ref} {row.service_name}",
        f"The workbook received on {row.received_date} is incomplete or wrong: the provider"
        " must resubmit it, and the resubmission's date is what counts.",
        [("reason", "Reason", ""), ("rejected_on", "Rejected on (YYYY-MM-DD)",
                                    today.isoformat())],
        lambda v: reject_workbook(db, row.service_ref, quarter, v["reason"], v["rejected_on"],
                                  today=today, source="tui"))


def excuse_form(db, row, quarter, today: date) -> WorkbookActionForm[WorkbookChange]:
    from sp_tui.services.workbooks import excuse_workbook

    return WorkbookActionForm(
        f"Excuse: {row.service_ref} {row.service_name}",
        "For a failure outside the provider's control (an upload fault, say): an excused"
        " workbook never gets a default notice.",
        [("reason", "Reason", ""), ("excused_on", "Excused on (YYYY-MM-DD)", today.isoformat())],
        lambda v: excuse_workbook(db, row.service_ref, quarter, v["reason"], v["excused_on"],
                                  today=today, source="tui"))


def withdraw_form(db, row, quarter, today: date) -> WorkbookActionForm[str]:
    from sp_tui.services.workbooks import withdraw_default

    return WorkbookActionForm(
        f"Withdraw default: {row.service_ref} {row.service_name}",
        f"The default of {row.default_issued} leaves the counts and the provider default"
        " list; its record is kept with your reason.",
        [("reason", "Reason", ""), ("withdrawn_date", "Withdrawn on (YYYY-MM-DD)",
                                    today.isoformat())],
        lambda v: withdraw_default(db, row.service_ref, quarter, v["reason"],
                                   v["withdrawn_date"], today=today, source="tui"))


def batch_date_form(run, day_arg: str, noun: str, db, quarter, today: date
                    ) -> WorkbookActionForm:
    """The date of a reminder or default batch: today unless backdated (as the CLI's
    --date). Saving runs the batch as a dry run, so a bad date is refused under the field;
    dismisses with (day, preview)."""
    from sp_tui.services.workbooks import parse_day

    field = f"{day_arg}_date"   # the name the service's errors use (sent_date, issued_date)

    def preview(values: dict[str, object]):
        day = parse_day(values[field], today, field, f"{noun} date")
        return day, run(db, quarter, **{day_arg: day}, today=today, dry_run=True)

    return WorkbookActionForm(
        f"{quarter.label}: {noun}s", f"Date the {noun}s (and their letters): today unless you"
        " backdate the batch. The next step shows whom they go to.",
        [(field, f"{noun.capitalize()}s dated (YYYY-MM-DD)", today.isoformat())], preview)


class BulkReceiveForm(FormModal):
    """Several workbooks received at once: the references (the rows marked with space, or
    pasted: separated by spaces, commas or new lines) and one date, today unless changed.
    Saving checks the whole batch without writing it (an unknown or already received
    reference is named under the list); dismisses with (date, batch preview) for the
    confirmation that follows."""

    DEFAULT_CSS = "BulkReceiveForm TextArea { height: 6; }"

    def __init__(self, db, quarter, today: date, refs: list[str]) -> None:
        super().__init__()
        self.db, self.quarter, self.today = db, quarter, today
        self.refs = refs
        self.FORM_TITLE = f"{quarter.label}: mark several workbooks received"

    def fields(self) -> ComposeResult:
        from textual.widgets import TextArea

        yield Static(Text("Service references: the marked rows, or paste a list (spaces,"
                          " commas or one per line). All are received together, or none."),
                     classes="hint")
        yield Field("References", TextArea("\n".join(self.refs), id="service_refs",
                                           soft_wrap=True, tab_behavior="focus"),
                    name="service_refs")
        yield Field("Received on (YYYY-MM-DD)", Input(self.today.isoformat(),
                                                      id="received_date"),
                    name="received_date")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#service_refs" if not self.refs else "#received_date").focus()

    def values(self) -> dict[str, object]:
        from textual.widgets import TextArea

        result = super().values()
        result["service_refs"] = self.query_one("#service_refs", TextArea).text
        return result

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def save(self, values: dict[str, object]):
        from sp_tui.domain.errors import ValidationError
        from sp_tui.services.workbooks import parse_day, receive_workbooks

        day = parse_day(values["received_date"], self.today, "received_date",
                        "received date")
        try:
            batch = receive_workbooks(self.db, [str(values["service_refs"])], self.quarter,
                                      day, today=self.today, dry_run=True)
        except ValidationError as exc:
            named = [msg if key in ("service_refs", "received_date", "") else f"{key}: {msg}"
                     for key, msg in exc.errors.items()]
            raise ValidationError({"service_refs": "\n".join(named)}) from None
        return day, batch
