"""`sp-tui import KIND FILE`: all-or-nothing imports of CSV or xlsx files. One command per
import kind that an area declares (``sp_tui.areas``), plus `import data` for a whole
`export data` workbook."""

from __future__ import annotations

from collections.abc import Callable

from pathlib import Path

import typer
from rich.progress import BarColumn, Progress, TextColumn

from sp_tui.cli.common import console, open_database, user_errors
from sp_tui.cli.main import app
from sp_tui.areas import ImportKind, import_kinds
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


def run_import(ctx: typer.Context, kind: ImportKind, path: Path,
               maps: list[str] | None = None, add_new: list[str] | None = None) -> None:
    """Read the file with a progress bar, then hand every row to the area's importer (with
    ``mapping`` and ``add_new`` when the kind matches lists: --map / --add-new)."""
    from sp_tui.imports.matching import parse_mappings

    fmt = kind.format
    db = open_database(ctx)
    with user_errors():
        matching = {}
        if maps is not None or add_new is not None:
            matching = {"mapping": parse_mappings(maps or []), "add_new": add_new or []}
        with Progress(TextColumn("{task.description}"), BarColumn(),
                      TextColumn("{task.completed:,} rows"), console=console,
                      transient=True) as progress:
            task = progress.add_task(f"Reading {path.name}", total=None)
            rows = read_table(path, fmt.required, fmt.optional, sheet=kind.kind,
                              progress=lambda n: progress.update(task, completed=n))
            progress.update(task, description="Checking and writing")
            result = kind.importer(db, rows, source=f"import {path.name}", **matching)
    summary = ", ".join(f"{value:,} {name.replace('_', ' ')}" for name, value in result.items())
    console.print(f"[green]Imported {path.name}:[/green] {summary}")


def _command_for(kind: ImportKind) -> Callable[..., None]:
    def matching(ctx: typer.Context, file: Path = FileArg, maps: list[str] = MapOpt,
                 add_new: list[str] = AddNewOpt) -> None:
        run_import(ctx, kind, file, maps, add_new)

    def plain(ctx: typer.Context, file: Path = FileArg) -> None:
        run_import(ctx, kind, file)

    command = matching if kind.matches else plain
    command.__doc__ = kind.help
    command.__name__ = f"import_{kind.kind.replace('-', '_')}"
    return command


for _kind in import_kinds():
    import_app.command(_kind.kind)(_command_for(_kind))


@import_app.command("data")
def import_data_command(ctx: typer.Context, file: Path = FileArg) -> None:
    """Every sheet of an `sp-tui export data` workbook (one per import kind), in one
    transaction: all or nothing."""
    from sp_tui.export.data_import import import_data

    db = open_database(ctx)
    with user_errors(), console.status("Importing…") as status:
        results = import_data(db, file, progress=lambda kind: status.update(f"Importing {kind}…"))
    for kind, counts in results.items():
        summary = ", ".join(f"{value:,} {name.replace('_', ' ')}" for name, value in counts.items())
        console.print(f"[green]{kind}:[/green] {summary or 'no rows'}")
