"""`sp-tui report ...`: print a report table for a quarter as a rich table."""

from __future__ import annotations

from typing import Annotated, Optional

import typer
from rich.text import Text

from sp_tui.cli.common import console, open_database, quarter_or_default, user_errors
from sp_tui.cli.main import app

report_app = typer.Typer(help="Print a report table for a quarter.", no_args_is_help=True)
app.add_typer(report_app, name="report")

QuarterOpt = Annotated[Optional[str], typer.Option(
    "--quarter", "-q", help="Programme quarter, e.g. 24 (default: the latest closed).")]


def print_report(ctx: typer.Context, quarter: str | None, build) -> None:
    from sp_tui.export.rich_table import rich_table

    db = open_database(ctx)
    console.print(rich_table(build(db, quarter_or_default(db, quarter))))




@report_app.command("measures")
def report_measures(ctx: typer.Context, quarter: QuarterOpt = None) -> None:
    """Business plan measures: the quarter and the year to date against the year's target,
    with RAG (KPI 1, NI 141, workbook returns by deadline, outcome returns made)."""
    from sp_tui.export.rich_table import rich_table
    from sp_tui.reports.measures import measures_table

    db = open_database(ctx)
    table = measures_table(db, quarter_or_default(db, quarter))
    console.print(rich_table(table))
    for line in table.sentences:
        console.print(Text(line))


@report_app.command("check")
def report_check(ctx: typer.Context, quarter: QuarterOpt = None) -> None:
    """The consistency check: the cross-table identities the report must satisfy; a failure
    names the records involved (exit code 1)."""
    from sp_tui.export.report_build import consistency
    from sp_tui.reports.consistency import FAILED, PASSED

    db = open_database(ctx)
    q = quarter_or_default(db, quarter)
    with user_errors():
        result = consistency(db, q)
    colours = {PASSED: "green", FAILED: "red"}
    for r in result.results:
        line = Text()
        line.append(f"{r.status:>14}  ", style=colours.get(r.status, "dim"))
        line.append(r.title)
        console.print(line)
        console.print(Text(f"                {r.detail}", style="dim"))
        for record in r.records:
            console.print(Text(f"                - {record}"))
        if r.more:
            console.print(Text(f"                ... and {r.more} more"))
    console.print(Text(result.summary(), style="green" if result.passed else "bold red"))
    if not result.passed:
        raise typer.Exit(1)


SETTING_HELP = {
    "addressee": "To: whom the report is for.",
    "author": "From: who the report is by.",
    "report_date": "Date of the report (YYYY-MM-DD; \"\" for the day it is written).",
    "subject": "Subject line.",
    "classification": "Classification, e.g. Unrestricted.",
    "summary": "The summary paragraph.",
}


@report_app.command("settings")
def report_settings_command(
    ctx: typer.Context,
    to: Annotated[Optional[str], typer.Option("--to", help=SETTING_HELP["addressee"])] = None,
    by: Annotated[Optional[str], typer.Option("--from", help=SETTING_HELP["author"])] = None,
    day: Annotated[Optional[str], typer.Option("--date",
                                               help=SETTING_HELP["report_date"])] = None,
    subject: Annotated[Optional[str], typer.Option(help=SETTING_HELP["subject"])] = None,
    classification: Annotated[Optional[str], typer.Option(
        help=SETTING_HELP["classification"])] = None,
    summary: Annotated[Optional[str], typer.Option(help=SETTING_HELP["summary"])] = None,
) -> None:
    """Show or change the report document's title block (to, from, date, subject,
    classification, summary). An empty value ("") restores the default."""
    from datetime import date

    from sp_tui.reports.report_settings import report_settings
    from sp_tui.services.report_settings import save_report_settings

    db = open_database(ctx)
    changes: dict[str, object] = {
        "addressee": to, "author": by, "report_date": day, "subject": subject,
        "classification": classification, "summary": summary}
    with user_errors():
        if any(v is not None for v in changes.values()):
            settings = save_report_settings(db, changes, source="cli")
            console.print("Report settings saved.")
        else:
            settings = report_settings(db)
    for label, text in settings.title_block(date.today()):
        line = Text(f"{label + ':':<16}", style="bold")
        line.append(text)
        console.print(line)
    if settings.report_date is None:
        console.print(Text("(no date set: the document is dated the day it is written)",
                           style="dim"))
