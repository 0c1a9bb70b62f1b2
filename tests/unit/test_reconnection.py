"""Reconnection: areas and months (domain), recording returns and imports (services), with
the bad input the issue lists: a clear message and nothing written."""

from __future__ import annotations

from datetime import date

import pytest

from sp_tui.domain.errors import ImportFailed, ValidationError
from sp_tui.domain.quarters import Quarter
from sp_tui.domain.reconnection import (
    ENTRANT, FROM_COUNTY, FROM_NOWHERE, FROM_OUT, FROM_UNDISCLOSED, LEAVER, NO_CONNECTIONS,
    NOT_DISCLOSED, NOT_KNOWN, OUT_OF_COUNTY, Areas, MonthRange, parse_month, return_due, share,
    share_text, validate_movement,
)
from sp_tui.reports.reconnection import (
    areas_in_use, missing_return_attention, missing_returns, movements, reconnection_panel,
    return_sheet, table_4_3, table_4_9,
)
from sp_tui.services.reconnection import (
    GridCell, import_reconnection, import_returns, record_monthly_return, record_nil_return,
)

TODAY = date(2009, 11, 20)
AREAS = Areas(("Ashford", "Canterbury", "Thanet"))
GROUPS = ["Rough sleepers", "Young people at risk"]


def row(**fields) -> dict:
    base = {"service_ref": "SP001", "month": "2009-01", "movement": "in", "client_group": "",
            "origin": "Thanet", "settled": "", "count": 1}
    base.update(fields)
    return base


def rows(*items: dict) -> list[tuple[int, dict]]:
    return list(enumerate(items, start=2))


def counts(db) -> tuple[int, int, int]:
    return (db.execute("SELECT count(*) FROM reconnection_movements").fetchone()[0],
            db.execute("SELECT count(*) FROM reconnection_returns").fetchone()[0],
            db.execute("SELECT count(*) FROM audit_log WHERE entity = 'reconnection_return'"
                       ).fetchone()[0])


@pytest.fixture
def service(make_service):
    make_service(service_ref="SP001", district="Thanet", client_group="Rough sleepers",
                 start_date="2008-06-15", end_date="2009-12-31")
    make_service(service_ref="LT001", district="Dover", term="long")
    return "SP001"


# -- domain --------------------------------------------------------------------------------------

def test_areas_are_the_districts_and_the_fixed_classes():
    assert AREAS.origins == ("Ashford", "Canterbury", "Thanet", OUT_OF_COUNTY, NO_CONNECTIONS,
                             NOT_DISCLOSED)
    assert AREAS.settled_areas == ("Ashford", "Canterbury", "Thanet", OUT_OF_COUNTY, NOT_KNOWN)
    assert AREAS.origin("out of kent") == OUT_OF_COUNTY
    assert AREAS.origin(" canterbury ") == "Canterbury"
    assert AREAS.settled("prison") == NOT_KNOWN
    with pytest.raises(ValueError, match="not in the list"):
        AREAS.origin("Medway")
    with pytest.raises(ValueError, match="not in the list"):
        AREAS.settled(NOT_DISCLOSED)  # an origin class, not a place to settle
    assert [AREAS.origin_class(o) for o in ("Thanet", OUT_OF_COUNTY, NO_CONNECTIONS,
                                            NOT_DISCLOSED)] == \
        [FROM_COUNTY, FROM_OUT, FROM_NOWHERE, FROM_UNDISCLOSED]


def test_another_countys_districts_come_from_the_register(db):
    from sp_tui.services.registry import add_reference_value

    add_reference_value(db, "district", "Medway", source="test")
    assert "Medway" in areas_in_use(db).origins


def test_shares_have_one_decimal_rounded_half_up():
    assert share(86, 177) == 48.6 and share(2, 177) == 1.1 and share(9, 177) == 5.1
    assert share(68, 135) == 50.4 and share(1, 8) == 12.5 and share(1, 16) == 6.3
    assert share(1, 0) is None and share_text(1, 0) == "n/a"


def test_months_and_ranges():
    assert parse_month("2009-1") == "2009-01" and parse_month(date(2009, 3, 9)) == "2009-03"
    with pytest.raises(ValueError, match="YYYY-MM"):
        parse_month("2009-13")
    assert MonthRange.of_quarter(Quarter(24)).months == ["2009-01", "2009-02", "2009-03"]
    assert MonthRange.parse("2008-11..2009-02").months == ["2008-11", "2008-12", "2009-01",
                                                            "2009-02"]
    assert MonthRange.parse("2008-11..2009-02").label == "Nov 2008-Feb 2009"
    with pytest.raises(ValueError, match="before it begins"):
        MonthRange.parse("2009-03..2009-01")
    assert return_due("2009-02") == date(2009, 3, 15)


@pytest.mark.parametrize("fields, field, message", [
    (row(month="2009-12"), "month", "in the future"),
    (row(month="Jan 09"), "month", "YYYY-MM"),
    (row(origin="Medway"), "origin", "not in the list"),
    (row(settled="Thanet"), "settled", "an entrant has no area settled"),
    (row(movement="out"), "settled", "a leaver needs the area settled"),
    (row(movement="out", settled="Not disclosed"), "settled", "not in the list"),
    (row(count=0), "count", "1 or more"),
    (row(count=-2), "count", "negative"),
    (row(count="two"), "count", "whole number"),
    (row(movement="sideways"), "movement", "in or out"),
    (row(client_group="Pirates"), "client_group", "unknown primary client group"),
    (row(origin_area="Medway"), "origin_area", "only for origins out of the county"),
])
def test_a_bad_movement_names_its_field(fields, field, message):
    with pytest.raises(ValidationError) as caught:
        validate_movement(fields, AREAS, GROUPS, today=date(2009, 11, 20))
    assert message in caught.value.errors[field]


def test_a_good_movement_is_cleaned():
    clean = validate_movement(row(movement="OUT", origin="Out of Kent", origin_area=" Medway ",
                                  settled="unknown", count=""), AREAS, GROUPS, today=TODAY)
    assert clean["movement"] == LEAVER and clean["origin"] == OUT_OF_COUNTY
    assert clean["settled"] == NOT_KNOWN and clean["count"] == 1
    assert clean["origin_area"] == "Medway" and clean["client_group"] is None


# -- the import ----------------------------------------------------------------------------------

@pytest.mark.parametrize("bad, message", [
    (row(service_ref="NOPE"), "no service with reference 'NOPE'"),
    (row(month="2008-05"), "before SP001 started (2008-06-15)"),
    (row(month="2010-01"), "in the future"),
    (row(month="2009-12", count=1), ""),  # valid: still running in December
    (row(service_ref="LT001"), "long-term service"),
    (row(origin="Narnia"), "not in the list"),
    (row(settled="Thanet"), "an entrant has no area settled"),
    (row(count="0"), "count must be 1 or more"),
])
def test_bad_import_rows_are_listed_and_nothing_is_written(db, service, bad, message):
    today = date(2009, 12, 20)
    good = row()
    if not message:
        assert import_reconnection(db, rows(good, bad), today=today)["entrants"] == 2
        return
    with pytest.raises(ImportFailed) as caught:
        import_reconnection(db, rows(good, bad), today=today)
    assert any(number == 3 and message in text for number, text in caught.value.errors), \
        caught.value.errors
    assert counts(db) == (0, 0, 0)


def test_a_month_after_the_service_ended_is_refused(db, service):
    with pytest.raises(ImportFailed, match="error") as caught:
        import_reconnection(db, rows(row(month="2010-01")), today=date(2010, 3, 1))
    assert "after SP001 ended (2009-12-31)" in caught.value.lines()[0]


def test_counts_add_up_and_reimport_is_idempotent(db, service):
    file = rows(row(), row(), row(count=3), row(movement="out", settled="Thanet"),
                row(month="2009-02", origin="Out of Kent", origin_area="Medway", count=2))
    first = import_reconnection(db, file, source="file", today=TODAY)
    assert first == {"months": 2, "unchanged_months": 0, "entrants": 7, "leavers": 1}
    assert counts(db) == (3, 2, 2)
    again = import_reconnection(db, file, source="file", today=TODAY)
    assert again["months"] == 0 and again["unchanged_months"] == 2
    assert counts(db) == (3, 2, 2)  # no doubled movements, no new audit rows
    assert table_4_3(db, Quarter(24)).rows[-2][-1] == 7


def test_a_corrected_file_sets_the_counts_it_holds_and_keeps_the_rest(db, service):
    import_reconnection(db, rows(row(count=5), row(origin="Ashford"),
                                 row(month="2009-02", count=2)), today=TODAY)
    import_reconnection(db, rows(row(count=4)), today=TODAY)
    sheet = return_sheet(db, "SP001", "2009-01")
    assert sheet.cells == {(ENTRANT, "Rough sleepers", "Thanet", ""): 4,
                           (ENTRANT, "Rough sleepers", "Ashford", ""): 1}
    assert return_sheet(db, "SP001", "2009-02").cells  # February untouched


def test_a_file_split_in_parts_imports_part_by_part(db, service):
    """`import data` calls the importer once per sheet of a kind split over several."""
    people = [row(origin=o) for o in ("Thanet", "Ashford", "Canterbury", "Out of Kent")]
    import_reconnection(db, rows(*people[:2]), today=TODAY)
    import_reconnection(db, rows(*people[2:]), today=TODAY)
    assert sum(return_sheet(db, "SP001", "2009-01").cells.values()) == 4


def test_returns_import_keeps_real_dates_and_is_idempotent(db, service):
    file = rows({"service_ref": "SP001", "month": "2009-01", "received_date": "2009-02-10"},
                {"service_ref": "SP001", "month": "2009-02", "received_date": "2009-03-04"})
    assert import_returns(db, file, today=TODAY) == {"added": 2, "updated": 0, "unchanged": 0}
    assert import_returns(db, file, today=TODAY) == {"added": 0, "updated": 0, "unchanged": 2}
    import_reconnection(db, rows(row()), today=TODAY)  # the movements keep the return's date
    assert return_sheet(db, "SP001", "2009-01").received_date == "2009-02-10"
    with pytest.raises(ImportFailed) as caught:
        import_returns(db, rows({"service_ref": "SP001", "month": "2009-03",
                                 "received_date": "2009-02-27"}), today=TODAY)
    assert "before the month 2009-03 began" in caught.value.lines()[0]


# -- the monthly grid ----------------------------------------------------------------------------

def test_grid_records_a_return_in_one_transaction(db, service):
    cells = [GridCell(ENTRANT, "Rough sleepers", "Canterbury", "", 2),
             GridCell(ENTRANT, "Young people at risk", "Out of Kent", "", 1),
             GridCell(LEAVER, "Rough sleepers", "Thanet", "Thanet", 3),
             GridCell(LEAVER, "Rough sleepers", "Thanet", "Ashford", 0)]  # 0 = nobody
    totals = record_monthly_return(db, "sp001", "2009-03", cells, source="test", today=TODAY)
    assert totals == {"entrants": 3, "leavers": 3}
    assert counts(db) == (3, 1, 1)
    audit = db.execute("SELECT summary FROM audit_log WHERE entity = 'reconnection_return'"
                       ).fetchone()[0]
    assert audit == "recorded reconnection return SP001 2009-03: 3 entrants, 3 leavers"


@pytest.mark.parametrize("cell, message", [
    (GridCell(ENTRANT, "Rough sleepers", "Atlantis", "", 1), "not in the list"),
    (GridCell(ENTRANT, "Rough sleepers", "Thanet", "Thanet", 1), "no area settled"),
    (GridCell(LEAVER, "Rough sleepers", "Thanet", "", 1), "needs the area settled"),
    (GridCell(ENTRANT, "Rough sleepers", "Thanet", "", -1), "negative"),
])
def test_a_bad_grid_cell_writes_nothing(db, service, cell, message):
    good = GridCell(ENTRANT, "Rough sleepers", "Thanet", "", 1)
    with pytest.raises(ValidationError, match=message):
        record_monthly_return(db, "SP001", "2009-03", [good, cell], today=TODAY)
    assert counts(db) == (0, 0, 0)


@pytest.mark.parametrize("ref, month, message", [
    ("NOPE", "2009-03", "no service"), ("SP001", "2008-01", "before SP001 started"),
    ("SP001", "2009-13", "YYYY-MM"), ("LT001", "2009-03", "long-term"),
])
def test_grid_for_a_bad_service_or_month(db, service, ref, month, message):
    with pytest.raises(ValidationError, match=message):
        record_monthly_return(db, ref, month, [], today=TODAY)
    assert counts(db) == (0, 0, 0)


def test_editing_in_the_grid_keeps_named_areas_of_unchanged_cells(db, service):
    import_reconnection(db, rows(
        row(origin="Out of Kent", origin_area="Medway", count=2),
        row(origin="Out of Kent", origin_area="Surrey"),
        row(origin="Canterbury", count=2)), today=TODAY)
    record_monthly_return(db, "SP001", "2009-01", [
        GridCell(ENTRANT, "Rough sleepers", OUT_OF_COUNTY, "", 3),   # unchanged total
        GridCell(ENTRANT, "Rough sleepers", "Canterbury", "", 5)], today=TODAY)
    named = dict(db.execute("SELECT origin_area, count FROM reconnection_movements"
                            " WHERE origin = ?", (OUT_OF_COUNTY,)).fetchall())
    assert named == {"Medway": 2, "Surrey": 1}
    assert return_sheet(db, "SP001", "2009-01").cells[
        (ENTRANT, "Rough sleepers", "Canterbury", "")] == 5


def test_nil_return_counts_as_received_but_never_wipes_movements(db, service):
    record_nil_return(db, "SP001", "2009-02", today=TODAY)
    assert return_sheet(db, "SP001", "2009-02").received_date == TODAY.isoformat()
    import_reconnection(db, rows(row()), today=TODAY)
    with pytest.raises(ValidationError, match="1 movements are recorded"):
        record_nil_return(db, "SP001", "2009-01", today=TODAY)


# -- missing returns, attention, panel -----------------------------------------------------------

def test_missing_returns_are_the_short_term_services_months_past_due(db, service, make_service):
    make_service(service_ref="SP002", start_date="2009-02-20")  # starts in February
    import_reconnection(db, rows(row()), today=TODAY)
    missing = missing_returns(db, Quarter(24), TODAY)
    assert [(r.service_ref, r.month) for r in missing] == [
        ("SP001", "2009-02"), ("SP002", "2009-02"), ("SP001", "2009-03"), ("SP002", "2009-03")]
    # March's returns are due on 15 April: not missing yet on the 15th
    assert [(r.service_ref, r.month) for r in missing_returns(db, Quarter(24),
                                                              date(2009, 4, 15))] == \
        [("SP001", "2009-02"), ("SP002", "2009-02")]
    items = missing_return_attention(db, Quarter(24), TODAY)
    assert items[0].area == "reconnection" and items[0].since == date(2009, 3, 15)
    panel = reconnection_panel(db, Quarter(24))
    assert panel.cell("Monthly returns received", "People") == 1
    assert str(panel.cell("Monthly returns received", "%")) == "20.0%"  # 1 of 5 expected


def test_months_outside_the_range_are_not_counted(db, service):
    import_reconnection(db, rows(row(month="2008-12", count=7), row(count=2),
                                 row(month="2009-04", count=5)), today=TODAY)
    assert sum(m.people for m in movements(db, Quarter(24)).entrants()) == 2
    assert sum(m.people for m in movements(db, MonthRange("2008-12", "2009-04")).entrants()) == 14
    assert table_4_9(db, Quarter(24)).rows[-1][-1] == 0


# -- copies and merging --------------------------------------------------------------------------

def test_returns_entered_on_a_laptop_merge_back_and_edits_replace(db, db_path, service):
    from sp_tui.services.merge import merge_database
    from sp_tui.services.sync_copy import copy_database
    from sp_tui.store.connection import open_db
    from tests.unit.merge_support import open_conflicts, records

    import_reconnection(db, rows(row(count=2), row(movement="out", settled="Thanet")),
                        today=TODAY)
    path = db_path.with_name("laptop.sqlite")
    copy_database(db, path)
    laptop = open_db(path)
    try:
        # on the laptop: January corrected (the leaver row goes), February entered
        record_monthly_return(laptop, "SP001", "2009-01",
                              [GridCell(ENTRANT, "Rough sleepers", "Thanet", "", 3)],
                              today=TODAY)
        record_monthly_return(laptop, "SP001", "2009-02",
                              [GridCell(LEAVER, "Rough sleepers", OUT_OF_COUNTY, NOT_KNOWN, 1)],
                              today=TODAY)
        merge_database(db, path)
        assert not open_conflicts(db)
        mine, theirs = records(db), records(laptop)
        for table in ("reconnection_movements", "reconnection_returns"):
            assert mine[table] == theirs[table], table
        assert return_sheet(db, "SP001", "2009-01").cells == {
            (ENTRANT, "Rough sleepers", "Thanet", ""): 3}
        assert table_4_9(db, Quarter(24)).rows[-1][-1] == 1
    finally:
        laptop.close()


def test_quarter_export_holds_the_tables_with_one_decimal_percentages(db, service, tmp_path):
    from openpyxl import load_workbook

    from sp_tui.export.quarter import export_quarter

    import_reconnection(db, rows(row(count=2), row(origin="Out of Kent")), today=TODAY)
    path = export_quarter(db, Quarter(24), tmp_path / "q24.xlsx")
    book = load_workbook(path)
    titles = [book[name]["A1"].value for name in book.sheetnames]
    positions = [n for n, t in enumerate(titles) if t and t.startswith("Table 4.")]
    assert [titles[n].split(":")[0] for n in positions] == [
        "Table 4.3", "Table 4.4", "Table 4.9", "Table 4.10", "Table 4.11"]
    sheet = book[book.sheetnames[positions[0]]]
    shares = next(r for r in sheet.iter_rows() if r[0].value == "% of total")
    assert shares[1].value == pytest.approx(0.333) and shares[1].number_format == "0.0%"
    assert shares[2].value == pytest.approx(0.667)
