"""At demo scale 20 (6,600 services, 40 quarters, ~30,000 visits) every report query reads
indexes: no full scan of visits or services. Plans are asserted, not timed."""

from __future__ import annotations

import re
from datetime import date

import pytest

from sp_tui.areas import build_demo
from sp_tui.domain.quarters import Quarter
from sp_tui.reports import qaf_tables, visits
from sp_tui.store.connection import open_db

QUARTER = Quarter(30)


@pytest.fixture(scope="module")
def big_db(tmp_path_factory):
    database = open_db(tmp_path_factory.mktemp("scale20") / "demo.sqlite")
    build_demo(database, 20, today=date(2013, 4, 25))  # Q1-Q40
    yield database
    database.close()


def plans_of(db, monkeypatch, call) -> list[tuple[str, list[str]]]:
    """Run ``call`` and return (sql, plan lines) for every statement it executed."""
    executed = []
    real = db.execute

    def recording(sql, parameters=None):
        executed.append((sql, parameters))
        return real(sql, parameters) if parameters is not None else real(sql)

    monkeypatch.setattr(db, "execute", recording)
    call()
    monkeypatch.undo()
    return [(sql, [row[3] for row in real("EXPLAIN QUERY PLAN " + sql, params or [])])
            for sql, params in executed]


def assert_no_table_scan(plans) -> str:
    text = "\n".join(line for _, lines in plans for line in lines)
    full_scans = [line for line in text.splitlines()
                  if re.match(r"SCAN (v|s|l|visits|services)\b", line.strip())
                  and "COVERING INDEX" not in line]
    assert not full_scans, text
    return text


def test_demo_at_scale_20_has_the_volume(big_db):
    assert big_db.execute("SELECT count(*) FROM services").fetchone()[0] == 6600
    assert big_db.execute("SELECT count(*) FROM visits").fetchone()[0] > 25_000


def test_tables_6_and_7_read_the_covering_started_index(big_db, monkeypatch):
    text = assert_no_table_scan(plans_of(
        big_db, monkeypatch, lambda: qaf_tables.visit_tables(big_db, QUARTER)))
    assert "SEARCH visits USING COVERING INDEX visits_started" in text


def test_table8_walks_active_services_and_each_latest_visit_by_index(big_db, monkeypatch):
    text = assert_no_table_scan(plans_of(
        big_db, monkeypatch, lambda: qaf_tables.table8(big_db, QUARTER)))
    assert "USING COVERING INDEX services_active_on" in text
    assert "USING COVERING INDEX visits_service_completed (service_id=? AND" in text


def test_action_plans_start_from_the_d_awards(big_db, monkeypatch):
    text = assert_no_table_scan(plans_of(
        big_db, monkeypatch, lambda: visits.action_plans(big_db, QUARTER.end)))
    assert "USING INDEX visits_awarded (awarded_grade=?" in text


@pytest.mark.parametrize("query", [
    visits.VisitQuery(quarter=QUARTER),
    visits.VisitQuery(quarter=QUARTER, status="grade changed"),
    visits.VisitQuery(quarter=QUARTER, status="in progress", offset=500),
])
def test_the_quarter_visit_list_uses_indexes(big_db, monkeypatch, query):
    text = assert_no_table_scan(plans_of(
        big_db, monkeypatch, lambda: visits.visits_page(big_db, query)))
    assert "MULTI-INDEX OR" in text


def test_grade_history_and_current_grade_use_the_service_index(big_db, monkeypatch):
    service_id = big_db.execute("SELECT id FROM services LIMIT 1").fetchone()[0]
    text = assert_no_table_scan(plans_of(big_db, monkeypatch, lambda: (
        visits.grade_history(big_db, service_id),
        visits.current_grade(big_db, service_id, QUARTER.end))))
    assert "visits_service_completed (service_id=?" in text
