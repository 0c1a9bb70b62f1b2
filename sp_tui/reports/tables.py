"""ReportTable: one report table as plain data, shared by the screens, the CLI and the export.

Report modules build these from records; the rich renderer and the xlsx/csv writers only
format them, so a figure is computed once and shown everywhere the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sp_tui.domain.arithmetic import percent as whole_percent


@dataclass(frozen=True)
class Percent:
    """A percentage (None: no denominator, shown blank): whole numbers, or ``places``
    decimals (KPI tables: a Decimal already rounded to two places)."""

    value: int | float | Decimal | None
    places: int = 0

    def __str__(self) -> str:
        if self.value is None:
            return ""
        return f"{self.value:.{self.places}f}%" if self.places else f"{self.value}%"


def percent(part: int, whole: int) -> Percent:
    """part / whole as a Percent cell, rounded half up (see domain.arithmetic)."""
    return Percent(whole_percent(part, whole))


@dataclass
class ReportTable:
    key: str
    """Short name used for the sheet and csv file, e.g. "table2"."""
    title: str
    """As in the published report, e.g. "Table 2: Workbook return monitoring"."""
    columns: list[str]
    rows: list[list[object]]
    """Cells: str, int, float, Percent or None."""
    subtitle: str = ""
    """e.g. the quarter, "as at quarter close"."""
    total_rows: int = 0
    """How many of the last rows are totals (shown bold)."""
    footnotes: list[str] = field(default_factory=list)

    def column(self, label: str) -> list[object]:
        index = self.columns.index(label)
        return [row[index] for row in self.rows]

    def cell(self, row_label: str, column: str) -> object:
        """The cell in the row whose first cell is ``row_label``."""
        index = self.columns.index(column)
        for row in self.rows:
            if row[0] == row_label:
                return row[index]
        raise KeyError(row_label)
