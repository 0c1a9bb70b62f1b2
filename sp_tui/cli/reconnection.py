"""Reconnection on the command line.

`sp-tui report reconnection` prints Tables 4.3, 4.4, 4.9, 4.10 and 4.11 with their notes for
a quarter or a range of months; `sp-tui reconnection missing` lists the monthly returns not
received; `sp-tui reconnection nil` records a return with nobody entering or leaving.
(`sp-tui import reconnection` and `import reconnection-returns` come from the area registry.)
"""

from __future__ import annotations

import csv
import sys
from datetime import date
from typing import Annotated, Optional

import typer
from rich.text import Text

from sp_tui.cli.common import console, escape, open_database, quarter_or_default, user_errors
from sp_tui.cli.main import app
from sp_tui.cli.report import report_app

reconnection_app = typer.Typer(
    help="Reconnection: where people entering and leaving short-term services came from and"
         " settled (monthly returns).", no_args_is_help=True)
app.add_typer(reconnection_app, name="reconnection")

QuarterOpt = Annotated[Optional[str], typer.Option(
    "--quarter", "-q", help="Programme quarter, e.g. 24 or Q24 (default: the latest closed).")]
MonthsOpt = Annotated[Optional[str], typer.Option(
    "--months", "-m", help="A range of months instead of a quarter, e.g. 2009-01..2009-06.")]
CsvOpt = Annotated[bool, typer.Option("--csv", help="Print plain CSV instead of tables.")]


def _period(db, quarter: str | None, months: str | None):
    from sp_tui.domain.reconnection import MonthRange

    if months:
        if quarter:
            raise typer.BadParameter("give --quarter or --months, not both")
        with user_errors():
            return MonthRange.parse(months)
    return quarter_or_default(db, quarter)


def _csv_value(value: object) -> object:
    from sp_tui.export.rich_table import format_cell

    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return format_cell(value)


def _print(tables, as_csv: bool) -> None:
    from sp_tui.export.rich_table import rich_table

    writer = csv.writer(sys.stdout, lineterminator="\n")
    for n, table in enumerate(tables):
        if as_csv:
            if n:
                writer.writerow([])
            writer.writerow([table.title])
            writer.writerow([table.subtitle])
            writer.writerow(table.columns)
            writer.writerows([[_csv_value(v) for v in row] for row in table.rows])
            writer.writerows([[note] for note in table.footnotes])
        else:
            console.print(rich_table(table))
            console.print(Text(table.subtitle, style="italic"))
            console.print()


@report_app.command("reconnection")
def report_reconnection(ctx: typer.Context, quarter: QuarterOpt = None,
                        months: MonthsOpt = None, as_csv: CsvOpt = False) -> None:
    """Appendix 6: Tables 4.3, 4.4, 4.9, 4.10 and 4.11 with the notes under them.

    Entrants by client group and origin, entrants from outside the service's district,
    leavers by area settled and origin, and leavers resettled in the county (all of them, and
    those from out of the county). Percentages to one decimal, rounded half up.
    """
    from sp_tui.reports.reconnection import reconnection_tables

    db = open_database(ctx)
    _print(reconnection_tables(db, _period(db, quarter, months)), as_csv)


@reconnection_app.command("missing")
def missing(ctx: typer.Context, quarter: QuarterOpt = None, months: MonthsOpt = None,
            as_of: Annotated[Optional[str], typer.Option(
                "--as-of", help="Count returns due by this date (default: today).")] = None,
            as_csv: CsvOpt = False) -> None:
    """Monthly returns past their due date (15 days after the month) and not received.

    Every short-term service running in a month owes a return for it, even a nil one.
    """
    from sp_tui.domain.values import parse_date
    from sp_tui.reports.reconnection import missing_returns_table

    db = open_database(ctx)
    with user_errors():
        today = parse_date(as_of, field="--as-of") if as_of else date.today()
    table = missing_returns_table(db, _period(db, quarter, months), today)
    _print([table], as_csv)
    if not as_csv:
        console.print(f"{len(table.rows)} missing.")


@reconnection_app.command("nil")
def nil_return(ctx: typer.Context,
               service_ref: Annotated[str, typer.Argument(help="The service's reference.")],
               month: Annotated[str, typer.Argument(help="The month, as YYYY-MM.")]) -> None:
    """Record a nil return: nobody entered or left the service that month.

    Refused if movements are already recorded for that month (correct them in the app).
    """
    from sp_tui.services.reconnection import record_nil_return

    db = open_database(ctx)
    with user_errors():
        record_nil_return(db, service_ref, month, source="cli")
    console.print(f"[green]Nil return recorded:[/green] {escape(service_ref)} {escape(month)}")
