"""QAF grades and monitoring visits: what a valid visit is, and how grades compare.

Grades are A (excellence) to D (fails the minimum standard); "not graded" is None.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from datetime import date

from sp_tui.domain.errors import Cleaner
from sp_tui.domain.values import clean_text, parse_bool, parse_optional_date

GRADES = ("A", "B", "C", "D")
NOT_GRADED = "NG"
NOT_GRADED_LABEL = "Not graded"
# Spellings of "not graded" a user may type or a spreadsheet may hold.
_NOT_GRADED = {"", "n", "ng", "n/g", "none", "not graded", "ungraded", "-"}

# The five core objectives of the revised (2009) QAF: (field, label).
CORE_OBJECTIVES = (
    ("assessment_grade", "Assessment and support planning"),
    ("safety_grade", "Security, health and safety"),
    ("safeguarding_grade", "Safeguarding"),
    ("fair_access_grade", "Fair access, diversity and inclusion"),
    ("client_involvement_grade", "Client involvement"),
)
VISIT_GRADES = ("existing_grade", "self_assessed_grade", "awarded_grade")
GRADE_FIELDS = VISIT_GRADES + tuple(f for f, _ in CORE_OBJECTIVES)
VISIT_FIELDS = (
    "officer", "started_date", "completed_date", *GRADE_FIELDS, "users_consulted", "notes",
    "plan_officer", "plan_review_date",
)
LABELS = {
    "service_ref": "service", "officer": "officer", "started_date": "date begun",
    "completed_date": "date completed", "existing_grade": "existing grade",
    "self_assessed_grade": "self-assessed grade", "awarded_grade": "awarded grade",
    "users_consulted": "users consulted", "notes": "notes",
    "plan_officer": "action plan monitoring officer", "plan_review_date": "action plan review date",
    **{f: label.lower() + " grade" for f, label in CORE_OBJECTIVES},
}


def parse_grade(value: object, *, field: str = "grade") -> str | None:
    """'A'..'D' (any case), or None for blank / 'NG' / 'not graded'. Raises ValueError."""
    text = "" if value is None else str(value).strip()
    if text.casefold() in _NOT_GRADED:
        return None
    if text.upper() in GRADES:
        return text.upper()
    shown = text if len(text) <= 20 else text[:17] + "..."
    raise ValueError(f"{field} must be A, B, C, D or not graded, got {shown!r}")


def grade_label(grade: str | None) -> str:
    return grade or NOT_GRADED


def rank(grade: str) -> int:
    """Higher is better: A=4 ... D=1."""
    return 4 - GRADES.index(grade)


def change(existing: str | None, awarded: str | None) -> str | None:
    """'higher', 'same' or 'lower' for the awarded grade against the existing one;
    None when either is not graded (the report counts those separately)."""
    if existing is None or awarded is None:
        return None
    diff = rank(awarded) - rank(existing)
    return "higher" if diff > 0 else "lower" if diff < 0 else "same"


def grade_as_at(awarded: str | None, completed: date | None, as_at: date) -> str | None:
    """A visit's awarded grade as known on ``as_at``: none until the visit was completed."""
    return awarded if completed is not None and completed <= as_at else None


@dataclass(frozen=True)
class ActionPlanStatus:
    review_date: date | None
    overdue: bool


def plan_status(review_date: date | None, today: date) -> ActionPlanStatus:
    return ActionPlanStatus(review_date, review_date is not None and review_date < today)


def validate_visit(raw: Mapping[str, object], *, today: date,
                   require_action_plan: bool = True) -> dict:
    """Clean a visit's fields (names in VISIT_FIELDS) or raise ValidationError naming
    every bad field. Dates may not lie after ``today`` (except the plan's review date).

    ``require_action_plan``: a D award needs the plan's officer and review date. Imports of
    past visits may leave them blank (the action plans list then shows them as missing).
    """
    form = Cleaner(raw)
    clean, errors, take = form.clean, form.errors, form.take

    take("officer", lambda v: clean_text(v, field="officer", limit=100))
    take("started_date", lambda v: _required_date(v, "date begun"))
    take("completed_date", lambda v: parse_optional_date(v, field="date completed"))
    for field in GRADE_FIELDS:
        take(field, partial(parse_grade, field=LABELS[field]))
    take("users_consulted", lambda v: parse_bool(v, field="users consulted"))
    take("notes", lambda v: clean_text(v, field="notes", required=False, limit=4000))
    take("plan_officer", lambda v: clean_text(v, field="monitoring officer", required=False,
                                              limit=100) or None)
    take("plan_review_date", lambda v: parse_optional_date(v, field="review date"))

    started, completed = clean.get("started_date"), clean.get("completed_date")
    if isinstance(started, date) and started > today:
        errors["started_date"] = f"date begun {started.isoformat()} is in the future"
    if isinstance(completed, date):
        if completed > today:
            errors["completed_date"] = f"date completed {completed.isoformat()} is in the future"
        elif isinstance(started, date) and completed < started:
            errors["completed_date"] = (f"date completed {completed.isoformat()} is before the"
                                        f" date begun {started.isoformat()}")
    if "completed_date" in clean and completed is None and clean.get("awarded_grade"):
        errors["awarded_grade"] = ("a grade can only be awarded once the visit is completed:"
                                   " give the date completed or leave the grade not graded")
    _check_action_plan(clean, errors, require_action_plan)
    return form.result()


def _check_action_plan(clean: dict, errors: dict[str, str], required: bool) -> None:
    if clean.get("awarded_grade") != "D":
        # only a D carries a plan: drop stale plan details when the grade changes
        clean["plan_officer"] = None
        clean["plan_review_date"] = None
        return
    if required and "plan_officer" in clean and not clean["plan_officer"]:
        errors["plan_officer"] = "a D award needs the monitoring officer of its action plan"
    review = clean.get("plan_review_date")
    if required and "plan_review_date" in clean and review is None:
        errors["plan_review_date"] = "a D award needs the action plan's review date"
    completed = clean.get("completed_date")
    if isinstance(review, date) and isinstance(completed, date) and review < completed:
        errors["plan_review_date"] = (f"review date {review.isoformat()} is before the visit was"
                                      f" completed ({completed.isoformat()})")


def _required_date(value: object, field: str) -> date:
    result = parse_optional_date(value, field=field)
    if result is None:
        raise ValueError(f"{field} is required")
    return result
