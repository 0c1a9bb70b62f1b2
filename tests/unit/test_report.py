"""The report: wording, narrative sentences, consistency check, measures, settings, document."""

from __future__ import annotations

import os
from datetime import date

import pytest

from sp_tui.domain.errors import ValidationError
from sp_tui.domain.quarters import Quarter
from sp_tui.domain.targets import rag_rating
from sp_tui.domain.wording import count_noun, figures, number_word
from sp_tui.export.report_build import consistency, positioned_tables, report_parts
from sp_tui.export.report_docx import export_report
from sp_tui.reports.consistency import FAILED, NOT_APPLICABLE, PASSED, check_report
from sp_tui.reports.measures import NOT_RECORDED, measures_table
from sp_tui.reports.narrative import NARRATORS, narrator, sentences
from sp_tui.reports.report_settings import report_settings
from sp_tui.reports.tables import Percent, ReportTable, has_figures
from sp_tui.services.report_settings import save_report_settings
from sp_tui.services.workbook_imports import import_defaults, import_workbooks

Q24 = Quarter(24)
TODAY = date(2009, 7, 2)


# -- wording ------------------------------------------------------------------------------

def test_numbers_under_ten_are_words_unless_a_sentence_mixes_them_with_larger_ones():
    assert number_word(3) == "three" and number_word(10) == "10"
    assert figures(3, 2) == ["three", "two"]
    assert figures(26, 5) == ["26", "5"]
    assert count_noun(1, "complaint") == "one complaint"
    assert count_noun(0, "reminder") == "no reminders"
    assert count_noun(31, "service") == "31 services"


def test_rag_against_a_target():
    assert rag_rating(92, 92) == "Green"
    assert rag_rating(88, 92) == "Amber"
    assert rag_rating(80, 92) == "Red"
    assert rag_rating(None, 92) == ""


# -- narrative ------------------------------------------------------------------------------

def _visit(ref, started, completed, existing, awarded):
    return {"service_ref": ref, "started_date": started, "completed_date": completed or "",
            "officer": "Jo Hart", "existing_grade": existing or "",
            "self_assessed_grade": "", "awarded_grade": awarded or ""}


def test_visit_sentences_follow_the_records(db, make_service):
    from sp_tui.services.visits import import_visits

    for ref in ("V1", "V2", "V3"):
        make_service(service_ref=ref)
    import_visits(db, [(2, _visit("V1", "2009-01-05", "2009-02-01", "C", "B")),
                       (3, _visit("V2", "2009-01-06", "2009-03-01", "B", "C")),
                       (4, _visit("V3", "2009-02-06", None, "C", None))],
                  today=TODAY, source="test")
    text = " ".join(sentences(db, Q24, "6"))
    assert "Visits to three services were begun during the quarter." in text
    assert "Two were completed, one was not completed by quarter close." in text
    assert "1 (50%) was awarded a higher grade, 0 (0%) no change and 1 (50%) a lower grade." \
        in text


def test_a_quarter_with_no_records_says_so_plainly(db):
    assert sentences(db, Q24, "6") == ["No monitoring visits were begun during Quarter 24."]
    assert sentences(db, Q24, "complaints") == ["No complaints were received in Quarter 24."]
    assert sentences(db, Q24, "9") == ["No safeguarding alerts were received in Quarter 24."]
    assert "No workbooks were expected in Quarter 24." in sentences(db, Q24, "2")
    parts = report_parts(db, Q24, today=TODAY)
    empties = [b.text for s in parts.document.sections for b in s.blocks if b.kind == "empty"]
    assert any("Table 6" in t and "no records" in t for t in empties)
    assert not any(b.kind == "table" and b.position == "6"
                   for s in parts.document.sections for b in s.blocks)


def test_an_area_can_add_sentences_through_its_table_or_a_narrator(db, monkeypatch):
    monkeypatch.setitem(NARRATORS, "4.3", lambda db, q: ["Entrants were counted."])
    with pytest.raises(ValueError):
        narrator("4.3")(lambda db, q: [])
    table = ReportTable(key="t43", title="Table 4.3: entrants", columns=["", "n"],
                        rows=[["Out of Kent", 86]], sentences=["86 came from out of Kent."])
    tables = [*positioned_tables(db, Q24), ("4.3", table)]
    from sp_tui.reports.document import build_document

    doc = build_document(db, Q24, tables, settings=report_settings(db), today=TODAY)
    section = next(s for s in doc.sections if s.number == "5.0")
    assert "Entrants were counted. 86 came from out of Kent." in section.text()
    assert ("4.3", table) in next(s for s in doc.sections
                                   if s.number == "Appendix 6").tables()


def test_has_figures_treats_zeros_and_blanks_as_no_records():
    zero = ReportTable(key="z", title="Z", columns=["", "n", "%"],
                       rows=[["a", 0, Percent(None)], ["b", None, Percent(0)]])
    assert not has_figures(zero)
    zero.rows.append(["c", 1, Percent(None)])
    assert has_figures(zero)


# -- consistency ----------------------------------------------------------------------------

def test_the_check_names_the_workbook_that_should_have_a_default(db, make_service):
    make_service(service_ref="S1")
    make_service(service_ref="S2")
    make_service(service_ref="S3")
    import_workbooks(db, [(2, {"service_ref": "S1", "quarter": 24,
                               "received_date": "2009-04-20"})], today=TODAY, source="test")
    import_defaults(db, [(2, {"service_ref": "S2", "quarter": 24,
                              "issued_date": "2009-05-20"})], today=TODAY, source="test")
    check = consistency(db, Q24, TODAY)
    result = next(r for r in check.results if r.check_id == "2-defaults")
    assert result.status == FAILED
    assert result.records == ("S3 Q24: not received by the end of the default period, not"
                              " excused, no default issued",)
    assert not check.passed and "FAILED" in check.summary()
    # Once the default is issued, the identity holds.
    import_defaults(db, [(2, {"service_ref": "S3", "quarter": 24,
                              "issued_date": "2009-05-20"})], today=TODAY, source="test")
    assert consistency(db, Q24, TODAY).passed


def test_before_the_default_period_ends_the_quarter_is_not_judged(db, make_service):
    make_service(service_ref="S1")
    check = consistency(db, Q24, date(2009, 5, 1))
    result = next(r for r in check.results if r.check_id == "2-defaults")
    assert result.status == PASSED and "Q24: default period not over" in result.detail


def test_printed_tables_that_disagree_fail_and_say_where(db):
    table9 = ReportTable(key="table9", title="Table 9", columns=["Nature", "Alerts"],
                         rows=[["Financial abuse", 6], ["Physical abuse", 3], ["Total", 10]],
                         total_rows=1)
    table11 = ReportTable(key="t11", title="Table 1.1", columns=["", "Q24"],
                          rows=[["Number of services", 3], ["Number of household units", 10],
                                ["Number of leaseholder units", 2], ["Total units", 13]])
    check = check_report(db, Q24, [("1.1", table11), ("9", table9)], TODAY)
    by_id = {r.check_id: r for r in check.results}
    assert by_id["9-total"].status == FAILED
    assert "Alerts: rows add to 9, total printed 10" in by_id["9-total"].detail
    assert by_id["1.1-units"].status == FAILED
    assert "Q24: 10 + 2 is 12, printed 13" in by_id["1.1-units"].records
    assert by_id["6-visits"].status == NOT_APPLICABLE
    assert by_id["A4-outcomes"].status == NOT_APPLICABLE


def test_sub_rows_must_add_to_their_heading_row():
    table = ReportTable(key="a4", title="Appendix 4", columns=["", "Needs", "Achieved"],
                        rows=[["Be healthy", 10, 7], ["  Physical", 6, 4], ["  Mental", 3, 3],
                              ["Total", 10, 7]], total_rows=1)
    from sp_tui.reports.consistency import appendix4_outcomes

    [result] = appendix4_outcomes(None, Q24, [("A4", table)], TODAY)
    assert result.status == FAILED
    assert result.records == ("Be healthy (Needs): sub-outcomes add to 9, printed 10",)


# -- measures -------------------------------------------------------------------------------

def test_workbook_measure_for_the_quarter_and_the_year_to_date(db, make_service):
    for n in range(4):
        make_service(service_ref=f"S{n}")
    rows = [(n + 2, {"service_ref": f"S{n}", "quarter": q, "received_date": day})
            for q, day in ((23, "2009-01-20"), (24, "2009-04-20")) for n in range(3)]
    import_workbooks(db, rows, today=TODAY, source="test")
    table = measures_table(db, Q24)
    row = next(r for r in table.rows if r[0] == "Workbook returns by deadline")
    # Q24: 3 of 4 (75%); 2008/09 to date: Q21-Q24, 6 of 16 (38%); target 90% (2008/09).
    assert row[1:] == [Percent(90), Percent(75), Percent(38), "Red"]
    kpi = next(r for r in table.rows if r[0].startswith("KPI 1"))
    assert kpi[2] == NOT_RECORDED
    assert any("Workbook returns by deadline: 75% in Quarter 24" in s for s in table.sentences)


# -- settings -------------------------------------------------------------------------------

def test_settings_are_validated_saved_and_audited(db):
    with pytest.raises(ValidationError) as error:
        save_report_settings(db, {"report_date": "2 July", "subject": "x" * 300})
    assert set(error.value.errors) == {"report_date", "subject"}
    assert db.execute("SELECT count(*) FROM report_settings").fetchone()[0] == 0
    save_report_settings(db, {"author": "  Caroline   Highwood ", "report_date": "2009-07-02"})
    settings = report_settings(db)
    assert settings.author == "Caroline Highwood" and settings.report_date == TODAY
    block = dict(settings.title_block(date(2020, 1, 1)))
    assert block["Date"] == "2 July 2009" and block["Classification"] == "Unrestricted"
    audit = db.execute("SELECT action, new_values FROM audit_log ORDER BY id DESC").fetchone()
    assert audit[0] == "report.settings" and "Caroline Highwood" in audit[1]
    save_report_settings(db, {"report_date": ""})
    assert report_settings(db).report_date is None


# -- the document ---------------------------------------------------------------------------

def test_the_document_is_written_whole_or_not_at_all(db, tmp_path):
    with pytest.raises(ValidationError, match="does not exist"):
        export_report(db, Q24, tmp_path / "missing" / "r.docx", today=TODAY)
    with pytest.raises(ValidationError, match=".docx"):
        export_report(db, Q24, tmp_path / "r.txt", today=TODAY)
    locked = tmp_path / "locked"
    locked.mkdir()
    os.chmod(locked, 0o500)
    try:
        if os.access(locked, os.W_OK):  # root can write anywhere
            pytest.skip("running as a user who can write to a read-only folder")
        with pytest.raises(ValidationError, match="not writable"):
            export_report(db, Q24, locked / "r.docx", today=TODAY)
    finally:
        os.chmod(locked, 0o700)
    assert list(tmp_path.rglob("*.docx")) == []


def test_an_empty_database_still_makes_a_whole_document(db, tmp_path):
    from docx import Document

    result = export_report(db, Q24, tmp_path / "r.docx", today=TODAY)
    text = "\n".join(p.text for p in Document(str(result.path)).paragraphs)
    for heading in ("1.0 Introduction", "6.0 Quality monitoring", "9.0 Recommendation",
                    "Appendix 1"):
        assert heading in text
    assert "No complaints were received in Quarter 24." in text
    assert "[Commentary]" in text


def test_kpi_measures_sum_numerators_and_denominators_over_the_year(db, make_service):
    from sp_tui.services.kpis import record_figures

    make_service(service_ref="L1", term="long")
    make_service(service_ref="L2", term="long")
    record_figures(db, "L1", Quarter(23), {"kpi1_independent": 90, "kpi1_users": 100})
    record_figures(db, "L1", Q24, {"kpi1_independent": 99, "kpi1_users": 100})
    record_figures(db, "L2", Q24, {"kpi1_independent": 1, "kpi1_users": 1})
    table = measures_table(db, Q24)
    row = next(r for r in table.rows if r[0].startswith("KPI 1"))
    # Q24: 100 / 101 = 99.01%; 2008/09 to date: 190 / 201 = 94.53% (not the mean of rates).
    assert [str(c) for c in row[1:4]] == ["98%", "99.01%", "94.53%"]
    assert row[4] == "Red"
    assert next(r for r in table.rows if r[0].startswith("NI 141"))[2] == NOT_RECORDED
    assert any("KPI 1: independent living: 99.01% in Quarter 24" in s for s in table.sentences)
    assert "was 99.01% in Quarter 24" in " ".join(sentences(db, Q24, "2.1"))


# -- contracts and reconnection sentences (sections 2.0 and 5.0) -------------------------------

def _cell(table: ReportTable, label: str, column: int = -1) -> object:
    return next(r for r in table.rows if r[0] == label)[column]


def test_contract_sentences_carry_table_1_1_and_1_4s_cells(db):
    from sp_tui.areas import build_demo
    from sp_tui.reports.contract import table_1_1, table_1_4
    from tests.conftest import DEMO_TODAY

    build_demo(db, 1, today=DEMO_TODAY)
    quarter = Quarter(26)
    t11, t14 = table_1_1(db, quarter), table_1_4(db, quarter)
    assert len(t11.columns) == 3  # Quarter 26 beside Quarter 22
    now = [_cell(t11, label) for label in ("Number of services", "Number of providers",
                                           "Total units")]
    before = [_cell(t11, label, 1) for label in ("Number of services", "Number of providers",
                                                 "Total units")]
    assert all(n >= 10 for n in now + before)
    [line] = sentences(db, quarter, "1.1")
    assert line == (f"At the close of Quarter 26 the programme held {now[0]:,} services from"
                    f" {now[1]:,} providers, {now[2]:,} units (a year earlier: {before[0]:,}"
                    f" services from {before[1]:,} providers, {before[2]:,} units).")
    values = " ".join(sentences(db, quarter, "1.4"))
    assert f"worth {_cell(t14, 'Contract £')} a year (a year earlier:" \
           f" {_cell(t14, 'Contract £', 1)})" in values
    assert f"{_cell(t14, '% FS')} of the value was floating support" in values
    parts = report_parts(db, quarter, today=DEMO_TODAY)
    section = next(s for s in parts.document.sections if s.number == "2.0")
    assert line in section.text()


def test_small_contract_figures_are_words_and_an_empty_register_says_so(db, make_service):
    assert sentences(db, Q24, "1.1") == [
        "No services were active in the register at the close of Quarter 24 (a year earlier:"
        " no services)."]
    assert sentences(db, Q24, "1.4") == []
    make_service(service_ref="C1", start_date="2008-04-01", household_units=3,
                 leaseholder_units=1)
    assert sentences(db, Q24, "1.1") == [
        "At the close of Quarter 24 the programme held one service from one provider, four"
        " units (a year earlier: no services)."]


def _reconnection_service(make_service):
    make_service(service_ref="SP001", district="Thanet", client_group="Rough sleepers",
                 start_date="2008-06-15", end_date="2009-12-31")


def test_reconnection_sentences_are_the_notes_of_the_tables(db, make_service):
    from sp_tui.reports.reconnection import (
        table_4_3, table_4_4, table_4_9, table_4_10,
    )
    from sp_tui.services.reconnection import import_reconnection

    _reconnection_service(make_service)

    def move(**fields):
        base = {"service_ref": "SP001", "month": "2009-01", "movement": "in",
                "client_group": "", "origin": "Thanet", "settled": "", "count": 1}
        return {**base, **fields}

    import_reconnection(db, list(enumerate([
        move(count=4), move(origin="Out of Kent", count=2), move(origin="Ashford"),
        move(movement="out", origin="Thanet", settled="Thanet", count=3),
        move(movement="out", origin="Out of Kent", settled="Ashford", count=2),
    ], start=2)), today=TODAY)
    for position, build in (("4.3", table_4_3), ("4.4", table_4_4), ("4.9", table_4_9)):
        assert sentences(db, Q24, position) == build(db, Q24).footnotes, position
    text = " ".join(sentences(db, Q24, "4.3"))
    t43 = table_4_3(db, Q24)
    assert f"Of {t43.rows[-2][-1]} entrants, {t43.rows[-2][1]} (" in text
    t410 = table_4_10(db, Q24)
    total = t410.rows[-1]
    resettled = dict(zip(t410.columns[1:-1], total[1:-1]))
    assert sentences(db, Q24, "4.10") == [
        f"Of the {total[-1]} leavers resettled in the county, the most settled in Thanet"
        f" ({resettled['Thanet']}) and Ashford ({resettled['Ashford']})."]
    assert sentences(db, Q24, "4.11") == [
        "2 leavers from out of the county were resettled in the county, in Ashford."]
    parts = report_parts(db, Q24, today=TODAY)
    section = next(s for s in parts.document.sections if s.number == "5.0")
    assert t43.footnotes[0] in section.text()
    assert table_4_9(db, Q24).footnotes[0] in section.text()


def test_a_quarter_with_no_movements_says_so_once(db, make_service):
    _reconnection_service(make_service)
    assert sentences(db, Q24, "4.3") == [
        "No movements into or out of short-term services were reported for Quarter 24."]
    for position in ("4.4", "4.9", "4.10", "4.11"):
        assert sentences(db, Q24, position) == [], position


# -- one measures table ---------------------------------------------------------------------------

def test_the_outcome_returns_made_sit_with_appendix_3_not_beside_the_measures(db):
    from sp_tui.areas import quarter_tables

    at = {}
    for table in quarter_tables():
        at.setdefault(table.position, []).append(table)
    assert len(at["measures"]) == 1 and "A3-returns" in at
    parts = report_parts(db, Q24, today=TODAY)
    by_number = {s.number: s for s in parts.document.sections}
    measures = [b for b in by_number["3.1"].blocks if b.position == "measures"]
    assert len(measures) == 1 and measures[0].table.key == "measures"
    assert any(b.position == "A3-returns" for b in by_number["Appendix 3"].blocks)
