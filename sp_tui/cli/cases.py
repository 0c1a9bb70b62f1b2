"""Complaints and safeguarding alerts on the command line.

`sp-tui report complaints|safeguarding`, `sp-tui import complaints|alerts FILE`,
`sp-tui complaints list`, `sp-tui alerts natures|add-nature|overdue`.
Alerts are shown as counts unless --detail is asked for.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Annotated, Optional

import typer
from rich.table import Table
from rich.text import Text

from sp_tui.cli.common import (
    console, csv_writer, escape, open_database, quarter_or_default, user_errors,
)
from sp_tui.cli.main import app
from sp_tui.cli.report import report_app

complaints_app = typer.Typer(help="Complaints that exhausted providers' own procedures.",
                             no_args_is_help=True)
alerts_app = typer.Typer(help="Safeguarding alerts (references only, never names).",
                         no_args_is_help=True)
app.add_typer(complaints_app, name="complaints")
app.add_typer(alerts_app, name="alerts")

QuarterOpt = Annotated[Optional[str], typer.Option(
    "--quarter", "-q", help="Programme quarter, e.g. 24 or Q24 (default: the latest closed).")]
CsvOpt = Annotated[bool, typer.Option("--csv", help="Print plain CSV instead of a table.")]
DetailOpt = Annotated[bool, typer.Option(
    "--detail", help="Also list the alerts themselves (references and dates, no notes).")]


def _csv(rows: Iterable[Iterable[object]]) -> None:
    writer = csv_writer()
    writer.writerows(rows)


def _day(value: date | str | None) -> str:
    return value.isoformat() if isinstance(value, date) else (value or "")


def _csv_cell(value: object, format_cell) -> object:
    """Numbers without thousands separators; percentages and text as shown."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return format_cell(value)


def _print_tables(tables, as_csv: bool) -> None:
    """Report tables as rich tables, or as CSV blocks (title line, header, rows)."""
    from sp_tui.export.rich_table import format_cell, rich_table

    for n, table in enumerate(tables):
        if as_csv:
            _csv([*([()] if n else []), (table.title,), table.columns,
                  *[[_csv_cell(v, format_cell) for v in row] for row in table.rows]])
        else:
            console.print(rich_table(table))


@report_app.command("complaints")
def report_complaints(ctx: typer.Context, quarter: QuarterOpt = None, as_csv: CsvOpt = False):
    """Complaints received in a quarter and where they stood at its close.

    Concluded, under contractual negotiation or still open at the close, with the older
    caseload still open and everything concluded during the quarter.
    """
    from sp_tui.reports.complaints import complaints_table

    db = open_database(ctx)
    _print_tables([complaints_table(db, quarter_or_default(db, quarter))], as_csv)


@report_app.command("safeguarding")
def report_safeguarding(ctx: typer.Context, quarter: QuarterOpt = None, as_csv: CsvOpt = False,
                        detail: DetailOpt = False):
    """Table 9: safeguarding alerts received in a quarter, by nature and service type.

    With how many were closed or still open at the close, and whether each reached a
    Safeguarding Co-ordinator within 1 working day. Counts only, unless --detail.
    """
    from sp_tui.reports.safeguarding import (
        alert_details, table_9, table_9_referrals, table_9_service_types,
    )

    db = open_database(ctx)
    q = quarter_or_default(db, quarter)
    _print_tables([build(db, q) for build in (table_9, table_9_service_types,
                                              table_9_referrals)], as_csv)
    if not detail:
        return
    columns = ("ref", "service_ref", "service_type", "received_date", "nature",
               "referred_date", "status_at_close", "closed_date")
    rows = [(d.ref, d.service_ref, d.service_type, d.received_date, d.nature,
             _day(d.referred_date), d.status_at_close, _day(d.closed_date))
            for d in alert_details(db, q)]
    if as_csv:
        _csv([(), (f"Alerts received in {q.label}",), columns, *rows])
        return
    table = Table(title=f"Alerts received in {q.label} (references only)",
                  title_justify="left")
    for column in ("Ref", "Service", "Type", "Received", "Nature", "Referred", "At close",
                   "Closed"):
        table.add_column(column)
    for row in rows:
        table.add_row(*[Text(str(cell)) for cell in row])
    console.print(table)


@complaints_app.command("list")
def list_complaints(
    ctx: typer.Context,
    quarter: Annotated[Optional[str], typer.Option(
        "--quarter", "-q", help="Only those received in this quarter (default: all).")] = None,
    status: Annotated[Optional[str], typer.Option(
        help="open, concluded or 'contractual negotiation'.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many rows.")] = 50,
) -> None:
    """List complaints, open ones first with their age in days (Age)."""
    from sp_tui.domain.cases import parse_complaint_status
    from sp_tui.domain.quarters import parse_quarter
    from sp_tui.reports.complaints import ComplaintQuery, complaints_page

    db = open_database(ctx)
    with user_errors():
        q = parse_quarter(quarter) if quarter else None
        wanted = parse_complaint_status(status) if status else None
    page = complaints_page(db, ComplaintQuery(quarter=q, status=wanted, limit=limit),
                           date.today())
    table = Table(title=f"Complaints: {page.total:,} found", title_justify="left")
    widths = {"Ref": 11, "Service": 7, "Received": 10, "Status": 9, "Age": 5, "Closed": 10}
    for column, width in widths.items():
        table.add_column(column, no_wrap=True, min_width=width,
                         justify="right" if column == "Age" else "left")
    table.add_column("Summary", no_wrap=True, overflow="ellipsis", max_width=40)
    for row in page.rows:
        table.add_row(Text(row.ref), Text(row.service_ref), row.received_date.isoformat(),
                      row.status, str(row.age_days), _day(row.closed_date), Text(row.summary))
    console.print(table)


@alerts_app.command("natures")
def list_natures(ctx: typer.Context) -> None:
    """List the natures of alert, in Table 9's order."""
    from sp_tui.reports.safeguarding import alert_natures

    db = open_database(ctx)
    for nature in alert_natures(db):
        console.print(escape(nature))


@alerts_app.command("add-nature")
def add_nature(ctx: typer.Context,
               value: Annotated[str, typer.Argument(help="The new nature of alert.")]) -> None:
    """Add a nature of alert to the list (it gets its own row in Table 9)."""
    from sp_tui.services.alerts import add_alert_nature

    db = open_database(ctx)
    with user_errors():
        text = add_alert_nature(db, value, source="cli")
    console.print(f"Added {escape(text)} to the natures of alert")


@alerts_app.command("overdue")
def overdue(ctx: typer.Context, detail: DetailOpt = False) -> None:
    """Alerts not referred to a co-ordinator within 1 working day, and still waiting.

    Counts only; --detail lists their references.
    """
    from sp_tui.reports.safeguarding import overdue_referrals

    db = open_database(ctx)
    rows = overdue_referrals(db, date.today())
    style = "red" if rows else "green"
    console.print(f"[{style}]{len(rows)} alert(s) not referred within 1 working day[/{style}]")
    if detail and rows:
        table = Table()
        for column in ("Ref", "Service", "Received", "Referral due", "Nature"):
            table.add_column(column)
        for r in rows:
            table.add_row(Text(r.ref), Text(r.service_ref), r.received_date.isoformat(),
                          r.referral_due.isoformat(), Text(r.nature))
        console.print(table)
