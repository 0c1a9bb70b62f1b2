"""The report's factual sentences, generated from the same report functions as its tables.

The published report's prose contradicts its tables ("6 were not completed" beside 31 begun
and 26 completed); sentences written from the figures cannot. Each narrator is registered
under a narrative id (a report position, or a position with a suffix for a second paragraph
on the same table) and returns plain sentences; the report document and the Report screen
place them in their section. An area adds sentences either by filling ``ReportTable.
sentences`` in its table function, or by registering a narrator here with ``@narrator(id)``.
Commentary is never invented: the document leaves "[Commentary]" for the manager.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

from sp_tui.domain.quarters import Quarter
from sp_tui.domain.targets import WORKBOOKS_BY_DEADLINE_TARGET
from sp_tui.domain.wording import capitalise, count_noun, figures, plural
from sp_tui.reports.tables import Money, Percent, percent

Narrator = Callable[[sqlite_utils.Database, Quarter], list[str]]

NARRATORS: dict[str, Narrator] = {}


def narrator(narrative_id: str) -> Callable[[Narrator], Narrator]:
    """Register a function (db, quarter) -> sentences under ``narrative_id``."""

    def register(function: Narrator) -> Narrator:
        if narrative_id in NARRATORS:
            raise ValueError(f"narrative {narrative_id!r} registered twice")
        NARRATORS[narrative_id] = function
        return function

    return register


def sentences(db: sqlite_utils.Database, quarter: Quarter, narrative_id: str) -> list[str]:
    function = NARRATORS.get(narrative_id)
    return function(db, quarter) if function else []


def _pct(part: int, whole: int) -> str:
    return str(percent(part, whole))


# -- section 2: contractual data, workbook returns, audits ------------------------------------

def _contract_positions(db: sqlite_utils.Database, quarter: Quarter):
    """The positions Tables 1.1-1.4 print: the quarter's close and, from Quarter 5 on, the
    same close a year earlier (None before that)."""
    from sp_tui.reports.contract import contract_position

    earlier = Quarter(quarter.number - 4) if quarter.number > 4 else None
    return (contract_position(db, quarter),
            contract_position(db, earlier) if earlier else None)


def _held(services: int, providers: int, units: int) -> str:
    s, p, u = figures(services, providers, units)
    return (f"{s} {plural(services, 'service')} from {p} {plural(providers, 'provider')},"
            f" {u} {plural(units, 'unit')}")


@narrator("1.1")
def contractual(db: sqlite_utils.Database, quarter: Quarter) -> list[str]:
    now, before = _contract_positions(db, quarter)
    earlier = ""
    if before is not None:
        earlier = (" (a year earlier: "
                   f"{_held(before.services, before.providers, before.total_units)})"
                   if before.services else " (a year earlier: no services)")
    if not now.services:
        return [f"No services were active in the register at the close of Quarter"
                f" {quarter.number}{earlier}."]
    return [f"At the close of Quarter {quarter.number} the programme held"
            f" {_held(now.services, now.providers, now.total_units)}{earlier}."]


@narrator("1.2")
def contract_units(db: sqlite_utils.Database, quarter: Quarter) -> list[str]:
    from sp_tui.domain.contracts import FLOATING_SUPPORT, HIA, OTHER

    now, _ = _contract_positions(db, quarter)
    if not now.category_total:
        return []
    fs, hia, sheltered, other = figures(now.category(FLOATING_SUPPORT), now.category(HIA),
                                        now.sheltered_units, now.category(OTHER))
    return [f"Of these units, {fs} {plural(now.category(FLOATING_SUPPORT), 'was', 'were')}"
            f" floating support, {hia} in home improvement agencies, {sheltered} sheltered"
            f" and {other} in other accommodation based services."]


@narrator("1.3")
def contract_types(db: sqlite_utils.Database, quarter: Quarter) -> list[str]:
    from sp_tui.domain.contracts import BLOCK_GROSS, BLOCK_SUBSIDY

    now, _ = _contract_positions(db, quarter)
    if not now.type_total:
        return []
    gross, subsidy, capped = figures(now.units_of(BLOCK_GROSS), now.units_of(BLOCK_SUBSIDY),
                                     now.all_capped(True))
    return [capitalise(
        f"{gross} {plural(now.units_of(BLOCK_GROSS), 'unit was', 'units were')} under block"
        f" gross contracts and {subsidy} under block subsidy; {capped} of all units"
        f" {plural(now.all_capped(True), 'was', 'were')} capped.")]


@narrator("1.4")
def contract_values(db: sqlite_utils.Database, quarter: Quarter) -> list[str]:
    now, before = _contract_positions(db, quarter)
    if not now.total_value_pence:
        return []
    earlier = (f" (a year earlier: {Money(before.total_value_pence)})"
               if before is not None and before.total_value_pence else "")
    line = (f"The contracts in force were worth {Money(now.total_value_pence)} a"
            f" year{earlier}")
    if now.floating_support_percent is not None:
        line += (f"; {Percent(now.floating_support_percent)} of the value was floating"
                 f" support and {Percent(now.accommodation_percent)} accommodation based")
    lines = [line + "."]
    if now.grant_pence is not None:
        lines.append(f"The grant from CLG for {now.financial_year} was"
                     f" {Money(now.grant_pence)}.")
    return lines


@narrator("2")
def workbook_returns(db: sqlite_utils.Database, quarter: Quarter) -> list[str]:
    from sp_tui.reports.table2 import table2

    t2 = table2(db, quarter)
    first, last = t2.columns[0].quarter.number, t2.last
    lines = [f"Table 2 shows an analysis of workbook returns from quarters {first} to"
             f" {quarter.number}."]
    if not last.expected:
        lines.append(f"No workbooks were expected in Quarter {quarter.number}.")
        return lines
    by_deadline, expected = figures(last.by_deadline, last.expected)
    share = Percent(last.by_deadline_percent)
    target = WORKBOOKS_BY_DEADLINE_TARGET
    verdict = "meeting" if (share.value or 0) >= target else "below"
    lines.append(capitalise(
        f"{by_deadline} of the {expected} workbooks expected in Quarter {quarter.number}"
        f" ({share}) were returned by the deadline, {verdict} the target of {target}%."))
    return lines


@narrator("2-reminders")
def reminders_and_defaults(db: sqlite_utils.Database, quarter: Quarter) -> list[str]:
    from sp_tui.reports.table2 import table2

    c = table2(db, quarter).last
    q = quarter.number
    if not c.expected:
        return [f"No workbooks were expected in Quarter {q}, so no reminders or default"
                " notices were sent."]
    lines = []
    if c.reminders:
        lines.append(capitalise(f"{count_noun(c.reminders, 'reminder')}"
                                f" {plural(c.reminders, 'was', 'were')} sent to services that"
                                f" missed the deadline in Quarter {q}."))
    else:
        lines.append(f"No reminders were sent in Quarter {q}.")
    if c.by_default_end == c.expected and not c.defaults:
        lines.append(f"In Quarter {q} all services returned their workbook by the end of the"
                     " default period and no default notices have been issued.")
        return lines
    received, expected = figures(c.by_default_end, c.expected)
    lines.append(capitalise(
        f"{received} of the {expected} workbooks ({Percent(c.by_default_end_percent)}) were"
        " received by the end of the default period."))
    if c.defaults:
        lines.append(capitalise(f"{count_noun(c.defaults, 'default notice')}"
                                f" {plural(c.defaults, 'has', 'have')} been issued."))
    else:
        lines.append("No default notices have been issued.")
    if c.excused:
        lines.append(capitalise(
            f"{count_noun(c.excused, 'workbook')} not received"
            f" {plural(c.excused, 'was', 'were')} excused (a failure outside the provider's"
            " control) and will not be defaulted."))
    return lines


@narrator("2-audits")
def workbook_audits(db: sqlite_utils.Database, quarter: Quarter) -> list[str]:
    from sp_tui.reports.workbooks import audit_summary

    s = audit_summary(db, quarter)
    q = quarter.number
    if not s.audits:
        return [f"No workbook audits were carried out during Quarter {q}."]
    lines = [f"The team completed a workbook audit on {count_noun(s.audits, 'service')} during"
             f" Quarter {q}."]
    audits, good = figures(s.audits, s.high_or_medium)
    lines.append(f"Of the {audits} {plural(s.audits, 'service')} audited, {good}"
                 f" {plural(s.high_or_medium, 'was', 'were')} graded as having high or medium"
                 " assurance.")
    if s.low == 1:
        lines.append("The one remaining service was graded as offering low assurance and will"
                     " be revisited during the next quarter.")
    elif s.low:
        lines.append(f"The {figures(s.low)[0]} remaining services were graded as offering low"
                     " assurance and will be revisited during the next quarter.")
    return lines


# -- section 6: quality monitoring -------------------------------------------------------------

@narrator("6")
def qaf_visits(db: sqlite_utils.Database, quarter: Quarter) -> list[str]:
    from sp_tui.reports.qaf_tables import visit_tables

    t6, t7 = visit_tables(db, quarter)
    if not t6.begun:
        return [f"No monitoring visits were begun during Quarter {quarter.number}."]
    lines = [f"Visits to {count_noun(t6.begun, 'service')} were begun during the quarter."]
    if t6.not_completed == 0:
        lines.append(capitalise(f"all {figures(t6.completed)[0]} were completed by quarter"
                                " close." if t6.begun > 1 else "It was completed by quarter"
                                " close."))
    elif t6.completed == 0:
        lines.append("None was completed by quarter close.")
    else:
        done, open_ = figures(t6.completed, t6.not_completed)
        lines.append(capitalise(f"{done} {plural(t6.completed, 'was', 'were')} completed,"
                                f" {open_} {plural(t6.not_completed, 'was', 'were')} not"
                                " completed by quarter close."))
    if t7.completed:
        parts = [f"{n} ({Percent(t7.share(n))}) {what}" for n, what in (
            (t7.higher, "were awarded a higher grade" if t7.higher != 1
             else "was awarded a higher grade"),
            (t7.same, "no change"), (t7.lower, "a lower grade"))]
        lines.append(f"{parts[0]}, {parts[1]} and {parts[2]}.")
        if t7.first_graded:
            lines.append(capitalise(
                f"{count_noun(t7.first_graded, 'service')} had no earlier grade and"
                f" {plural(t7.first_graded, 'was', 'were')} graded for the first time."))
        if t7.not_awarded:
            lines.append(capitalise(
                f"{count_noun(t7.not_awarded, 'visit')} {plural(t7.not_awarded, 'was', 'were')}"
                " completed without a grade being awarded."))
    if t6.awarded.d:
        lines.append(capitalise(
            f"{count_noun(t6.awarded.d, 'service')} {plural(t6.awarded.d, 'was', 'were')}"
            f" awarded grade D and {plural(t6.awarded.d, 'is', 'are')} working to an action"
            " plan under the supervision of the monitoring officer."))
    return lines


@narrator("8")
def qaf_grades(db: sqlite_utils.Database, quarter: Quarter) -> list[str]:
    from sp_tui.reports.qaf_tables import table8

    grades = table8(db, quarter).services
    if not grades.total:
        return []
    lines = [f"Table 8 shows the QAF grading of all services at the end of Quarter"
             f" {quarter.number}."]
    if grades.d:
        lines.append(capitalise(
            f"the {count_noun(grades.d, 'service')} currently graded D"
            f" {plural(grades.d, 'is', 'are')} working to an action plan under the supervision"
            " of a monitoring officer." if grades.d > 1 else
            "The one service currently graded D is working to an action plan under the"
            " supervision of a monitoring officer."))
    else:
        lines.append("No service is currently graded D.")
    return lines


# -- sections 7 and 8: complaints and safeguarding alerts --------------------------------------

@narrator("complaints")
def complaints(db: sqlite_utils.Database, quarter: Quarter) -> list[str]:
    from sp_tui.reports.complaints import complaints_summary

    s = complaints_summary(db, quarter)
    q = quarter.number
    if not s.received:
        lines = [f"No complaints were received in Quarter {q}."]
    else:
        lines = [capitalise(f"{count_noun(s.received, 'complaint')}"
                            f" {plural(s.received, 'was', 'were')} received in Quarter {q}.")]
        if s.received == 1:
            if s.concluded:
                lines.append("It has been concluded.")
            elif s.negotiation:
                lines.append("It is subject to contractual negotiation with the provider.")
            else:
                lines.append("It remains open.")
        else:
            lines.append(capitalise(f"{figures(s.concluded)[0]}"
                                    f" {plural(s.concluded, 'has', 'have')} been concluded."))
            if s.negotiation:
                lines.append(capitalise(
                    f"{figures(s.negotiation)[0]} {plural(s.negotiation, 'is', 'are')}"
                    " subject to contractual negotiation with the provider."))
            if s.still_open:
                lines.append(capitalise(f"{figures(s.still_open)[0]}"
                                        f" {plural(s.still_open, 'remains', 'remain')} open."))
    if s.carried_over_open:
        lines.append(capitalise(
            f"{count_noun(s.carried_over_open, 'complaint')} received earlier"
            f" {plural(s.carried_over_open, 'was', 'were')} still open at the close."))
    return lines


@narrator("9")
def safeguarding(db: sqlite_utils.Database, quarter: Quarter) -> list[str]:
    from sp_tui.reports.safeguarding import table9

    t9 = table9(db, quarter)
    q = quarter.number
    total = t9.total
    if not total.received:
        return [f"No safeguarding alerts were received in Quarter {q}."]
    rows = t9.natures_with_alerts()
    counts = figures(total.received, *(r.received for r in rows))
    parts = [f"{n} {r.label.lower()}" for n, r in zip(counts[1:], rows)]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    lines = [capitalise(f"{counts[0]} safeguarding {plural(total.received, 'alert')}"
                        f" {plural(total.received, 'was', 'were')} received in Quarter {q}:"
                        f" {listed}.")]
    closed, ongoing = figures(total.closed, total.still_open)
    if total.received == 1:
        lines.append("It has been closed following investigation." if total.closed
                     else "It is ongoing.")
    else:
        has, are = plural(total.closed, "has", "have"), plural(total.still_open, "is", "are")
        lines.append(f"Of these, {closed} {has} been closed following investigation and"
                     f" {ongoing} {are} ongoing.")
    return lines


@narrator("9-referrals")
def safeguarding_referrals(db: sqlite_utils.Database, quarter: Quarter) -> list[str]:
    from sp_tui.reports.safeguarding import table9

    t9 = table9(db, quarter)
    total = t9.total.received
    if not total:
        return []
    if t9.referred_in_time == total:
        return ["Every alert was passed to a Safeguarding Co-ordinator within one working day."
                if total > 1 else "The alert was passed to a Safeguarding Co-ordinator within"
                " one working day."]
    in_time, whole = figures(t9.referred_in_time, total)
    lines = [capitalise(f"{in_time} of the {whole} alerts ({_pct(t9.referred_in_time, total)})"
                        " were passed to a Safeguarding Co-ordinator within one working day.")]
    if t9.not_referred:
        lines.append(capitalise(f"{count_noun(t9.not_referred, 'alert')}"
                                f" {plural(t9.not_referred, 'has', 'have')} not yet been"
                                " referred."))
    return lines


# -- section 5: reconnection (Appendix 6) -------------------------------------------------------
# The notes under Tables 4.3, 4.4 and 4.9 are sentences the reconnection report derives from
# the same counts as its tables; the section repeats them. A quarter with no movements says so
# once, under 4.3, and the other positions add nothing.

def _movements(db: sqlite_utils.Database, quarter: Quarter):
    from sp_tui.reports.reconnection import movements

    return movements(db, quarter)


@narrator("4.3")
def reconnection_entrants(db: sqlite_utils.Database, quarter: Quarter) -> list[str]:
    from sp_tui.reports.reconnection import entrant_notes

    data = _movements(db, quarter)
    if not data.rows:
        return [f"No movements into or out of short-term services were reported for Quarter"
                f" {quarter.number}."]
    return entrant_notes(data)


@narrator("4.4")
def reconnection_out_of_area(db: sqlite_utils.Database, quarter: Quarter) -> list[str]:
    from sp_tui.reports.reconnection import table_4_4

    data = _movements(db, quarter)
    if not data.entrants():
        return []
    return list(table_4_4(db, quarter, data).footnotes)


@narrator("4.9")
def reconnection_leavers(db: sqlite_utils.Database, quarter: Quarter) -> list[str]:
    from sp_tui.reports.reconnection import leaver_notes

    data = _movements(db, quarter)
    return leaver_notes(data) if data.rows else []


def _resettled_sentence(table, who: str) -> list[str]:
    """The districts Table 4.10 or 4.11 shows most leavers settling in, from its total row."""
    total_row = table.rows[-1]
    districts, counts, whole = table.columns[1:-1], total_row[1:-1], total_row[-1]
    if not whole:
        return []
    top = sorted(((n, d) for d, n in zip(districts, counts) if n), key=lambda i: (-i[0], i[1]))
    if len(top) == 1:
        noun = who.replace("leavers", "leaver") if whole == 1 else who
        return [capitalise(f"{whole} {noun} {plural(whole, 'was', 'were')} resettled in the"
                           f" county, in {top[0][1]}.")]
    named = [f"{d} ({n})" for n, d in top[:3]]
    listed = ", ".join(named[:-1]) + " and " + named[-1]
    return [f"Of the {whole} {who} resettled in the county, the most settled in {listed}."]


@narrator("4.10")
def reconnection_resettled(db: sqlite_utils.Database, quarter: Quarter) -> list[str]:
    from sp_tui.reports.reconnection import table_4_10

    return _resettled_sentence(table_4_10(db, quarter, _movements(db, quarter)), "leavers")


@narrator("4.11")
def reconnection_resettled_from_out(db: sqlite_utils.Database, quarter: Quarter) -> list[str]:
    from sp_tui.reports.reconnection import table_4_11

    return _resettled_sentence(table_4_11(db, quarter, _movements(db, quarter)),
                               "leavers from out of the county")


# -- section 3: KPIs; section 4: outcomes -------------------------------------------------------

def _kpi_words(kpi: int) -> str:
    return ("the proportion maintaining independent living (KPI 1)" if kpi == 1 else
            "the proportion moving on in a planned way (KPI 2)")


def _kpi_sentences(db: sqlite_utils.Database, quarter: Quarter, kpi: int) -> list[str]:
    from sp_tui.domain.kpi import CLASS_LABELS, SERVICE_CLASSES
    from sp_tui.reports.kpis import kpi_settings, kpi_sums

    n = quarter.number
    sums = kpi_sums(db, n, n)
    overall = sums.overall.get(n)
    value = overall.percent(kpi) if overall else None
    if value is None:
        return [f"No KPI {kpi} figures are recorded for Quarter {n}."]
    settings = kpi_settings(db)
    target, rating = settings.target(kpi, quarter), settings.rag(kpi, quarter, value)
    against = "" if target is None else (
        f", {'meeting' if value >= target else 'below'} the target of {target.normalize():f}%"
        + (f" ({str(rating).lower()})" if rating else ""))
    lines = [capitalise(f"{_kpi_words(kpi)} was {value:.2f}% in Quarter {n}{against}.")]
    if kpi == 1:
        parts = []
        for klass in SERVICE_CLASSES:
            cell = sums.by_class.get((n, klass))
            share = cell.percent(1) if cell else None
            if share is not None:
                parts.append(f"{CLASS_LABELS[klass].lower()} {share:.2f}%")
        if parts:
            lines.append("By service type: " + ", ".join(parts) + ".")
    groups = [(g, s.percent(kpi)) for (q, g), s in sums.by_group.items()
              if q == n and s.percent(kpi) is not None]
    if len(groups) > 1:
        lowest = min(groups, key=lambda item: (item[1], item[0]))
        highest = max(groups, key=lambda item: (item[1], item[0]))
        lines.append(f"By primary client group, the lowest figure was for {lowest[0].lower()}"
                     f" ({lowest[1]:.2f}%) and the highest for {highest[0].lower()}"
                     f" ({highest[1]:.2f}%).")
    return lines


@narrator("2.1")
def kpi1(db: sqlite_utils.Database, quarter: Quarter) -> list[str]:
    return _kpi_sentences(db, quarter, 1)


@narrator("2.3")
def kpi2(db: sqlite_utils.Database, quarter: Quarter) -> list[str]:
    return _kpi_sentences(db, quarter, 2)


@narrator("A4")
def outcomes(db: sqlite_utils.Database, quarter: Quarter) -> list[str]:
    from sp_tui.domain.outcomes import CODES, OUTCOMES
    from sp_tui.reports.outcomes import Period, cached_figures

    figures_ = cached_figures(db, Period(quarter, ytd=True))
    total = figures_.total
    if not total.returns:
        return [f"No outcome returns are recorded for {quarter.financial_year} to Quarter"
                f" {quarter.number}."]
    needs, achieved = total.outcome_needs(CODES), total.outcome_achieved(CODES)
    lines = [f"{total.returns:,} outcome returns were made for clients who left short-term"
             f" services in {quarter.financial_year} to Quarter {quarter.number}."]
    if needs:
        from sp_tui.domain.outcomes import rate

        lines.append(f"Of {needs:,} support needs identified, {achieved:,} outcomes were"
                     f" achieved: an overall success rate of {rate(achieved, needs)}%.")
        rates = []
        for outcome in OUTCOMES:
            codes = [s.code for s in outcome.subs]
            whole = total.outcome_needs(codes)
            if whole:
                rates.append((rate(total.outcome_achieved(codes), whole), outcome.label))
        if len(rates) > 1:
            best, worst = max(rates), min(rates)
            lines.append(f"The highest success rate was for \"{best[1]}\" ({best[0]}%),"
                         f" the lowest for \"{worst[1]}\" ({worst[0]}%).")
    return lines
