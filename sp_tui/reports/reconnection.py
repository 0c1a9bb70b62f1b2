"""Appendix 6: reconnection tables 4.3, 4.4, 4.9, 4.10 and 4.11 with the notes under them,
the monthly returns still missing, the dashboard panel and the needs-attention source.

Every table of a period is built from one aggregate query (``movements``); the notes are
sentences computed from the same counts, so they cannot disagree with the tables.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

import sqlite_utils

from sp_tui.domain.quarters import Quarter
from sp_tui.domain.reconnection import (
    ENTRANT, FROM_COUNTY, FROM_NOWHERE, FROM_OUT, FROM_UNDISCLOSED, LEAVER, MIN_GROUP_FOR_SHARE,
    NOT_KNOWN, ORIGIN_CLASSES, OUT_OF_COUNTY, Areas, MonthRange,
    month_first, month_label, month_last, return_due, share, share_text,
)
from sp_tui.reports.tables import Percent, ReportTable

Period = Quarter | MonthRange
AREA_ID = "reconnection"


def areas_in_use(db: sqlite_utils.Database) -> Areas:
    """The register's districts (in the order of the published tables) and the fixed classes."""
    return Areas(tuple(r[0] for r in db.execute(
        "SELECT value FROM reference_values WHERE kind = 'district'"
        " ORDER BY value COLLATE NOCASE")))


def month_range(period: Period) -> MonthRange:
    return MonthRange.of_quarter(period) if isinstance(period, Quarter) else period


def period_label(period: Period) -> str:
    months = month_range(period)
    if isinstance(period, Quarter):
        return f"Q{period.number} {months.label}"
    return months.label


class Movement(NamedTuple):
    movement: str
    district: str  # the service's district
    client_group: str
    origin: str
    settled: str
    origin_area: str
    people: int


@dataclass
class Movements:
    """Every movement of a period, aggregated, with what the tables need to lay them out."""

    period: Period
    areas: Areas
    client_groups: list[str]
    rows: list[Movement] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._entrants = [m for m in self.rows if m.movement == ENTRANT]
        self._leavers = [m for m in self.rows if m.movement == LEAVER]

    def entrants(self) -> list[Movement]:
        return self._entrants

    def leavers(self) -> list[Movement]:
        return self._leavers

    def origin_class(self, m: Movement) -> str:
        return self.areas.origin_class(m.origin)


def movements(db: sqlite_utils.Database, period: Period) -> Movements:
    """One GROUP BY over the period's months (the covering index answers it)."""
    months = month_range(period)
    rows = [Movement._make(r) for r in db.execute(
        "SELECT m.movement, s.district, m.client_group, m.origin, m.settled, m.origin_area,"
        " sum(m.count) FROM reconnection_movements m JOIN services s ON s.id = m.service_id"
        " WHERE m.month BETWEEN ? AND ?"
        " GROUP BY m.movement, s.district, m.client_group, m.origin, m.settled, m.origin_area",
        (months.first, months.last))]
    groups = {m.client_group for m in rows}
    # Client groups of the short-term services running in the period get a row even at 0,
    # as the published tables show them.
    groups |= {r[0] for r in db.execute(
        "SELECT DISTINCT client_group FROM services WHERE term = 'short' AND start_date <= ?"
        " AND (end_date IS NULL OR end_date >= ?)",
        (month_last(months.last).isoformat(), month_first(months.first).isoformat()))}
    order = {v.casefold(): n for n, (v,) in enumerate(db.execute(
        "SELECT value FROM reference_values WHERE kind = 'client_group'"
        " ORDER BY value COLLATE NOCASE"))}
    ordered = sorted(groups, key=lambda g: (order.get(g.casefold(), len(order)), g.casefold()))
    return Movements(period, areas_in_use(db), ordered, rows)


def _subtitle(data: Movements, what: str) -> str:
    return f"{period_label(data.period)}: {what}"


# -- Table 4.3 ---------------------------------------------------------------------------------

CLASS_ORDER = (FROM_OUT, FROM_COUNTY, FROM_NOWHERE, FROM_UNDISCLOSED)


def entrants_by_class(data: Movements) -> dict[str, dict[str, int]]:
    """client group -> origin class -> entrants."""
    found: dict[str, dict[str, int]] = {g: dict.fromkeys(CLASS_ORDER, 0)
                                        for g in data.client_groups}
    for m in data.entrants():
        found[m.client_group][data.origin_class(m)] += m.people
    return found


def table_4_3(db: sqlite_utils.Database, period: Period,
              data: Movements | None = None) -> ReportTable:
    data = data or movements(db, period)
    by_group = entrants_by_class(data)
    rows: list[list[object]] = []
    totals = dict.fromkeys(CLASS_ORDER, 0)
    for group, counts in by_group.items():
        rows.append([group, *counts.values(), sum(counts.values())])
        for key, n in counts.items():
            totals[key] += n
    total = sum(totals.values())
    rows.append(["Total", *totals.values(), total])
    rows.append(["% of total", *[Percent(share(n, total), 1) for n in totals.values()],
                 Percent(share(total, total), 1)])
    return ReportTable(
        key="table4_3", title="Table 4.3: New entrants to services by client group and origin",
        columns=["Client group", *[ORIGIN_CLASSES[k] for k in CLASS_ORDER], "Total"],
        rows=rows, subtitle=_subtitle(data, "people entering short-term services"),
        total_rows=2, footnotes=entrant_notes(data))


def entrant_notes(data: Movements) -> list[str]:
    by_group = entrants_by_class(data)
    totals = {k: sum(c[k] for c in by_group.values()) for k in CLASS_ORDER}
    total = sum(totals.values())
    if not total:
        return ["No entrants were reported in the period."]
    notes = [
        f"Of {total} entrants, {totals[FROM_OUT]} ({share_text(totals[FROM_OUT], total)}) came"
        f" from out of the county, {totals[FROM_COUNTY]}"
        f" ({share_text(totals[FROM_COUNTY], total)}) from a district of the county,"
        f" {totals[FROM_NOWHERE]} ({share_text(totals[FROM_NOWHERE], total)}) had no"
        f" connections anywhere and {totals[FROM_UNDISCLOSED]}"
        f" ({share_text(totals[FROM_UNDISCLOSED], total)}) did not disclose their origin."]
    ranked = sorted(((share(c[FROM_OUT], sum(c.values())) or 0.0, g, c)
                     for g, c in by_group.items()
                     if sum(c.values()) >= MIN_GROUP_FOR_SHARE and c[FROM_OUT]),
                    key=lambda item: (-item[0], item[1]))
    if ranked:
        named = "; ".join(f"{g}, {c[FROM_OUT]} of {sum(c.values())} ({value:.1f}%)"
                          for value, g, c in ranked[:2])
        notes.append(f"Highest shares from out of the county (client groups with"
                     f" {MIN_GROUP_FOR_SHARE} or more entrants): {named}.")
    named_areas: dict[str, int] = defaultdict(int)
    for m in data.entrants():
        if m.origin == OUT_OF_COUNTY and m.origin_area:
            named_areas[m.origin_area] += m.people
    if named_areas:
        listed = ", ".join(f"{a} {n}" for a, n in
                           sorted(named_areas.items(), key=lambda i: (-i[1], i[0])))
        notes.append(f"Named areas out of the county: {listed}"
                     f" ({sum(named_areas.values())} of {totals[FROM_OUT]}).")
    return notes


# -- Table 4.4 ---------------------------------------------------------------------------------

def _out_of_area_origins(areas: Areas) -> tuple[str, ...]:
    return areas.origins


def table_4_4(db: sqlite_utils.Database, period: Period,
              data: Movements | None = None) -> ReportTable:
    """Entrants from outside their service's district, by the service's district and client
    group (a block per district with a total) and by area of origin."""
    data = data or movements(db, period)
    origins = _out_of_area_origins(data.areas)
    cells: dict[str, dict[str, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: dict.fromkeys(origins, 0)))
    for m in data.entrants():
        if m.origin != m.district:
            cells[m.district][m.client_group][m.origin] += m.people
    rows: list[list[object]] = []
    grand = dict.fromkeys(origins, 0)
    for district in data.areas.districts:
        if district not in cells:
            continue
        block = dict.fromkeys(origins, 0)
        for group in data.client_groups:
            if group not in cells[district]:
                continue
            counts = cells[district][group]
            rows.append([district, group, *_own_blank(counts, district),
                         sum(counts.values())])
            for origin, n in counts.items():
                block[origin] += n
        rows.append([district, "Total", *_own_blank(block, district), sum(block.values())])
        for origin, n in block.items():
            grand[origin] += n
    rows.append(["All districts", "Total", *grand.values(), sum(grand.values())])
    return ReportTable(
        key="table4_4",
        title="Table 4.4: Entrants from outside the service's district, by location and"
              " client group of service and area of origin",
        columns=["Service district", "Client group", *origins, "Total"], rows=rows,
        subtitle=_subtitle(data, "the service's own district is left blank"), total_rows=1,
        footnotes=out_of_area_notes(data, grand))


def _own_blank(counts: dict[str, int], district: str) -> list[object]:
    return [None if origin == district else n for origin, n in counts.items()]


def out_of_area_notes(data: Movements, grand: dict[str, int]) -> list[str]:
    entrants = sum(m.people for m in data.entrants())
    moved = sum(grand.values())
    if not moved:
        return ["No entrants came from outside their service's district."]
    by_district: dict[str, int] = defaultdict(int)
    left: dict[str, int] = defaultdict(int)
    for m in data.entrants():
        if m.origin != m.district:
            by_district[m.district] += m.people
            if m.origin in data.areas.districts:
                left[m.origin] += m.people
    top = sorted(by_district.items(), key=lambda i: (-i[1], i[0]))[:3]
    notes = [f"{moved} of {entrants} entrants ({share_text(moved, entrants)}) came from outside"
             f" their service's district. Most went to services in "
             + ", ".join(f"{d} ({n}, {share_text(n, moved)})" for d, n in top) + "."]
    if left:
        top_left = sorted(left.items(), key=lambda i: (-i[1], i[0]))[:5]
        notes.append("Districts of the county most left for services elsewhere: "
                     + ", ".join(f"{d} {n}" for d, n in top_left) + ".")
    return notes


# -- Table 4.9 ---------------------------------------------------------------------------------

def leaver_matrix(data: Movements) -> dict[str, dict[str, int]]:
    """area settled -> area of origin -> leavers (every area, zeros included)."""
    matrix = {s: dict.fromkeys(data.areas.origins, 0) for s in data.areas.settled_areas}
    for m in data.leavers():
        matrix[m.settled][m.origin] += m.people
    return matrix


def table_4_9(db: sqlite_utils.Database, period: Period,
              data: Movements | None = None) -> ReportTable:
    data = data or movements(db, period)
    matrix = leaver_matrix(data)
    origins = data.areas.origins
    rows = [[settled, *counts.values(), sum(counts.values())]
            for settled, counts in matrix.items()]
    column_totals = [sum(matrix[s][o] for s in matrix) for o in origins]
    rows.append(["Total", *column_totals, sum(column_totals)])
    return ReportTable(
        key="table4_9",
        title="Table 4.9: Service users moving on, by area settled and area of origin",
        columns=["Area settled", *origins, "Total"], rows=rows,
        subtitle=_subtitle(data, "rows: where leavers settled; columns: where they came from"),
        total_rows=1, footnotes=leaver_notes(data))


@dataclass(frozen=True)
class LeaverFigures:
    total: int
    from_out: int
    from_county: int
    from_nowhere: int
    undisclosed: int
    settled_in_county: int
    not_known: int
    reconnected_own_district: int
    out_to_out: int
    out_to_county: int
    out_not_known: int


def leaver_figures(data: Movements) -> LeaverFigures:
    districts = set(data.areas.districts)
    f: defaultdict[str, int] = defaultdict(int)
    for m in data.leavers():
        kind = data.origin_class(m)
        f["total"] += m.people
        f[kind] += m.people
        if m.settled in districts:
            f["in_county"] += m.people
        if m.settled == NOT_KNOWN:
            f["not_known"] += m.people
        if kind == FROM_COUNTY and m.settled == m.origin:
            f["own"] += m.people
        if kind == FROM_OUT:
            f["out_out"] += m.people if m.settled == OUT_OF_COUNTY else 0
            f["out_county"] += m.people if m.settled in districts else 0
            f["out_unknown"] += m.people if m.settled == NOT_KNOWN else 0
    return LeaverFigures(f["total"], f[FROM_OUT], f[FROM_COUNTY], f[FROM_NOWHERE],
                         f[FROM_UNDISCLOSED], f["in_county"], f["not_known"], f["own"],
                         f["out_out"], f["out_county"], f["out_unknown"])


def leaver_notes(data: Movements) -> list[str]:
    f = leaver_figures(data)
    if not f.total:
        return ["No leavers were reported in the period."]
    origin = (f"Of {f.total} leavers, {f.from_out} ({share_text(f.from_out, f.total)})"
              f" originated from out of the county, {f.from_county}"
              f" ({share_text(f.from_county, f.total)}) from the county")
    if f.from_nowhere:
        origin += (f", {f.from_nowhere} ({share_text(f.from_nowhere, f.total)}) had no"
                   f" connections anywhere")
    origin += (f" and for {f.undisclosed} ({share_text(f.undisclosed, f.total)}) the area of"
               f" origin was not disclosed.")
    notes = [origin,
             f"{f.settled_in_county} ({share_text(f.settled_in_county, f.total)}) were"
             f" resettled within the county; {f.not_known} ({share_text(f.not_known, f.total)})"
             f" left in an unplanned way or to a place not known."]
    if f.from_county:
        notes.append(f"Of {f.from_county} leavers from the county's districts,"
                     f" {f.reconnected_own_district}"
                     f" ({share_text(f.reconnected_own_district, f.from_county)}) were"
                     f" reconnected to their district of origin.")
    if f.from_out:
        notes.append(f"Of {f.from_out} leavers from out of the county, {f.out_to_out}"
                     f" ({share_text(f.out_to_out, f.from_out)}) were reconnected out of the"
                     f" county, {f.out_to_county} ({share_text(f.out_to_county, f.from_out)})"
                     f" resettled within it and {f.out_not_known}"
                     f" ({share_text(f.out_not_known, f.from_out)}) left in an unplanned way.")
    return notes


# -- Tables 4.10 and 4.11 ---------------------------------------------------------------------

def _resettled(data: Movements, *, origin: str | None) -> list[list[object]]:
    districts = data.areas.districts
    cells = {g: dict.fromkeys(districts, 0) for g in data.client_groups}
    for m in data.leavers():
        if m.settled in cells[m.client_group] and (origin is None or m.origin == origin):
            cells[m.client_group][m.settled] += m.people
    rows = [[g, *c.values(), sum(c.values())] for g, c in cells.items()]
    totals = [sum(cells[g][d] for g in cells) for d in districts]
    rows.append(["Total", *totals, sum(totals)])
    return rows


def table_4_10(db: sqlite_utils.Database, period: Period,
               data: Movements | None = None) -> ReportTable:
    data = data or movements(db, period)
    return ReportTable(
        key="table4_10",
        title="Table 4.10: Resettlement of service users in the county, by client group and"
              " district", columns=["Client group", *data.areas.districts, "Total"],
        rows=_resettled(data, origin=None), total_rows=1,
        subtitle=_subtitle(data, "leavers settled in a district of the county"))


def table_4_11(db: sqlite_utils.Database, period: Period,
               data: Movements | None = None) -> ReportTable:
    data = data or movements(db, period)
    return ReportTable(
        key="table4_11",
        title="Table 4.11: Resettlement in the county of service users originally from out of"
              " the county, by client group and district",
        columns=["Client group", *data.areas.districts, "Total"],
        rows=_resettled(data, origin=OUT_OF_COUNTY), total_rows=1,
        subtitle=_subtitle(data, "leavers from out of the county settled in a district"))


TABLE_BUILDERS = (table_4_3, table_4_4, table_4_9, table_4_10, table_4_11)


def reconnection_tables(db: sqlite_utils.Database, period: Period) -> list[ReportTable]:
    """The five tables of a period from one query."""
    data = movements(db, period)
    return [build(db, period, data) for build in TABLE_BUILDERS]


def heat_map(data: Movements) -> tuple[list[str], list[list[int]]]:
    """Table 4.9's district x district block: (districts, rows settled x columns origin)."""
    matrix = leaver_matrix(data)
    districts = list(data.areas.districts)
    return districts, [[matrix[s][o] for o in districts] for s in districts]


# -- monthly returns ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ReturnStatus:
    service_id: str
    service_ref: str
    service_name: str
    provider: str
    district: str
    month: str
    due: date
    received_date: str | None

    @property
    def key(self) -> str:
        return f"{self.service_id}:{self.month}"


_EXPECTED = (
    " FROM services s JOIN providers p ON p.id = s.provider_id"
    " LEFT JOIN reconnection_returns r ON r.service_id = s.id AND r.month = ?"
    " WHERE s.term = 'short' AND s.start_date <= ? AND (s.end_date IS NULL OR s.end_date >= ?)")


def _month_args(month: str) -> tuple[str, str, str]:
    return month, month_last(month).isoformat(), month_first(month).isoformat()


def monthly_returns(db: sqlite_utils.Database, period: Period,
                    *, missing_only: bool = False) -> list[ReturnStatus]:
    """Every return expected in the period: each short-term service running in the month
    (``missing_only``: those not received)."""
    found = []
    for month in month_range(period).months:
        due = return_due(month)
        found += [ReturnStatus(r[0], r[1], r[2], r[3], r[4], month, due, r[5]) for r in db.execute(
            "SELECT s.id, s.service_ref, s.name, p.name, s.district, r.received_date"
            + _EXPECTED + (" AND r.id IS NULL" if missing_only else "")
            + " ORDER BY s.service_ref COLLATE NOCASE", _month_args(month))]
    return found


def return_counts(db: sqlite_utils.Database, period: Period) -> tuple[int, int]:
    """(expected, received) monthly returns in the period."""
    expected = received = 0
    for month in month_range(period).months:
        e, r = db.execute(
            "SELECT count(*), count(r.id)"
            + _EXPECTED.replace(" JOIN providers p ON p.id = s.provider_id", ""),
            _month_args(month)).fetchone()
        expected, received = expected + e, received + r
    return expected, received


def missing_returns(db: sqlite_utils.Database, period: Period,
                    today: date) -> list[ReturnStatus]:
    """Returns past their due date and not received, oldest month first."""
    return [r for month in month_range(period).months if return_due(month) < today
            for r in monthly_returns(db, MonthRange(month, month), missing_only=True)]


def missing_returns_table(db: sqlite_utils.Database, period: Period,
                          today: date) -> ReportTable:
    rows: list[list[object]] = [
        [r.service_ref, r.service_name, r.provider, r.district, month_label(r.month),
         r.due.isoformat()] for r in missing_returns(db, period, today)]
    return ReportTable(
        key="reconnection_missing", title="Monthly reconnection returns missing",
        columns=["Service", "Name", "Provider", "District", "Month", "Due"], rows=rows,
        subtitle=f"{period_label(period)}, as of {today.isoformat()}")


def missing_return_attention(db: sqlite_utils.Database, quarter: Quarter, today: date) -> list:
    from sp_tui.reports.attention import AttentionItem

    return [AttentionItem(area=AREA_ID, kind="Monthly reconnection return missing",
                          record_id=r.key,
                          text=f"{r.service_ref} {r.service_name}, {month_label(r.month)}",
                          since=r.due)
            for r in missing_returns(db, quarter, today)]


def reconnection_panel(db: sqlite_utils.Database, quarter: Quarter) -> ReportTable:
    """The dashboard's summary of the quarter's reconnection figures."""
    data = movements(db, quarter)
    entrants = sum(m.people for m in data.entrants())
    from_out = sum(m.people for m in data.entrants() if data.origin_class(m) == FROM_OUT)
    f = leaver_figures(data)
    expected, received = return_counts(db, quarter)
    rows: list[list[object]] = [
        ["Entrants", entrants, None],
        ["  from out of the county", from_out, Percent(share(from_out, entrants), 1)],
        ["Leavers", f.total, None],
        ["  resettled in the county", f.settled_in_county,
         Percent(share(f.settled_in_county, f.total), 1)],
        ["  reconnected to own district", f.reconnected_own_district,
         Percent(share(f.reconnected_own_district, f.from_county), 1)],
        ["Monthly returns received", received, Percent(share(received, expected), 1)],
    ]
    return ReportTable(key="reconnection", title=f"Reconnection, Q{quarter.number}",
                       columns=["", "People", "%"], rows=rows,
                       subtitle=month_range(quarter).label,
                       footnotes=["Own district: % of leavers from the county's districts."])


@dataclass(frozen=True)
class ReturnSheet:
    """A service's return for a month as the grid shows it: counts by (movement, client
    group, origin, settled), named out-of-county areas added together."""

    service_ref: str
    service_name: str
    client_group: str
    district: str
    term: str
    month: str
    received_date: str | None
    cells: dict[tuple[str, str, str, str], int]


def return_sheet(db: sqlite_utils.Database, service_ref: str, month: str) -> ReturnSheet | None:
    service = db.execute("SELECT id, service_ref, name, client_group, district, term"
                         " FROM services WHERE service_ref = ? COLLATE NOCASE",
                         (service_ref.strip(),)).fetchone()
    if service is None:
        return None
    received = db.execute("SELECT received_date FROM reconnection_returns"
                          " WHERE service_id = ? AND month = ?", (service[0], month)).fetchone()
    cells: dict[tuple[str, str, str, str], int] = defaultdict(int)
    for movement, group, origin, settled, n in db.execute(
            "SELECT movement, client_group, origin, settled, count FROM reconnection_movements"
            " WHERE service_id = ? AND month = ?", (service[0], month)):
        cells[(movement, group, origin, settled)] += n
    return ReturnSheet(service[1], service[2], service[3], service[4], service[5], month,
                       received[0] if received else None, dict(cells))


def reconnection_import_rows(db: sqlite_utils.Database):
    """Every movement in the import format's column order (``export data``)."""
    yield from db.execute(
        "SELECT s.service_ref, m.month, m.movement, m.client_group, m.origin, m.settled,"
        " m.origin_area, m.count FROM reconnection_movements m"
        " JOIN services s ON s.id = m.service_id"
        " ORDER BY m.month, s.service_ref, m.movement, m.client_group, m.origin, m.settled,"
        " m.origin_area")


def return_import_rows(db: sqlite_utils.Database):
    """Every monthly return received, in the import format's column order."""
    yield from db.execute(
        "SELECT s.service_ref, r.month, r.received_date FROM reconnection_returns r"
        " JOIN services s ON s.id = r.service_id ORDER BY r.month, s.service_ref")
