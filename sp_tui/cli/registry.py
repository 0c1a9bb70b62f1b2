"""`sp-tui services ...`, `sp-tui quarter ...`, `sp-tui ref ...`."""

from __future__ import annotations

from typing import Annotated, Optional

import typer
from rich.table import Table
from rich.text import Text

from sp_tui.cli import imports as _imports  # noqa: F401  (registers `sp-tui import`)
from sp_tui.cli.common import console, escape, open_database, quarter_or_default, user_errors
from sp_tui.cli.main import app
from sp_tui.domain.quarters import parse_quarter

services_app = typer.Typer(help="The register of services.", no_args_is_help=True)
quarter_app = typer.Typer(help="Programme quarters and their workbook deadlines.",
                          no_args_is_help=True)
ref_app = typer.Typer(help="Reference lists: districts, client groups, service types.",
                      no_args_is_help=True)
app.add_typer(services_app, name="services")
app.add_typer(quarter_app, name="quarter")
app.add_typer(ref_app, name="ref")

QuarterOpt = Annotated[Optional[str], typer.Option(
    "--quarter", "-q", help="Programme quarter, e.g. 24 or Q24 (default: the latest closed).")]


@services_app.command("list")
def list_services(
    ctx: typer.Context,
    search: Annotated[str, typer.Argument(help="Words to find in ref, name, provider or"
                                               " district.")] = "",
    quarter: QuarterOpt = None,
    status: Annotated[Optional[str], typer.Option(help="active, ended or 'not started'.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many rows.")] = 50,
) -> None:
    """List services with their status in a quarter."""
    from sp_tui.reports.registry import STATUSES, ServiceQuery, services_page

    db = open_database(ctx)
    q = quarter_or_default(db, quarter)
    if status and status not in STATUSES:
        with user_errors():
            raise ValueError(f"status must be one of: {', '.join(STATUSES)}")
    page = services_page(db, ServiceQuery(quarter=q, search=search, status=status, limit=limit))
    table = Table(title=f"Services, {q.label}: {page.total:,} found", title_justify="left")
    for column in ("Ref", "Service", "Provider", "Type", "District", "Term", "Status"):
        table.add_column(column)
    for row in page.rows:
        table.add_row(Text(row.service_ref), Text(row.name), Text(row.provider), row.service_type,
                      row.district, row.term, row.status)
    console.print(table)


@quarter_app.command("show")
def show_quarter(
    ctx: typer.Context,
    number: Annotated[Optional[str], typer.Argument(help="Quarter number, e.g. 24.")] = None,
) -> None:
    """Show a quarter's months, financial year, deadline and default period end."""
    from sp_tui.reports.calendar import calendar_for, is_custom

    db = open_database(ctx)
    q = quarter_or_default(db, number)
    cal = calendar_for(db, q)
    console.print(f"[bold]{q.label}[/bold]  (financial year {q.financial_year})")
    console.print(f"  runs            {q.start.isoformat()} to {q.end.isoformat()}")
    console.print(f"  deadline        {cal.deadline.isoformat()}")
    console.print(f"  default ends    {cal.default_end.isoformat()}"
                  + ("" if is_custom(db, q) else "   (defaults)"))


@quarter_app.command("set")
def set_quarter(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help="Quarter number, e.g. 24.")],
    deadline: Annotated[Optional[str], typer.Option(help="Workbook deadline, YYYY-MM-DD.")] = None,
    default_end: Annotated[Optional[str], typer.Option(
        help="Last day of the default period, YYYY-MM-DD.")] = None,
) -> None:
    """Set a quarter's workbook deadline and/or the end of its default period."""
    from sp_tui.services.calendar import set_quarter_dates

    db = open_database(ctx)
    with user_errors():
        q = parse_quarter(number)
        if deadline is None and default_end is None:
            raise ValueError("give --deadline, --default-end or both")
        cal = set_quarter_dates(db, q, deadline=deadline, default_end=default_end, source="cli")
    console.print(f"{q.label}: deadline {cal.deadline}, default period ends {cal.default_end}")


@ref_app.command("list")
def list_reference(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help="district, client_group or service_type.")],
) -> None:
    """List the values of a reference list."""
    from sp_tui.reports.reference import reference_lists

    db = open_database(ctx)
    lists = reference_lists(db)
    with user_errors():
        if kind not in lists:
            raise ValueError(f"kind must be one of: {', '.join(lists)}")
    for value in lists[kind]:
        console.print(escape(value))


@ref_app.command("add")
def add_reference(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help="district, client_group or service_type.")],
    value: Annotated[str, typer.Argument(help="The new value.")],
) -> None:
    """Add a value to a reference list."""
    from sp_tui.services.registry import add_reference_value

    db = open_database(ctx)
    with user_errors():
        text = add_reference_value(db, kind, value, source="cli")
    console.print(f"Added {escape(text)!s} to {kind}")
