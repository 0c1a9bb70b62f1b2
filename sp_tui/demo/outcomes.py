"""Demo outcome returns and long-term annual returns, imported through the service layer.

About 1,300 short-term returns a quarter per unit of scale (Appendix 3: 1,295), for the last
six quarters (outcome returns are read a financial year at a time); needs and successes drawn
at the published Appendix 4 rates. A few services make no returns in a quarter, and about a
quarter of long-term services have not made their annual return by the year's end, so the
Outcomes screen's missing list has something to show.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import sqlite_utils

from sp_tui.domain.outcomes import CODES
from sp_tui.domain.quarters import Quarter, quarters_in_financial_year
from sp_tui.services.outcomes import import_annual_returns, import_outcome_returns

QUARTERS = 6
RETURNS_PER_QUARTER = 1300
# (needs identified per return, share achieved) from Appendix 4: 927 of 1,295 returns had an
# income need, 823 of them achieved, ...
_RATES = {
    "income": (927, 823), "debt": (560, 392), "paid_work": (342, 267),
    "training": (410, 241), "informal_learning": (296, 231), "work_like": (224, 123),
    "external_groups": (729, 656), "physical_health": (474, 366),
    "mental_health": (451, 303), "substance_misuse": (377, 203),
    "assistive_technology": (50, 43), "accommodation": (708, 517),
    "statutory_orders": (218, 149), "self_harm": (110, 90), "harm_to_others": (106, 71),
    "harm_from_others": (270, 221), "confidence_choice": (758, 627),
}
_NEED = {code: needs / 1295 for code, (needs, _) in _RATES.items()}
_SUCCESS = {code: achieved / needs for code, (needs, achieved) in _RATES.items()}
# The shortest services achieve less (section 4.11).
_TYPE_SUCCESS = {"Direct access": 0.9, "Outreach": 0.92, "Women's refuge": 0.95, "Foyer": 1.08}


def _answer(value: bool | None) -> str:
    return "" if value is None else "yes" if value else "no"


def _return_row(rng: random.Random, service: tuple, departure: date, n: int,
                groups: list[str]) -> dict:
    ref, _, _, group, outcome_type = service
    factor = _TYPE_SUCCESS.get(outcome_type, 1.0)
    roll = rng.random()
    planned = True if roll < 0.595 else False if roll < 0.988 else None
    client = group if rng.random() < 0.85 else rng.choice(groups)
    if rng.random() < 0.002:
        client = "not given"
    row = {"return_ref": f"CHR-{departure:%y%m}-{n:07d}", "service_ref": ref,
           "departure_date": departure.isoformat(), "client_group": client,
           "planned_move": _answer(planned),
           "greater_independence": _answer(rng.random() < 0.905) if planned else ""}
    for code in CODES:
        need = rng.random() < _NEED[code]
        row[f"{code}_need"] = "yes" if need else ""
        row[f"{code}_achieved"] = _answer(rng.random() < _SUCCESS[code] * factor) if need else ""
    return row


def generate(db: sqlite_utils.Database, plan, rng: random.Random) -> None:
    # Six quarters (the last financial year whole) at small scales; at scale 5 and over the
    # last four, so the larger demos stay quick to build.
    quarters = QUARTERS if plan.scale < 5 else 4
    first = max(plan.first_quarter, plan.last_quarter - quarters + 1)
    services = db.execute(
        "SELECT s.service_ref, s.start_date, s.end_date, s.client_group, m.outcome_type"
        " FROM services s JOIN outcome_service_types m ON m.service_type = s.service_type"
        " WHERE m.outcome_type IS NOT NULL ORDER BY s.service_ref").fetchall()
    groups = [g for (g,) in db.execute(
        "SELECT value FROM reference_values WHERE kind = 'client_group' ORDER BY value")]
    horizon = Quarter(plan.last_quarter).end + timedelta(days=45)
    today = max(horizon, date.today())
    rows: list[tuple[int, dict]] = []
    for number in range(first, plan.last_quarter + 1):
        quarter = Quarter(number)
        start, end = quarter.start.isoformat(), quarter.end.isoformat()
        active = [s for s in services if s[1] <= end and (s[2] is None or s[2] >= start)]
        if not active:
            continue
        # Most services return every quarter; about one in twelve makes none.
        returning = [s for s in active if rng.random() > 0.08]
        per_service = RETURNS_PER_QUARTER * plan.scale / max(1, len(returning))
        for service in returning:
            first_day = max(quarter.start, date.fromisoformat(service[1]))
            last_day = min(quarter.end, date.fromisoformat(service[2])) if service[2] \
                else quarter.end
            span = (last_day - first_day).days
            for _ in range(max(1, round(rng.gauss(per_service, per_service / 3)))):
                departure = first_day + timedelta(days=rng.randint(0, span))
                rows.append((len(rows) + 2, _return_row(rng, service, departure, len(rows),
                                                        groups)))
    if rows:
        import_outcome_returns(db, rows, source="demo", today=today)
    _annual_returns(db, plan, rng, first, horizon, today)


def _annual_returns(db: sqlite_utils.Database, plan, rng: random.Random, first: int,
                    horizon: date, today: date) -> None:
    """Three in four long-term services make their annual return, on a day spread over the
    financial year (so the year-to-date measure climbs through the year)."""
    years = sorted({Quarter(n).financial_year for n in range(first, plan.last_quarter + 1)})
    services = db.execute("SELECT service_ref, start_date, end_date FROM services"
                          " WHERE term = 'long' ORDER BY service_ref").fetchall()
    rows: list[tuple[int, dict]] = []
    for year in years:
        quarters = quarters_in_financial_year(year)
        year_start, year_end = quarters[0].start, quarters[-1].end
        for ref, start, end in services:
            if start > year_end.isoformat() or (end is not None and end < year_start.isoformat()):
                continue
            if rng.random() > 0.75:
                continue
            received = year_start + timedelta(days=rng.randint(30, 364))
            if received > horizon:
                continue
            rows.append((len(rows) + 2, {"service_ref": ref, "financial_year": year,
                                         "received_date": received.isoformat()}))
    if rows:
        import_annual_returns(db, rows, source="demo", today=today)
