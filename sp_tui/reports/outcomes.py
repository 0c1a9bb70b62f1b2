"""Outcomes: Appendices 3, 4 and 5 and the outcome-returns-made measures, from the returns.

A period is a quarter (returns by departure date) or the financial year to that quarter's
close (``ytd``), as the published appendices summarise the year to date. Every table is built
from one ``OutcomeFigures`` read (one scan of the period's returns), so the screen, the CLI
and the export show the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlite_utils

from sp_tui.domain.outcomes import (
    CODES, LONG_TERM_RETURNS_TARGET, NOT_GIVEN, OUTCOME_TYPES, OUTCOMES,
    SHORT_TERM_RETURNS_TARGET, rag, rate,
)
from sp_tui.domain.quarters import Quarter, quarter_of, quarters_in_financial_year
from sp_tui.reports.tables import Percent, ReportTable

NOT_MAPPED = "Not mapped"
ALL_TYPES = "All service types"


def rate_cell(part: int, whole: int) -> Percent:
    """A success or return rate with one decimal, half up (blank without a denominator)."""
    return Percent(rate(part, whole), places=1)


@dataclass(frozen=True)
class Period:
    quarter: Quarter
    ytd: bool = False

    @property
    def start(self) -> date:
        if self.ytd:
            return quarters_in_financial_year(self.quarter.financial_year)[0].start
        return self.quarter.start

    @property
    def end(self) -> date:
        return self.quarter.end

    @property
    def label(self) -> str:
        if self.ytd:
            return (f"{self.quarter.financial_year} to Q{self.quarter.number}: clients who left"
                    f" {self.start.isoformat()} to {self.end.isoformat()}")
        return f"{self.quarter.label}: clients who left {self.start.isoformat()} to" \
               f" {self.end.isoformat()}"

    @property
    def short(self) -> str:
        return f"{self.quarter.financial_year} to Q{self.quarter.number}" if self.ytd \
            else f"Quarter {self.quarter.number}"


@dataclass
class Counts:
    """Sums over a set of returns."""

    returns: int = 0
    planned_yes: int = 0
    planned_no: int = 0
    planned_unanswered: int = 0
    independence_yes: int = 0
    independence_no: int = 0
    independence_unanswered: int = 0
    needs: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CODES, 0))
    achieved: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CODES, 0))

    def add(self, other: Counts) -> None:
        for name in ("returns", "planned_yes", "planned_no", "planned_unanswered",
                     "independence_yes", "independence_no", "independence_unanswered"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for code in CODES:
            self.needs[code] += other.needs[code]
            self.achieved[code] += other.achieved[code]

    def outcome_needs(self, codes) -> int:
        return sum(self.needs[c] for c in codes)

    def outcome_achieved(self, codes) -> int:
        return sum(self.achieved[c] for c in codes)


@dataclass
class OutcomeFigures:
    period: Period
    by_type: dict[str, Counts]
    """Each of the six service types (zeros included), then NOT_MAPPED if it has returns."""
    by_client_group: dict[str, int]
    """The client's own group (NOT_GIVEN last), groups with returns only."""
    total: Counts


_SUMS = ", ".join(f"sum({c}_need), sum({c}_achieved)" for c in CODES)


def outcome_figures(db: sqlite_utils.Database, period: Period) -> OutcomeFigures:
    """One scan of the period's returns, summed per service in SQL (joining each return to
    its service's type row by row cost twice as much), then per service type here."""
    bounds = (period.start.isoformat(), period.end.isoformat())
    types = dict(db.execute(
        "SELECT s.id, m.outcome_type FROM services s"
        " LEFT JOIN outcome_service_types m ON m.service_type = s.service_type"))
    by_type = {name: Counts() for name in OUTCOME_TYPES}
    total = Counts()
    for row in db.execute(
        "SELECT service_id, count(*), sum(planned_move IS 1), sum(planned_move IS 0),"
        " sum(planned_move IS NULL), sum(greater_independence IS 1),"
        " sum(greater_independence IS 0),"
        " sum(planned_move IS 1 AND greater_independence IS NULL),"
        f" {_SUMS} FROM outcome_returns WHERE departure_date BETWEEN ? AND ?"
        " GROUP BY service_id", bounds,
    ):
        counts = Counts(*row[1:8])
        for i, code in enumerate(CODES):
            counts.needs[code] = row[8 + 2 * i]
            counts.achieved[code] = row[9 + 2 * i]
        by_type.setdefault(types.get(row[0]) or NOT_MAPPED, Counts()).add(counts)
        total.add(counts)
    groups: dict[str, int] = {}
    not_given = 0
    for group, n in db.execute(
        "SELECT client_group, count(*) FROM outcome_returns WHERE departure_date BETWEEN ? AND ?"
        " GROUP BY client_group ORDER BY client_group COLLATE NOCASE", bounds,
    ):
        if group is None:
            not_given = n
        else:
            groups[group] = n
    if not_given:
        groups[NOT_GIVEN] = not_given
    return OutcomeFigures(period, by_type, groups, total)


# --- Appendix 3 ----------------------------------------------------------------------------

def _source_note(period: Period) -> str:
    return (f"Outcome returns for clients who left services between {period.start.isoformat()}"
            f" and {period.end.isoformat()} (departure date).")


def appendix_3_service_types(figures: OutcomeFigures) -> ReportTable:
    rows: list[list[object]] = [[name, c.returns] for name, c in figures.by_type.items()]
    notes = [_source_note(figures.period),
             "Service types: the register's, mapped onto the framework's six"
             " (sp-tui outcomes mapping)."]
    if NOT_MAPPED in figures.by_type:
        notes.append(f"{NOT_MAPPED}: returns from services whose type maps to none of the six.")
    return ReportTable(
        key="appendix3_types", title="Appendix 3 (i): Outcome returns received by service type",
        subtitle=figures.period.label, columns=["Service type", "Total returns"],
        rows=[*rows, ["Grand total", figures.total.returns]], total_rows=1, footnotes=notes)


def appendix_3_client_groups(figures: OutcomeFigures) -> ReportTable:
    rows: list[list[object]] = [[g, n] for g, n in figures.by_client_group.items()]
    return ReportTable(
        key="appendix3_groups",
        title="Appendix 3 (ii): Outcome returns received by primary client group of the"
              " service user",
        subtitle=figures.period.label, columns=["Primary client group", "Total"],
        rows=[*rows, ["Grand total", figures.total.returns]], total_rows=1,
        footnotes=[_source_note(figures.period),
                   "The client's own primary client group, which may differ from the"
                   " service's; groups with no returns are left out."])


# --- Appendix 4 ----------------------------------------------------------------------------

def appendix_4_moves(figures: OutcomeFigures) -> ReportTable:
    t = figures.total
    planned = t.planned_yes
    return ReportTable(
        key="appendix4_moves", title="Appendix 4 (i): Planned moves and greater independence",
        subtitle=figures.period.label,
        columns=["", "Yes", "% yes", "No", "% no", "Unanswered"],
        rows=[["Was this a planned move from the service", t.planned_yes,
               rate_cell(t.planned_yes, t.returns), t.planned_no,
               rate_cell(t.planned_no, t.returns), t.planned_unanswered],
              ["If yes, did this achieve greater independence", t.independence_yes,
               rate_cell(t.independence_yes, planned), t.independence_no,
               rate_cell(t.independence_no, planned), t.independence_unanswered]],
        footnotes=[f"Total of {t.returns:,} returns made. Planned moves as a percentage of all"
                   " returns; greater independence as a percentage of the planned moves."])


def appendix_4(figures: OutcomeFigures) -> ReportTable:
    t = figures.total
    rows: list[list[object]] = []
    for outcome in OUTCOMES:
        codes = [s.code for s in outcome.subs]
        needs, achieved = t.outcome_needs(codes), t.outcome_achieved(codes)
        rows.append([outcome.label, needs, achieved, rate_cell(achieved, needs)])
        for sub in outcome.subs:
            rows.append([f"  {sub.label}", t.needs[sub.code], t.achieved[sub.code],
                         rate_cell(t.achieved[sub.code], t.needs[sub.code])])
    needs, achieved = t.outcome_needs(CODES), t.outcome_achieved(CODES)
    rows.append(["Total", needs, achieved, rate_cell(achieved, needs)])
    return ReportTable(
        key="appendix4", title="Appendix 4: Summary of outcomes data in short-term services",
        subtitle=figures.period.label,
        columns=["Type of support", "Support needs identified", "Outcomes achieved",
                 "Success rate"],
        rows=rows, total_rows=1,
        footnotes=[f"Total of {t.returns:,} returns made. Success rate: outcomes achieved as a"
                   " percentage of the support needs identified (one decimal, half up)."])


# --- Appendix 5 ----------------------------------------------------------------------------

def appendix_5(figures: OutcomeFigures) -> list[ReportTable]:
    """Tables 5.1-5.5: each high-level outcome's success rates by service type."""
    types = [name for name in figures.by_type if name != NOT_MAPPED]
    tables = []
    for outcome in OUTCOMES:
        codes = [s.code for s in outcome.subs]
        rows: list[list[object]] = []
        for sub in outcome.subs:
            rows.append([sub.label, *[rate_cell(figures.by_type[t].achieved[sub.code],
                                                figures.by_type[t].needs[sub.code])
                                      for t in types],
                         rate_cell(figures.total.achieved[sub.code],
                                   figures.total.needs[sub.code])])
        rows.append([f"All: {outcome.label.lower()}",
                     *[rate_cell(figures.by_type[t].outcome_achieved(codes),
                                 figures.by_type[t].outcome_needs(codes)) for t in types],
                     rate_cell(figures.total.outcome_achieved(codes),
                               figures.total.outcome_needs(codes))])
        notes = ["Success rate: outcomes achieved as a percentage of the support needs"
                 " identified; blank where no need was identified."]
        if NOT_MAPPED in figures.by_type:
            notes.append(f"{ALL_TYPES} includes returns from services of types not mapped"
                         " to the six.")
        tables.append(ReportTable(
            key=f"table5_{outcome.table[-1]}",
            title=f"Table {outcome.table}: {outcome.label}: percentage of outcomes achieved"
                  " by service type",
            subtitle=figures.period.label, columns=["Outcome", *types, ALL_TYPES],
            rows=rows, total_rows=1, footnotes=notes))
    return tables


# --- outcome returns made (business plan measures) ------------------------------------------

def short_term_departures(db: sqlite_utils.Database, period: Period) -> dict[str, int] | None:
    """Clients who moved on from each short-term service in the period: KPI 2's departures
    from the quarterly workbooks (kpi_figures), summed over the period's quarters. THE one
    place the short-term measure's denominator comes from; None while no workbook of the
    period has KPI 2 figures."""
    first = quarter_of(period.start).number
    rows = db.execute(
        "SELECT f.service_id, sum(f.kpi2_departures) FROM kpi_figures f"
        " JOIN services s ON s.id = f.service_id WHERE f.quarter BETWEEN ? AND ?"
        " AND s.term = 'short' AND f.kpi2_departures IS NOT NULL GROUP BY f.service_id",
        (first, period.quarter.number)).fetchall()
    return dict(rows) if rows else None


DENOMINATOR_NOTE = ("Short-term expected: the clients who moved on from short-term services"
                    " in the period (KPI 2 departures in the quarterly workbooks received).")
NO_DEPARTURES_NOTE = ("Short-term: no workbook of the period has KPI 2 figures yet, so the"
                      " percentage is blank.")


@dataclass(frozen=True)
class ReturnsMade:
    period: Period
    short_returns: int
    short_expected: int | None
    long_made: int
    long_expected: int

    @property
    def short_rate(self):
        return rate(self.short_returns, self.short_expected) if self.short_expected else None

    @property
    def long_rate(self):
        return rate(self.long_made, self.long_expected)


def returns_made(db: sqlite_utils.Database, period: Period) -> ReturnsMade:
    bounds = (period.start.isoformat(), period.end.isoformat())
    short_returns = db.execute(
        "SELECT count(*) FROM outcome_returns r JOIN services s ON s.id = r.service_id"
        " WHERE r.departure_date BETWEEN ? AND ? AND s.term = 'short'", bounds).fetchone()[0]
    departures = short_term_departures(db, period)
    expected = sum(departures.values()) if departures is not None else None
    close = period.end.isoformat()
    long_expected, long_made = db.execute(
        "SELECT count(*), coalesce(sum(EXISTS (SELECT 1 FROM outcome_annual_returns a"
        "  WHERE a.service_id = s.id AND a.financial_year = ? AND a.received_date <= ?)), 0)"
        " FROM services s WHERE s.term = 'long' AND s.start_date <= ?"
        " AND (s.end_date IS NULL OR s.end_date >= ?)",
        (period.quarter.financial_year, close, close, close)).fetchone()
    return ReturnsMade(period, short_returns, expected, long_made, long_expected)


def returns_made_table(db: sqlite_utils.Database, quarter: Quarter,
                       ytd: bool = True) -> ReportTable:
    made = returns_made(db, Period(quarter, ytd))
    short_rate, long_rate = made.short_rate, made.long_rate
    rows = [
        ["Short-term outcome returns made", made.short_returns, made.short_expected,
         Percent(short_rate, places=1), Percent(SHORT_TERM_RETURNS_TARGET),
         rag(short_rate, SHORT_TERM_RETURNS_TARGET) or None],
        ["Long-term outcome returns made", made.long_made, made.long_expected,
         Percent(long_rate, places=1), Percent(LONG_TERM_RETURNS_TARGET),
         rag(long_rate, LONG_TERM_RETURNS_TARGET) or None],
    ]
    notes = [DENOMINATOR_NOTE + " Returns: those from services registered as short term.",
             f"Long-term: services registered as long term active at {made.period.end}, with"
             f" an annual return for {quarter.financial_year} received by then.",
             "RAG: green at or above the target, amber within 5 points below, red below."]
    if made.short_expected is None:
        notes.insert(1, NO_DEPARTURES_NOTE)
    return ReportTable(
        key="outcome_returns_made", title="Outcome returns made (business plan measures)",
        subtitle=made.period.label.split(":")[0],
        columns=["Measure", "Returns made", "Expected", "% made", "Target", "RAG"],
        rows=rows, footnotes=notes)


# --- services whose returns are missing --------------------------------------------------------

@dataclass(frozen=True)
class MissingReturn:
    service_id: str
    service_ref: str
    service_name: str
    provider: str
    kind: str
    """"short-term" (no outcome returns for the period) or "annual" (no annual return)."""
    detail: str


def missing_returns(db: sqlite_utils.Database, period: Period) -> list[MissingReturn]:
    """Services of a mapped type active in the period with fewer returns than their KPI 2
    departures (or, without departure figures, with no returns at all), then long-term
    services active at the period's close with no annual return for its financial year."""
    start, end = period.start.isoformat(), period.end.isoformat()
    departures = short_term_departures(db, period)
    found: list[MissingReturn] = []
    for sid, ref, name, provider, returns in db.execute(
        "SELECT s.id, s.service_ref, s.name, p.name, (SELECT count(*) FROM outcome_returns r"
        "  WHERE r.service_id = s.id AND r.departure_date BETWEEN ? AND ?)"
        " FROM services s JOIN providers p ON p.id = s.provider_id"
        " JOIN outcome_service_types m ON m.service_type = s.service_type"
        " WHERE m.outcome_type IS NOT NULL AND s.start_date <= ?"
        " AND (s.end_date IS NULL OR s.end_date >= ?) ORDER BY s.service_ref",
        (start, end, end, start),
    ):
        if departures is None or sid not in departures:
            if returns == 0:
                found.append(MissingReturn(sid, ref, name, provider, "short-term",
                                           f"no outcome returns for {period.short}"))
        elif departures[sid] > returns:
            found.append(MissingReturn(
                sid, ref, name, provider, "short-term",
                f"{returns} returns for {departures[sid]} departures ({period.short})"))
    year = period.quarter.financial_year
    for sid, ref, name, provider in db.execute(
        "SELECT s.id, s.service_ref, s.name, p.name FROM services s"
        " JOIN providers p ON p.id = s.provider_id WHERE s.term = 'long'"
        " AND s.start_date <= ? AND (s.end_date IS NULL OR s.end_date >= ?)"
        " AND NOT EXISTS (SELECT 1 FROM outcome_annual_returns a WHERE a.service_id = s.id"
        "  AND a.financial_year = ? AND a.received_date <= ?) ORDER BY s.service_ref",
        (end, end, year, end),
    ):
        found.append(MissingReturn(sid, ref, name, provider, "annual",
                                   f"no annual outcome return for {year}"))
    return found


def missing_returns_attention(db: sqlite_utils.Database, quarter: Quarter,
                              today: date) -> list:
    """"Needs attention": services with no outcome returns for the selected quarter (once it
    has closed), and long-term services with no annual return once its year has ended."""
    from sp_tui.reports.attention import AttentionItem

    if quarter.end >= today:
        return []
    year_end = quarters_in_financial_year(quarter.financial_year)[-1].end
    items = []
    for m in missing_returns(db, Period(quarter)):
        if m.kind == "annual" and year_end >= today:
            continue
        items.append(AttentionItem(
            area="outcomes", record_id=m.service_id,
            kind="No outcome returns" if m.kind == "short-term" else "No annual outcome return",
            text=f"{m.service_ref} {m.service_name} ({m.detail})",
            since=quarter.end if m.kind == "short-term" else year_end))
    return items


# --- every table, from one read ----------------------------------------------------------------

def outcome_tables(db: sqlite_utils.Database, quarter: Quarter,
                   ytd: bool = False) -> list[ReportTable]:
    """Appendix 3 (i), 3 (ii), 4 (i), 4, Tables 5.1-5.5 and the returns-made measures."""
    figures = cached_figures(db, Period(quarter, ytd))
    return [appendix_3_service_types(figures), appendix_3_client_groups(figures),
            appendix_4_moves(figures), appendix_4(figures), *appendix_5(figures),
            returns_made_table(db, quarter, ytd)]


# Single-table builders with the (db, quarter) signature of the quarter export. The published
# report summarises outcomes for the financial year to date; the tables share one read.
_cache: dict[str, tuple[tuple, OutcomeFigures]] = {}


def cached_figures(db: sqlite_utils.Database, period: Period) -> OutcomeFigures:
    """outcome_figures, reused while nothing was written (here or by another connection)."""
    from sp_tui.store.connection import data_version, db_file

    stamp = (id(db.conn), str(db_file(db)), period, data_version(db), db.conn.total_changes)
    hit = _cache.get("last")
    if hit and hit[0] == stamp:
        return hit[1]
    figures = outcome_figures(db, period)
    _cache["last"] = (stamp, figures)
    return figures


def _ytd(db: sqlite_utils.Database, quarter: Quarter) -> OutcomeFigures:
    return cached_figures(db, Period(quarter, ytd=True))


def appendix_3_types_report(db: sqlite_utils.Database, quarter: Quarter) -> ReportTable:
    return appendix_3_service_types(_ytd(db, quarter))


def appendix_3_groups_report(db: sqlite_utils.Database, quarter: Quarter) -> ReportTable:
    return appendix_3_client_groups(_ytd(db, quarter))


def appendix_4_moves_report(db: sqlite_utils.Database, quarter: Quarter) -> ReportTable:
    return appendix_4_moves(_ytd(db, quarter))


def appendix_4_report(db: sqlite_utils.Database, quarter: Quarter) -> ReportTable:
    return appendix_4(_ytd(db, quarter))


def appendix_5_table(number: int):
    """The builder of Table 5.<number>."""
    def build(db: sqlite_utils.Database, quarter: Quarter) -> ReportTable:
        return appendix_5(_ytd(db, quarter))[number - 1]

    build.__name__ = f"table_5_{number}"
    return build


def returns_made_panel(db: sqlite_utils.Database, quarter: Quarter) -> ReportTable:
    """The dashboard's panel: the measures for the financial year to date."""
    return returns_made_table(db, quarter, ytd=True)


def outcome_import_rows(db: sqlite_utils.Database):
    """Every return in the import format's column order (``export data``)."""
    def answer(v):
        return "" if v is None else "yes" if v else "no"

    def pair(need, achieved):
        return ("yes", "yes" if achieved else "no") if need else ("", "")

    pairs = ", ".join(f"r.{c}_need, r.{c}_achieved" for c in CODES)
    for row in db.execute(
        "SELECT s.service_ref, r.departure_date, r.client_group, r.planned_move,"
        f" r.greater_independence, {pairs}, r.return_ref FROM outcome_returns r"
        " JOIN services s ON s.id = r.service_id ORDER BY r.departure_date, s.service_ref,"
        " r.return_key"
    ):
        yield (row[0], row[1], row[2] or NOT_GIVEN, answer(row[3]), answer(row[4]),
               *[cell for i in range(5, 5 + 2 * len(CODES), 2)
                 for cell in pair(row[i], row[i + 1])], row[-1])


def annual_return_import_rows(db: sqlite_utils.Database):
    yield from db.execute(
        "SELECT s.service_ref, a.financial_year, a.received_date FROM outcome_annual_returns a"
        " JOIN services s ON s.id = a.service_id ORDER BY a.financial_year, s.service_ref")


def service_type_mapping(db: sqlite_utils.Database) -> list[tuple[str, str | None]]:
    """Every service type of the register with the outcomes type it counts as (None: not
    mapped), in the register's order."""
    return [(t, o) for t, o in db.execute(
        "SELECT r.value, m.outcome_type FROM reference_values r"
        " LEFT JOIN outcome_service_types m ON m.service_type = r.value"
        " WHERE r.kind = 'service_type' ORDER BY r.value COLLATE NOCASE")]
