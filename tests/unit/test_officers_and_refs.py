"""The officer list offered in every officer field, and the reference proposed for a new
complaint or alert (issue 13, friction 5)."""

from __future__ import annotations

from datetime import date

from sp_tui.domain.quarters import Quarter
from sp_tui.reports.reference import officer_names, proposed_case_ref
from sp_tui.services.alerts import log_alert
from sp_tui.services.complaints import log_complaint
from sp_tui.services.visits import save_visit
from sp_tui.services.workbooks import record_workbook_audit

TODAY = date(2009, 11, 20)


def test_officers_come_from_every_officer_field_one_spelling_each(db, make_service):
    make_service(service_ref="SP001")
    save_visit(db, {"service_ref": "SP001", "officer": "Jo Hart", "started_date": "2009-10-01",
                    "completed_date": "2009-10-02", "existing_grade": "C",
                    "awarded_grade": "D", "plan_officer": "Ann Plan",
                    "plan_review_date": "2009-12-01"}, today=TODAY)
    log_complaint(db, {"ref": "C1", "service_ref": "SP001", "received_date": "2009-10-02",
                       "summary": "x", "status": "open", "officer": "jo hart"}, today=TODAY)
    log_alert(db, {"ref": "A1", "service_ref": "SP001", "received_date": "2009-10-02",
                   "nature": "Financial", "status": "open", "officer": " Sam Patel "},
              today=TODAY)
    record_workbook_audit(db, "SP001", Quarter(26), audit_date="2009-10-05",
                          officer="Kim Lee", assurance="high", today=TODAY)
    names = officer_names(db)
    assert [n.casefold() for n in names] == ["ann plan", "jo hart", "kim lee", "sam patel"]


def test_the_proposed_reference_follows_the_last_logged(db, make_service):
    make_service(service_ref="SP001")
    assert proposed_case_ref(db, "complaint", TODAY) == "C-27-001"
    assert proposed_case_ref(db, "alert", TODAY) == "A-27-001"
    log_complaint(db, {"ref": "C-26-004", "service_ref": "SP001", "received_date": "2009-09-02",
                       "summary": "x", "status": "open"}, today=TODAY)
    assert proposed_case_ref(db, "complaint", date(2009, 9, 20)) == "C-26-005"
    assert proposed_case_ref(db, "complaint", TODAY) == "C-27-001"   # a new quarter
    log_complaint(db, {"ref": "C-27-001", "service_ref": "SP001", "received_date": "2009-10-02",
                       "summary": "x", "status": "open"}, today=TODAY)
    assert proposed_case_ref(db, "complaint", TODAY) == "C-27-002"
