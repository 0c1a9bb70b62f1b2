"""Tables 2.1-2.5 of the published report (seeds/003, Appendix 2) rebuilt from service-level
workbook figures.

The figures (tests/acceptance/data, built by kpi_fixture.py) are loaded through the same
imports the team uses; every printed cell is then checked to two decimals: each client
group's percentage, the service-class rows, the totals, the regional column, and Tables 2.4
and 2.5. Blank printed cells (no departures) must be blank. A second test proves the totals
are Σ numerators / Σ denominators, not a mean of percentages.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from sp_tui.domain.kpi import Rag
from sp_tui.domain.quarters import Quarter
from sp_tui.areas import import_format
from sp_tui.imports.reader import read_table
from sp_tui.reports.kpis import (
    kpi_tables, service_kpis, table_2_1, table_2_2, table_2_3, table_2_4, table_2_5,
)
from sp_tui.reports.tables import Percent
from sp_tui.services import kpis
from sp_tui.services.registry import import_services
from tests.acceptance import kpi_published as P
from tests.acceptance.kpi_fixture import DATA, FILES

Q23 = Quarter(23)


def _load(db, kind: str, write) -> dict:
    fmt = import_format(kind)
    return write(db, read_table(DATA / FILES[kind], fmt.required, fmt.optional))


@pytest.fixture
def published_db(db):
    _load(db, "services", import_services)
    counts = _load(db, "kpis", kpis.import_kpis)
    assert counts["recorded"] > 300 and counts["corrected"] == 0
    _load(db, "kpi-benchmarks", kpis.import_benchmarks)
    return db


def _cell(value) -> str | None:
    assert isinstance(value, Percent) and value.places == 2
    return None if value.value is None else f"{value.value:.2f}"


def _printed(text: str | None) -> str | None:
    return None if text is None else f"{Decimal(text):.2f}"


def _rows(table) -> dict[str, list]:
    return {str(row[0]).rstrip("*"): row for row in table.rows}


def test_table_2_1_every_cell(published_db):
    table = table_2_1(published_db, Q23)
    assert table.columns[1:5] == ["Q21 KPI 1 (%)", "Q22 KPI 1 (%)", "Q23 KPI 1 (%)",
                                  "Q23 regional (%)"]
    rows = _rows(table)
    expected = {"Accommodation based services": P.TABLE_2_1["accommodation based"],
                "Floating support services": P.TABLE_2_1["floating support"],
                "Overall KPI 1": P.KPI1_TOTAL}
    assert list(rows) == list(expected)
    for label, printed in expected.items():
        assert [_cell(c) for c in rows[label][1:5]] == [_printed(p) for p in printed], label
    # RAG against 98% with 2 points' tolerance: 98.93 green, 96.97 amber, 98.29 green
    assert [rows[label][5] for label in expected] == [Rag.GREEN, Rag.AMBER, Rag.GREEN]
    assert table.total_rows == 1 and "target 98%" in table.columns[5]


def test_table_2_2_every_cell(published_db):
    rows = _rows(table_2_2(published_db, Q23))
    assert set(rows) == {*P.TABLE_2_2, "Total"}
    for group, (label, *printed) in P.TABLE_2_2.items():
        assert [_cell(c) for c in rows[group][1:5]] == [_printed(p) for p in printed], label
    assert [_cell(c) for c in rows["Total"][1:5]] == [_printed(p) for p in P.KPI1_TOTAL]
    assert rows["Homeless families with support needs"][5] is Rag.RED      # 85 vs 98
    assert rows["People with drug problems"][5] is Rag.AMBER    # 96.52: 1.48 points below
    assert rows["Older people with support needs"][5] is Rag.GREEN


def test_table_2_3_every_cell_blank_where_no_departures(published_db):
    table = table_2_3(published_db, Q23)
    rows = _rows(table)
    assert set(rows) == {*P.TABLE_2_3, "Total"}
    for group, (label, *printed) in P.TABLE_2_3.items():
        assert [_cell(c) for c in rows[group][1:5]] == [_printed(p) for p in printed], label
        # the published table marks the groups with no departures in Q23 with *
        assert str(rows[group][0]).endswith("*") == label.endswith("*"), label
    assert [_cell(c) for c in rows["Total"][1:5]] == [_printed(p) for p in P.KPI2_TOTAL]
    assert rows["Total"][5] is Rag.AMBER           # 65.56 against 66.7 for 2008/09
    assert rows["People with alcohol problems"][5] is None    # no figure, no rating
    assert "target 66.7%" in table.columns[5]
    assert any("no departures in Q23" in note for note in table.footnotes)


@pytest.mark.parametrize("build, published", [(table_2_4, P.TABLE_2_4),
                                               (table_2_5, P.TABLE_2_5)])
def test_tables_2_4_and_2_5(published_db, build, published):
    table = build(published_db, Q23)
    assert table.columns == ["", "Q20", "Q21", "Q22", "Q23"]
    assert "2007/08: Q20" in table.subtitle and "2008/09: Q21-Q23" in table.subtitle
    rows = _rows(table)
    for label, printed in published.items():
        assert [_cell(c) for c in rows[label][1:]] == [_printed(p) for p in printed], label


def test_tables_in_report_order_and_reimport_changes_nothing(published_db):
    assert [t.key for t in kpi_tables(published_db, Q23)] == [
        "table2_1", "table2_2", "table2_3", "table2_4", "table2_5"]
    before = [t.rows for t in kpi_tables(published_db, Q23)]
    counts = _load(published_db, "kpis", kpis.import_kpis)
    assert counts == {"recorded": 0, "corrected": 0, "unchanged": counts["unchanged"]}
    assert [t.rows for t in kpi_tables(published_db, Q23)] == before


def test_services_differ_from_their_group(published_db):
    """The service-level data is not just the published percentages copied: services in one
    client group have different percentages, and the list sorts them worst first."""
    page = service_kpis(published_db, Q23, kpi=2, client_group="Rough sleepers")
    values = [r.percent for r in page.rows if r.percent is not None]
    assert len(set(values)) > 1 and values == sorted(values)


def _write(path: Path, header: list[str], rows: list[list]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_totals_are_sum_over_sum_not_mean_of_percentages(db, tmp_path):
    """Two groups: 1 of 1 (100%) and 1 of 3 (33.33%). The mean of percentages is 66.67%;
    Σ/Σ is 2 of 4 = 50.00%. Within a group, 9 of 10 and 0 of 1 make 81.82%, not 45%."""
    from sp_tui.services.registry import save_service
    from tests.conftest import service_fields

    for ref, group in (("A1", "Rough sleepers"), ("B1", "Teenage parents"),
                       ("C1", "Generic"), ("C2", "Generic")):
        save_service(db, service_fields(service_ref=ref, client_group=group, term="short"))
    path = _write(tmp_path / "k.csv", ["service_ref", "quarter", "kpi2_planned",
                                       "kpi2_departures"],
                  [["A1", 23, 1, 1], ["B1", 23, 1, 3], ["C1", 23, 9, 10], ["C2", 23, 0, 1]])
    fmt = import_format("kpis")
    kpis.import_kpis(db, read_table(path, fmt.required, fmt.optional))
    rows = _rows(table_2_3(db, Q23))
    assert _cell(rows["Rough sleepers"][3]) == "100.00"
    assert _cell(rows["Teenage parents"][3]) == "33.33"
    assert _cell(rows["Generic"][3]) == "81.82"
    assert _cell(rows["Total"][3]) == "73.33"        # 11 of 15
    mean = (Decimal(100) + Decimal("33.33") + Decimal("81.82")) / 3
    assert Decimal(_cell(rows["Total"][3])) != mean.quantize(Decimal("0.01"))
