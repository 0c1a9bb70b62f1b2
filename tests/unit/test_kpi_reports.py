"""Reports of the KPI area: class mapping in Table 2.1, regional column, the panel, the
per-service list and "figures missing"."""

from datetime import date
from decimal import Decimal

from sp_tui.domain.kpi import Rag
from sp_tui.domain.quarters import Quarter
from sp_tui.reports.kpis import (
    figures_missing, kpi_attention, kpi_panel, service_kpis, table_2_1, table_2_4,
)
from sp_tui.services import kpis
from sp_tui.services.workbooks import receive_workbook

Q = Quarter(26)


def _setup(db, make_service):
    make_service(service_ref="FS1", term="long", service_type="Floating support")
    make_service(service_ref="OUT", term="long", service_type="Outreach")
    make_service(service_ref="SH1", term="long", service_type="Sheltered housing")
    make_service(service_ref="ST1", term="short")
    kpis.record_figures(db, "FS1", Q, {"kpi1_independent": 90, "kpi1_users": 100})
    kpis.record_figures(db, "OUT", Q, {"kpi1_independent": 1, "kpi1_users": 2})
    kpis.record_figures(db, "SH1", Q, {"kpi1_independent": 99, "kpi1_users": 100})


def _pct(cell):
    return None if cell.value is None else str(cell.value)


def test_service_class_mapping_moves_a_type_between_rows(db, make_service):
    _setup(db, make_service)
    rows = {r[0]: r for r in table_2_1(db, Q).rows}
    assert _pct(rows["Floating support services"][3]) == "90.00"
    assert _pct(rows["Accommodation based services"][3]) == "98.04"     # 100 of 102
    assert _pct(rows["Overall KPI 1"][3]) == "94.06"                    # 190 of 202
    assert _pct(rows["Overall KPI 1"][1]) is None                       # Q24: nothing yet
    kpis.set_service_class(db, "Outreach", "floating support")
    rows = {r[0]: r for r in table_2_1(db, Q).rows}
    assert _pct(rows["Floating support services"][3]) == "89.22"        # 91 of 102
    assert _pct(rows["Accommodation based services"][3]) == "99.00"
    assert rows["Accommodation based services"][5] is Rag.GREEN
    assert rows["Floating support services"][5] is Rag.RED             # vs 98, 2 points
    kpis.set_tolerance(db, 10)
    assert {r[0]: r for r in table_2_1(db, Q).rows}["Floating support services"][5] is Rag.AMBER


def test_regional_column_and_comparison(db, make_service):
    _setup(db, make_service)
    kpis.set_benchmark(db, {"quarter": 26, "kpi": 1, "scope": "regional",
                            "breakdown": "service_class", "category": "floating support",
                            "value": "96.5"})
    kpis.set_benchmark(db, {"quarter": 25, "kpi": 1, "scope": "national", "value": "98.4"})
    rows = {r[0]: r for r in table_2_1(db, Q).rows}
    assert _pct(rows["Floating support services"][4]) == "96.50"
    assert _pct(rows["Accommodation based services"][4]) is None
    comparison = {r[0]: r for r in table_2_4(db, Q).rows}
    assert [_pct(c) for c in comparison["National"][1:]] == [None, None, "98.40", None]
    assert [_pct(c) for c in comparison["Programme"][1:]] == [None, None, None, "94.06"]
    assert any("last changed" in n for n in table_2_1(db, Q).footnotes)


def test_list_panel_and_figures_missing(db, make_service):
    _setup(db, make_service)
    receive_workbook(db, "ST1", Q, "2009-10-20", today=date(2009, 11, 20))
    page = service_kpis(db, Q)
    assert [r.service_ref for r in page.rows] == ["OUT", "FS1", "SH1", "ST1"]
    assert page.rows[0].percent == Decimal("50.00") and page.rows[0].rag is Rag.RED
    assert page.missing == 1 and page.rows[-1].missing
    assert [r.service_ref for r in service_kpis(db, Q, sort="percent", descending=True).rows
            ][:3] == ["SH1", "FS1", "OUT"]
    assert [r.service_ref for r in figures_missing(db, Q)] == ["ST1"]
    items = kpi_attention(db, Q, date(2009, 11, 20))
    assert [(i.area, i.since) for i in items] == [("kpis", date(2009, 10, 20))]
    panel = {r[0]: r for r in kpi_panel(db, Q).rows}
    assert _pct(panel["KPI 1 independent living"][1]) == "94.06"
    assert panel["KPI 1 independent living"][3] is Rag.RED
    assert _pct(panel["KPI 2 planned moves"][1]) is None
    assert "1 workbook(s) received without figures" in kpi_panel(db, Q).footnotes[0]
    kpis.record_figures(db, "ST1", Q, {"kpi2_planned": 0, "kpi2_departures": 0})
    assert figures_missing(db, Q) == []          # 0 departures is a figure: no departures


def test_a_group_reporting_only_before_the_three_quarters_is_not_listed(db, make_service):
    from sp_tui.reports.kpis import kpi_tables, table_2_2

    make_service(service_ref="OLD", term="long", client_group="Refugees")
    make_service(service_ref="NEW", term="long", client_group="Generic")
    kpis.record_figures(db, "OLD", Quarter(23), {"kpi1_independent": 1, "kpi1_users": 2})
    kpis.record_figures(db, "NEW", Q, {"kpi1_independent": 2, "kpi1_users": 2})
    shared = kpi_tables(db, Q)
    assert [r[0] for r in shared[1].rows] == ["Generic", "Total"]
    assert shared[1].rows == table_2_2(db, Q).rows          # shared read = table on its own
    comparison = {r[0]: r for r in shared[3].rows}
    assert [_pct(c) for c in comparison["Programme"][1:]] == ["50.00", None, None, "100.00"]
