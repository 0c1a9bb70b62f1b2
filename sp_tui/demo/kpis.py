"""Demo KPI figures: every received workbook carries plausible figures (a few are missing, so
the "figures missing" list has something in it), and regional and national figures for every
quarter but the last (CLG publishes in arrears).

KPI 1 sits near 98% (lower for homeless families, mental health, young people); KPI 2 near
the 66.7-71% targets, varying a lot from quarter to quarter, as the report says it does.
Written with executemany in one transaction.
"""

from __future__ import annotations

import random
from decimal import Decimal

import sqlite_utils

from sp_tui.domain.kpi import SERVICE_CLASSES
from sp_tui.services.kpis import benchmark_id, figures_id
from sp_tui.store.connection import write
from sp_tui.store.records import audit, now_iso

# How far a client group's services sit below the usual rate (percentage points).
KPI1_SHORTFALL = {"Homeless families with support needs": 12,
                  "People with mental health problems": 4, "Young people at risk": 5,
                  "Offenders or people at risk of offending": 5,
                  "Single homeless with support needs": 3, "Generic": 3, "Teenage parents": 4}
KPI2_SHORTFALL = {"Rough sleepers": 20, "Offenders or people at risk of offending": 12,
                  "Young people at risk": 8, "People with drug problems": 10,
                  "People with alcohol problems": 15}
MISSING_SHARE = 0.02       # received workbooks whose figures were never entered
MISSING_LAST = 0.08        # ... in the last quarter, still being keyed in


def _figures(rng: random.Random, term: str, group: str, units: int) -> tuple:
    size = max(1, units)
    if term == "long":
        users = max(1, round(size * rng.uniform(0.9, 1.25)))
        rate = min(1.0, rng.gauss(0.992 - KPI1_SHORTFALL.get(group, 0) / 100, 0.012))
        return (min(users, max(0, round(users * rate))), users, None, None)
    departures = rng.randint(0, max(1, size // 3))
    rate = min(1.0, max(0.0, rng.gauss(0.74 - KPI2_SHORTFALL.get(group, 0) / 100, 0.15)))
    return (None, None, sum(rng.random() < rate for _ in range(departures)), departures)


def generate(db: sqlite_utils.Database, plan, rng: random.Random) -> None:
    received = db.execute(
        "SELECT w.service_id, w.quarter, s.term, s.client_group,"
        " s.household_units + s.leaseholder_units FROM workbooks w"
        " JOIN services s ON s.id = w.service_id WHERE w.received_date IS NOT NULL"
        " ORDER BY w.quarter, s.service_ref").fetchall()
    stamp = now_iso()
    figures = []
    for sid, quarter, term, group, units in received:
        share = MISSING_LAST if quarter == plan.last_quarter else MISSING_SHARE
        if rng.random() < share:
            continue
        figures.append((figures_id(sid, quarter), sid, quarter,
                        *_figures(rng, term, group, units), stamp, stamp))
    groups = [g for (g,) in db.execute("SELECT DISTINCT client_group FROM services")]
    marks = []
    for quarter in range(plan.first_quarter, plan.last_quarter):
        for kpi, centre in ((1, 98.3), (2, 70.0)):
            spread = 0.3 if kpi == 1 else 2.5
            rows = [("regional", "overall", "", centre + rng.uniform(-spread, spread)),
                    ("national", "overall", "", centre + rng.uniform(-spread, spread))]
            if kpi == 1:
                rows += [("regional", "service_class", klass,
                          centre + (0.6 if klass == SERVICE_CLASSES[0] else -1.5)
                          + rng.uniform(-spread, spread)) for klass in SERVICE_CLASSES]
            cut = KPI1_SHORTFALL if kpi == 1 else KPI2_SHORTFALL
            rows += [("regional", "client_group", g,
                      centre - cut.get(g, 0) * 0.7 + rng.uniform(-2 * spread, 2 * spread))
                     for g in groups]
            for scope, breakdown, category, value in rows:
                text = str(Decimal(min(100.0, max(0.0, value))).quantize(Decimal("0.01")))
                marks.append((benchmark_id(quarter, kpi, scope, breakdown, category), quarter,
                              kpi, scope, breakdown, category, text, stamp, stamp))
    with write(db):
        db.conn.executemany(
            "INSERT INTO kpi_figures (id, service_id, quarter, kpi1_independent, kpi1_users,"
            " kpi2_planned, kpi2_departures, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", figures)
        db.conn.executemany(
            "INSERT INTO kpi_benchmarks (id, quarter, kpi, scope, breakdown, category, value,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", marks)
        audit(db, action="demo.kpis", entity="demo", entity_id=None,
              summary=f"Demo: {len(figures):,} KPI figures, {len(marks):,} regional and"
                      " national figures", source="demo")
