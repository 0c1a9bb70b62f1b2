"""Charts for the report document, drawn from the report tables' own Percent cells (PNG, via
matplotlib, imported only when a document is written).

A chart is declared per report position: which cells to draw and the target line. Positions
whose tables are not in the tool simply draw nothing.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from sp_tui.reports.tables import Percent, ReportTable


@dataclass(frozen=True)
class ChartSpec:
    kind: str  # "row": one row's percentages across the columns; "bars": rows x columns
    row: str = ""
    """For "row": the label of the row to draw ("": the table's last row, its total)."""
    column: str = ""
    """For "bars": draw only the last column whose header contains this (e.g. "KPI")."""
    target: Callable[[ReportTable], float | None] | None = None
    caption: str = ""


def _table2_target(table: ReportTable) -> float | None:
    from sp_tui.domain.targets import WORKBOOKS_BY_DEADLINE_TARGET

    return WORKBOOKS_BY_DEADLINE_TARGET


CHARTS: dict[str, ChartSpec] = {
    "2": ChartSpec("row", row="% returned by deadline", target=_table2_target,
                   caption="Workbooks returned by the deadline, against the target"),
    "2.2": ChartSpec("bars", column="KPI", target=lambda t: _header_target(t),
                     caption="KPI 1 by primary client group, against the target"),
    "2.3": ChartSpec("bars", column="KPI", target=lambda t: _header_target(t),
                     caption="KPI 2 by primary client group, against the target"),
    **{f"A5.{n}": ChartSpec("row", caption="Outcomes achieved by service type (%)")
       for n in range(1, 6)},
}


def _header_target(table: ReportTable) -> float | None:
    """The target a KPI table states in its RAG column's header ("target 98%")."""
    import re

    for label in reversed(table.columns):
        match = re.search(r"target ([0-9.]+)%", str(label))
        if match:
            return float(match.group(1))
    return None


def _value(cell: object) -> float | None:
    if isinstance(cell, Percent) and cell.value is not None:
        return float(cell.value)
    return None


def chart_png(position: str, table: ReportTable) -> bytes | None:
    """The chart for a table at ``position`` as PNG bytes, or None (no chart declared, or no
    percentages to draw)."""
    spec = CHARTS.get(position)
    if spec is None:
        return None
    if spec.kind == "row":
        return _row_chart(table, spec)
    return _bar_chart(table, spec)


def _figure(width: float, height: float):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    return pyplot.subplots(figsize=(width, height), dpi=110)


def _save(fig) -> bytes:
    from matplotlib import pyplot

    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png")
    pyplot.close(fig)
    return buffer.getvalue()


def _row_chart(table: ReportTable, spec: ChartSpec) -> bytes | None:
    row = (next((r for r in table.rows if str(r[0]) == spec.row), None) if spec.row
           else (table.rows[-1] if table.rows else None))
    if row is None:
        return None
    points = [(label, _value(cell)) for label, cell in zip(table.columns[1:], row[1:])]
    points = [(label, v) for label, v in points if v is not None]
    if not points:
        return None
    fig, ax = _figure(6.5, 2.8)
    labels = [label.split(" ")[0] if spec.row else label[:20] for label, _ in points]
    ax.bar(labels, [v for _, v in points], color="#4472c4", label=spec.row or str(row[0]))
    if not spec.row:
        ax.tick_params(axis="x", labelsize=7, rotation=20)
    target = spec.target(table) if spec.target else None
    if target is not None:
        ax.axhline(target, color="#c00000", linestyle="--", label=f"Target {target:g}%")
    ax.set_ylim(0, 100)
    ax.set_ylabel("%")
    ax.set_title(spec.caption, fontsize=10)
    ax.legend(fontsize=8, loc="lower right")
    return _save(fig)


def _bar_chart(table: ReportTable, spec: ChartSpec) -> bytes | None:
    body = table.rows[:len(table.rows) - table.total_rows] or table.rows
    columns = [i for i in range(1, len(table.columns))
               if any(_value(r[i]) is not None for r in body)]
    if not columns:
        return None
    if spec.column:
        named = [i for i in columns if spec.column in str(table.columns[i])]
        columns = named[-1:] or columns[-1:]
    columns = columns[-6:]  # the latest figures when a table runs over many quarters
    labels = [str(r[0]).strip()[:40] for r in body]
    fig, ax = _figure(6.5, max(2.5, 0.28 * len(body) * max(1, len(columns) / 2) + 1))
    height = 0.8 / len(columns)
    for n, col in enumerate(columns):
        values = [_value(r[col]) or 0 for r in body]
        ax.barh([i + n * height for i in range(len(body))], values, height=height,
                label=table.columns[col][:30])
    ax.set_yticks([i + height * (len(columns) - 1) / 2 for i in range(len(body))])
    ax.set_yticklabels(labels, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("%")
    target = spec.target(table) if spec.target else None
    if target is not None:
        ax.axvline(target, color="#c00000", linestyle="--", label=f"Target {target:g}%")
        ax.legend(fontsize=7, loc="lower right")
    ax.set_title(spec.caption, fontsize=10)
    if len(columns) > 1:
        ax.legend(fontsize=7, loc="lower right")
    return _save(fig)
