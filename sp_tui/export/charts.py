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
    """For "row": the label of the row to draw."""
    target: Callable[[ReportTable], float | None] | None = None
    caption: str = ""


def _table2_target(table: ReportTable) -> float | None:
    from sp_tui.domain.targets import WORKBOOKS_BY_DEADLINE_TARGET

    return WORKBOOKS_BY_DEADLINE_TARGET


CHARTS: dict[str, ChartSpec] = {
    "2": ChartSpec("row", row="% returned by deadline", target=_table2_target,
                   caption="Workbooks returned by the deadline, against the target"),
    "2.2": ChartSpec("bars", caption="KPI 1 by primary client group"),
    "2.3": ChartSpec("bars", caption="KPI 2 by primary client group"),
    **{f"A5.{n}": ChartSpec("bars", caption="Outcomes achieved by service type")
       for n in range(1, 6)},
}


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
    row = next((r for r in table.rows if str(r[0]) == spec.row), None)
    if row is None:
        return None
    points = [(label, _value(cell)) for label, cell in zip(table.columns[1:], row[1:])]
    points = [(label, v) for label, v in points if v is not None]
    if not points:
        return None
    fig, ax = _figure(6.5, 2.8)
    labels = [label.split(" ")[0] for label, _ in points]
    ax.bar(labels, [v for _, v in points], color="#4472c4", label=spec.row)
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
    ax.set_title(spec.caption, fontsize=10)
    if len(columns) > 1:
        ax.legend(fontsize=7, loc="lower right")
    return _save(fig)
