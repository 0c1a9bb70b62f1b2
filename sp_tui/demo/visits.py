"""Demo QAF visits: every service's history of grades, about 31 visits begun a quarter per
unit of scale (Q24's figure), written through the visits import (validated, one transaction).

Each service has a hidden quality level its grades drift towards; most services came into
the window graded C under the old framework, so early visits mostly raise grades (the report's
62% improved). A D award brings an action plan and an early revisit."""

from __future__ import annotations

import random
from datetime import date, timedelta

import sqlite_utils

from sp_tui.domain.qaf import CORE_OBJECTIVES, GRADES
from sp_tui.domain.quarters import Quarter
from sp_tui.services.visits import import_visits

VISITS_PER_QUARTER = 31  # Q24, Table 6
REVISED_QAF = date(2009, 4, 1)  # core-objective grades are recorded from 2009/10
_FIRST = ["Alex", "Bridget", "Carl", "Deepa", "Eleanor", "Farid", "Grace", "Hugh", "Imogen",
          "Jonas", "Kirsty", "Leon", "Maya", "Neil", "Olu", "Pippa", "Rhys", "Sian", "Theo",
          "Una", "Vikram", "Wendy"]
_LAST = ["Ashdown", "Brook", "Carver", "Dhillon", "Ellery", "Finch", "Goddard", "Hale",
         "Ingram", "Jessop", "Kendal", "Lowe", "Marsh", "Nwosu", "Orme", "Pryce", "Quinn",
         "Rook", "Sayer", "Thorne"]
_NOTES = ["Met residents' committee; support plans up to date.",
          "Key policies reviewed; safeguarding training overdue for two staff.",
          "Good evidence of client involvement in planning.",
          "Fire risk assessment out of date; provider to action.",
          "Floating support caseload records sampled (10 files).",
          "Complaints log reviewed; no outstanding issues.", ""]


def officer_names(count: int, rng: random.Random) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        if name not in names:
            names.append(name)
    return names


def _near(grade: str, rng: random.Random, spread: float = 0.35) -> str:
    """``grade`` or, with probability ``spread``, a neighbouring grade."""
    index = GRADES.index(grade)
    if rng.random() < spread:
        index = min(3, max(0, index + rng.choice((-1, 1))))
    return GRADES[index]


class _Service:
    __slots__ = ("ref", "start", "end", "quality", "officer", "grade", "free_from",
                 "last_completed")

    def __init__(self, ref: str, start: date, end: date | None, quality: str,
                 officer: str) -> None:
        self.ref, self.start, self.end = ref, start, end
        self.quality, self.officer = quality, officer
        self.grade: str | None = None  # awarded grade of the latest completed visit
        self.free_from = start + timedelta(days=60)  # no new visit before this day
        self.last_completed: date | None = None


def visit_rows(services: list[tuple[str, str, str | None]], plan, rng: random.Random
               ) -> list[tuple[int, dict]]:
    officers = officer_names(6 + 2 * plan.scale, rng)
    window_start = Quarter(plan.first_quarter).start
    window_end = Quarter(plan.last_quarter).end
    pool = [_Service(ref, date.fromisoformat(start), date.fromisoformat(end) if end else None,
                     rng.choices(GRADES, (16, 42, 39, 3))[0], rng.choice(officers))
            for ref, start, end in services]
    rows: list[dict] = []

    def visit(service: _Service, began: date, limit: date, *, close_by: date | None = None
              ) -> None:
        done = began + timedelta(days=rng.randint(1, 21) if rng.random() < 0.85
                                 else rng.randint(21, 100))
        done = min(done, close_by or done)
        officer = service.officer if rng.random() < 0.8 else rng.choice(officers)
        existing = service.grade
        awarded: str | None
        if existing is None and service.last_completed is None and began < window_start:
            awarded = rng.choices(GRADES, (5, 14, 76, 5))[0]  # graded under the old QAF
        elif existing == "D":  # most services on an action plan climb out of D
            awarded = rng.choices(("B", "C", "D"), (10, 65, 25))[0]
        else:
            awarded = _near(service.quality, rng, 0.3)
            if awarded == "D" and service.quality != "D" and rng.random() < 0.7:
                awarded = "C"
        self_grade = GRADES[max(0, GRADES.index(existing or "C") - (rng.random() < 0.45))]
        row = {"service_ref": service.ref, "started_date": began, "officer": officer,
               "existing_grade": existing, "self_assessed_grade": self_grade,
               "users_consulted": rng.random() < 0.9, "notes": rng.choice(_NOTES)}
        if done > limit:  # still open at the end of the demo's window
            row |= {"completed_date": None, "awarded_grade": None}
            service.free_from = date.max
        else:
            if rng.random() < 0.02:
                awarded = None  # completed without a grade (e.g. service being decommissioned)
            row |= {"completed_date": done, "awarded_grade": awarded}
            if awarded == "D":
                row |= {"plan_officer": rng.choice(officers),
                        "plan_review_date": done + timedelta(days=rng.choice((60, 90, 120)))}
            if awarded and began >= REVISED_QAF:
                row |= {field: _near(awarded, rng, 0.3) for field, _ in CORE_OBJECTIVES}
            service.grade, service.last_completed = awarded, done
            # D services are revisited soon; others every two to three years
            gap = rng.randint(90, 200) if awarded == "D" else rng.randint(540, 1100)
            service.free_from = done + timedelta(days=gap)
        rows.append(row)

    # The grade each service came into the window with (some were never graded).
    for service in pool:
        if service.start < window_start - timedelta(days=120) and rng.random() < 0.97:
            earliest = max(service.free_from, window_start - timedelta(days=3 * 365))
            latest = window_start - timedelta(days=50)
            if earliest < latest:
                began = earliest + timedelta(days=rng.randrange((latest - earliest).days))
                before = window_start - timedelta(days=1)
                visit(service, began, before, close_by=before)
                service.free_from = min(service.free_from, window_start
                                        + timedelta(days=rng.randint(0, 900)))

    for number in range(plan.first_quarter, plan.last_quarter + 1):
        quarter = Quarter(number)
        wanted = round(VISITS_PER_QUARTER * plan.scale * rng.uniform(0.85, 1.15))
        due = [s for s in pool if s.free_from <= quarter.start + timedelta(days=30)
               and s.start <= quarter.start
               and (s.end is None or s.end > quarter.end)]
        # D services first, then the longest unvisited (a new service counts from a year
        # before it began, so it is graded within its first year or two)
        due.sort(key=lambda s: (s.grade != "D", (
            s.last_completed or s.start - timedelta(days=365)).toordinal()
            + rng.random() * 400))
        for service in due[:wanted]:
            first = max(quarter.start, service.free_from)
            # visits are booked towards the start of a quarter, so most close within it
            began = first + timedelta(days=int(rng.triangular(0, 1, 0.2)
                                               * ((quarter.end - first).days + 1)))
            began = min(began, quarter.end)
            visit(service, began, window_end)
    return list(enumerate(rows, start=2))


def generate(db: sqlite_utils.Database, plan, rng: random.Random) -> None:
    services = db.execute(
        "SELECT service_ref, start_date, end_date FROM services ORDER BY service_ref").fetchall()
    import_visits(db, visit_rows(services, plan, rng), today=plan.today, source="demo")
