"""Record-level visits consistent with the published Q24 report (seeds/003, section 6).

Table 6: 31 visits begun, 26 completed; existing A4 B2 C24 D0 NG1; self-assessed A7 B8 C16;
awarded A7 B13 C5 D1 NG5. Table 7: 16 higher (62%), 8 unchanged (31%), 2 lower.
Two misprints in the report that derived figures cannot repeat:
- the text says "6 were not completed by quarter close" beside 31 begun and 26 completed:
  the tool derives 31 - 26 = 5;
- Table 7 prints "2 (7%)": 2 of 26 is 7.69%, which rounds half up to 8%.
(It also says "one service was awarded a lower grade" beside a table that says 2, and titles
Table 8 "end of Quarter 23" with no figures; here Table 8 follows from the same records, with
the four D services the text mentions.)
"""

from __future__ import annotations

from datetime import date

import pytest

from sp_tui.domain.quarters import Quarter
from sp_tui.reports.qaf_tables import qaf_tables
from sp_tui.reports.visits import action_plans
from sp_tui.services.registry import import_services
from sp_tui.services.visits import import_visits

Q24 = Quarter(24)
REPORT_DAY = date(2009, 7, 2)  # the report went to the Commissioning Body on 2 July 2009

# Visits begun in Q24 (Jan-Mar 2009): (existing, awarded, completed). Awarded grades of visits
# completed after 31 March count as not graded for Q24.
_COMPLETED = ([("A", "A")] * 3 + [("A", "B")] + [("B", "A")] * 2 + [("C", "A")] * 2
              + [("C", "B")] * 12 + [("C", "C")] * 5 + [("C", "D")])
_OPEN_AT_CLOSE = [(None, "B", "2009-04-15"), ("C", "A", "2009-04-28"), ("C", None, None),
                  ("C", None, None), ("C", None, None)]
_SELF_ASSESSED = ["A"] * 7 + ["B"] * 8 + ["C"] * 16


def _service(ref: str, start: str = "2004-04-01", end: str | None = None) -> dict:
    return {"provider": "Medway Housing Trust" if ref < "Q20" else "Weald Care",
            "service_ref": ref, "service_name": f"Scheme {ref}",
            "service_type": "Sheltered housing", "client_group": "Older people with support needs",
            "district": "Maidstone", "term": "long", "start_date": start, "end_date": end}


def _visit(ref, started, completed, existing, self_grade, awarded, **extra) -> dict:
    return {"service_ref": ref, "started_date": started, "completed_date": completed or "",
            "officer": "Jo Hart" if int(ref[1:]) % 2 else "Sam Patel",
            "existing_grade": existing or "", "self_assessed_grade": self_grade or "",
            "awarded_grade": awarded or "", **extra}


def q24_records() -> tuple[list[dict], list[dict]]:
    """(services, visits) as the team would have recorded them."""
    services, visits = [], []
    q24 = [(e, a, f"2009-03-{1 + n % 28:02d}") for n, (e, a) in enumerate(_COMPLETED)]
    q24 += _OPEN_AT_CLOSE
    for n, (existing, awarded, completed) in enumerate(q24):
        ref = f"Q{n + 1:02d}"
        services.append(_service(ref))
        if existing:  # the grade the service came into Q24 with, from an earlier visit
            visits.append(_visit(ref, "2006-05-02", "2006-06-01", None, None, existing))
        began = f"2009-{1 + n % 3:02d}-{2 + n % 20:02d}"
        if completed and completed < began:
            completed = f"2009-03-{int(began[-2:]) + 1:02d}"
        plan = ({"plan_officer": "Jo Hart", "plan_review_date": "2009-06-30"}
                if awarded == "D" else {})
        visits.append(_visit(ref, began, completed, existing, _SELF_ASSESSED[n], awarded,
                             **plan))
    # Three services already on action plans (D awarded in Q22 and Q23); the report's text
    # says four services are graded D at the end of Q24.
    for n, (began, done) in enumerate([("2008-08-04", "2008-09-10"),
                                       ("2008-10-06", "2008-11-20"),
                                       ("2008-11-03", "2008-12-15")]):
        ref = f"R{n + 1:02d}"
        services.append(_service(ref))
        visits.append(_visit(ref, began, done, "C", "C", "D", plan_officer="Sam Patel",
                             plan_review_date=f"2009-0{4 + n}-15"))
    # Other quarters' visits, which Tables 6 and 7 leave out: begun in Q23 (two completed
    # in Q24, one still open), begun in Q25.
    for n, (began, done, awarded) in enumerate([
            ("2008-11-12", "2009-01-20", "B"), ("2008-12-01", "2009-02-03", "A"),
            ("2008-12-08", "2008-12-20", "C"), ("2008-12-15", None, None),
            ("2009-04-06", "2009-05-01", "B"), ("2009-05-11", None, None),
            ("2009-06-01", "2009-06-20", "D")]):
        ref = f"S{n + 1:02d}"
        services.append(_service(ref))
        visits.append(_visit(ref, "2006-05-02", "2006-06-01", None, None, "C"))
        plan = {"plan_officer": "Jo Hart", "plan_review_date": "2009-09-01"} \
            if awarded == "D" else {}
        visits.append(_visit(ref, began, done, "C", "B", awarded, **plan))
    # Services not active at Q24's close: Table 8 leaves them out.
    services.append(_service("X01", start="2004-04-01", end="2009-02-28"))
    visits.append(_visit("X01", "2007-01-10", "2007-02-01", None, None, "A"))
    services.append(_service("X02", start="2009-04-01"))
    return services, visits


@pytest.fixture
def q24_db(db):
    services, visits = q24_records()
    import_services(db, list(enumerate(services, start=2)), source="acceptance")
    import_visits(db, list(enumerate(visits, start=2)), today=REPORT_DAY, source="acceptance")
    return db


def test_table6_reproduces_every_published_cell(q24_db):
    table6 = qaf_tables(q24_db, Q24).table6
    assert (table6.begun, table6.completed) == (31, 26)
    assert table6.existing.cells() == [4, 2, 24, 0, 1, 31]
    assert table6.self_assessed.cells() == [7, 8, 16, 0, 0, 31]
    assert table6.awarded.cells() == [7, 13, 5, 1, 5, 31]


def test_not_completed_is_derived_as_5_where_the_report_text_says_6(q24_db):
    assert qaf_tables(q24_db, Q24).table6.not_completed == 5


def test_table7_reproduces_the_counts_and_percentages(q24_db):
    table7 = qaf_tables(q24_db, Q24).table7
    assert (table7.completed, table7.higher, table7.same, table7.lower) == (26, 16, 8, 2)
    assert (table7.first_graded, table7.not_awarded) == (0, 0)
    assert (table7.higher_percent, table7.same_percent) == (62, 31)


def test_table7_lower_is_8_percent_where_the_report_prints_7(q24_db):
    # 2 / 26 = 7.69%: whole numbers rounded half up give 8 (the printed 7% truncates).
    assert qaf_tables(q24_db, Q24).table7.lower_percent == 8


def test_table8_counts_the_current_grade_of_every_active_service(q24_db):
    # Q24's 26 completed awards; the 5 services with visits open at the close keep their
    # grade (NG1, C4); the three D services of Q22-Q23; Q23's visits (B, A, C completed by
    # the close, one open on a C); Q25's three services are still C. X01 ended in February,
    # X02 starts in April: neither is active at the close.
    table8 = qaf_tables(q24_db, Q24).table8
    assert table8.services.cells() == [7 + 1, 13 + 1, 5 + 4 + 1 + 1 + 3, 1 + 3, 1, 41]


def test_four_services_are_on_action_plans_at_the_close_of_q24(q24_db):
    plans = action_plans(q24_db, Q24.end)
    assert len(plans) == 4 == qaf_tables(q24_db, Q24).table8.services.d
    assert [p.overdue for p in plans] == [False, False, False, False]
    # By the report's date Q25 added a fifth D; the four older plans' reviews have passed.
    on_report_day = action_plans(q24_db, REPORT_DAY)
    assert [p.overdue for p in on_report_day] == [True, True, True, True, False]
