import json
from datetime import date

import pytest

from sp_tui.domain.errors import ImportFailed, ValidationError
from sp_tui.domain.quarters import Quarter
from sp_tui.domain.registry import is_active
from sp_tui.reports.registry import ServiceQuery, registry_counts, services_page
from sp_tui.services.registry import (
    add_reference_value, import_services, save_service, service_by_ref,
)
from tests.conftest import service_fields


def counts(db):
    return tuple(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                 for t in ("providers", "services", "audit_log"))


@pytest.mark.parametrize("start, end, quarter, active", [
    (date(2009, 3, 31), None, 24, True),       # starts on the last day
    (date(2009, 4, 1), None, 24, False),       # starts after the quarter
    (date(2005, 1, 1), date(2009, 3, 31), 24, True),   # ends on the last day
    (date(2005, 1, 1), date(2009, 3, 30), 24, False),  # ends the day before
])
def test_active_in_a_quarter(start, end, quarter, active):
    assert is_active(start, end, Quarter(quarter)) is active


def test_adding_a_service_creates_its_provider_and_audit_rows(db):
    sid = save_service(db, service_fields(), source="test")
    row = service_by_ref(db, "sp001")
    assert row["id"] == sid and row["provider"] == "Harbour Trust"
    assert len(sid) == 36 and row["updated_at"]
    actions = [r[0] for r in db.execute("SELECT action FROM audit_log ORDER BY id")]
    assert actions == ["provider.add", "service.add"]


def test_editing_records_old_and_new_values(db, make_service):
    sid = make_service()
    save_service(db, service_fields(household_units=20), service_id=sid)
    old, new = db.execute("SELECT old_values, new_values FROM audit_log WHERE action ="
                          " 'service.edit'").fetchone()
    assert json.loads(old) == {"household_units": 12}
    assert json.loads(new) == {"household_units": 20}


def test_an_unchanged_save_writes_no_audit_row(db, make_service):
    sid = make_service()
    before = counts(db)
    save_service(db, service_fields(), service_id=sid)
    assert counts(db) == before


@pytest.mark.parametrize("field, value, message", [
    ("service_ref", "", "required"),
    ("service_ref", "SP 1", "spaces"),
    ("district", "Atlantis", "unknown district"),
    ("client_group", "Wizards", "unknown primary client group"),
    ("service_type", "Spaceport", "unknown service type"),
    ("term", "medium", "short or long"),
    ("household_units", "-3", "negative"),
    ("household_units", "ten", "whole number"),
    ("start_date", "2009-13-01", "YYYY-MM-DD"),
    ("end_date", "2001-01-01", "before the start"),
])
def test_invalid_services_are_refused_with_the_field_named(db, field, value, message):
    before = counts(db)
    with pytest.raises(ValidationError) as exc:
        save_service(db, service_fields(**{field: value}))
    assert message in exc.value.errors[field]
    assert counts(db) == before


def test_a_duplicate_reference_is_refused(db, make_service):
    make_service()
    with pytest.raises(ValidationError, match="already used"):
        save_service(db, service_fields(service_name="Other"))


def test_reference_values_match_case_insensitively_and_can_be_extended(db):
    sid = save_service(db, service_fields(district="thanet"))
    assert service_by_ref(db, "SP001")["district"] == "Thanet"
    with pytest.raises(ValidationError):
        save_service(db, service_fields(service_ref="SP002", district="Medway"))
    add_reference_value(db, "district", "Medway")
    save_service(db, service_fields(service_ref="SP002", district="medway"))
    with pytest.raises(ValidationError, match="already in the list"):
        add_reference_value(db, "district", "MEDWAY")
    assert sid


def test_import_is_all_or_nothing_with_every_error_numbered(db):
    rows = [
        (2, service_fields(service_ref="A1")),
        (3, service_fields(service_ref="A2", district="Nowhere")),
        (4, service_fields(service_ref="A3", household_units=-1, start_date="bad")),
        (5, service_fields(service_ref="a1")),
    ]
    with pytest.raises(ImportFailed) as exc:
        import_services(db, rows)
    numbered = [(row, msg) for row, msg in exc.value.errors if row]
    assert [row for row, _ in numbered] == [4, 4, 5]
    assert "repeats row 2" in numbered[-1][1]
    # a value not in its list is reported once with its rows (imports/matching.py)
    assert "district 'Nowhere' is not in the list (1 row: 3)" in exc.value.errors[0][1]
    assert counts(db) == (0, 0, 0)


def test_reimporting_a_reference_updates_it(db):
    import_services(db, [(2, service_fields())])
    result = import_services(db, [(2, service_fields(service_name="Renamed", provider="New Co"))])
    assert result == {"added": 0, "updated": 1, "unchanged": 0, "providers_added": 1}
    assert service_by_ref(db, "SP001")["name"] == "Renamed"


def test_services_page_searches_sorts_and_pages_in_sql(db):
    import_services(db, [(i, service_fields(service_ref=f"R{i:03d}", service_name=f"Home {i}",
                                            district="Dover" if i % 2 else "Thanet"))
                         for i in range(2, 62)])
    q = Quarter(24)
    page = services_page(db, ServiceQuery(quarter=q, search="dover", limit=10))
    assert page.total == 30 and len(page.rows) == 10
    assert all(r.district == "Dover" for r in page.rows)
    desc = services_page(db, ServiceQuery(quarter=q, sort="ref", descending=True, limit=1))
    assert desc.rows[0].service_ref == "R061"
    second = services_page(db, ServiceQuery(quarter=q, offset=10, limit=10))
    assert second.rows[0].service_ref == "R012"


def test_search_treats_wildcards_and_markup_literally(db):
    import_services(db, [(2, service_fields(service_ref="X1", service_name="100% [/b] =cmd")),
                         (3, service_fields(service_ref="X2", service_name="1000 homes"))])
    page = services_page(db, ServiceQuery(quarter=Quarter(24), search="100%"))
    assert [r.service_ref for r in page.rows] == ["X1"]


def test_status_and_counts_follow_the_quarter(db):
    import_services(db, [
        (2, service_fields(service_ref="OLD", end_date="2008-06-30")),
        (3, service_fields(service_ref="NEW", start_date="2009-06-01")),
        (4, service_fields(service_ref="RUN")),
    ])
    page = services_page(db, ServiceQuery(quarter=Quarter(24)))
    assert {r.service_ref: r.status for r in page.rows} == {
        "OLD": "ended", "NEW": "not started", "RUN": "active"}
    assert registry_counts(db, Quarter(24))["active_services"] == 1
    assert registry_counts(db, Quarter(25))["active_services"] == 2


def test_timestamps_must_parse_whole():
    from sp_tui.domain.values import parse_date

    assert parse_date("2009-04-01T10:30:00").isoformat() == "2009-04-01"
    for bad in ("2009-04-01T25:00", "2009-04-01 garbage"):
        with pytest.raises(ValueError, match="YYYY-MM-DD"):
            parse_date(bad)
