"""`sp-tui import KIND FILE`: all-or-nothing imports of CSV or xlsx files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import typer
from rich.progress import BarColumn, Progress, TextColumn

from sp_tui.cli.common import console, open_database, user_errors
from sp_tui.cli.main import app
from sp_tui.imports.formats import FORMATS
from sp_tui.imports.reader import read_table

import_app = typer.Typer(
    help="Import the team's spreadsheets (CSV or xlsx). All-or-nothing: any bad row aborts "
         "the file with every error listed by row number.", no_args_is_help=True)
app.add_typer(import_app, name="import")

FileArg = typer.Argument(..., exists=False, help="A .csv (UTF-8) or .xlsx file.")
MapOpt = typer.Option(
    None, "--map", metavar='COLUMN="FROM=TO"',
    help='Read the value FROM in COLUMN as the list\'s value TO (repeatable), e.g. --map'
         ' client_group="Mental health problems=People with mental health problems".'
         ' Remembered for later imports.')
AddNewOpt = typer.Option(
    None, "--add-new", metavar="COLUMN",
    help="Add the values of COLUMN that are not in its list (client_group, service_type,"
         " district) to the list (repeatable).")


def run_import(ctx: typer.Context, kind: str, path: Path,
               write: Callable[..., dict[str, int]], maps: list[str] | None = None,
               add_new: list[str] | None = None) -> None:
    """Read the file with a progress bar, then hand every row to the service function
    (with ``mapping`` and ``add_new`` when the command takes --map / --add-new)."""
    from sp_tui.imports.matching import parse_mappings

    fmt = FORMATS[kind]
    db = open_database(ctx)
    with user_errors():
        matching = {}
        if maps is not None or add_new is not None:
            matching = {"mapping": parse_mappings(maps or []), "add_new": add_new or []}
        with Progress(TextColumn("{task.description}"), BarColumn(),
                      TextColumn("{task.completed:,} rows"), console=console,
                      transient=True) as progress:
            task = progress.add_task(f"Reading {path.name}", total=None)
            rows = read_table(path, fmt.required, fmt.optional, sheet=kind,
                              progress=lambda n: progress.update(task, completed=n))
            progress.update(task, description="Checking and writing")
            result = write(db, rows, **matching)
    summary = ", ".join(f"{value:,} {name.replace('_', ' ')}" for name, value in result.items())
    console.print(f"[green]Imported {path.name}:[/green] {summary}")


@import_app.command("services")
def import_services_command(ctx: typer.Context, file: Path = FileArg,
                            maps: list[str] = MapOpt, add_new: list[str] = AddNewOpt) -> None:
    """Providers and services: provider, service_ref, service_name, service_type,
    client_group, district, term, household_units, leaseholder_units, workbook_required,
    start_date, end_date. Re-importing a reference updates that service."""
    from sp_tui.services.registry import import_services

    run_import(ctx, "services", file,
               lambda db, rows, **m: import_services(db, rows, source=f"import {file.name}", **m),
               maps, add_new)


@import_app.command("data")
def import_data_command(ctx: typer.Context, file: Path = FileArg) -> None:
    """Every sheet of an `sp-tui export data` workbook (services, workbooks, reminders,
    defaults, audits, visits, complaints, alerts), in one transaction: all or nothing."""
    from sp_tui.services.data_import import import_data

    db = open_database(ctx)
    with user_errors(), console.status("Importing…") as status:
        results = import_data(db, file, progress=lambda kind: status.update(f"Importing {kind}…"))
    for kind, counts in results.items():
        summary = ", ".join(f"{value:,} {name.replace('_', ' ')}" for name, value in counts.items())
        console.print(f"[green]{kind}:[/green] {summary or 'no rows'}")
