"""Render a ReportTable as a rich Table (CLI and dashboard)."""

from __future__ import annotations

from enum import Enum

from rich.table import Table
from rich.text import Text

from sp_tui.reports.tables import Percent, ReportTable


def format_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Percent):
        return str(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return str(value)


def rich_table(report: ReportTable, *, compact: bool = False) -> Table:
    """The CLI prints the full table with footnotes; the dashboard a compact one."""
    from rich import box

    table = Table(title=report.title, title_justify="left", title_style="bold",
                  caption=None if compact else "\n".join(report.footnotes) or None,
                  caption_justify="left", box=box.SIMPLE_HEAD if compact else box.HEAVY_HEAD,
                  padding=(0, 1), pad_edge=not compact)
    for index, label in enumerate(report.columns):
        table.add_column(Text(label), justify="left" if index == 0 else "right",
                         no_wrap=True)
    body = len(report.rows) - report.total_rows
    for number, row in enumerate(report.rows):
        style = "bold" if number >= body else None
        table.add_row(*[Text(format_cell(v), justify="left" if i == 0 else "right",
                             style=getattr(v, "style", "") if isinstance(v, Enum) else "")
                        for i, v in enumerate(row)], style=style)
    return table
