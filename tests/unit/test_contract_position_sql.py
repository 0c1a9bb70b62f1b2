"""The contract position summed in SQL (one row per category, type and cap) equals the domain's
``position`` over the same versions in force, one row per service, on a demo database with
every category, capped and uncapped versions and several quarters."""

from __future__ import annotations

from datetime import date

import pytest

from sp_tui.areas import build_demo
from sp_tui.domain.contracts import position
from sp_tui.domain.quarters import Quarter
from sp_tui.reports.contract import contract_position, grant_for, versions_in_force


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from sp_tui.store.connection import open_db

    db = open_db(tmp_path_factory.mktemp("contracts") / "demo.sqlite")
    plan = build_demo(db, 1, today=date(2009, 11, 20))
    yield db, plan
    db.close()


def test_the_sql_sums_equal_the_domain_position_quarter_by_quarter(demo):
    db, plan = demo
    checked = 0
    for number in range(plan.first_quarter - 4, plan.last_quarter + 1):
        quarter = Quarter(number)
        rows = versions_in_force(db, quarter.end)
        expected = position(quarter.end, rows, grant_pence=grant_for(db, quarter.financial_year),
                            financial_year=quarter.financial_year)
        assert contract_position(db, quarter) == expected, quarter.label
        checked += bool(rows)
    assert checked >= 8  # the demo's quarters have versions in force


def test_a_day_before_any_contract_is_all_zero(demo):
    db, _ = demo
    empty = contract_position(db, Quarter(1))
    assert (empty.services, empty.providers, empty.total_units, empty.by_category) == (
        0, 0, 0, {})
