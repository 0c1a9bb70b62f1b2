"""Forms to log and update complaints and safeguarding alerts, and to add a nature of alert.

The alert form has no field for anyone's name, and its notes carry a visible reminder to use
references only.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Select, Static, TextArea

from sp_tui.domain.cases import ALERT_STATUSES, CHANNELS, COMPLAINT_STATUSES, NOTES_REMINDER
from sp_tui.reports.reference import officer_names, proposed_case_ref
from sp_tui.tui.widgets.form import Field, FormModal
from sp_tui.tui.widgets.picker import Picker, service_lookup, words_match


class CaseForm(FormModal[str]):
    """Shared by both forms: text, choice and long-text fields filled from ``initial``."""

    DEFAULT_CSS = """
    CaseForm TextArea { height: 5; }
    CaseForm .reminder { color: $warning; text-style: bold; padding: 0 1; }
    """

    def __init__(self, db, record_id: str | None, initial: dict | None, today) -> None:
        super().__init__()
        self.db = db
        self.record_id = record_id
        self.initial = initial or {}
        self.today = today

    def text(self, name: str, label: str, placeholder: str = "", **kw) -> Field:
        value = self.initial.get(name)
        return Field(label, Input("" if value is None else str(value), placeholder=placeholder,
                                  id=name, **kw), name=name)

    def choice(self, name: str, label: str, options, prompt: str) -> Field:
        value = self.initial.get(name)
        return Field(label, Select([(o, o) for o in options], id=name, prompt=prompt,
                                   value=value if value in options else Select.NULL), name=name)

    def long_text(self, name: str, label: str) -> Field:
        return Field(label, TextArea(str(self.initial.get(name) or ""), id=name,
                                     soft_wrap=True, tab_behavior="focus"), name=name)

    def service_field(self) -> Field:
        """The visit form's service picker: part of a name or reference, Tab takes one."""
        return self.text("service_ref", "Service (type part of its reference or title)",
                         "e.g. oak court, or SP00123")

    def pickers(self) -> ComposeResult:
        """The drop-downs of the service and officer fields (placed last: they overlay)."""
        yield Picker("#service_ref", service_lookup(self.db))
        yield Picker("#officer", words_match(officer_names(self.db)))

    def proposed(self, kind: str) -> dict[str, object]:
        """A new record's starting values: the next reference, received today, open."""
        today = self.today or date.today()
        return {"ref": proposed_case_ref(self.db, kind, today), "status": "open",
                "received_date": today.isoformat()}

    def values(self) -> dict[str, object]:
        result = super().values()
        for field in self.query(Field):
            if isinstance(field.control, TextArea):
                result[field.field_name] = field.control.text
        return result

    def on_mount(self) -> None:
        self.query_one("#ref", Input).focus()


class ComplaintForm(CaseForm):
    """Log a complaint (``complaint_id`` None) or update one; dismisses with its id."""

    def __init__(self, db, complaint_id: str | None = None, *, today=None) -> None:
        from sp_tui.reports.complaints import complaint_fields

        super().__init__(db, complaint_id, None, today)
        self.initial = ((complaint_fields(db, complaint_id) or {}) if complaint_id
                        else self.proposed("complaint"))
        self.FORM_TITLE = (f"Update complaint {self.initial.get('ref', '')}" if complaint_id
                           else "Log a complaint")

    def fields(self) -> ComposeResult:
        with Horizontal(classes="row"):
            yield self.text("ref", "Reference", "e.g. CMP/2009/014")
            yield self.service_field()
        with Horizontal(classes="row"):
            yield self.text("received_date", "Date received", "YYYY-MM-DD")
            yield self.choice("channel", "How it came in", CHANNELS, "Pick how it came in")
        yield self.long_text("summary", "Summary")
        with Horizontal(classes="row"):
            yield self.choice("status", "Status", COMPLAINT_STATUSES, "Pick a status")
            yield self.text("closed_date", "Date closed (concluded only)", "YYYY-MM-DD")
        yield self.text("outcome", "Outcome")
        yield self.text("officer", "Officer")
        yield from self.pickers()

    def save(self, values: dict[str, object]) -> str:
        from sp_tui.services.complaints import log_complaint, update_complaint

        values = {k: ("" if v is None else v) for k, v in values.items()}
        if self.record_id:
            return update_complaint(self.db, self.record_id, values, source="tui",
                                    today=self.today)
        return log_complaint(self.db, values, source="tui", today=self.today)


class AlertForm(CaseForm):
    """Log an alert (``alert_id`` None) or update one; dismisses with its id."""

    def __init__(self, db, alert_id: str | None = None, *, today=None) -> None:
        from sp_tui.reports.safeguarding import alert_fields

        super().__init__(db, alert_id, None, today)
        self.initial = ((alert_fields(db, alert_id) or {}) if alert_id
                        else self.proposed("alert"))
        self.FORM_TITLE = (f"Update safeguarding alert {self.initial.get('ref', '')}"
                           if alert_id else "Log a safeguarding alert")

    def fields(self) -> ComposeResult:
        from sp_tui.reports.safeguarding import alert_natures

        with Horizontal(classes="row"):
            yield self.text("ref", "Alert reference", "e.g. SGA/2009/031")
            yield self.service_field()
        with Horizontal(classes="row"):
            yield self.text("received_date", "Date received", "YYYY-MM-DD")
            yield self.choice("nature", "Nature of alert", alert_natures(self.db),
                              "Pick the nature")
        with Horizontal(classes="row"):
            yield self.text("referred_date", "Referred to Safeguarding Co-ordinator",
                            "YYYY-MM-DD (within 1 working day)")
            yield self.text("officer", "Officer")
        with Horizontal(classes="row"):
            yield self.choice("status", "Status", ALERT_STATUSES, "Pick a status")
            yield self.text("closed_date", "Date closed after investigation", "YYYY-MM-DD")
        yield Static(f"⚠ {NOTES_REMINDER}", classes="reminder", id="notes-reminder")
        yield self.long_text("notes", "Notes (references only)")
        yield from self.pickers()

    def save(self, values: dict[str, object]) -> str:
        from sp_tui.services.alerts import log_alert, update_alert

        values = {k: ("" if v is None else v) for k, v in values.items()}
        if self.record_id:
            return update_alert(self.db, self.record_id, values, source="tui", today=self.today)
        return log_alert(self.db, values, source="tui", today=self.today)


class NatureForm(FormModal[str]):
    """Add a nature of alert to the team's list; dismisses with the name added."""

    FORM_TITLE = "Add a nature of alert"

    def __init__(self, db) -> None:
        super().__init__()
        self.db = db

    def fields(self) -> ComposeResult:
        from sp_tui.reports.safeguarding import alert_natures

        yield Static(Text("In the list now: " + ", ".join(alert_natures(self.db))),
                     classes="hint")
        yield Field("New nature", Input(id="value", placeholder="e.g. Modern slavery"),
                    name="value")

    def on_mount(self) -> None:
        self.query_one("#value", Input).focus()

    def save(self, values: dict[str, object]) -> str:
        from sp_tui.services.alerts import add_alert_nature

        return add_alert_nature(self.db, values.get("value"), source="tui")
