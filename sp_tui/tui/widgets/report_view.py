"""ReportTableView: one ReportTable on screen as a DataTable (only the visible rows are drawn,
so a table of hundreds of rows stays quick), with its period and notes beneath."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from sp_tui.export.rich_table import format_cell
from sp_tui.reports.tables import ReportTable


class ReportTableView(Vertical):
    DEFAULT_CSS = """
    ReportTableView { height: 1fr; }
    ReportTableView > .report-title { text-style: bold; height: auto; padding: 0 1; }
    ReportTableView > DataTable { height: 1fr; }
    ReportTableView > .report-notes { height: auto; max-height: 10; padding: 0 1;
                                      color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield Static(classes="report-title")
        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield Static(classes="report-notes")

    def show(self, report: ReportTable) -> None:
        self.query_one(".report-title", Static).update(
            Text(f"{report.title} · {report.subtitle}" if report.subtitle else report.title))
        table = self.query_one(DataTable)
        row, column = table.cursor_coordinate
        table.clear(columns=True)
        labels = sum(1 for c in report.rows[0] if isinstance(c, str)) if report.rows else 1
        for index, label in enumerate(report.columns):
            table.add_column(Text(label, justify="left" if index < labels else "right"))
        body = len(report.rows) - report.total_rows
        for number, cells in enumerate(report.rows):
            style = "bold" if number >= body else ""
            table.add_row(*[Text(format_cell(v), style=style,
                                 justify="left" if i < labels else "right")
                            for i, v in enumerate(cells)])
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1), column=column, animate=False)
        self.query_one(".report-notes", Static).update(Text("\n".join(report.footnotes)))
