"""What an area declares once: the pieces the rest of the tool derives its lists from.

An area is a part of the programme's work (the register, workbooks, visits...). Its
declaration names functions that live in the area's own modules; nothing here runs a query.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Protocol

import sqlite_utils

from sp_tui.domain.quarters import Quarter
from sp_tui.domain.report_order import position_index
from sp_tui.imports.formats import ImportFormat
from sp_tui.reports.attention import AttentionSource
from sp_tui.reports.tables import ReportTable

if TYPE_CHECKING:
    from sp_tui.demo import DemoPlan

Rows = Iterable[tuple[int, Mapping[str, object]]]


class Importer(Protocol):
    """Validates every row, then writes them all (inside the caller's transaction if one is
    open); returns counts such as {"added": 3, "updated": 1}. Raises ImportFailed."""

    def __call__(self, db: sqlite_utils.Database, rows: Rows, *,
                 source: str) -> dict[str, int]: ...


@dataclass(frozen=True)
class ImportKind:
    """`sp-tui import KIND FILE`, and a sheet of `import data`."""

    format: ImportFormat
    importer: Importer
    help: str
    """The command's help: what the file holds and how re-imports behave."""
    matches: bool = False
    """The importer matches listed columns (imports/matching.py) and takes ``mapping=`` and
    ``add_new=``: the command gets --map and --add-new."""

    @property
    def kind(self) -> str:
        return self.format.kind


@dataclass(frozen=True)
class DataSheet:
    """One sheet of `export data`, in its import kind's format (so it imports back)."""

    kind: str
    """The import kind (`sp-tui import KIND`), also the sheet's name."""
    rows: Callable[[sqlite_utils.Database], Iterable[tuple]]
    """Rows in the order of the import format's columns (required, then optional)."""
    sensitive: bool = False
    """Record-level data that leaves only when detail is asked for (safeguarding alerts)."""


@dataclass(frozen=True)
class QuarterTable:
    """A table of the quarter report, placed by its position in the published report."""

    position: str
    build: Callable[[sqlite_utils.Database, Quarter], ReportTable]

    @property
    def order(self) -> int:
        return position_index(self.position)


@dataclass(frozen=True)
class Panel:
    """A dashboard panel. ``as_of_today`` panels take today's date as well (statuses that
    move with time); ``chart_row`` names a row of Percent cells drawn as bars against
    ``target``; ``order`` places it on the dashboard; ``wide`` spans both columns."""

    panel_id: str
    build: Callable[..., ReportTable]
    order: int = 100
    as_of_today: bool = False
    chart_row: str | None = None
    target: int | None = None
    wide: bool = False


DemoGenerator = Callable[[sqlite_utils.Database, "DemoPlan", random.Random], None]


@dataclass(frozen=True)
class Area:
    """One area's contributions. Lists are in the area's own order (imports: dependency
    order within the area; areas themselves are listed in dependency order)."""

    area_id: str
    title: str
    imports: tuple[ImportKind, ...] = ()
    data_sheets: tuple[DataSheet, ...] = ()
    quarter_tables: tuple[QuarterTable, ...] = ()
    panels: tuple[Panel, ...] = ()
    attention: tuple[AttentionSource, ...] = ()
    demo: DemoGenerator | None = None
    notes: str = field(default="", compare=False)


__all__ = ["Area", "AttentionSource", "DataSheet", "DemoGenerator", "ImportKind", "Importer",
           "Panel", "QuarterTable", "Rows", "date"]
