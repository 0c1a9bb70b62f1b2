"""Recording, correcting and importing KPI figures; benchmarks, targets, tolerance, classes."""

import json
from decimal import Decimal

import pytest

from sp_tui.domain.errors import ImportFailed, NotFound, ValidationError
from sp_tui.domain.quarters import Quarter
from sp_tui.services import kpis

Q23 = Quarter(23)


def _count(db, table):
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


@pytest.fixture
def services(make_service):
    make_service(service_ref="LT1", term="long", service_type="Sheltered housing",
                 client_group="Older people with support needs")
    make_service(service_ref="ST1", term="short")
    make_service(service_ref="OLD", term="long", end_date="2007-06-30")


def test_record_then_correct_keeps_history_in_audit(db, services):
    change = kpis.record_figures(db, "LT1", Q23, {"kpi1_independent": 98, "kpi1_users": 100},
                                 source="test")
    assert change.action == "recorded"
    change = kpis.record_figures(db, "lt1", Q23, {"kpi1_independent": "97"})
    assert change.action == "corrected"
    row = db.execute("SELECT kpi1_independent, kpi1_users FROM kpi_figures").fetchone()
    assert tuple(row) == (97, 100)
    old, new = db.execute("SELECT old_values, new_values FROM audit_log"
                          " WHERE action = 'kpi.correct'").fetchone()
    assert json.loads(old) == {"kpi1_independent": 98}
    assert json.loads(new) == {"kpi1_independent": 97}
    assert kpis.record_figures(db, "LT1", Q23, {"kpi1_users": 100}).action == "unchanged"


@pytest.mark.parametrize("ref, values, field, message", [
    ("LT1", {"kpi1_independent": 101, "kpi1_users": 100}, "kpi1_independent", "cannot exceed"),
    ("LT1", {"kpi1_independent": -1, "kpi1_users": 100}, "kpi1_independent", "negative"),
    ("LT1", {"kpi1_independent": "9.5", "kpi1_users": 100}, "kpi1_independent", "whole"),
    ("ST1", {"kpi1_independent": 1, "kpi1_users": 2}, "kpi1_independent", "long-term"),
    ("LT1", {"kpi2_planned": 1, "kpi2_departures": 2}, "kpi2_planned", "short-term"),
    ("OLD", {"kpi1_independent": 1, "kpi1_users": 2}, "service_ref", "not active"),
    ("LT1", {"kpi1_users": 2}, "kpi1_independent", "needed"),
])
def test_bad_figures_write_nothing(db, services, ref, values, field, message):
    audits = _count(db, "audit_log")
    with pytest.raises(ValidationError) as caught:
        kpis.record_figures(db, ref, Q23, values)
    assert message in caught.value.errors[field]
    assert _count(db, "kpi_figures") == 0
    assert _count(db, "audit_log") == audits


def test_unknown_service(db, services):
    with pytest.raises(NotFound):
        kpis.record_figures(db, "NOPE", Q23, {"kpi1_users": 1, "kpi1_independent": 1})


def rows(*dicts):
    return [(n, d) for n, d in enumerate(dicts, start=2)]


def test_import_is_all_or_nothing_with_row_numbers(db, services):
    good = {"service_ref": "LT1", "quarter": "Q23", "kpi1_independent": "5", "kpi1_users": "6"}
    bad = [
        {"service_ref": "ST1", "quarter": "23", "kpi2_planned": "7", "kpi2_departures": "6"},
        {"service_ref": "ST1", "quarter": "23", "kpi1_independent": "1", "kpi1_users": "1"},
        {"service_ref": "OLD", "quarter": "23", "kpi1_independent": "1", "kpi1_users": "1"},
        {"service_ref": "LT1", "quarter": "Q23", "kpi1_independent": "1", "kpi1_users": "1"},
        {"service_ref": "XX", "quarter": "23"},
        {"service_ref": "LT1", "quarter": "", "kpi1_independent": "1", "kpi1_users": "1"},
    ]
    with pytest.raises(ImportFailed) as caught:
        kpis.import_kpis(db, rows(good, *bad))
    numbers = [n for n, _ in caught.value.errors]
    assert numbers == [3, 4, 5, 6, 7, 8]
    assert "already in row 2" in caught.value.lines()[3]
    assert _count(db, "kpi_figures") == 0


def test_import_twice_does_not_double_and_a_change_corrects(db, services):
    data = rows({"service_ref": "LT1", "quarter": 23, "kpi1_independent": 5, "kpi1_users": 6},
                {"service_ref": "ST1", "quarter": 23.0, "kpi2_planned": 2, "kpi2_departures": 3},
                {"service_ref": "ST1", "quarter": 22})
    assert kpis.import_kpis(db, data) == {"recorded": 2, "corrected": 0, "unchanged": 1}
    assert kpis.import_kpis(db, data) == {"recorded": 0, "corrected": 0, "unchanged": 3}
    assert _count(db, "kpi_figures") == 2
    data[0] = (2, {**data[0][1], "kpi1_independent": 6})
    assert kpis.import_kpis(db, data)["corrected"] == 1
    assert db.execute("SELECT count(*) FROM audit_log WHERE action = 'kpi.correct'").fetchone()[0] == 1


def test_benchmarks_set_import_and_refuse(db):
    kpis.set_benchmark(db, {"quarter": 23, "kpi": 1, "scope": "regional", "value": "98.67"})
    kpis.set_benchmark(db, {"quarter": 23, "kpi": 1, "scope": "regional",
                            "breakdown": "client_group", "category": "generic", "value": 95.5})
    stored = dict(db.execute("SELECT category, value FROM kpi_benchmarks").fetchall())
    assert stored == {"": "98.67", "Generic": "95.5"}
    for bad, message in [
        ({"value": "101"}, "between 0 and 100"),
        ({"value": "-3"}, "between 0 and 100"),
        ({"breakdown": "client_group", "category": "Martians"}, "unknown client group"),
        ({"breakdown": "service_class", "category": "sheltered"}, "service class"),
        ({"category": "Generic"}, "no category"),
        ({"scope": "county"}, "scope"),
        ({"kpi": "3"}, "kpi"),
        ({"kpi": 2, "breakdown": "service_class", "category": "floating support"}, "not split"),
    ]:
        fields = {"quarter": 23, "kpi": 1, "scope": "national", "value": "50", **bad}
        with pytest.raises(ValidationError, match=message):
            kpis.set_benchmark(db, fields)
    assert _count(db, "kpi_benchmarks") == 2
    data = rows({"quarter": "Q22", "kpi": "2", "scope": "National", "breakdown": "",
                 "category": "", "value": "70.78"},
                {"quarter": "23", "kpi": "1", "scope": "regional", "breakdown": "overall",
                 "category": "", "value": "98.67"})
    assert kpis.import_benchmarks(db, data) == {"figures": 1, "changed": 0, "unchanged": 1}
    with pytest.raises(ImportFailed) as caught:
        kpis.import_benchmarks(db, rows({"quarter": 1, "kpi": 1, "scope": "regional",
                                         "value": "100.5"}, *[d for _, d in data]))
    assert [n for n, _ in caught.value.errors] == [2]
    assert _count(db, "kpi_benchmarks") == 3


def test_targets_tolerance_and_classes(db):
    from sp_tui.reports.kpis import kpi_settings, service_classes

    settings = kpi_settings(db)
    assert settings.target(1, Quarter(23)) == Decimal(98)
    assert settings.target(2, Quarter(23)) == Decimal("66.7")
    assert settings.target(2, Quarter(26)) == Decimal("68.2")
    assert settings.target(2, Quarter(40)) == Decimal(71)     # carries forward
    assert settings.target(1, Quarter(20)) is None            # before any target
    assert settings.tolerance == Decimal(2)
    kpis.set_target(db, 1, "2009/10", "98.5")
    kpis.set_tolerance(db, "1.5")
    settings = kpi_settings(db)
    assert settings.target(1, Quarter(26)) == Decimal("98.5")
    assert settings.tolerance == Decimal("1.5")
    for call in (lambda: kpis.set_target(db, 3, "2009/10", 50),
                 lambda: kpis.set_target(db, 1, "next year", 50),
                 lambda: kpis.set_target(db, 1, "2009/10", 150),
                 lambda: kpis.set_tolerance(db, 0),
                 lambda: kpis.set_service_class(db, "Nonsense", "floating support"),
                 lambda: kpis.set_service_class(db, "Outreach", "sheltered")):
        with pytest.raises(ValidationError):
            call()
    assert dict(service_classes(db))["Outreach"] == "accommodation based"
    kpis.set_service_class(db, "outreach", "Floating support")
    assert dict(service_classes(db))["Outreach"] == "floating support"
    assert dict(service_classes(db))["Floating support"] == "floating support"
