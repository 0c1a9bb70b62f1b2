"""Demo contract histories and grants, written through the contracts service.

Every service already has a first version (from the register's units). Here each gets its
real-looking terms and, at some 1 April renewals inside the demo's window, a change: block
subsidy schemes negotiated to capped (fixed capacity) contracts, community alarm elements
separated out of sheltered schemes (fewer sheltered units), floating support growing, and
values moving with each renewal. So a year-earlier column differs from today's terms.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import sqlite_utils

from sp_tui.domain.contracts import BLOCK_GROSS, BLOCK_SUBSIDY, pounds_text
from sp_tui.domain.quarters import Quarter
from sp_tui.services.contracts import import_contracts, import_grants

# Annual value per unit (pence), by service type: floating support and short-term
# accommodation cost most per unit, alarms least.
_PER_UNIT = {"Floating support": 80_000, "Sheltered housing": 60_000,
             "Community or social alarm": 5_000, "Home improvement agency": 20_000}
_OTHER_PER_UNIT = 350_000
GRANT_PENCE = 32_024_915_00  # per unit of scale, each financial year (as in Kent)


def _renewals(plan) -> list[date]:
    first, last = Quarter(plan.first_quarter).start, Quarter(plan.last_quarter).end
    return [date(year, 4, 1) for year in range(first.year, last.year + 1)
            if first < date(year, 4, 1) <= last]


def contract_rows(db: sqlite_utils.Database, plan, rng: random.Random
                  ) -> list[tuple[int, dict]]:
    renewals = _renewals(plan)
    rows: list[tuple[int, dict]] = []
    services = db.execute(
        "SELECT service_ref, service_type, term, household_units, leaseholder_units,"
        " start_date, end_date FROM services ORDER BY service_ref").fetchall()
    for ref, kind, term, household, leaseholder, start, end in services:
        start_day = date.fromisoformat(start)
        end_day = date.fromisoformat(end) if end else None
        per_unit = _PER_UNIT.get(kind, _OTHER_PER_UNIT)
        contract_type = BLOCK_SUBSIDY if term == "long" else BLOCK_GROSS
        if rng.random() < 0.1:
            contract_type = BLOCK_GROSS if contract_type == BLOCK_SUBSIDY else BLOCK_SUBSIDY
        capped = rng.random() < (0.5 if contract_type == BLOCK_SUBSIDY else 0.3)
        # today's units are the register's: walk back to what they were at the start
        changes = [d for d in renewals if start_day < d and (end_day is None or d <= end_day)
                   and rng.random() < 0.35]
        units = household
        terms = []
        for _ in changes:
            terms.append(units)
            if kind == "Sheltered housing":
                units = round(units / rng.uniform(0.7, 1.0))   # alarm element separated out
            elif kind == "Floating support":
                units = round(units / rng.uniform(1.0, 1.15))  # the service grew
            else:
                units = max(1, units + rng.randint(-3, 3))
        history_units = [units, *reversed(terms)]
        value = per_unit * history_units[0] * rng.uniform(0.8, 1.2)
        begins = [start_day, *changes]
        for n, begin in enumerate(begins):
            if n:
                if contract_type == BLOCK_SUBSIDY and not capped and rng.random() < 0.6:
                    capped = True                                # fixed capacity negotiated
                elif contract_type == BLOCK_GROSS and capped and rng.random() < 0.4:
                    capped = False
                value = value * rng.uniform(0.97, 1.05) * history_units[n] / max(
                    1, history_units[n - 1])
            finish = begins[n + 1] - timedelta(days=1) if n + 1 < len(begins) else None
            rows.append((len(rows) + 2, {
                "service_ref": ref, "start_date": begin.isoformat(),
                "end_date": finish.isoformat() if finish else "",
                "contract_type": contract_type, "capped": "yes" if capped else "no",
                "household_units": history_units[n],
                "leaseholder_units": leaseholder,
                "annual_value": pounds_text(int(value)),
            }))
    return rows


def generate(db: sqlite_utils.Database, plan, rng: random.Random) -> None:
    # A generator of its own: the areas generated after this one get the same data as before.
    rows = contract_rows(db, plan, random.Random(f"contracts-{plan.seed}"))
    if rows:
        import_contracts(db, rows, source="demo")
    first, last = Quarter(plan.first_quarter), Quarter(plan.last_quarter)
    years = sorted({Quarter(n).financial_year for n in range(first.number, last.number + 1)})
    import_grants(db, [(n + 2, {"financial_year": year,
                                "amount": pounds_text(GRANT_PENCE * plan.scale)})
                       for n, year in enumerate(years)], source="demo")
