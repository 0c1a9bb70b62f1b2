"""Outcome returns: the domain's rules, the imports (all-or-nothing, idempotent), the
returns-made measures and the missing-returns list."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sp_tui.domain.errors import ImportFailed, ValidationError
from sp_tui.domain.outcomes import (
    CODES, OUTCOMES, SUB_OUTCOMES, parse_answer, parse_financial_year, rag, rate,
)
from sp_tui.domain.quarters import Quarter
from sp_tui.reports.tables import Percent
from sp_tui.reports.outcomes import (
    NOT_MAPPED, Period, missing_returns, missing_returns_attention, outcome_figures,
    outcome_import_rows, returns_made, returns_made_table,
)
from sp_tui.services.outcomes import (
    import_annual_returns, import_outcome_returns, set_outcome_service_type,
)

TODAY = date(2009, 7, 2)


def ret(**fields) -> dict:
    row = {"service_ref": "SU1", "departure_date": "2009-01-10", "client_group": "Generic",
           "planned_move": "yes", "greater_independence": "yes"}
    row.update(fields)
    return row


def rows(*records) -> list[tuple[int, dict]]:
    return [(n + 2, r) for n, r in enumerate(records)]


@pytest.fixture
def services(make_service):
    make_service(service_ref="SU1", service_type="Supported housing",
                 start_date="2005-04-01", end_date="2009-06-30")
    make_service(service_ref="FS1", service_type="Floating support", term="long",
                 start_date="2005-04-01")
    make_service(service_ref="SH1", service_type="Sheltered housing", term="long",
                 start_date="2005-04-01")


def count(db, table="outcome_returns") -> int:
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


# --- domain ---------------------------------------------------------------------------------

def test_the_framework_has_five_outcomes_and_seventeen_codes():
    assert [o.label for o in OUTCOMES] == [
        "Achieve economic wellbeing", "Enjoy and achieve", "Be healthy", "Stay safe",
        "Make a positive contribution"]
    assert len(SUB_OUTCOMES) == 17 == len(set(CODES))
    assert [len(o.subs) for o in OUTCOMES] == [3, 4, 4, 5, 1]


@pytest.mark.parametrize("value, expected", [
    ("yes", True), ("Y", True), ("TRUE", True), (1, True), ("no", False), ("n", False),
    ("false", False), (0, False), ("", None), (None, None), ("  ", None)])
def test_answers_tolerate_y_n_and_true_false(value, expected):
    assert parse_answer(value, field="x") is expected


@pytest.mark.parametrize("value", ["maybe", "2", "yes!", "nope"])
def test_other_answers_are_refused(value):
    with pytest.raises(ValueError, match="yes, no or blank"):
        parse_answer(value, field="x")


def test_rates_have_one_decimal_rounded_half_up():
    assert rate(5323, 7010) == Decimal("75.9")
    assert rate(267, 342) == Decimal("78.1")
    assert rate(1, 8) == Decimal("12.5")
    assert rate(1, 16) == Decimal("6.3")  # 6.25 -> 6.3, not banker's 6.2
    assert rate(3, 0) is None


def test_rag_against_the_target():
    assert [rag(v, 60) for v in (Decimal("60.0"), Decimal("55.0"), Decimal("54.9"), None)] \
        == ["green", "amber", "red", ""]


@pytest.mark.parametrize("text, expected", [("2008/09", "2008/09"), ("2008-2009", "2008/09"),
                                            ("2008", "2008/09"), ("2099/00", "2099/00")])
def test_financial_years(text, expected):
    assert parse_financial_year(text) == expected


@pytest.mark.parametrize("text", ["2008/10", "08/09", "year", ""])
def test_bad_financial_years(text):
    with pytest.raises(ValueError):
        parse_financial_year(text)


# --- importing returns ------------------------------------------------------------------------

def test_a_return_is_stored_with_its_answers(db, services):
    result = import_outcome_returns(db, rows(ret(income_need="Y", income_achieved="N",
                                                 debt_need="yes", debt_achieved="yes")),
                                    today=TODAY)
    assert result == {"added": 1, "updated": 0, "unchanged": 0}
    figures = outcome_figures(db, Period(Quarter(24)))
    assert (figures.total.needs["income"], figures.total.achieved["income"]) == (1, 0)
    assert (figures.total.needs["debt"], figures.total.achieved["debt"]) == (1, 1)
    assert figures.by_type["Supported housing"].returns == 1


def test_a_service_whose_returns_leave_every_question_unanswered(db, services):
    import_outcome_returns(db, rows(ret(service_ref="FS1", planned_move="",
                                        greater_independence="")), today=TODAY)
    total = outcome_figures(db, Period(Quarter(24))).total
    assert (total.returns, total.planned_yes, total.planned_no, total.planned_unanswered,
            total.independence_yes, total.independence_no) == (1, 0, 0, 1, 0, 0)


def test_a_return_with_no_needs_counts_as_a_return(db, services):
    import_outcome_returns(db, rows(ret()), today=TODAY)
    figures = outcome_figures(db, Period(Quarter(24)))
    assert figures.total.returns == 1 and sum(figures.total.needs.values()) == 0


def test_reimporting_the_same_file_adds_nothing(db, services):
    data = rows(ret(), ret(departure_date="2009-01-11"), ret(return_ref="R1"))
    import_outcome_returns(db, data, today=TODAY)
    again = import_outcome_returns(db, data, today=TODAY)
    assert again == {"added": 0, "updated": 0, "unchanged": 3}
    assert count(db) == 3


def test_a_corrected_return_with_a_ref_is_updated(db, services):
    import_outcome_returns(db, rows(ret(return_ref="R1")), today=TODAY)
    result = import_outcome_returns(db, rows(ret(return_ref="r1", income_need="yes")),
                                    today=TODAY)
    assert result == {"added": 0, "updated": 1, "unchanged": 0}
    assert count(db) == 1
    assert outcome_figures(db, Period(Quarter(24))).total.needs["income"] == 1
    assert db.execute("SELECT count(*) FROM audit_log WHERE action = 'outcome_return.update'"
                      ).fetchone()[0] == 1


def _fails(db, data, *messages):
    with pytest.raises(ImportFailed) as caught:
        import_outcome_returns(db, data, today=TODAY)
    lines = caught.value.lines()
    for message in messages:
        assert any(message in line for line in lines), (message, lines)
    assert count(db) == 0
    return lines


def test_bad_rows_are_all_reported_and_nothing_is_written(db, services):
    _fails(db, rows(
        ret(),                                                      # row 2: fine
        ret(income_need="", income_achieved="yes"),                 # 3
        ret(planned_move="no", greater_independence="yes"),         # 4
        ret(departure_date="2009-08-01"),                           # 5: in the future
        ret(service_ref="NOPE"),                                    # 6
        ret(departure_date="2009-07-01"),                           # 7: after SU1 ended
        ret(debt_need="perhaps"),                                   # 8
        ret(client_group="Martians"),                               # 9
        ret(departure_date="2009-02-30"),                           # 10 (no such day; UK dates are read)
    ),
        "row 3: income_achieved: income is achieved but no support need was identified",
        "row 4: greater_independence: greater_independence is answered only when",
        "row 5: departure_date: departure_date 2009-08-01 is in the future",
        "row 6: service_ref: no service with reference 'NOPE'",
        "row 7: departure_date: 2009-07-01 is outside the life of service SU1",
        "row 8: debt_need: debt_need must be yes, no or blank, got 'perhaps'",
        "row 9: client_group: unknown primary client group 'Martians'",
        "row 10: departure_date:")


def test_greater_independence_needs_a_planned_move_not_an_unanswered_one(db, services):
    _fails(db, rows(ret(planned_move="", greater_independence="no")), "row 2:")


def test_a_departure_before_the_service_began_is_refused(db, services):
    _fails(db, rows(ret(departure_date="2005-03-31")), "outside the life of service SU1")


def test_duplicates_inside_one_file_are_refused(db, services):
    _fails(db, rows(ret(), ret(), ret(return_ref="A"), ret(return_ref="a",
                                                            departure_date="2009-01-02")),
           "row 3: repeats row 2", "row 5: return_ref: 'a' repeats row 4")


def test_an_empty_file_is_refused(db, services):
    _fails(db, [], "no outcome return rows")


def test_client_group_short_forms_and_not_given(db, services):
    import_outcome_returns(db, rows(ret(client_group="Alcohol problems"),
                                    ret(client_group="Not Given", departure_date="2009-01-11"),
                                    ret(client_group="", departure_date="2009-01-12")),
                           today=TODAY)
    groups = outcome_figures(db, Period(Quarter(24))).by_client_group
    assert groups == {"People with alcohol problems": 1, "Not given": 2}


def test_export_rows_import_back_to_the_same_keys(db, services, tmp_path):
    from sp_tui.store.connection import open_db
    from tests.conftest import service_fields
    from sp_tui.services.registry import import_services

    import_outcome_returns(db, rows(ret(income_need="yes", income_achieved="no"),
                                    ret(return_ref="R9", client_group=""),
                                    ret(planned_move="", greater_independence="")),
                           today=TODAY)
    from sp_tui.areas.outcomes import OUTCOMES as FORMAT
    names = [*FORMAT.required, *FORMAT.optional]
    exported = [dict(zip(names, r)) for r in outcome_import_rows(db)]
    other = open_db(tmp_path / "other.sqlite")
    import_services(other, [(2, service_fields(service_ref="SU1", end_date="2009-06-30"))])
    import_outcome_returns(other, rows(*exported), today=TODAY)
    keys = "SELECT return_key, content_hash FROM outcome_returns ORDER BY return_key"
    assert other.execute(keys).fetchall() == db.execute(keys).fetchall()
    other.close()


# --- annual returns and the measures -----------------------------------------------------------

def annual(**fields) -> dict:
    row = {"service_ref": "FS1", "financial_year": "2008/09", "received_date": "2009-02-01"}
    row.update(fields)
    return row


def test_annual_returns_import_and_reimport(db, services):
    assert import_annual_returns(db, rows(annual(), annual(service_ref="SH1")),
                                 today=TODAY)["added"] == 2
    again = import_annual_returns(db, rows(annual(), annual(service_ref="SH1",
                                                            received_date="2009-03-01")),
                                  today=TODAY)
    assert again == {"added": 0, "updated": 1, "unchanged": 1}


def test_bad_annual_returns(db, services):
    with pytest.raises(ImportFailed) as caught:
        import_annual_returns(db, rows(
            annual(service_ref="SU1"), annual(received_date="2010-01-01"),
            annual(received_date="2008-03-01"), annual(financial_year="next year"),
            annual(service_ref="SH1"), annual(service_ref="sh1")), today=TODAY)
    lines = caught.value.lines()
    assert any(l.startswith("row 2:") and "short-term service" in l for l in lines)
    assert any(l.startswith("row 3:") and "in the future" in l for l in lines)
    assert any(l.startswith("row 4:") and "before the financial year" in l for l in lines)
    assert any(l.startswith("row 5:") and "financial_year" in l for l in lines)
    assert any(l.startswith("row 7:") and "repeats row 6" in l for l in lines)
    assert count(db, "outcome_annual_returns") == 0


def test_long_term_returns_made_and_rag(db, services):
    import_annual_returns(db, rows(annual(received_date="2009-02-01")), today=TODAY)
    # Q23 closes 2008-12-31: the return (Feb 2009) was not made by then.
    assert (returns_made(db, Period(Quarter(23), True)).long_made,
            returns_made(db, Period(Quarter(23), True)).long_expected) == (0, 2)
    made = returns_made(db, Period(Quarter(24), True))
    assert (made.long_made, made.long_expected, made.long_rate) == (1, 2, Decimal("50.0"))
    table = returns_made_table(db, Quarter(24))
    assert table.cell("Long-term outcome returns made", "RAG") == "red"


def test_short_term_measure_is_blank_until_departures_are_known(db, services):
    import_outcome_returns(db, rows(ret()), today=TODAY)
    table = returns_made_table(db, Quarter(24), ytd=False)
    assert table.cell("Short-term outcome returns made", "Returns made") == 1
    assert table.cell("Short-term outcome returns made", "Expected") is None
    assert any("KPI 2 departures" in note for note in table.footnotes)


def test_short_term_measure_uses_the_departures_function(db, services, monkeypatch):
    from sp_tui.reports import outcomes as reports

    import_outcome_returns(db, rows(ret(), ret(departure_date="2009-01-11")), today=TODAY)
    su1 = db.execute("SELECT id FROM services WHERE service_ref = 'SU1'").fetchone()[0]
    monkeypatch.setattr(reports, "short_term_departures", lambda db, period: {su1: 4})
    table = returns_made_table(db, Quarter(24), ytd=False)
    row = table.rows[0]
    assert row[1:3] == [2, 4] and str(row[3]) == "50.0%" and row[5] == "red"
    assert [m.detail for m in missing_returns(db, Period(Quarter(24)))
            if m.service_ref == "SU1"] == ["2 returns for 4 departures (Quarter 24)"]


def test_missing_returns_and_attention(db, services):
    import_outcome_returns(db, rows(ret()), today=TODAY)
    missing = {(m.service_ref, m.kind) for m in missing_returns(db, Period(Quarter(24)))}
    # FS1 (floating support) made no return; FS1 and SH1 (long term) no annual return.
    assert missing == {("FS1", "short-term"), ("FS1", "annual"), ("SH1", "annual")}
    assert missing_returns_attention(db, Quarter(24), date(2009, 3, 31)) == []  # still open
    items = missing_returns_attention(db, Quarter(24), TODAY)
    assert sorted(i.kind for i in items) == ["No annual outcome return", "No annual outcome"
                                             " return", "No outcome returns"]
    assert all(i.area == "outcomes" for i in items)


def test_the_mapping_is_editable_and_audited(db, services):
    import_outcome_returns(db, rows(ret()), today=TODAY)
    assert set_outcome_service_type(db, "supported HOUSING", "none") is None
    figures = outcome_figures(db, Period(Quarter(24)))
    assert figures.by_type[NOT_MAPPED].returns == 1
    assert set_outcome_service_type(db, "Supported housing", "foyer") == "Foyer"
    assert outcome_figures(db, Period(Quarter(24))).by_type["Foyer"].returns == 1
    assert db.execute("SELECT count(*) FROM audit_log WHERE action = 'outcome_type.map'"
                      ).fetchone()[0] == 2
    with pytest.raises(ValidationError) as caught:
        set_outcome_service_type(db, "Castle", "Moat")
    assert set(caught.value.errors) == {"service_type", "outcome_type"}


def test_short_term_measure_divides_by_the_kpi2_departures_of_the_workbooks(db, services):
    from sp_tui.services.kpis import import_kpis

    import_outcome_returns(db, rows(ret(), ret(departure_date="2009-01-11"),
                                    ret(departure_date="2008-11-01")), today=TODAY)
    import_kpis(db, rows({"service_ref": "SU1", "quarter": "24", "kpi2_planned": 2,
                          "kpi2_departures": 5},
                         {"service_ref": "SU1", "quarter": "23", "kpi2_planned": 1,
                          "kpi2_departures": 1}))
    quarter = returns_made_table(db, Quarter(24), ytd=False).rows[0]
    assert quarter[1:4] == [2, 5, Percent(Decimal("40.0"), 1)] and quarter[5] == "red"
    year = returns_made_table(db, Quarter(24), ytd=True).rows[0]
    assert year[1:4] == [3, 6, Percent(Decimal("50.0"), 1)]
    assert [m.detail for m in missing_returns(db, Period(Quarter(24)))
            if m.service_ref == "SU1"] == ["2 returns for 5 departures (Quarter 24)"]
