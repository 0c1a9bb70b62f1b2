"""Bars of a ReportTable row of percentages against a target line (the dashboard's chart)."""

from __future__ import annotations

from rich.text import Text

from sp_tui.reports.tables import Percent, ReportTable

WIDTH = 40  # characters for 100%


def target_chart(report: ReportTable, row_label: str, target: int) -> Text:
    """One bar per column: green at or above the target, red below; '│' marks the target."""
    values = [v for v in next(r for r in report.rows if r[0] == row_label)[1:]]
    mark = round(target * WIDTH / 100)
    text = Text()
    text.append(f"{row_label}, target {target}%\n", style="bold")
    for label, value in zip(report.columns[1:], values):
        text.append(f"{label:>5} ")
        pct = value.value if isinstance(value, Percent) else None
        if pct is None:
            text.append(" " * mark + "│" + " " * (WIDTH - mark) + "  —\n", style="dim")
            continue
        filled = round(min(pct, 100) * WIDTH / 100)
        style = "green" if pct >= target else "red"
        for col in range(WIDTH + 1):
            if col == mark:
                text.append("│", style="bold yellow")
            elif col < filled:
                text.append("█", style=style)
            else:
                text.append(" ")
        text.append(f" {pct}%\n", style=style)
    return text
