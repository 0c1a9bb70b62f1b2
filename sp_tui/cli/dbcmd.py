"""`sp-tui db ...`: backup and integrity check."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Optional

import typer

from sp_tui.cli.common import (
    console, db_option, err_console, escape, open_database, user_errors,
)
from sp_tui.cli.main import app

db_app = typer.Typer(help="Look after the database file: backup, check, laptop copy.",
                     no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command()
def init(ctx: typer.Context) -> None:
    """Create a new, empty database at --db (or the default location)."""
    from sp_tui.store.connection import db_file, resolve_db_path

    path = resolve_db_path(db_option(ctx))
    if path.exists():
        err_console.print(f"[red]Error:[/red] {escape(str(path))} already exists: nothing was"
                          " changed.")
        raise typer.Exit(1)
    db = open_database(ctx, create=True)
    console.print(f"New database written to {escape(str(db_file(db)))}")


@db_app.command()
def backup(
    ctx: typer.Context,
    path: Annotated[Optional[Path], typer.Argument(
        help="Where to write the copy (default: beside the database, time-stamped).")] = None,
) -> None:
    """Copy the database safely while it may be in use (SQLite backup API, mode 0600)."""
    from sp_tui.store.connection import db_file
    from sp_tui.store.migrate import backup_to

    db = open_database(ctx)
    source = db_file(db)
    assert source is not None  # open_database opens a file
    target = path or source.with_name(
        f"{source.stem}-{datetime.now():%Y%m%d-%H%M%S}{source.suffix}.bak")
    with user_errors():
        backup_to(db, Path(target))
    console.print(f"Backup written to {escape(str(target))}")


@db_app.command()
def check(ctx: typer.Context) -> None:
    """Run SQLite's integrity check and show the schema version; on a damaged file, say which
    tables can still be read."""
    from sp_tui.store.connection import resolve_db_path
    from sp_tui.store.recover import check_database

    path = resolve_db_path(db_option(ctx))
    with user_errors():
        report = check_database(path)
    console.print(f"Database: {escape(str(path))}")
    if report.version is not None:
        console.print(f"Schema version: {report.version} (this sp-tui knows"
                      f" {report.latest})")
    if report.ok:
        console.print("Integrity check: [green]ok[/green]")
        return
    err_console.print("Integrity check: [red]problems found[/red] (the file is damaged)")
    for line in report.problems[:20]:
        err_console.print(f"  {escape(line)}")
    if len(report.problems) > 20:
        err_console.print(f"  … and {len(report.problems) - 20} more")
    if report.tables:
        err_console.print("Tables:")
        for name, state in report.tables.items():
            err_console.print(f"  {escape(name)}: {escape(state)}")
    err_console.print("Copy out what can be read with `sp-tui db recover NEW.sqlite`, or go back"
                      " to the latest backup (the *.bak files beside the database).")
    raise typer.Exit(1)


@db_app.command()
def recover(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="The new file to write what can be read into.",
                                         show_default=False)],
) -> None:
    """Copy every row that can still be read from a damaged database into a new file."""
    from sp_tui.store.connection import resolve_db_path
    from sp_tui.store.recover import recover_database

    source = resolve_db_path(db_option(ctx))
    with user_errors():
        result = recover_database(source, path)
    for name, (copied, lost) in result.items():
        if copied or lost:
            note = f", [red]{lost:,} could not be read[/red]" if lost else ""
            console.print(f"  {escape(name)}: {copied:,} row(s){note}")
    lost_any = sum(lost for _, lost in result.values())
    console.print(f"Recovered into {escape(str(path))}"
                  + (f"; {lost_any:,} row(s) could not be read." if lost_any else
                     "; every row could be read.")
                  + " Check it (`sp-tui --db NEW db check`) before using it.")


@db_app.command()
def copy(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="Where to write the copy (a new file).",
                                         show_default=False)],
) -> None:
    """Make a copy to work on away from the office, to merge back later with `sp-tui merge`.

    A consistent snapshot (safe while the app is open) with its own identity; both files
    remember what they shared at this moment."""
    from sp_tui.services.sync_copy import copy_database

    db = open_database(ctx)
    with user_errors():
        result = copy_database(db, path, source="db copy")
    console.print(f"Copy written to {escape(str(result.path))} ({result.records:,} records)."
                  " Merge it back with: sp-tui merge " + escape(str(result.path)))
