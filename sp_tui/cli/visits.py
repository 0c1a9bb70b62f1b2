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
from sp_tui.cli.imports import FileArg, import_app, run_import
from sp_tui.cli.main import app
from sp_tui.cli.report import report_app

visits_app = typer.Typer(help="QAF monitoring visits and action plans.", no_args_is_help=True)
app.add_typer(visits_app, name="visits")

QuarterOpt = Annotated[Optional[str], typer.Option(
    "--quarter", "-q", help="Programme quarter, e.g. 24 or Q24 (default: the latest closed).")]
CsvOpt = Annotated[bool, typer.Option("--csv", help="Print plain CSV instead of tables.")]


def _grade(grade: str | None) -> str:
    return grade or "NG"


def _percent(value: int | None) -> str:
    return "-" if value is None else f"{value}%"


@report_app.command("qaf")
def report_qaf(ctx: typer.Context, quarter: QuarterOpt = None, as_csv: CsvOpt = False) -> None:
    """Tables 6, 7 and 8: visits begun and completed, grade changes, current grades."""
    from sp_tui.reports.qaf_tables import GRADE_COLUMNS, qaf_tables

    db = open_database(ctx)
    q = quarter_or_default(db, quarter)
    tables = qaf_tables(db, q)
    t6, t7, t8 = tables.table6, tables.table7, tables.table8
    grade_rows = [("6", "Existing grade", t6.existing), ("6", "Self-assessed grade",
                  t6.self_assessed), ("6", "Awarded grade", t6.awarded),
                  ("8", "Services by current grade", t8.services)]
    change_rows = [("Higher grade", t7.higher), ("No change", t7.same), ("Lower grade", t7.lower),
                   ("First grading (existing not graded)", t7.first_graded),
                   ("Completed without a grade", t7.not_awarded)]
    if as_csv:
        out = csv.writer(sys.stdout, lineterminator="\n")
        out.writerow(["table", "row", "column", "value"])
        for label, value in (("Visits begun", t6.begun), ("Visits completed", t6.completed),
                             ("Visits not completed", t6.not_completed)):
            out.writerow(["6", label, "Count", value])
        for table, label, counts in grade_rows[:3]:
            out.writerows([table, label, col, v] for col, v in zip(GRADE_COLUMNS, counts.cells()))
        out.writerow(["7", "Visits completed", "Count", t7.completed])
        for label, count in change_rows:
            out.writerow(["7", label, "Count", count])
            out.writerow(["7", label, "% of completed", t7.share(count)])
        table, label, counts = grade_rows[3]
        out.writerows([table, label, col, v] for col, v in zip(GRADE_COLUMNS, counts.cells()))
        return
    console.print(f"[bold]QAF monitoring visits, {q.label}[/bold] (as at {q.end.isoformat()})")
    console.print(f"Table 6: visits begun {t6.begun}, completed by the close {t6.completed},"
                  f" not completed {t6.not_completed}")
    table6 = Table(title_justify="left")
    table6.add_column("Visits begun")
    for column in GRADE_COLUMNS:
        table6.add_column(column, justify="right")
    for _, label, counts in grade_rows[:3]:
        table6.add_row(label, *map(str, counts.cells()))
    console.print(table6)
    table7 = Table(title=f"Table 7: of {t7.completed} visits completed", title_justify="left")
    table7.add_column("Grade after the visit")
    table7.add_column("Visits", justify="right")
    table7.add_column("% of completed", justify="right")
    for label, count in change_rows:
        table7.add_row(label, str(count), _percent(t7.share(count)))
    console.print(table7)
    table8 = Table(title=f"Table 8: current QAF grade of the services active at"
                         f" {q.end.isoformat()}", title_justify="left")
    for column in GRADE_COLUMNS:
        table8.add_column(column, justify="right")
    table8.add_row(*map(str, t8.services.cells()))
    console.print(table8)


@import_app.command("visits")
def import_visits_command(ctx: typer.Context, file: Path = FileArg) -> None:
    """QAF monitoring visits: service_ref, started_date, completed_date, officer,
    existing_grade, self_assessed_grade, awarded_grade (blank grade = not graded; blank
    completed_date = in progress); optional users_consulted, notes, the five core-objective
    grades (assessment_grade, safety_grade, safeguarding_grade, fair_access_grade,
    client_involvement_grade), plan_officer, plan_review_date. A row for a service and start
    date already recorded updates that visit."""
    from sp_tui.services.visits import import_visits

    run_import(ctx, "visits", file,
               lambda db, rows: import_visits(db, rows, source=f"import {file.name}"))


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
