"""Logging and updating safeguarding alerts; the team's list of natures."""

import json
from datetime import date

import pytest

from sp_tui.domain.cases import ALERT_FIELDS, DEFAULT_NATURES
from sp_tui.domain.errors import NotFound, ValidationError
from sp_tui.reports.safeguarding import alert_fields, alert_natures
from sp_tui.services.alerts import add_alert_nature, log_alert, update_alert

TODAY = date(2009, 6, 30)


def alert(**overrides) -> dict:
    fields = {"ref": "SG-001", "service_ref": "SP001", "received_date": "2009-02-03",
              "nature": "financial", "referred_date": "2009-02-03", "status": "open",
              "closed_date": None, "officer": "P. Evans", "notes": "Police ref CR/123"}
    fields.update(overrides)
    return fields


@pytest.fixture
def service(make_service):
    return make_service()


def count(db) -> int:
    return db.execute("SELECT count(*) FROM safeguarding_alerts").fetchone()[0]


def test_no_field_of_an_alert_is_for_a_name(db):
    columns = {r[1] for r in db.execute("PRAGMA table_info(safeguarding_alerts)")}
    assert not [c for c in columns | set(ALERT_FIELDS) if "name" in c]


def test_log_an_alert_matches_the_nature_and_audits(db, service):
    aid = log_alert(db, alert(), source="test", today=TODAY)
    assert alert_fields(db, aid)["nature"] == "Financial abuse"
    action, summary = db.execute("SELECT action, summary FROM audit_log WHERE entity_id = ?",
                                 (aid,)).fetchone()
    assert action == "alert.log"
    assert "Police ref" not in summary  # notes stay out of the one-line summary


def test_closing_an_alert_is_audited_as_a_status_change(db, service):
    aid = log_alert(db, alert(), today=TODAY)
    update_alert(db, aid, {"status": "closed", "closed_date": "2009-04-01"}, today=TODAY)
    summary, old, new = db.execute(
        "SELECT summary, old_values, new_values FROM audit_log WHERE entity_id = ?"
        " ORDER BY id DESC", (aid,)).fetchone()
    assert summary == "updated alert SG-001: status open -> closed"
    assert json.loads(old) == {"closed_date": None, "status": "open"}
    assert json.loads(new) == {"closed_date": "2009-04-01", "status": "closed"}


@pytest.mark.parametrize("overrides, field, words", [
    ({"status": "closed", "closed_date": "2009-02-01"}, "closed_date", "before the received"),
    ({"referred_date": "2009-02-02"}, "referred_date", "before the received date"),
    ({"status": "closed", "closed_date": ""}, "closed_date", "needs its date closed"),
    ({"status": "open", "closed_date": "2009-03-01"}, "closed_date", "only a closed"),
    ({"service_ref": "NOPE"}, "service_ref", "no service with reference 'NOPE'"),
    ({"nature": "burglary"}, "nature", "unknown nature 'burglary'"),
    ({"status": "pending"}, "status", "open, closed"),
    ({"referred_date": "2009-07-02"}, "referred_date", "in the future"),
])
def test_bad_input_is_refused_with_a_clear_message_and_nothing_written(
        db, service, overrides, field, words):
    with pytest.raises(ValidationError) as exc:
        log_alert(db, alert(**overrides), today=TODAY)
    assert words in exc.value.errors[field]
    assert count(db) == 0
    assert db.execute("SELECT count(*) FROM audit_log WHERE entity = 'alert'").fetchone()[0] == 0


def test_a_duplicate_reference_is_refused(db, service):
    log_alert(db, alert(), today=TODAY)
    with pytest.raises(ValidationError) as exc:
        log_alert(db, alert(ref="sg-001", nature="physical"), today=TODAY)
    assert "already used by another alert" in exc.value.errors["ref"]
    assert count(db) == 1


def test_an_unreferred_alert_can_be_logged_then_referred(db, service):
    aid = log_alert(db, alert(referred_date=None), today=TODAY)
    update_alert(db, aid, {"referred_date": "2009-02-04"}, today=TODAY)
    assert alert_fields(db, aid)["referred_date"] == "2009-02-04"


def test_update_of_a_missing_alert(db):
    with pytest.raises(NotFound):
        update_alert(db, "missing", {"status": "open"}, today=TODAY)


def test_the_team_can_extend_the_list_of_natures(db, service):
    assert alert_natures(db) == list(DEFAULT_NATURES)
    assert add_alert_nature(db, "  Modern   slavery ") == "Modern slavery"
    assert alert_natures(db)[-1] == "Modern slavery"
    aid = log_alert(db, alert(nature="modern slavery"), today=TODAY)
    assert alert_fields(db, aid)["nature"] == "Modern slavery"
    with pytest.raises(ValidationError, match="already in the list"):
        add_alert_nature(db, "NEGLECT")
    with pytest.raises(ValidationError, match="nature is required"):
        add_alert_nature(db, " ")
