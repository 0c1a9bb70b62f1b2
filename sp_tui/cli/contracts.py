"""Contracts on the command line: `sp-tui report contract` and
`sp-tui contracts history|add|grant|grants|categories|category` (`sp-tui import contracts` and
`sp-tui import grants` come from the area's import kinds)."""

from __future__ import annotations

import csv
import sys
from typing import Annotated, Optional

import typer
from rich.text import Text

from sp_tui.cli.common import console, open_database, quarter_or_default, user_errors
from sp_tui.cli.main import app
from sp_tui.cli.report import report_app

contracts_app = typer.Typer(help="Contract versions over time, grants, unit categories.",
                            no_args_is_help=True)
app.add_typer(contracts_app, name="contracts")

QuarterOpt = Annotated[Optional[str], typer.Option(
    "--quarter", "-q", help="Programme quarter, e.g. 24 or Q24 (default: the latest closed).")]
CsvOpt = Annotated[bool, typer.Option("--csv", help="Print plain CSV instead of tables.")]


def print_tables(tables, as_csv: bool) -> None:
    """Rich tables, or CSV blocks (title line, header, rows; amounts in pounds, no £)."""
    from sp_tui.export.rich_table import format_cell, rich_table
    from sp_tui.reports.tables import Money, Percent

    def cell(value: object) -> object:
        if isinstance(value, Money):
            return value.pounds
        if isinstance(value, Percent):
            return "" if value.value is None else value.value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        return format_cell(value)

    writer = csv.writer(sys.stdout, lineterminator="\n")
    for n, table in enumerate(tables):
        if as_csv:
            if n:
                writer.writerow([])
            writer.writerow([table.title])
            writer.writerow(table.columns)
            writer.writerows([[cell(v) for v in row] for row in table.rows])
        else:
            console.print(rich_table(table))


@report_app.command("contract")
def report_contract(ctx: typer.Context, quarter: QuarterOpt = None, as_csv: CsvOpt = False
                    ) -> None:
    """Tables 1.1-1.4: providers, services, units by category and by contract type, and
    contract values, at the close beside a year earlier (terms in force at each date)."""
    from sp_tui.reports.contract import contract_tables

    db = open_database(ctx)
    print_tables(contract_tables(db, quarter_or_default(db, quarter)), as_csv)


@contracts_app.command("history")
def history(ctx: typer.Context,
            service_ref: Annotated[str, typer.Argument(help="The service's reference.")]
            ) -> None:
    """A service's contract versions, latest first (* = in force today)."""
    from sp_tui.reports.contract import contract_history, service_id_by_ref

    db = open_database(ctx)
    found = service_id_by_ref(db, service_ref)
    if found is None:
        with user_errors():
            raise ValueError(f"no service with reference {service_ref!r}")
    console.print(Text(f"Contracts of {found[1]}", style="bold"))
    for row in contract_history(db, found[0]):
        capped = "capped" if row.capped else "not capped"
        console.print(Text(
            f"{'*' if row.in_force else ' '} {row.start_date} to {row.end_date or 'open':10}"
            f"  {row.contract_type}, {capped}  {row.household_units:,} household"
            f" + {row.leaseholder_units:,} leaseholder units  {row.value_text}"), soft_wrap=True)


@contracts_app.command("add")
def add(
    ctx: typer.Context,
    service_ref: Annotated[str, typer.Argument(help="The service's reference.")],
    start: Annotated[str, typer.Option("--start", help="First day, YYYY-MM-DD.")],
    contract_type: Annotated[str, typer.Option("--type", help="block gross or block subsidy.")],
    household: Annotated[str, typer.Option("--household", help="Household units.")] = "0",
    leaseholder: Annotated[str, typer.Option("--leaseholder", help="Leaseholder units.")] = "0",
    value: Annotated[str, typer.Option("--value", help="Annual value in £ (pence allowed).")
                     ] = "0",
    capped: Annotated[bool, typer.Option("--capped/--not-capped", help="Capped contract.")
                      ] = False,
    end: Annotated[Optional[str], typer.Option("--end", help="Last day (blank: open).")] = None,
) -> None:
    """Add a contract version from --start; the version in force before it closes the day
    before."""
    from sp_tui.services.contracts import add_version

    db = open_database(ctx)
    with user_errors():
        add_version(db, service_ref, {
            "start_date": start, "end_date": end, "contract_type": contract_type,
            "capped": capped, "household_units": household, "leaseholder_units": leaseholder,
            "annual_value": value}, source="cli")
    console.print(Text(f"Added the contract of {service_ref} from {start}."))


@contracts_app.command("grant")
def grant(ctx: typer.Context,
          financial_year: Annotated[str, typer.Argument(help="e.g. 2008/09.")],
          amount: Annotated[str, typer.Argument(help="In £, pence allowed.")]) -> None:
    """Set the annual government grant for a financial year (Table 1.4)."""
    from sp_tui.domain.contracts import format_money
    from sp_tui.services.contracts import set_grant

    db = open_database(ctx)
    with user_errors():
        year, pence = set_grant(db, financial_year, amount, source="cli")
    console.print(Text(f"Grant for {year}: {format_money(pence)}"))


@contracts_app.command("grants")
def list_grants(ctx: typer.Context) -> None:
    """The grants recorded, by financial year."""
    from sp_tui.domain.contracts import format_money
    from sp_tui.reports.contract import grants

    db = open_database(ctx)
    for year, pence in grants(db):
        console.print(Text(f"{year}  {format_money(pence)}"))


@contracts_app.command("categories")
def categories(ctx: typer.Context) -> None:
    """Each service type and the Table 1.2 line its units go to."""
    from sp_tui.reports.contract import unit_categories

    db = open_database(ctx)
    for service_type, category in unit_categories(db):
        console.print(Text(f"{service_type}: {category}"))


@contracts_app.command("category")
def category(ctx: typer.Context,
             service_type: Annotated[str, typer.Argument(help="A service type.")],
             line: Annotated[str, typer.Argument(
                 help="floating support, hia, sheltered accommodation, sheltered community"
                      " alarm or other accommodation based.")]) -> None:
    """Change the Table 1.2 line a service type's units go to."""
    from sp_tui.services.contracts import set_unit_category

    db = open_database(ctx)
    with user_errors():
        kind = set_unit_category(db, service_type, line, source="cli")
    console.print(Text(f"{service_type}: {kind}"))
