"""Record-level outcome returns consistent with the published Appendices 3, 4 and 5 of the
Quarter 24 report (seeds/003): 1,295 returns for clients who left short-term services in
Quarter 23 (the data office's dataset runs 6 October 2008 - 4 January 2009; the returns here
leave 6 October - 31 December). The tool's tables must reproduce every published cell.

Reading the published Appendix 4: it is laid out with the "Was the outcome achieved?" column
shifted down by one line (and the high-level "Total successful" lines interleaved), so
"To maximise income 927 | Total successful 1482 (81%)" and "To reduce debt 560 | 823" look
as if 823 were debt's achievement. Read correctly, every sub-outcome's achieved figure is the
one printed a line below it: income 823, debt 392, paid work 267 (= 1,482 for economic
wellbeing), training 241, informal learning 231, work-like 123, external groups 656 (= 1,251),
physical health 366, mental health 303, substance misuse 203, technology 43 (= 915),
accommodation 517, statutory orders 149, self harm 90, harm to others 71, harm from others 221
(= 1,048), confidence and choice 627; 5,323 in all of 7,010 needs = 75.9%. Each high-level
total then adds up exactly, which the shifted reading does not.

Returns in Quarter 20 (the previous year) and Quarter 24 (after the period) are present too
and must not leak into Quarter 23's figures, for the quarter or for the year to date.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from sp_tui.domain.outcomes import CODES, OUTCOMES
from sp_tui.domain.quarters import Quarter
from sp_tui.reports.outcomes import (
    Period, appendix_3_client_groups, appendix_3_service_types, appendix_4, appendix_4_moves,
    appendix_5, outcome_figures,
)
from sp_tui.reports.tables import Percent
from sp_tui.services.outcomes import import_outcome_returns

TODAY = date(2009, 7, 2)  # the report's date


def pct(text: str) -> Percent:
    """A one-decimal percentage cell as the published appendix prints it."""
    return Percent(Decimal(text), places=1)

# --- the published figures -----------------------------------------------------------------

# Appendix 3 (i), labels as printed ("Outreach service", "Women's' refuge") beside the tool's.
PUBLISHED_BY_TYPE = {
    "Direct access": 94, "Floating support": 569, "Foyer": 40, "Outreach": 146,
    "Supported housing": 332, "Women's refuge": 114,
}
# Appendix 3 (ii): the data office's short forms -> the register's client groups.
PUBLISHED_BY_GROUP = [
    ("Alcohol problems", "People with alcohol problems", 52),
    ("Drug problems", "People with drug problems", 33),
    ("Frail Elderly", "Frail elderly", 1),
    ("Generic", "Generic", 115),
    ("Homeless families with support needs", "Homeless families with support needs", 36),
    ("Learning disabilities", "People with learning disabilities", 38),
    ("Mental health problems", "People with mental health problems", 139),
    ("Traveller", "Travellers", 1),
    ("Offenders at risk of offending", "Offenders or people at risk of offending", 124),
    ("Older people with support needs", "Older people with support needs", 26),
    ("People with HIV/Aids", "People with HIV/AIDS", 1),
    ("Physical or sensory disability", "Physical or sensory disability", 22),
    ("Rough sleeper", "Rough sleepers", 10),
    ("Single homeless with support needs", "Single homeless with support needs", 394),
    ("Teenage parents", "Teenage parents", 59),
    ("Women at risk of domestic violence", "People at risk of domestic violence", 162),
    ("Young people at risk", "Young people at risk", 59),
    ("Young people leaving care", "Young people leaving care", 21),
    ("Not Given", "Not given", 2),
]
# Appendix 4, read correctly: (needs identified, outcomes achieved) per sub-outcome.
PUBLISHED_NEEDS = {
    "income": (927, 823), "debt": (560, 392), "paid_work": (342, 267),
    "training": (410, 241), "informal_learning": (296, 231), "work_like": (224, 123),
    "external_groups": (729, 656),
    "physical_health": (474, 366), "mental_health": (451, 303), "substance_misuse": (377, 203),
    "assistive_technology": (50, 43),
    "accommodation": (708, 517), "statutory_orders": (218, 149), "self_harm": (110, 90),
    "harm_to_others": (106, 71), "harm_from_others": (270, 221),
    "confidence_choice": (758, 627),
}
# High-level lines as printed: total needs, total successful and its whole-number percent.
PUBLISHED_HIGH_LEVEL = {
    "Achieve economic wellbeing": (1829, 1482, 81), "Enjoy and achieve": (1659, 1251, 75),
    "Be healthy": (1352, 915, 68), "Stay safe": (1412, 1048, 74),
    "Make a positive contribution": (758, 627, 83),
}

# --- record-level data consistent with them --------------------------------------------------

TYPES = ["Direct access", "Floating support", "Foyer", "Outreach", "Supported housing",
         "Women's refuge"]
# Needs and achievements per sub-outcome and service type (columns in TYPES order); each
# column sums to the published figures, and the rates agree with section 4's commentary on
# Appendix 5 (checked below).
MATRIX = {
    "income": ((67, 60), (407, 361), (29, 26), (104, 92), (238, 211), (82, 73)),
    "debt": ((41, 29), (246, 172), (17, 12), (63, 44), (144, 101), (49, 34)),
    "paid_work": ((19, 12), (162, 131), (17, 16), (29, 19), (95, 77), (20, 12)),
    "training": ((29, 17), (175, 103), (24, 14), (45, 26), (102, 60), (35, 21)),
    "informal_learning": ((22, 17), (130, 102), (9, 7), (33, 26), (76, 59), (26, 20)),
    "work_like": ((16, 9), (98, 54), (7, 4), (25, 13), (58, 32), (20, 11)),
    "external_groups": ((53, 47), (320, 287), (23, 23), (82, 74), (187, 168), (64, 57)),
    "physical_health": ((34, 26), (208, 161), (15, 12), (53, 41), (122, 94), (42, 32)),
    "mental_health": ((33, 22), (198, 133), (14, 10), (51, 34), (115, 77), (40, 27)),
    "substance_misuse": ((51, 28), (154, 84), (11, 6), (63, 35), (90, 49), (8, 1)),
    "assistive_technology": ((4, 4), (22, 18), (2, 2), (6, 5), (13, 11), (3, 3)),
    "accommodation": ((51, 37), (311, 224), (22, 22), (80, 58), (182, 131), (62, 45)),
    "statutory_orders": ((17, 11), (103, 70), (6, 6), (26, 18), (60, 40), (6, 4)),
    "self_harm": ((8, 6), (48, 39), (3, 3), (13, 11), (28, 23), (10, 8)),
    "harm_to_others": ((8, 5), (47, 31), (3, 3), (12, 8), (27, 18), (9, 6)),
    "harm_from_others": ((17, 14), (101, 83), (7, 6), (26, 21), (59, 48), (60, 49)),
    "confidence_choice": ((58, 48), (352, 290), (25, 20), (48, 35), (205, 169), (70, 65)),
}
# Planned move yes / no / unanswered per service type (770 / 509 / 16), and of the planned
# moves, greater independence yes / no (697 / 73).
MOVES = {"Direct access": (42, 50, 2), "Floating support": (360, 203, 6), "Foyer": (30, 10, 0),
         "Outreach": (60, 84, 2), "Supported housing": (210, 118, 4),
         "Women's refuge": (68, 44, 2)}
INDEPENDENCE_NO = {"Direct access": 6, "Floating support": 30, "Foyer": 1, "Outreach": 10,
                   "Supported housing": 18, "Women's refuge": 8}
# Two register services per framework type; supported housing's second is "Accommodation
# based", which the default mapping counts as supported housing.
SERVICES = {t: [(f"{code}1", t), (f"{code}2", t)] for t, code in zip(
    TYPES, ["DA", "FS", "FO", "OU", "SH", "WR"])}
SERVICES["Supported housing"][1] = ("SH2", "Accommodation based")


def _client_groups() -> list[str]:
    """The 1,295 clients' groups, women at risk of domestic violence first (they go to the
    refuges, which are listed last: see _rows)."""
    groups = sorted(PUBLISHED_BY_GROUP, key=lambda g: g[1] != "People at risk of domestic"
                                                             " violence")
    return [label for label, _, n in groups for _ in range(n)]


def _rows() -> list[tuple[int, dict]]:
    yes_no = {True: "yes", False: "no", None: ""}
    groups = _client_groups()
    rows, seen = [], set()
    for type_index, name in enumerate(reversed(TYPES)):
        n = PUBLISHED_BY_TYPE[name]
        column = TYPES.index(name)
        records = [{c: [False, False] for c in CODES} for _ in range(n)]
        for code_index, code in enumerate(CODES):
            needs, achieved = MATRIX[code][column]
            start = (code_index * 37) % n
            for j in range(needs):
                records[(start + j) % n][code] = [True, j < achieved]
        yes, no, unanswered = MOVES[name]
        for i, record in enumerate(records):
            planned = True if i < yes else False if i < yes + no else None
            independence = (i >= INDEPENDENCE_NO[name]) if planned else None
            ref, _ = SERVICES[name][i % 2]
            departure = date(2008, 10, 6) + timedelta(days=(i * 7) % 87)
            row = {"service_ref": ref, "departure_date": departure.isoformat(),
                   "client_group": groups.pop(), "planned_move": yes_no[planned],
                   "greater_independence": yes_no[independence]}
            for code in CODES:
                need, done = record[code]
                row[f"{code}_need"] = "yes" if need else ""
                row[f"{code}_achieved"] = ("yes" if done else "no") if need else ""
            identity = tuple(row.values())
            if identity in seen:  # two real returns alike: the dataset's reference tells them apart
                row["return_ref"] = f"CHR-{type_index}-{i}"
            seen.add(identity)
            rows.append((len(rows) + 2, row))
    return rows


def _outside_rows() -> list[tuple[int, dict]]:
    """Returns before (Quarter 20) and after (Quarter 24) the period."""
    rows = []
    for n, day in enumerate(["2008-01-15", "2008-03-31", "2009-01-02", "2009-02-20"]):
        row = {"service_ref": "FS1", "departure_date": day, "client_group": "Generic",
               "planned_move": "yes", "greater_independence": "yes"}
        row.update({f"{c}_need": "yes" for c in CODES})
        row.update({f"{c}_achieved": "no" for c in CODES})
        rows.append((n + 2, row))
    return rows


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    from sp_tui.services.registry import import_services
    from sp_tui.store.connection import open_db
    from tests.conftest import service_fields

    db = open_db(tmp_path_factory.mktemp("outcomes") / "a.sqlite")
    import_services(db, [(n + 2, service_fields(service_ref=ref, service_type=kind,
                                                term="long" if kind == "Floating support"
                                                else "short"))
                         for n, (ref, kind) in enumerate(
                             s for pair in SERVICES.values() for s in pair)])
    rows = _rows()
    assert len(rows) == 1295
    assert import_outcome_returns(db, rows, source="acceptance", today=TODAY)["added"] == 1295
    import_outcome_returns(db, _outside_rows(), source="acceptance", today=TODAY)
    yield db
    db.close()


@pytest.fixture(params=[False, True], ids=["quarter", "year-to-date"])
def figures(published, request):
    return outcome_figures(published, Period(Quarter(23), ytd=request.param))


def test_appendix_3_by_service_type(figures):
    table = appendix_3_service_types(figures)
    assert dict((r[0], r[1]) for r in table.rows[:-1]) == PUBLISHED_BY_TYPE
    assert table.rows[-1] == ["Grand total", 1295]


def test_appendix_3_by_client_group(figures):
    table = appendix_3_client_groups(figures)
    expected = {register: n for _, register, n in PUBLISHED_BY_GROUP}
    assert dict((r[0], r[1]) for r in table.rows[:-1]) == expected
    assert table.rows[-2][0] == "Not given"  # last, as published
    assert table.rows[-1] == ["Grand total", 1295]


def test_appendix_4_planned_moves(figures):
    table = appendix_4_moves(figures)
    planned, independence = table.rows
    assert planned[1:] == [770, pct("59.5"), 509, pct("39.3"), 16]
    assert independence[1:] == [697, pct("90.5"), 73, pct("9.5"), 0]
    assert "1,295 returns" in table.footnotes[0]


def test_appendix_4_every_cell(figures):
    table = appendix_4(figures)
    by_label = {row[0].strip(): row[1:] for row in table.rows}
    for outcome in OUTCOMES:
        needs, achieved, whole_percent = PUBLISHED_HIGH_LEVEL[outcome.label]
        row = by_label[outcome.label]
        assert row[:2] == [needs, achieved], outcome.label
        # The published high-level rates are whole numbers; ours carry one decimal.
        assert round(row[2].value) == whole_percent, outcome.label
        for sub in outcome.subs:
            sub_needs, sub_achieved = PUBLISHED_NEEDS[sub.code]
            assert by_label[sub.label][:2] == [sub_needs, sub_achieved], sub.code
    assert by_label["To obtain/participate in paid work"] == [342, 267, pct("78.1")]
    assert table.rows[-1] == ["Total", 7010, 5323, pct("75.9")]
    assert [str(row[3]) for row in table.rows if row[0] in PUBLISHED_HIGH_LEVEL] == [
        "81.0%", "75.4%", "67.7%", "74.2%", "82.7%"]


def test_appendix_5_agrees_with_the_reports_commentary(figures):
    """Section 4.13-4.18 describe the (image-only) Tables 5.1-5.5."""
    t51, t52, t53, t54, t55 = appendix_5(figures)

    def cell(table, row_label, column):
        return table.cell(row_label, column).value

    # 4.13: paid work lowest in the shortest services (refuges, direct access, outreach).
    paid = {t: cell(t51, "To obtain/participate in paid work", t) for t in TYPES}
    assert max(paid["Women's refuge"], paid["Direct access"], paid["Outreach"]) < min(
        paid["Floating support"], paid["Foyer"], paid["Supported housing"])
    # 4.14: contact with external groups over 80% everywhere, 100% in foyers, the strongest
    # Enjoy and Achieve sub-outcome for every service type.
    external = "To establish contact with external groups"
    for t in TYPES:
        assert cell(t52, external, t) > 80
        assert cell(t52, external, t) == max(cell(t52, s.label, t) for s in OUTCOMES[1].subs)
    assert cell(t52, external, "Foyer") == 100
    # 4.15: technology 100% in direct access, foyers and refuges; substance misuse 12.5% in
    # refuges, the poorest Be Healthy figure.
    for t in ("Direct access", "Foyer", "Women's refuge"):
        assert cell(t53, "Technology helping to maintain independence", t) == 100
    assert str(t53.cell("Manage substance misuse issues", "Women's refuge")) == "12.5%"
    assert min(cell(t53, s.label, t) for s in OUTCOMES[2].subs for t in TYPES) == 12.5
    # 4.16: foyers achieved 100% in all but one Stay Safe sub-outcome.
    foyer_safe = [cell(t54, s.label, "Foyer") for s in OUTCOMES[3].subs]
    assert sum(v == 100 for v in foyer_safe) == len(foyer_safe) - 1
    # 4.18: positive contribution best in refuges (92.9%); outreach 72.9%.
    row = "To develop confidence and choice"
    assert str(t55.cell(row, "Women's refuge")) == "92.9%"
    assert str(t55.cell(row, "Outreach")) == "72.9%"
    assert cell(t55, row, "Women's refuge") == max(cell(t55, row, t) for t in TYPES)
    # Every table's "all service types" column is Appendix 4's rate.
    a4 = {r[0].strip(): r[3] for r in appendix_4(figures).rows}
    for table, outcome in zip((t51, t52, t53, t54, t55), OUTCOMES):
        for sub in outcome.subs:
            assert table.cell(sub.label, "All service types") == a4[sub.label]


def test_reimporting_the_dataset_adds_nothing(published):
    result = import_outcome_returns(published, _rows(), source="again", today=TODAY)
    assert result == {"added": 0, "updated": 0, "unchanged": 1295}
    figures = outcome_figures(published, Period(Quarter(23)))
    assert figures.total.returns == 1295


def test_neighbouring_quarters_are_counted_in_their_own_periods(published):
    assert outcome_figures(published, Period(Quarter(24))).total.returns == 2
    assert outcome_figures(published, Period(Quarter(24), ytd=True)).total.returns == 1297
    assert outcome_figures(published, Period(Quarter(20))).total.returns == 2
