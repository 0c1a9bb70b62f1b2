"""Demo complaints and safeguarding alerts, imported in bulk through the service layer.

Volumes as in the reports: about 3 complaints and 13 alerts a quarter per unit of scale;
most alerts reach a co-ordinator the same or next working day, a few late, and a handful of
recent ones not yet (so the screen's highlight has something to show).
"""

from __future__ import annotations

import bisect
import random
from datetime import date, timedelta

import sqlite_utils

from sp_tui.domain.cases import CHANNELS, DEFAULT_NATURES, add_working_days
from sp_tui.domain.quarters import Quarter
from sp_tui.services.alerts import import_alerts
from sp_tui.services.complaints import import_complaints

_NATURE_WEIGHTS = dict(zip(DEFAULT_NATURES, (34, 24, 12, 11, 12, 2, 4, 1)))
_OFFICERS = ["J. Ahmed", "K. Brennan", "L. Carter", "M. Dlamini", "P. Evans", "R. Fowler"]
_SUMMARIES = [
    "Repairs to the shared kitchen not carried out", "Support plan not reviewed for months",
    "Support worker missed agreed appointments", "Service charge increase not explained",
    "Noise from neighbouring flat not addressed", "Complaint about how a warning was issued",
    "Alarm call response was slow", "Key worker changed without notice",
    "Eviction notice served without support to find housing",
    "Access to the building for visitors restricted", "Lost belongings after room move",
]
_OUTCOMES = [
    "Upheld: provider apologised and changed its procedure",
    "Partly upheld: repairs completed, service charge explained",
    "Not upheld: provider's procedure was followed",
    "Resolved after a meeting with the provider and the service user",
]
_NOTES = ["Provider's ref {n}; co-ordinator informed by phone",
          "Adult protection ref AP/{n}; provider investigating",
          "Police ref CR/{n}; strategy meeting arranged", ""]


class _ServicePicker:
    """Random services active on a given day, without a query per record."""

    def __init__(self, db: sqlite_utils.Database, rng: random.Random) -> None:
        self.rng = rng
        rows = db.execute("SELECT service_ref, start_date, end_date FROM services"
                          " ORDER BY start_date").fetchall()
        self.refs = [r[0] for r in rows]
        self.starts = [r[1] for r in rows]
        self.ends = [r[2] for r in rows]

    def pick(self, day: date) -> str | None:
        text = day.isoformat()
        started = bisect.bisect_right(self.starts, text)  # services started by ``day``
        for _ in range(30):
            if not started:
                return None
            i = self.rng.randrange(started)
            if self.ends[i] is None or self.ends[i] >= text:
                return self.refs[i]
        return None


def _day_in(quarter: Quarter, rng: random.Random) -> date:
    return quarter.start + timedelta(days=rng.randint(0, (quarter.end - quarter.start).days))


def _complaint_rows(plan, rng: random.Random, services: _ServicePicker, horizon: date):
    rows, n = [], 0
    for number in range(plan.first_quarter, plan.last_quarter + 1):
        quarter = Quarter(number)
        for i in range(rng.randint(1, 5) * plan.scale):
            received = _day_in(quarter, rng)
            service = services.pick(received)
            if service is None:
                continue
            closes = received + timedelta(days=10 + int(rng.expovariate(1 / 45)))
            closed: str | None
            status, closed, outcome = "concluded", closes.isoformat(), rng.choice(_OUTCOMES)
            if closes > horizon or rng.random() < 0.04:
                status = "contractual negotiation" if rng.random() < 0.3 else "open"
                closed, outcome = None, ""
            n += 1
            rows.append((n + 1, {
                "ref": f"CMP-{number}-{i + 1:04d}", "service_ref": service,
                "received_date": received.isoformat(),
                "channel": rng.choice(CHANNELS[:6]), "summary": rng.choice(_SUMMARIES),
                "status": status, "closed_date": closed, "outcome": outcome,
                "officer": rng.choice(_OFFICERS),
            }))
    return rows


def _alert_rows(plan, rng: random.Random, services: _ServicePicker, horizon: date):
    natures, weights = list(_NATURE_WEIGHTS), list(_NATURE_WEIGHTS.values())
    last = Quarter(plan.last_quarter)
    rows, n = [], 0
    for number in range(plan.first_quarter, plan.last_quarter + 1):
        quarter = Quarter(number)
        for i in range(rng.randint(8, 18) * plan.scale):
            received = _day_in(quarter, rng)
            service = services.pick(received)
            if service is None:
                continue
            roll = rng.random()
            if quarter == last and i < 2 * plan.scale:
                # Two recent alerts a unit of scale still wait for referral (highlighted).
                received = last.end - timedelta(days=rng.randint(0, 20))
                referred = None
            elif roll < 0.9:
                referred = received + timedelta(days=rng.choice([0, 0, 0, 1]))
                referred = min(referred, add_working_days(received, 1))
            else:
                referred = add_working_days(received, rng.randint(2, 6))
            closes = received + timedelta(days=7 + int(rng.expovariate(1 / 40)))
            closed = closes if referred and closes <= horizon else None
            n += 1
            rows.append((n + 1, {
                "ref": f"SGA-{number}-{i + 1:04d}", "service_ref": service,
                "received_date": received.isoformat(),
                "nature": rng.choices(natures, weights)[0],
                "referred_date": referred.isoformat() if referred else None,
                "status": "closed" if closed else "open",
                "closed_date": closed.isoformat() if closed else None,
                "officer": rng.choice(_OFFICERS),
                "notes": rng.choice(_NOTES).format(n=rng.randint(10000, 99999)),
            }))
    return rows


def generate(db: sqlite_utils.Database, plan, rng: random.Random) -> None:
    services = _ServicePicker(db, rng)
    # Records stand as they would a few weeks after the last quarter closed.
    horizon = min(Quarter(plan.last_quarter).end + timedelta(days=45), plan.today)
    today = plan.today
    import_complaints(db, _complaint_rows(plan, rng, services, horizon), source="demo",
                      today=today)
    import_alerts(db, _alert_rows(plan, rng, services, horizon), source="demo", today=today)
