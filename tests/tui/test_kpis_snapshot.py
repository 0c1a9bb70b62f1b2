"""A snapshot of the KPIs screen: services worst first with coloured RAG words, a workbook
received without figures, Tables 2.1-2.5 beside the list."""

from __future__ import annotations

from sp_tui.domain.quarters import Quarter
from sp_tui.services.kpis import record_figures, set_benchmark
from sp_tui.services.workbooks import receive_workbook
from tests.tui.conftest import TODAY


class TestKpisScreen:
    def test_kpis_worst_first(self, snap_compare, db, make_service, make_app):
        q = Quarter(26)
        for ref, term, group, kind in (
                ("SP001", "long", "Older people with support needs", "Sheltered housing"),
                ("SP002", "long", "People with mental health problems", "Floating support"),
                ("SP003", "short", "Rough sleepers", "Direct access"),
                ("SP004", "short", "Young people at risk", "Foyer")):
            make_service(service_ref=ref, term=term, client_group=group, service_type=kind)
        record_figures(db, "SP001", q, {"kpi1_independent": 198, "kpi1_users": 200})
        record_figures(db, "SP002", q, {"kpi1_independent": 47, "kpi1_users": 49})
        record_figures(db, "SP003", q, {"kpi2_planned": 5, "kpi2_departures": 9})
        receive_workbook(db, "SP004", q, "2009-10-20", today=TODAY)
        set_benchmark(db, {"quarter": 26, "kpi": 1, "scope": "regional", "value": "98.44"})
        # the tables say when the figures last changed: a fixed time for a stable snapshot
        db.execute("UPDATE kpi_figures SET updated_at = '2009-11-02T10:00:00'")
        assert snap_compare(make_app(quarter=26), press=["7"], terminal_size=(160, 30))
