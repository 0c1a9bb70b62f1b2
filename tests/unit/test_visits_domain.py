from datetime import date

import pytest

from sp_tui.domain.arithmetic import percent
from sp_tui.domain.errors import ValidationError
from sp_tui.domain.qaf import change, grade_as_at, parse_grade, validate_visit

TODAY = date(2009, 6, 30)


def visit(**overrides) -> dict:
    fields = {"officer": "Sam Patel", "started_date": "2009-02-02",
              "completed_date": "2009-02-20", "existing_grade": "C",
              "self_assessed_grade": "B", "awarded_grade": "B", "users_consulted": "yes"}
    fields.update(overrides)
    return fields


@pytest.mark.parametrize("part, whole, expected", [
    (16, 26, 62), (8, 26, 31), (2, 26, 8), (1, 8, 13), (1, 200, 1), (1, 201, 0),
    (0, 5, 0), (5, 5, 100), (3, 0, None)])
def test_percent_rounds_half_up_to_whole_numbers(part, whole, expected):
    assert percent(part, whole) == expected


@pytest.mark.parametrize("text, grade", [
    ("A", "A"), ("b", "B"), (" c ", "C"), ("D", "D"), ("", None), (None, None), ("N", None),
    ("ng", None), ("Not graded", None)])
def test_grades_are_a_to_d_or_not_graded(text, grade):
    assert parse_grade(text) == grade


@pytest.mark.parametrize("text", ["E", "AB", "1", "excellent"])
def test_a_grade_outside_a_to_d_is_refused(text):
    with pytest.raises(ValueError, match="must be A, B, C, D or not graded"):
        parse_grade(text)


@pytest.mark.parametrize("existing, awarded, expected", [
    ("C", "B", "higher"), ("C", "A", "higher"), ("B", "B", "same"), ("A", "B", "lower"),
    ("C", "D", "lower"), (None, "B", None), ("C", None, None)])
def test_a_is_the_highest_grade(existing, awarded, expected):
    assert change(existing, awarded) == expected


def test_an_award_counts_only_from_the_day_the_visit_was_completed():
    assert grade_as_at("B", date(2009, 4, 2), date(2009, 3, 31)) is None
    assert grade_as_at("B", date(2009, 3, 31), date(2009, 3, 31)) == "B"
    assert grade_as_at("B", None, date(2009, 3, 31)) is None


def test_a_valid_visit_is_cleaned():
    clean = validate_visit(visit(), today=TODAY)
    assert clean["started_date"] == date(2009, 2, 2)
    assert clean["awarded_grade"] == "B" and clean["users_consulted"] is True
    assert clean["plan_officer"] is None


def test_an_open_visit_has_no_completion_date_and_no_award():
    clean = validate_visit(visit(completed_date="", awarded_grade="N"), today=TODAY)
    assert clean["completed_date"] is None and clean["awarded_grade"] is None


@pytest.mark.parametrize("overrides, field, message", [
    ({"completed_date": "2009-01-30"}, "completed_date", "before the date begun"),
    ({"started_date": "2009-07-01", "completed_date": ""}, "started_date", "in the future"),
    ({"completed_date": "2009-07-01"}, "completed_date", "in the future"),
    ({"awarded_grade": "E"}, "awarded_grade", "must be A, B, C, D"),
    ({"completed_date": ""}, "awarded_grade", "once the visit is completed"),
    ({"officer": " "}, "officer", "required"),
    ({"started_date": ""}, "started_date", "required"),
    ({"awarded_grade": "D"}, "plan_officer", "monitoring officer"),
    ({"awarded_grade": "D", "plan_officer": "Jo"}, "plan_review_date", "review date"),
    ({"awarded_grade": "D", "plan_officer": "Jo", "plan_review_date": "2009-01-01"},
     "plan_review_date", "before the visit was completed"),
])
def test_bad_visits_name_the_field(overrides, field, message):
    with pytest.raises(ValidationError) as exc:
        validate_visit(visit(**overrides), today=TODAY)
    assert message in exc.value.errors[field]


def test_a_d_award_with_its_plan_is_valid_and_the_review_may_be_in_the_future():
    clean = validate_visit(visit(awarded_grade="D", plan_officer="Jo Hart",
                                 plan_review_date="2009-09-30"), today=TODAY)
    assert clean["plan_officer"] == "Jo Hart" and clean["plan_review_date"] == date(2009, 9, 30)


def test_plan_details_are_dropped_when_the_award_is_not_d():
    clean = validate_visit(visit(plan_officer="Jo", plan_review_date="2009-09-30"), today=TODAY)
    assert clean["plan_officer"] is None and clean["plan_review_date"] is None
