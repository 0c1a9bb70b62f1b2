"""Render a ReportTable as a rich Table (CLI and dashboard)."""

from __future__ import annotations

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


def rich_table(report: ReportTable, *, show_title: bool = True) -> Table:
    table = Table(title=report.title if show_title else None, title_justify="left",
                  caption="\n".join(report.footnotes) or None, caption_justify="left",
                  title_style="bold")
    for index, label in enumerate(report.columns):
        table.add_column(Text(label), justify="left" if index == 0 else "right")
    body = len(report.rows) - report.total_rows
    for number, row in enumerate(report.rows):
        style = "bold" if number >= body else None
        table.add_row(*[Text(format_cell(v)) for v in row], style=style)
    return table
