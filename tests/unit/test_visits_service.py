from datetime import date

import pytest

from sp_tui.domain.errors import ImportFailed, ValidationError
from sp_tui.reports.visits import current_grade, visit_fields
from sp_tui.services.visits import delete_visit, import_visits, save_visit

TODAY = date(2009, 6, 30)


def fields(**overrides) -> dict:
    values = {"service_ref": "SP001", "officer": "Sam Patel", "started_date": "2009-02-02",
              "completed_date": "2009-02-20", "existing_grade": "C",
              "self_assessed_grade": "B", "awarded_grade": "B", "users_consulted": True,
              "notes": "Met five residents"}
    values.update(overrides)
    return values


def counts(db) -> tuple[int, int]:
    return (db.execute("SELECT count(*) FROM visits").fetchone()[0],
            db.execute("SELECT count(*) FROM audit_log WHERE entity = 'visit'").fetchone()[0])


def test_a_visit_is_saved_with_an_audit_row(db, make_service):
    service_id = make_service()
    visit_id = save_visit(db, fields(), today=TODAY, source="test")
    assert visit_fields(db, visit_id)["awarded_grade"] == "B"
    assert counts(db) == (1, 1)
    assert current_grade(db, service_id, date(2009, 2, 20)) == "B"
    assert current_grade(db, service_id, date(2009, 2, 19)) is None


def test_a_visit_begun_one_day_is_completed_later_by_editing_it(db, make_service):
    service_id = make_service()
    visit_id = save_visit(db, fields(completed_date=None, awarded_grade=None), today=TODAY)
    assert current_grade(db, service_id, TODAY) is None
    save_visit(db, fields(completed_date="2009-03-03", awarded_grade="A"), visit_id=visit_id,
               today=TODAY)
    assert visit_fields(db, visit_id)["completed_date"] == "2009-03-03"
    assert current_grade(db, service_id, TODAY) == "A"
    assert counts(db) == (1, 2)
    edit = db.execute("SELECT old_values, new_values FROM audit_log WHERE action = 'visit.edit'"
                      ).fetchone()
    assert '"completed_date": null' in edit[0] and '"2009-03-03"' in edit[1]


def test_the_latest_completed_visit_gives_the_current_grade(db, make_service):
    service_id = make_service()
    save_visit(db, fields(started_date="2008-01-10", completed_date="2008-02-01",
                          awarded_grade="C"), today=TODAY)
    save_visit(db, fields(started_date="2009-01-10", completed_date="2009-02-01",
                          awarded_grade="A"), today=TODAY)
    save_visit(db, fields(started_date="2009-05-10", completed_date=None, awarded_grade=None),
               today=TODAY)
    assert current_grade(db, service_id, date(2008, 12, 31)) == "C"
    assert current_grade(db, service_id, TODAY) == "A"


@pytest.mark.parametrize("overrides, field, message", [
    ({"completed_date": "2009-01-01"}, "completed_date", "before the date begun"),
    ({"started_date": "2009-07-01", "completed_date": None, "awarded_grade": None},
     "started_date", "in the future"),
    ({"completed_date": "2009-07-01"}, "completed_date", "in the future"),
    ({"awarded_grade": "E"}, "awarded_grade", "must be A, B, C, D or not graded"),
    ({"existing_grade": "A+"}, "existing_grade", "must be A, B, C, D or not graded"),
    ({"completed_date": None}, "awarded_grade", "once the visit is completed"),
    ({"service_ref": "NOPE"}, "service_ref", "no service with reference 'NOPE'"),
    ({"awarded_grade": "D"}, "plan_officer", "monitoring officer"),
])
def test_bad_input_gives_a_clear_message_and_writes_nothing(db, make_service, overrides, field,
                                                            message):
    make_service()
    with pytest.raises(ValidationError) as exc:
        save_visit(db, fields(**overrides), today=TODAY)
    assert message in exc.value.errors[field]
    assert counts(db) == (0, 0)


def test_a_bad_edit_leaves_the_visit_as_it_was(db, make_service):
    make_service()
    visit_id = save_visit(db, fields(), today=TODAY)
    with pytest.raises(ValidationError):
        save_visit(db, fields(completed_date="2009-01-01"), visit_id=visit_id, today=TODAY)
    assert visit_fields(db, visit_id)["completed_date"] == "2009-02-20"
    assert counts(db) == (1, 1)


def test_two_visits_to_a_service_cannot_begin_the_same_day(db, make_service):
    make_service()
    save_visit(db, fields(), today=TODAY)
    with pytest.raises(ValidationError, match="already has a visit begun on 2009-02-02"):
        save_visit(db, fields(officer="Someone Else"), today=TODAY)


def test_a_d_award_keeps_its_action_plan(db, make_service):
    make_service()
    visit_id = save_visit(db, fields(awarded_grade="D", plan_officer="Jo Hart",
                                     plan_review_date="2009-08-01"), today=TODAY)
    saved = visit_fields(db, visit_id)
    assert (saved["plan_officer"], saved["plan_review_date"]) == ("Jo Hart", "2009-08-01")


def test_deleting_a_visit_is_audited(db, make_service):
    make_service()
    visit_id = save_visit(db, fields(), today=TODAY)
    delete_visit(db, visit_id, source="test")
    assert counts(db) == (0, 2)


def rows(*records) -> list[tuple[int, dict]]:
    return [(n + 2, record) for n, record in enumerate(records)]


def csv_row(**overrides) -> dict:
    values = {"service_ref": "SP001", "started_date": "2009-02-02",
              "completed_date": "2009-02-20", "officer": "Sam Patel", "existing_grade": "C",
              "self_assessed_grade": "B", "awarded_grade": "B"}
    values.update(overrides)
    return values


def test_an_import_adds_visits_and_a_reimport_updates_them(db, make_service):
    make_service()
    make_service(service_ref="SP002")
    result = import_visits(db, rows(csv_row(), csv_row(service_ref="sp002", completed_date="",
                                                       awarded_grade="")), today=TODAY)
    assert result == {"added": 2, "updated": 0, "unchanged": 0}
    result = import_visits(db, rows(csv_row(service_ref="SP002", completed_date="2009-04-01",
                                            awarded_grade="A"), csv_row()), today=TODAY)
    assert result == {"added": 0, "updated": 1, "unchanged": 1}
    assert counts(db) == (2, 3)  # two visits; the unchanged row wrote no history


@pytest.mark.parametrize("overrides, message", [
    ({"completed_date": "2009-01-01"}, "before the date begun"),
    ({"started_date": "2010-01-01", "completed_date": "", "awarded_grade": ""}, "in the future"),
    ({"completed_date": ""}, "once the visit is completed"),
    ({"service_ref": "SP999"}, "no service with reference 'SP999'"),
])
def test_an_import_with_a_bad_row_writes_nothing(db, make_service, overrides, message):
    make_service()
    with pytest.raises(ImportFailed) as exc:
        import_visits(db, rows(csv_row(started_date="2009-01-05"), csv_row(**overrides)),
                      today=TODAY)
    assert [row for row, _ in exc.value.errors] == [3]
    assert message in exc.value.errors[0][1]
    assert counts(db) == (0, 0)


def test_an_unknown_grade_is_reported_once_with_its_rows(db, make_service):
    make_service()
    with pytest.raises(ImportFailed) as exc:
        import_visits(db, rows(csv_row(started_date="2009-01-05", awarded_grade="E"),
                               csv_row(awarded_grade="e")), today=TODAY)
    assert exc.value.lines()[0].startswith("awarded_grade 'E' is not in the list (2 rows: 2, 3)")
    assert counts(db) == (0, 0)


def test_an_import_repeating_a_visit_is_refused(db, make_service):
    make_service()
    with pytest.raises(ImportFailed) as exc:
        import_visits(db, rows(csv_row(), csv_row()), today=TODAY)
    assert exc.value.lines() == ["row 3: SP001 begun 2009-02-02 repeats row 2"]
