"""Demo providers, services and quarter calendars, written through the service layer."""

from __future__ import annotations

import random
from datetime import timedelta

import sqlite_utils

from sp_tui.domain.quarters import Quarter
from sp_tui.domain.reference import CLIENT_GROUPS, DISTRICTS
from sp_tui.services.calendar import set_quarter_dates
from sp_tui.services.registry import import_services

_PREFIX = ["Amber", "Beacon", "Bridge", "Canterbury", "Channel", "Compass", "Downs", "Estuary",
           "Fairway", "Garden", "Harbour", "Heritage", "Horizon", "Kingsway", "Medway", "Meridian",
           "Northgate", "Oakwood", "Orchard", "Pathway", "Pilgrim", "Riverside", "Saxon",
           "Southern", "Stour", "Swan", "Thames", "Unity", "Weald", "Westgate"]
_SUFFIX = ["Housing Association", "Trust", "Care", "Homes", "Support Services", "Foundation",
           "Housing Group", "Community Housing", "Project", "Charitable Trust"]
# Service types weighted roughly as in Appendix 1: sheltered and floating support dominate.
_TYPES = [("Sheltered housing", 30), ("Floating support", 18), ("Supported housing", 16),
          ("Accommodation based", 8), ("Community or social alarm", 6),
          ("Home improvement agency", 3), ("Women's refuge", 4), ("Direct access", 3),
          ("Foyer", 2), ("Outreach", 3), ("Resettlement", 2), ("Teenage parent accommodation", 2),
          ("Supported lodgings", 3)]
_SHORT = {"Supported housing", "Women's refuge", "Direct access", "Foyer", "Outreach",
          "Resettlement", "Teenage parent accommodation", "Supported lodgings",
          "Accommodation based"}
# Household units per service: alarm and floating services are large (Kent's 327 services
# held about 22,000 units).
_UNITS = {"Community or social alarm": (150, 600), "Floating support": (30, 200),
          "Sheltered housing": (25, 90), "Home improvement agency": (100, 400)}
_OLDER = ["Older people with support needs", "Frail elderly",
          "Older people with mental health problems/dementia"]


def provider_names(count: int, rng: random.Random) -> list[str]:
    """``count`` distinct names. Random picks first (a few thousand are possible); once
    those grow scarce, numbered names, so that any scale finishes in time linear in it."""
    names: list[str] = []
    seen: set[str] = set()
    attempts = 0
    while len(names) < count and attempts < 4 * count:
        attempts += 1
        name = f"{rng.choice(_PREFIX)} {rng.choice(_SUFFIX)}"
        if name in seen:
            name = f"{name} ({rng.choice(DISTRICTS)})"
        if name not in seen:
            seen.add(name)
            names.append(name)
    number = 1
    while len(names) < count:
        name = f"{_PREFIX[number % len(_PREFIX)]} {_SUFFIX[number % len(_SUFFIX)]} {number}"
        number += 1
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


_PLACES = ["Court", "House", "Lodge", "Gardens", "Close", "Place", "View", "Mews"]


def _service_name(kind: str, district: str, rng: random.Random) -> str:
    if kind in ("Sheltered housing", "Supported housing", "Accommodation based",
                "Teenage parent accommodation", "Foyer", "Direct access"):
        return f"{rng.choice(_PREFIX)} {rng.choice(_PLACES)}"
    return f"{district} {kind}"


def _provider_for_each_service(count: int, providers: int, rng: random.Random) -> list[int]:
    """Every provider runs at least one service; a few large ones run many (as in Kent)."""
    owners = list(range(providers))
    weights = [1 / (rank + 1) ** 0.9 for rank in range(providers)]
    owners += rng.choices(range(providers), weights, k=max(0, count - providers))
    rng.shuffle(owners)
    return owners[:count]


def service_rows(plan, rng: random.Random) -> list[tuple[int, dict]]:
    scale = plan.scale
    providers = provider_names(125 * scale, rng)
    count = 330 * scale
    owners = _provider_for_each_service(count, len(providers), rng)
    first_day = Quarter(plan.first_quarter).start
    last_day = Quarter(plan.last_quarter).end
    types = [t for t, _ in _TYPES]
    weights = [w for _, w in _TYPES]
    rows = []
    for n in range(count):
        kind = rng.choices(types, weights)[0]
        district = rng.choice(DISTRICTS)
        group = rng.choice(_OLDER) if kind in ("Sheltered housing", "Community or social alarm") \
            else rng.choice([g for g in CLIENT_GROUPS if g not in _OLDER])
        # most services predate the window; some start inside it and some end inside it
        start = first_day - timedelta(days=rng.randint(0, 1500)) if rng.random() < 0.85 \
            else first_day + timedelta(days=rng.randint(0, (last_day - first_day).days))
        end = None
        if rng.random() < 0.12:
            end = start + timedelta(days=rng.randint(200, 2400))
            if end > last_day:
                end = None
        low, high = _UNITS.get(kind, (6, 40))
        units = rng.randint(low, high)
        rows.append((n + 2, {
            "provider": providers[owners[n]],
            "service_ref": f"SP{n + 1:05d}",
            "service_name": _service_name(kind, district, rng),
            "service_type": kind,
            "client_group": group,
            "district": district,
            "term": "short" if kind in _SHORT else "long",
            "household_units": units,
            "leaseholder_units": rng.randint(0, 5) if kind == "Sheltered housing" else 0,
            "workbook_required": rng.random() > 0.08,
            "start_date": start.isoformat(),
            "end_date": end.isoformat() if end else None,
        }))
    return rows


def generate(db: sqlite_utils.Database, plan, rng: random.Random) -> None:
    import_services(db, service_rows(plan, rng), source="demo")
    # The team usually gives providers until the end of the following month.
    for number in range(plan.first_quarter, plan.last_quarter + 1):
        quarter = Quarter(number)
        deadline = quarter.end + timedelta(days=30)
        set_quarter_dates(db, quarter, deadline=deadline,
                          default_end=deadline + timedelta(days=14), source="demo")

