"""A writer made to be killed: service-layer writes in a loop, each one logged.

Before an action it appends ``{"begin": step, "action": ...}`` to a side log, and after the
action's commit ``{"done": step}``; both are fsynced. So when the process is killed, the log
says which actions completed and which one (at most) was in flight. ``Model`` replays the
log into the state the database must then hold.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
from dataclasses import dataclass, field, replace
from pathlib import Path

from sp_tui.domain.quarters import Quarter
from sp_tui.reports.registry import service_fields
from sp_tui.services.calendar import set_quarter_dates
from sp_tui.services.registry import import_services, save_service, service_by_ref
from sp_tui.store.connection import open_db

IMPORT_NEW, IMPORT_UPDATED = 40, 10
PROVIDERS = ("Harbour Trust", "Weald Homes", "Stour Care")


def new_service(ref: str, name: str, provider: str, units: int) -> dict:
    return {"provider": provider, "service_ref": ref, "service_name": name,
            "service_type": "Floating support", "client_group": "Generic", "district": "Dover",
            "term": "long", "household_units": units, "leaseholder_units": 0,
            "workbook_required": True, "start_date": "2006-04-01", "end_date": None}


def choose_action(db, step: int, rng: random.Random) -> dict:
    """The next action, with every value it writes, so the log alone can replay it."""
    refs = [r[0] for r in db.execute("SELECT service_ref FROM services ORDER BY service_ref")]
    kind = rng.choices(["add", "edit", "dates", "import"], weights=[3, 3, 2, 2])[0]
    if kind == "edit" and refs:
        return {"kind": "edit", "ref": rng.choice(refs), "name": f"Edited at step {step}",
                "units": rng.randint(0, 500)}
    if kind == "dates":
        quarter = rng.randint(1, 60)
        deadline = Quarter(quarter).end.toordinal() + rng.randint(1, 90)
        return {"kind": "dates", "quarter": quarter, "deadline": deadline,
                "default_end": deadline + rng.randint(0, 30)}
    if kind == "import":
        updated = rng.sample(refs, min(IMPORT_UPDATED, len(refs)))
        return {"kind": "import", "provider": f"Batch {step} Provider",
                "new": [f"I{step}-{k}" for k in range(IMPORT_NEW)], "updated": updated,
                "units": rng.randint(0, 500)}
    return {"kind": "add", "ref": f"A{step}", "name": f"Added at step {step}",
            "provider": rng.choice([*PROVIDERS, f"New {step} Provider"]),
            "units": rng.randint(0, 500)}


def perform(db, action: dict) -> None:
    kind = action["kind"]
    if kind == "add":
        save_service(db, new_service(action["ref"], action["name"], action["provider"],
                                     action["units"]), source="crash test")
    elif kind == "edit":
        service = service_by_ref(db, action["ref"])
        fields = service_fields(db, service["id"]) | {"service_name": action["name"],
                                                      "household_units": action["units"]}
        save_service(db, fields, service_id=service["id"], source="crash test")
    elif kind == "dates":
        from datetime import date

        set_quarter_dates(db, Quarter(action["quarter"]),
                          deadline=date.fromordinal(action["deadline"]),
                          default_end=date.fromordinal(action["default_end"]),
                          source="crash test")
    else:
        rows = [new_service(ref, f"Imported {ref}", action["provider"], action["units"])
                for ref in action["new"]]
        for ref in action["updated"]:
            service = service_by_ref(db, ref)
            rows.append(service_fields(db, service["id"]) | {"household_units": action["units"]})
        import_services(db, list(enumerate(rows, start=2)), source="crash test")


def _log(fd: int, record: dict) -> None:
    os.write(fd, (json.dumps(record) + "\n").encode())
    os.fsync(fd)


def work(db_path: str, log_path: str, first_step: int, seed: int, ready=None) -> None:
    """Run until killed (the test's SIGKILL is the only way this ends). ``ready`` is an
    Event set once the database is open and writes are about to start."""
    db = open_db(db_path)
    fd = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    if ready is not None:
        ready.set()
    rng = random.Random(seed)
    step = first_step
    while True:
        action = choose_action(db, step, rng)
        _log(fd, {"begin": step, "action": action})
        perform(db, action)
        _log(fd, {"done": step})
        step += 1


@dataclass(frozen=True)
class Model:
    """What the database holds, reduced to what the actions change."""

    services: dict = field(default_factory=dict)   # ref -> (name, provider, units)
    calendar: dict = field(default_factory=dict)   # quarter -> (deadline, default_end)
    providers: frozenset = frozenset()              # casefolded names
    audit_rows: int = 0

    @classmethod
    def read(cls, db_path: Path) -> Model:
        conn = sqlite3.connect(db_path)
        try:
            return cls(
                services={ref: (name, provider, units) for ref, name, provider, units in
                          conn.execute("SELECT s.service_ref, s.name, p.name, s.household_units"
                                       " FROM services s JOIN providers p"
                                       " ON p.id = s.provider_id")},
                calendar={q: (d, e) for q, d, e in conn.execute(
                    "SELECT quarter, deadline, default_end FROM quarter_calendar")},
                providers=frozenset(n.casefold() for (n,) in
                                    conn.execute("SELECT name FROM providers")),
                audit_rows=conn.execute("SELECT count(*) FROM audit_log").fetchone()[0],
            )
        finally:
            conn.close()

    def after(self, action: dict) -> Model:
        from datetime import date

        services, providers, audit = dict(self.services), set(self.providers), self.audit_rows
        kind = action["kind"]
        if kind == "dates":
            calendar = dict(self.calendar)
            calendar[action["quarter"]] = (date.fromordinal(action["deadline"]).isoformat(),
                                           date.fromordinal(action["default_end"]).isoformat())
            return replace(self, calendar=calendar, audit_rows=audit + 1)
        if kind == "add":
            services[action["ref"]] = (action["name"], action["provider"], action["units"])
            touched = [action["provider"]]
        elif kind == "edit":
            name, provider, _ = services[action["ref"]]
            services[action["ref"]] = (action["name"], provider, action["units"])
            touched = []
        else:
            for ref in action["new"]:
                services[ref] = (f"Imported {ref}", action["provider"], action["units"])
            # A row equal to the stored service is found unchanged: no history entry.
            changed = [ref for ref in action["updated"] if services[ref][2] != action["units"]]
            for ref in action["updated"]:
                name, provider, _ = services[ref]
                services[ref] = (name, provider, action["units"])
            touched = [action["provider"]]
            audit += len(action["new"]) + len(changed) - 1
        for provider in touched:
            if provider.casefold() not in providers:
                providers.add(provider.casefold())
                audit += 1
        return replace(self, services=services, providers=frozenset(providers),
                       audit_rows=audit + 1)
