"""Demo reconnection returns: the last four quarters of the plan, every short-term service,
month by month, through the same import functions a team uses.

Volumes as in Appendix 6: roughly 180 entrants and 135 leavers a quarter per unit of scale;
women fleeing domestic abuse and offenders come from out of the county more often than
others; most leavers from a district go back to it or stay near the service. A few recent
returns are missing, so the missing-returns list has something to show.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import sqlite_utils

from sp_tui.domain.quarters import Quarter
from sp_tui.domain.reconnection import (
    NO_CONNECTIONS, NOT_DISCLOSED, NOT_KNOWN, OUT_OF_COUNTY, MonthRange, month_first, month_last,
)
from sp_tui.reports.reconnection import areas_in_use
from sp_tui.services.reconnection import import_reconnection, import_returns

QUARTERS = 4
ENTRANTS_PER_MONTH = 60  # per unit of scale
LEAVERS_PER_MONTH = 45
OUT_OF_COUNTY_SHARE = {"People at risk of domestic violence": 0.64,
                       "Offenders or people at risk of offending": 0.6}
NAMED_AREAS = [("Inner and Outer London", 5), ("Medway", 4), ("Surrey", 2), ("Bexley", 1),
               ("East Sussex", 1), ("Essex", 1)]


def _origin(rng: random.Random, group: str, home: str, districts: list[str]) -> tuple[str, str]:
    draw = rng.random()
    out = OUT_OF_COUNTY_SHARE.get(group, 0.4)
    if draw < out:
        area = rng.choices([a for a, _ in NAMED_AREAS], [w for _, w in NAMED_AREAS])[0] \
            if rng.random() < 0.6 else ""
        return OUT_OF_COUNTY, area
    if draw < out + 0.02:
        return NO_CONNECTIONS, ""
    if draw < out + 0.07:
        return NOT_DISCLOSED, ""
    return (home if rng.random() < 0.4 else rng.choice(districts)), ""


def _settled(rng: random.Random, origin: str, home: str, districts: list[str]) -> str:
    draw = rng.random()
    if draw < 0.26:
        return NOT_KNOWN
    if origin == OUT_OF_COUNTY:
        return OUT_OF_COUNTY if draw < 0.75 else home
    if origin in districts and draw < 0.6:
        return origin
    return home if draw < 0.85 else rng.choice(districts)


def generate(db: sqlite_utils.Database, plan, rng: random.Random) -> None:
    last = Quarter(plan.last_quarter)
    first = Quarter(max(plan.first_quarter, plan.last_quarter - QUARTERS + 1))
    months = MonthRange(MonthRange.of_quarter(first).first, MonthRange.of_quarter(last).last)
    districts = list(areas_in_use(db).districts)
    services = db.execute(
        "SELECT service_ref, client_group, district, start_date, end_date FROM services"
        " WHERE term = 'short' ORDER BY service_ref").fetchall()
    if not services or not districts:
        return
    horizon = last.end + timedelta(days=45)
    today = max(horizon, date.today())
    movement_rows: list[dict[str, object]] = []
    return_rows: list[dict[str, object]] = []
    for month in months.months:
        first_day, last_day = month_first(month).isoformat(), month_last(month).isoformat()
        running = [s for s in services if s[3] <= last_day and (s[4] is None or s[4] >= first_day)]
        if not running:
            continue
        missing_share = 0.06 if month >= MonthRange.of_quarter(last).first else 0.01
        reporting = [s for s in running if rng.random() >= missing_share]
        for ref, *_ in reporting:
            received = month_last(month) + timedelta(days=rng.randint(3, 20))
            return_rows.append({"service_ref": ref, "month": month,
                                "received_date": min(received, horizon).isoformat()})
        if not reporting:
            continue
        per_service = {"in": ENTRANTS_PER_MONTH * plan.scale / len(running),
                       "out": LEAVERS_PER_MONTH * plan.scale / len(running)}
        for ref, group, home, _, _ in reporting:
            for movement, mean in per_service.items():
                people = sum(1 for _ in range(4) if rng.random() < mean / 4)
                for _ in range(people):
                    origin, area = _origin(rng, group, home, districts)
                    movement_rows.append({
                        "service_ref": ref, "month": month, "movement": movement,
                        "client_group": "", "origin": origin, "origin_area": area,
                        "settled": _settled(rng, origin, home, districts)
                        if movement == "out" else "",
                    })
    if return_rows:
        import_returns(db, list(enumerate(return_rows, start=2)), source="demo", today=today)
    if movement_rows:
        import_reconnection(db, list(enumerate(movement_rows, start=2)), source="demo",
                            today=today)
