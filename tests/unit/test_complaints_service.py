"""Logging and updating complaints: validation, nothing written on error, audited history."""

import json
from datetime import date

import pytest

from sp_tui.domain.errors import NotFound, ValidationError
from sp_tui.reports.complaints import complaint_fields
from sp_tui.services.complaints import log_complaint, update_complaint

TODAY = date(2009, 6, 30)


def complaint(**overrides) -> dict:
    fields = {"ref": "C-001", "service_ref": "SP001", "received_date": "2009-02-03",
              "channel": "letter", "summary": "Repairs not done", "status": "open",
              "closed_date": None, "outcome": "", "officer": "K. Brennan"}
    fields.update(overrides)
    return fields


@pytest.fixture
def service(make_service):
    return make_service()


def count(db) -> int:
    return db.execute("SELECT count(*) FROM complaints").fetchone()[0]


def audit_rows(db, entity_id):
    return db.execute("SELECT action, summary, old_values, new_values FROM audit_log"
                      " WHERE entity = 'complaint' AND entity_id = ? ORDER BY id",
                      (entity_id,)).fetchall()


def test_log_a_complaint_stores_it_and_audits(db, service):
    cid = log_complaint(db, complaint(), source="test", today=TODAY)
    assert complaint_fields(db, cid) == {
        "ref": "C-001", "service_ref": "SP001", "received_date": "2009-02-03",
        "channel": "letter", "summary": "Repairs not done", "status": "open",
        "closed_date": None, "outcome": "", "officer": "K. Brennan"}
    [(action, summary, _, new)] = audit_rows(db, cid)
    assert action == "complaint.log" and "C-001" in summary
    assert json.loads(new)["service_ref"] == "SP001"


def test_status_changes_keep_their_history_in_the_audit(db, service):
    cid = log_complaint(db, complaint(), today=TODAY)
    update_complaint(db, cid, {"status": "contractual negotiation"}, today=TODAY)
    update_complaint(db, cid, {"status": "concluded", "closed_date": "2009-05-01",
                               "outcome": "Upheld"}, today=TODAY)
    rows = audit_rows(db, cid)
    assert [r[1] for r in rows[1:]] == [
        "updated complaint C-001: status open -> contractual negotiation",
        "updated complaint C-001: status contractual negotiation -> concluded"]
    assert json.loads(rows[2][2]) == {"closed_date": None, "outcome": "",
                                      "status": "contractual negotiation"}
    assert complaint_fields(db, cid)["closed_date"] == "2009-05-01"


def test_an_update_that_changes_nothing_writes_nothing(db, service):
    cid = log_complaint(db, complaint(), today=TODAY)
    update_complaint(db, cid, {"summary": "Repairs not done"}, today=TODAY)
    assert len(audit_rows(db, cid)) == 1


def test_status_aliases_are_understood(db, service):
    cid = log_complaint(db, complaint(status="Subject to contractual negotiations"), today=TODAY)
    assert complaint_fields(db, cid)["status"] == "contractual negotiation"


@pytest.mark.parametrize("overrides, field, words", [
    ({"status": "concluded", "closed_date": "2009-01-01"}, "closed_date", "before the received"),
    ({"status": "concluded", "closed_date": None}, "closed_date", "needs its date closed"),
    ({"status": "open", "closed_date": "2009-03-01"}, "closed_date", "only a concluded"),
    ({"status": "contractual negotiation", "closed_date": "2009-03-01"}, "closed_date",
     "only a concluded"),
    ({"service_ref": "NOPE"}, "service_ref", "no service with reference 'NOPE'"),
    ({"received_date": "02/31/2009"}, "received_date", "YYYY-MM-DD"),
    ({"received_date": "2009-07-01"}, "received_date", "in the future"),
    ({"status": "pending"}, "status", "open, concluded, contractual negotiation"),
    ({"summary": "  "}, "summary", "summary is required"),
    ({"ref": "C 1"}, "ref", "cannot contain spaces"),
    ({"channel": "pigeon"}, "channel", "channel must be one of"),
])
def test_bad_input_is_refused_with_a_clear_message_and_nothing_written(
        db, service, overrides, field, words):
    with pytest.raises(ValidationError) as exc:
        log_complaint(db, complaint(**overrides), today=TODAY)
    assert words in exc.value.errors[field]
    assert count(db) == 0
    assert db.execute("SELECT count(*) FROM audit_log WHERE entity = 'complaint'").fetchone()[0] == 0


def test_a_duplicate_reference_is_refused_whatever_its_case(db, service):
    log_complaint(db, complaint(), today=TODAY)
    with pytest.raises(ValidationError) as exc:
        log_complaint(db, complaint(ref="c-001"), today=TODAY)
    assert "already used by another complaint" in exc.value.errors["ref"]
    assert count(db) == 1


def test_update_refuses_bad_input_and_keeps_the_record(db, service):
    cid = log_complaint(db, complaint(), today=TODAY)
    other = log_complaint(db, complaint(ref="C-002"), today=TODAY)
    with pytest.raises(ValidationError):
        update_complaint(db, cid, {"status": "concluded"}, today=TODAY)
    with pytest.raises(ValidationError) as exc:
        update_complaint(db, other, {"ref": "C-001"}, today=TODAY)
    assert "already used" in exc.value.errors["ref"]
    assert complaint_fields(db, cid)["status"] == "open"
    assert complaint_fields(db, other)["ref"] == "C-002"


def test_update_of_a_missing_complaint(db, service):
    with pytest.raises(NotFound):
        update_complaint(db, "no-such-id", {"status": "open"}, today=TODAY)


def test_the_schema_itself_refuses_inconsistent_rows(db, service):
    """A last line of defence for writes that bypass the service layer."""
    import sqlite3

    sid = db.execute("SELECT id FROM services").fetchone()[0]
    for status, closed in (("concluded", None), ("open", "2009-03-01"),
                           ("concluded", "2009-01-01")):
        with pytest.raises(sqlite3.IntegrityError):
            db.execute("INSERT INTO complaints (id, ref, service_id, received_date, summary,"
                       " status, closed_date, created_at, updated_at) VALUES"
                       " ('x', 'R', ?, '2009-02-01', 's', ?, ?, 'now', 'now')",
                       (sid, status, closed))
