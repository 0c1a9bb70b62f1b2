"""`sp-tui report qaf`, `sp-tui import visits`, `sp-tui visits ...`: QAF monitoring visits."""

from __future__ import annotations

import csv
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table
from rich.text import Text

from sp_tui.cli.common import console, open_database, quarter_or_default, user_errors
from sp_tui.cli.main import app
from sp_tui.cli.report import report_app

visits_app = typer.Typer(help="QAF monitoring visits and action plans.", no_args_is_help=True)
app.add_typer(visits_app, name="visits")

QuarterOpt = Annotated[Optional[str], typer.Option(
    "--quarter", "-q", help="Programme quarter, e.g. 24 or Q24 (default: the latest closed).")]
CsvOpt = Annotated[bool, typer.Option("--csv", help="Print plain CSV instead of tables.")]


def _grade(grade: str | None) -> str:
    return grade or "NG"


@report_app.command("qaf")
def report_qaf(ctx: typer.Context, quarter: QuarterOpt = None, as_csv: CsvOpt = False) -> None:
    """Tables 6, 7 and 8: visits begun and completed, grade changes, current grades."""
    from sp_tui.export.rich_table import format_cell, rich_table
    from sp_tui.reports.qaf_tables import table_6, table_7, table_8
    from sp_tui.reports.tables import Percent

    db = open_database(ctx)
    q = quarter_or_default(db, quarter)
    tables = [build(db, q) for build in (table_6, table_7, table_8)]
    if not as_csv:
        for table in tables:
            console.print(rich_table(table))
        return
    # One long table: every cell of the three tables, by table, row and column.
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["table", "row", "column", "value"])
    for table in tables:
        for row in table.rows:
            for column, value in zip(table.columns[1:], row[1:]):
                if value is not None:
                    shown = value.value if isinstance(value, Percent) else format_cell(value)
                    out.writerow([table.key, row[0], column, shown])


@visits_app.command("list")
def list_visits(
    ctx: typer.Context,
    quarter: QuarterOpt = None,
    officer: Annotated[Optional[str], typer.Option(help="Only this officer's visits.")] = None,
    status: Annotated[Optional[str], typer.Option(
        help="in progress, completed or 'grade changed' (as at the quarter's close).")] = None,
    search: Annotated[str, typer.Option(help="Words in the service's ref or name.")] = "",
    limit: Annotated[int, typer.Option(min=1, help="At most this many rows.")] = 100,
    as_csv: CsvOpt = False,
) -> None:
    """Visits of a quarter: begun in it, or begun earlier and still open when it began."""
    from sp_tui.reports.visits import VisitQuery, visits_page

    db = open_database(ctx)
    q = quarter_or_default(db, quarter)
    with user_errors():
        page = visits_page(db, VisitQuery(quarter=q, officer=officer, status=status,
                                          search=search, limit=limit))
    columns = ["Ref", "Service", "Officer", "Begun", "Completed", "Existing", "Self",
               "Awarded", "Change"]
    rows = [[r.service_ref, r.service_name, r.officer, r.started_date, r.completed_date or "",
             _grade(r.existing_grade), _grade(r.self_assessed_grade), _grade(r.awarded_grade),
             r.change or ""] for r in page.rows]
    _print_rows(f"Visits, {q.label}: {page.total:,} found", columns, rows, as_csv, text_cols=3)


@visits_app.command("plans")
def list_action_plans(
    ctx: typer.Context,
    as_at: Annotated[Optional[str], typer.Option(
        "--as-at", help="Date to judge current grades and overdue reviews (default: today).")
    ] = None,
    as_csv: CsvOpt = False,
) -> None:
    """Services whose current grade is D, with their action plan's officer and review date."""
    from sp_tui.domain.values import parse_date
    from sp_tui.reports.visits import action_plans

    db = open_database(ctx)
    with user_errors():
        day = parse_date(as_at, field="--as-at") if as_at else date.today()
    plans = action_plans(db, day)
    rows = [[p.service_ref, p.service_name, p.awarded_on, p.plan_officer or "(missing)",
             p.plan_review_date or "(missing)", "overdue" if p.overdue else ""] for p in plans]
    _print_rows(f"Action plans at {day.isoformat()}: {len(plans)}",
                ["Ref", "Service", "D awarded", "Monitoring officer", "Review by", ""], rows,
                as_csv, text_cols=4)


def _print_rows(title: str, columns: list[str], rows: list[list[str]], as_csv: bool,
                text_cols: int) -> None:
    """CSV, or a rich table whose first ``text_cols`` columns hold user text."""
    if as_csv:
        out = csv.writer(sys.stdout, lineterminator="\n")
        out.writerow(columns)
        out.writerows(rows)
        return
    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*(Text(v) if i < text_cols else v for i, v in enumerate(row)))
    console.print(table)
