"""The visit form, built for logging by keyboard on a laptop.

Type a few characters of a service's name or reference and pick it from the list under the
field (Up/Down, Enter or Tab); its current grade fills "existing". Tab moves field to field,
grades are single letters (A B C D, N = not graded), Ctrl+S saves. A D award shows the
action plan fields. Leave "completed" blank to finish the visit later (Enter on it, or c).
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Checkbox, Input, Label, Static

from sp_tui.domain.errors import ValidationError
from sp_tui.domain.qaf import CORE_OBJECTIVES, validate_visit
from sp_tui.domain.values import parse_optional_date
from sp_tui.reports.reference import officer_names
from sp_tui.reports.visits import current_grade, visit_fields
from sp_tui.services.registry import service_by_ref
from sp_tui.services.visits import save_visit
from sp_tui.tui.widgets.form import Field, FormModal
from sp_tui.tui.widgets.picker import Picker, service_lookup, words_match
_SHORT_OBJECTIVE = {"assessment_grade": "Assessment", "safety_grade": "Safety",
                    "safeguarding_grade": "Safeguarding", "fair_access_grade": "Fair access",
                    "client_involvement_grade": "Involvement"}


class GradeInput(Input):
    """One letter: A, B, C or D; N (or blank) for not graded. A letter replaces the last."""

    DEFAULT_CSS = "GradeInput { width: 10; }"

    def __init__(self, grade: str | None = None, **kwargs) -> None:
        super().__init__(grade or "", placeholder="A-D, N", compact=True, **kwargs)

    def replace(self, text: str, start: int, end: int) -> None:
        """Every edit of Input's public API comes here: a deletion clears as usual; typed or
        pasted text gives its last letter, upper-cased, as the whole grade."""
        if not text:
            super().replace(text, start, end)
            return
        letter = text.strip()[-1:].upper()
        if letter in ("A", "B", "C", "D", "N"):
            self.value = letter
            self.cursor_position = 1
        else:
            self.restricted()


class VisitForm(FormModal[str]):
    """Dismisses with the saved visit's id, or None when cancelled.

    ``complete``: opening an open visit to complete it fills today's date and starts on the
    awarded grade."""

    DEFAULT_CSS = """
    VisitForm > Vertical { width: 100; }
    VisitForm #service-name { padding-left: 1; color: $text-muted; height: 1; }
    VisitForm .grades > Field { width: auto; min-width: 16; }
    VisitForm Input { margin: 0 1; }
    VisitForm Input:focus { background: $boost; }
    VisitForm Field { margin-bottom: 1; }
    VisitForm .grades > Field { margin-bottom: 1; }
    VisitForm .hint { padding: 0 1; }
    VisitForm #plan { display: none; }
    VisitForm #plan.-shown { display: block; }
    """
    def __init__(self, db, visit_id: str | None = None, *, today: date,
                 complete: bool = False) -> None:
        super().__init__()
        self.db = db
        self.visit_id = visit_id
        self.today = today
        self.complete = complete
        self.initial = (visit_fields(db, visit_id) if visit_id else None) or {}
        if complete and not self.initial.get("completed_date"):
            self.initial["completed_date"] = today.isoformat()
        self.FORM_TITLE = ("Complete visit" if complete else "Edit visit") if visit_id \
            else "Log a monitoring visit"
        self._touched: set[str] = set()

    # -- layout ------------------------------------------------------------------------------
    def fields(self) -> ComposeResult:
        v = self.initial
        names = words_match(officer_names(self.db))

        def text(name: str, label: str, placeholder: str = "", **kw) -> Field:
            value = v.get(name)
            return Field(label, Input("" if value is None else str(value), id=name,
                                      placeholder=placeholder, compact=True, **kw), name=name)

        def grade(name: str, label: str) -> Field:
            value = v.get(name)  # a grade letter, or None
            return Field(label, GradeInput(value if isinstance(value, str) else None, id=name),
                         name=name)

        yield Field("Service (type part of its name or reference)", Input(
            str(v.get("service_ref") or ""), id="service_ref",
            placeholder="e.g. oak court, or SP00123", compact=True), name="service_ref")
        yield Picker("#service_ref", service_lookup(self.db), id="service-matches")
        yield Static(self._service_label(v.get("service_ref")), id="service-name")
        with Horizontal(classes="row"):
            yield text("officer", "Officer", "who made the visit")
            yield text("started_date", "Date begun", "YYYY-MM-DD")
            yield text("completed_date", "Date completed (blank: in progress)", "YYYY-MM-DD")
        with Horizontal(classes="row grades"):
            yield grade("existing_grade", "Existing grade")
            yield grade("self_assessed_grade", "Self-assessed")
            yield grade("awarded_grade", "Awarded grade")
            yield Field("Service users", Checkbox("consulted", value=bool(
                v.get("users_consulted", True)), id="users_consulted", compact=True),
                name="users_consulted")
        with Horizontal(classes="row", id="plan"):
            yield text("plan_officer", "Action plan: monitoring officer", "name")
            yield text("plan_review_date", "Action plan: review date", "YYYY-MM-DD")
        yield Label("Core objectives of the 2009 QAF (optional)", classes="hint")
        with Horizontal(classes="row grades"):
            for name, _ in CORE_OBJECTIVES:
                yield grade(name, _SHORT_OBJECTIVE[name])
        yield text("notes", "Notes")
        yield Picker("#officer", names)
        yield Picker("#plan_officer", names)

    def on_mount(self) -> None:
        if not self.initial:
            self.query_one("#started_date", Input).value = self.today.isoformat()
        self._show_plan()
        target = "#awarded_grade" if self.complete else \
            "#completed_date" if self.visit_id else "#service_ref"
        self.query_one(target, Input).focus()

    # -- service look-up -------------------------------------------------------------------
    def _service_label(self, ref: object) -> Text:
        if not ref:
            return Text("")
        try:
            service = service_by_ref(self.db, str(ref))
        except ValidationError:
            return Text("no service with that reference", style="red")
        return Text(f"{service['service_ref']}  {service['name']}  ({service['provider']})")

    @on(Input.Changed, "#service_ref")
    def _service_typed(self, event: Input.Changed) -> None:
        """A reference that names a service: show it and fill its current grade."""
        ref = event.value.strip()
        exact = bool(ref) and self._service_exists(ref)
        self.query_one("#service-name", Static).update(
            self._service_label(ref) if exact else Text(""))
        if exact:
            self._prefill_existing(ref)

    @on(Input.Submitted, "#service_ref")
    def _service_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def _service_exists(self, ref: str) -> bool:
        try:
            service_by_ref(self.db, ref)
        except ValidationError:
            return False
        return True

    def _prefill_existing(self, ref: str) -> None:
        """The service's current grade as at the date begun, unless already typed."""
        if self.visit_id or "existing_grade" in self._touched:
            return
        try:
            service = service_by_ref(self.db, ref)
            begun = parse_optional_date(self.query_one("#started_date", Input).value) \
                or self.today
        except (ValidationError, ValueError):
            return
        grade = current_grade(self.db, service["id"], begun)
        self.query_one("#existing_grade", Input).value = grade or "N"

    # -- inline validation -----------------------------------------------------------------
    @on(Input.Changed, "GradeInput")
    def _grade_changed(self, event: Input.Changed) -> None:
        if event.input.id == "awarded_grade":
            self._show_plan()
        if event.input.has_focus and event.input.id:
            self._touched.add(event.input.id)

    def _show_plan(self) -> None:
        awarded = self.query_one("#awarded_grade", Input).value.upper()
        self.query_one("#plan").set_class(awarded == "D", "-shown")

    @on(Input.Blurred)
    def _check_field(self, event: Input.Blurred) -> None:
        if event.input.id and event.input.id != "service_ref":
            self._touched.add(event.input.id)
        self.call_after_refresh(self._validate_touched)

    def _validate_touched(self) -> None:
        """Messages for the fields the user has been through; the rest wait for Ctrl+S."""
        errors: dict[str, str] = {}
        try:
            validate_visit(self.values(), today=self.today)
        except ValidationError as exc:
            errors = dict(exc.errors)
        ref = self.query_one("#service_ref", Input).value.strip()
        if ref and not self.query_one("#service-matches", Picker).display:
            try:
                service_by_ref(self.db, ref)
            except ValidationError as exc:
                errors.update(exc.errors)
            self._touched.add("service_ref")
        for field in self.query(Field):
            name = field.field_name
            if name in self._touched:
                field.show_error(errors.get(name))

    # -- save --------------------------------------------------------------------------------
    def values(self) -> dict[str, object]:
        values = super().values()
        for name in ("existing_grade", "self_assessed_grade", "awarded_grade",
                     *(n for n, _ in CORE_OBJECTIVES)):
            if str(values.get(name) or "").upper() == "N":
                values[name] = None
        return values

    def save(self, values: dict[str, object]) -> str:
        return save_visit(self.db, values, visit_id=self.visit_id, today=self.today,
                          source="tui")
