"""`sp-tui report outcomes` and `sp-tui outcomes ...`: Appendices 3-5, the returns-made
measures, services with missing returns, and the service-type mapping."""

from __future__ import annotations

import csv
import sys
from typing import Annotated, Optional

import typer
from rich.table import Table
from rich.text import Text

from sp_tui.cli.common import console, open_database, quarter_or_default, user_errors
from sp_tui.cli.main import app
from sp_tui.cli.report import report_app

outcomes_app = typer.Typer(help="Outcome returns: missing returns and the service-type mapping.",
                           no_args_is_help=True)
app.add_typer(outcomes_app, name="outcomes")

QuarterOpt = Annotated[Optional[str], typer.Option(
    "--quarter", "-q", help="Programme quarter, e.g. 23 or Q23 (default: the latest closed).")]
YtdOpt = Annotated[bool, typer.Option(
    "--ytd", help="The financial year to the quarter's close, not the quarter alone.")]
CsvOpt = Annotated[bool, typer.Option("--csv", help="Print plain CSV instead of tables.")]


def _csv_cell(value: object) -> object:
    from sp_tui.export.rich_table import format_cell

    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return format_cell(value).strip()


@report_app.command("outcomes")
def report_outcomes(ctx: typer.Context, quarter: QuarterOpt = None, ytd: YtdOpt = False,
                    as_csv: CsvOpt = False) -> None:
    """Appendices 3, 4 and 5 (Tables 5.1-5.5) and the outcome returns made, for the
    returns of clients who left in the quarter (or the financial year to date)."""
    from sp_tui.export.rich_table import rich_table
    from sp_tui.reports.outcomes import outcome_tables

    db = open_database(ctx)
    chosen = quarter_or_default(db, quarter)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    for n, table in enumerate(outcome_tables(db, chosen, ytd)):
        if as_csv:
            if n:
                writer.writerow([])
            writer.writerow([table.title])
            writer.writerow(table.columns)
            writer.writerows([[_csv_cell(v) for v in row] for row in table.rows])
        else:
            console.print(rich_table(table))


@outcomes_app.command("missing")
def outcomes_missing(ctx: typer.Context, quarter: QuarterOpt = None,
                     ytd: YtdOpt = False) -> None:
    """Services whose outcome returns are missing: short-term returns for the period, and
    long-term services' annual return for the financial year."""
    from sp_tui.reports.outcomes import Period, missing_returns

    db = open_database(ctx)
    period = Period(quarter_or_default(db, quarter), ytd)
    found = missing_returns(db, period)
    table = Table(title=f"Missing outcome returns: {period.short}", title_justify="left")
    for label in ("Service", "Name", "Provider", "Missing"):
        table.add_column(label)
    for m in found:
        table.add_row(Text(m.service_ref), Text(m.service_name), Text(m.provider),
                      Text(m.detail))
    console.print(table)
    console.print(f"{len(found):,} service(s).")


@outcomes_app.command("mapping")
def outcomes_mapping(ctx: typer.Context) -> None:
    """The register's service types and the outcomes framework's type each counts as."""
    from sp_tui.reports.outcomes import service_type_mapping

    db = open_database(ctx)
    table = Table(title="Outcome service types", title_justify="left")
    table.add_column("Register service type")
    table.add_column("Outcomes service type")
    for register_type, outcome_type in service_type_mapping(db):
        table.add_row(Text(register_type), Text(outcome_type or "not mapped",
                                               style="" if outcome_type else "dim"))
    console.print(table)


@outcomes_app.command("map")
def outcomes_map(
    ctx: typer.Context,
    service_type: Annotated[str, typer.Argument(help="A service type of the register.")],
    outcome_type: Annotated[str, typer.Argument(
        help="Direct access, Floating support, Foyer, Outreach, Supported housing, Women's"
             " refuge, or none.")],
) -> None:
    """Count a register service type's returns as one of the framework's six (or none)."""
    from sp_tui.services.outcomes import set_outcome_service_type

    db = open_database(ctx)
    with user_errors():
        result = set_outcome_service_type(db, service_type, outcome_type, source="cli")
    console.print(f"{service_type} -> {result or 'not mapped'}", markup=False)
