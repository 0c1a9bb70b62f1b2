"""Demo workbook history: receipts (a few rejected and resubmitted, a few excused), reminders,
default notices (a few withdrawn) and workbook audits, for every quarter of the plan.

Return rates improve over time as in Table 2 (about 72% on time early on, 95%+ lately). The
last quarter is left in progress: receipts up to five days into the default period, no
reminders or defaults yet, so the officer has something to do. Everything is computed in Python and
written with executemany in one transaction: scale 20 (about 260,000 workbooks) takes seconds.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import sqlite_utils

from sp_tui.domain.quarters import Quarter
from sp_tui.domain.workbooks import extended_deadline, is_expected, workbook_id
from sp_tui.reports.calendar import calendar_for
from sp_tui.store.connection import write
from sp_tui.store.records import audit, new_id, now_iso

OFFICERS = ["A. Patel", "B. Okafor", "C. Hughes", "D. Marsh", "E. Kowalski", "F. Reid"]
REJECTIONS = ["KPI 2 sheet blank", "wrong quarter's figures", "client record totals do not add up",
              "outcome returns missing"]
EXCUSES = ["upload system fault", "portal outage during the submission week"]
WITHDRAWALS = ["workbook had arrived on time: record missing", "provider had reported an"
               " upload fault before the deadline"]
AUDIT_NOTES = {"high": "records support the KPI figures",
               "medium": "minor gaps in client records",
               "low": "KPI 1 departures not supported by client records"}


def _days(rng: random.Random, low: int, high: int) -> timedelta:
    return timedelta(days=rng.randint(low, high))


def generate(db: sqlite_utils.Database, plan, rng: random.Random) -> None:
    services = [(sid, bool(req), date.fromisoformat(start),
                 date.fromisoformat(end) if end else None)
                for sid, req, start, end in db.execute(
                    "SELECT id, workbook_required, start_date, end_date FROM services"
                    " ORDER BY service_ref")]
    stamp = now_iso()
    workbooks, rejections, reminders, defaults = [], [], [], []
    audits: list[tuple] = []  # filled by _audits
    quarters = list(range(plan.first_quarter, plan.last_quarter + 1))
    low_last_quarter: list[str] = []
    for position, number in enumerate(quarters):
        quarter = Quarter(number)
        cal = calendar_for(db, quarter)
        in_progress = number == plan.last_quarter
        cutoff = cal.deadline + timedelta(days=5) if in_progress else None
        progress = position / max(1, len(quarters) - 1)
        on_time = 0.72 + 0.24 * progress + rng.uniform(-0.02, 0.02)
        in_period = (1 - on_time) * (0.55 + 0.35 * progress)
        # The first quarters predate the reminder process; the last one awaits its run.
        remind = position >= 2 and not in_progress
        expected = [s for s in services if is_expected(s[2], s[3], s[1], quarter)]
        for sid, _, _, _ in expected:
            draw = rng.random()
            received: date | None
            if draw < on_time:
                received = cal.deadline - _days(rng, 0, 25)
            elif draw < on_time + in_period:
                received = cal.deadline + _days(rng, 1, (cal.default_end - cal.deadline).days)
            elif rng.random() < 0.6:
                received = cal.default_end + _days(rng, 1, 45)
            else:
                received = None
            excused = None
            if received is None and rng.random() < 0.05:
                excused = rng.choice(EXCUSES)
            if cutoff and received and received > cutoff:
                received = None
            wid = workbook_id(sid, number)
            if received and rng.random() < 0.006:
                first = received - _days(rng, 3, 10)
                rejected_on = first + _days(rng, 1, 2)
                if first >= quarter.start and rejected_on < received:
                    rejections.append((new_id(), wid, first.isoformat(),
                                       rejected_on.isoformat(), rng.choice(REJECTIONS),
                                       stamp, stamp))
            if received or excused:
                workbooks.append((wid, sid, number, received.isoformat() if received else None,
                                  excused, None if excused is None else
                                  (cal.deadline - _days(rng, 0, 5)).isoformat(), stamp, stamp))
            missing_at_deadline = not excused and (received is None or received > cal.deadline)
            if remind and missing_at_deadline and rng.random() < 0.9:
                sent = cal.deadline + _days(rng, 1, 2)
                if received is None or sent < received:
                    reminders.append((new_id(), sid, number, sent.isoformat(), stamp, stamp))
                    second = sent + timedelta(days=7)
                    if (received is None or second < received) and rng.random() < 0.15:
                        reminders.append((new_id(), sid, number, second.isoformat(), stamp,
                                          stamp))
            missing_at_end = not excused and (received is None or received > cal.default_end)
            if missing_at_end and not in_progress:
                issued = cal.default_end + _days(rng, 1, 4)
                withdrawn = rng.random() < 0.04
                defaults.append((new_id(), sid, number, issued.isoformat(),
                                 extended_deadline(issued).isoformat(),
                                 (issued + _days(rng, 3, 20)).isoformat() if withdrawn else None,
                                 rng.choice(WITHDRAWALS) if withdrawn else None, stamp, stamp))
        if number > 1:
            previous = Quarter(number - 1)
            audited = [s for s in services if is_expected(s[2], s[3], s[1], previous)]
            low_last_quarter = _audits(rng, plan, quarter, audited, low_last_quarter, audits,
                                       stamp)

    with write(db):
        db.conn.executemany(
            "INSERT INTO workbooks (id, service_id, quarter, received_date, excused_reason,"
            " excused_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", workbooks)
        db.conn.executemany(
            "INSERT INTO workbook_rejections (id, workbook_id, received_date, rejected_on,"
            " reason, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)", rejections)
        db.conn.executemany(
            "INSERT INTO workbook_reminders (id, service_id, quarter, sent_date, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?)", reminders)
        db.conn.executemany(
            "INSERT INTO workbook_defaults (id, service_id, quarter, issued_date,"
            " extended_deadline, withdrawn_date, withdrawn_reason, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", defaults)
        db.conn.executemany(
            "INSERT INTO workbook_audits (id, service_id, quarter, audit_date, officer,"
            " assurance, notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            audits)
        audit(db, action="demo.workbooks", entity="demo", entity_id=None,
              summary=f"demo: {len(workbooks):,} workbooks, {len(rejections)} rejections,"
                      f" {len(reminders):,} reminders, {len(defaults):,} defaults,"
                      f" {len(audits):,} workbook audits", source="demo")


def _audits(rng: random.Random, plan, quarter: Quarter, audited: list, revisit: list[str],
            out: list, stamp: str) -> list[str]:
    """About 16 audits a quarter per unit of scale, of the previous quarter's workbooks
    (``audited``: services expected then), a third of them low; most low ones are revisited
    the next quarter. Returns the services audited low."""
    if not audited:
        return []
    chosen = [s[0] for s in rng.sample(audited, min(len(audited), 16 * plan.scale))]
    eligible = {s[0] for s in audited}
    chosen += [sid for sid in revisit
               if sid in eligible and sid not in chosen and rng.random() < 0.7]
    low = []
    for sid in chosen:
        assurance = rng.choices(["high", "medium", "low"],
                                [5, 4, 1] if sid in revisit else [4, 3, 3])[0]
        day = quarter.start + _days(rng, 0, (quarter.end - quarter.start).days)
        out.append((new_id(), sid, quarter.number - 1, day.isoformat(), rng.choice(OFFICERS),
                    assurance, AUDIT_NOTES[assurance], stamp, stamp))
        if assurance == "low":
            low.append(sid)
    return low
