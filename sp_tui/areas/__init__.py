"""The registry of areas: every list of import kinds, data sheets, report tables, dashboard
panels, needs-attention sources and demo generators is derived from ``AREAS``.

Adding an area: write its own modules (domain, migration, services, reports, demo), declare
an ``Area`` in ``sp_tui/areas/<area>.py`` and add one line below. Areas are listed in
dependency order: an area's imports and demo data may refer only to areas above it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date

import sqlite_utils

from sp_tui.areas import cases, kpis, merge, outcomes, reconnection, register, visits, workbooks
from sp_tui.areas.base import Area, DataSheet, ImportKind, Panel, QuarterTable
from sp_tui.demo import DemoPlan
from sp_tui.domain.quarters import Quarter
from sp_tui.imports.formats import ImportFormat
from sp_tui.reports.attention import AttentionItem, AttentionSource
from sp_tui.reports.tables import ReportTable

AREAS: tuple[Area, ...] = (
    register.AREA,
    workbooks.AREA,
    kpis.AREA,
    visits.AREA,
    cases.COMPLAINTS,
    cases.ALERTS,
    outcomes.AREA,
    reconnection.AREA,
    merge.AREA,
)


def _unique(kind: str, names: list[str]) -> None:
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(f"{kind} declared by more than one area: {', '.join(repeated)}")


def import_kinds() -> list[ImportKind]:
    """Every import kind, in dependency order (services first)."""
    return [kind for area in AREAS for kind in area.imports]


def import_format(kind: str) -> ImportFormat:
    for item in import_kinds():
        if item.kind == kind:
            return item.format
    raise KeyError(kind)


def data_sheets() -> list[DataSheet]:
    """`export data` sheets in import order, so the file imports back sheet by sheet."""
    return [sheet for area in AREAS for sheet in area.data_sheets]


def quarter_tables() -> list[QuarterTable]:
    """Every quarter-report table, in the published report's order."""
    return sorted((t for area in AREAS for t in area.quarter_tables), key=lambda t: t.order)


def build_quarter_tables(db: sqlite_utils.Database, quarter: Quarter) -> list[ReportTable]:
    return [table.build(db, quarter) for table in quarter_tables()]


def dashboard_panels() -> list[Panel]:
    return sorted((p for area in AREAS for p in area.panels), key=lambda p: p.order)


def attention_sources() -> list[AttentionSource]:
    return [source for area in AREAS for source in area.attention]


def needs_attention(db: sqlite_utils.Database, quarter: Quarter,
                    today: date) -> list[AttentionItem]:
    """Every area's records that someone must act on, the oldest first."""
    items = [item for source in attention_sources() for item in source(db, quarter, today)]
    return sorted(items, key=lambda i: (i.since or date.max, i.kind, i.text))


def build_demo(db: sqlite_utils.Database, scale: int = 1, *, seed: int = 2009,
               progress: Callable[[str], None] | None = None) -> DemoPlan:
    """A realistic demo database: every area's generator, in area order, one seeded random
    generator so that the same scale gives the same database."""
    if not 1 <= scale <= 200:
        raise ValueError("scale must be between 1 and 200")
    plan = DemoPlan.for_scale(scale, seed)
    rng = random.Random(seed)
    for area in AREAS:
        if area.demo is not None:
            if progress:
                progress(area.title.lower())
            area.demo(db, plan, rng)
    return plan


_unique("import kind", [k.kind for k in import_kinds()])
_unique("data sheet", [s.kind for s in data_sheets()])
_unique("dashboard panel", [p.panel_id for p in dashboard_panels()])
_unique("area", [a.area_id for a in AREAS])

__all__ = ["AREAS", "Area", "DataSheet", "ImportKind", "Panel", "QuarterTable",
           "attention_sources", "build_demo", "build_quarter_tables", "dashboard_panels",
           "data_sheets", "import_format", "import_kinds", "needs_attention", "quarter_tables"]
