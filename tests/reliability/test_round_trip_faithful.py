"""Issue 11, item 5: `export data --detail` then `import data` into an empty database gives
back every report table of every quarter, on a database holding every kind of record,
the rare ones included: rejections (history and pending), withdrawn defaults, quarter dates
set by hand, the unit-category mapping (Table 1.2's lines)."""

from __future__ import annotations

from datetime import date

from sp_tui.areas import build_demo, build_quarter_tables
from sp_tui.domain.quarters import Quarter
from sp_tui.export.data import export_data
from sp_tui.export.data_import import import_data
from sp_tui.reports.glance import workbook_status_table
from sp_tui.reports.workbooks import provider_default_list
from sp_tui.services.calendar import set_quarter_dates
from sp_tui.services.contracts import set_unit_category
from sp_tui.services.registry import save_service
from sp_tui.services.workbooks import receive_workbook, reject_workbook
from sp_tui.store.connection import open_db
from tests.conftest import service_fields

TODAY = date(2010, 1, 15)


def figures(db, quarters) -> dict:
    found = {}
    for number in quarters:
        q = Quarter(number)
        found[f"Q{number} tables"] = [(t.title, t.rows) for t in build_quarter_tables(db, q)]
        found[f"Q{number} statuses"] = workbook_status_table(db, q, TODAY).rows
        found[f"Q{number} default list"] = provider_default_list(db, q).providers
    return found


def test_export_then_import_gives_back_every_report(db, tmp_path):
    build_demo(db, 1)
    # the rare kinds, on top of the demo's own (rejections, withdrawn defaults)
    set_quarter_dates(db, Quarter(24), deadline="2009-04-10")
    save_service(db, service_fields(service_ref="RARE1", provider="Rare Trust"))
    save_service(db, service_fields(service_ref="RARE2", provider="Rare Trust"))
    receive_workbook(db, "RARE1", Quarter(26), "2009-10-20", today=TODAY)
    reject_workbook(db, "RARE1", Quarter(26), "incomplete", "2009-10-22", today=TODAY)
    receive_workbook(db, "RARE2", Quarter(26), "2009-10-20", today=TODAY)
    reject_workbook(db, "RARE2", Quarter(26), "wrong quarter", "2009-10-21", today=TODAY)
    receive_workbook(db, "RARE2", Quarter(26), "2009-11-02", today=TODAY)
    # the unit-category mapping (Table 1.2's lines), changed from the default
    set_unit_category(db, "Sheltered housing", "other accommodation based")
    for table, where in (("workbook_rejections", ""), ("workbook_defaults",
                                                       " WHERE withdrawn_date IS NOT NULL"),
                         ("quarter_calendar", "")):
        assert db.execute(f"SELECT count(*) FROM {table}{where}").fetchone()[0] > 0, table

    path = tmp_path / "data.xlsx"
    export_data(db, path, detail=True)
    other = open_db(tmp_path / "empty.sqlite")
    from sp_tui.domain.errors import ImportFailed

    try:
        import_data(other, path)
    except ImportFailed as exc:  # show the rows, not only the count
        raise AssertionError("\n".join(exc.lines()[:10])) from None

    quarters = range(19, 27)
    before, after = figures(db, quarters), figures(other, quarters)
    for key in before:
        assert after[key] == before[key], key
    # the records themselves, not only the counts
    for table, columns in (
            ("workbook_rejections", "received_date, rejected_on, reason, undone_at"),
            ("workbook_defaults", "quarter, issued_date, withdrawn_date, withdrawn_reason"),
            ("quarter_calendar", "quarter, deadline, default_end"),
            ("unit_categories", "service_type, category"),
            ("contract_grants", "financial_year, amount_pence"),
            ("workbooks", "quarter, received_date, excused_reason, rejected_on")):
        rows = lambda d: sorted(d.execute(f"SELECT {columns} FROM {table}").fetchall(),
                                key=repr)
        assert rows(other) == rows(db), table
    other.close()


SETTINGS_TABLES = {   # settings a report reads, beside the records: table -> its columns
    "kpi_targets": "kpi, financial_year, target",
    "kpi_settings": "key, value",
    "kpi_service_classes": "service_type, service_class",
    "outcome_service_types": "service_type, outcome_type",
    "alert_natures": "value, position",
}


def test_settings_that_reports_read_survive_the_round_trip(db, tmp_path):
    """Each changed from its default through the service layer; each read by a report
    (Tables 2.1-2.5 RAG and classes, Appendices 3-5, Table 9)."""
    from sp_tui.services.alerts import add_alert_nature
    from sp_tui.services.kpis import set_service_class, set_target, set_tolerance
    from sp_tui.services.outcomes import set_outcome_service_type

    save_service(db, service_fields(service_ref="SP001"))
    set_target(db, 1, "2009/10", "97.5")
    set_tolerance(db, "3")
    set_service_class(db, "Sheltered housing", "floating support")
    set_outcome_service_type(db, "Sheltered housing", "Supported housing")
    add_alert_nature(db, "Cyber abuse")
    path = tmp_path / "data.xlsx"
    export_data(db, path, detail=True)
    other = open_db(tmp_path / "empty.sqlite")
    import_data(other, path)
    for table, columns in SETTINGS_TABLES.items():
        rows = lambda d: sorted(d.execute(f"SELECT {columns} FROM {table}").fetchall(),
                                key=repr)
        assert rows(other) == rows(db), table
    other.close()
