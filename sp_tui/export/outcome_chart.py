"""Bars of an Appendix 5 row: each service type's success rate beside the overall rate."""

from __future__ import annotations

from rich.text import Text

from sp_tui.reports.tables import Percent, ReportTable

WIDTH = 40  # characters for 100%


def rate_chart(report: ReportTable, row_label: str) -> Text:
    """One bar per column of ``row_label``'s row; the last column (all service types) is the
    line '│' every bar is read against: green at or above it, red below."""
    row = next(r for r in report.rows if r[0] == row_label)
    labels, values = report.columns[1:], row[1:]
    overall = values[-1].value if isinstance(values[-1], Percent) else None
    mark = round(float(overall) * WIDTH / 100) if overall is not None else None
    width = max(len(label) for label in labels)
    text = Text()
    title = row_label.removeprefix("All: ")
    text.append(f"{title[:1].upper()}{title[1:]}: success rate by service type"
                " (│ all service types)\n", style="bold")
    for index, (label, value) in enumerate(zip(labels, values)):
        text.append(f"{label:>{width}} ")
        pct = value.value if isinstance(value, Percent) else None
        is_overall = index == len(values) - 1
        style = "bold cyan" if is_overall else "green" if (
            pct is not None and overall is not None and pct >= overall) else "red"
        filled = round(min(float(pct), 100) * WIDTH / 100) if pct is not None else 0
        for col in range(WIDTH + 1):
            if col == mark and not is_overall:
                text.append("│", style="bold yellow")
            elif col < filled:
                text.append("█", style=style)
            else:
                text.append(" ")
        text.append(f" {value}\n" if pct is not None else " no needs identified\n",
                    style=style if pct is not None else "dim")
    return text
