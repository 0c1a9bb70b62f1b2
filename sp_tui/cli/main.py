"""The root command: opens the TUI when no subcommand is given; demo, audit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import click
import typer
from typer.core import TyperGroup

from sp_tui import __version__
from sp_tui.cli.common import (
    CliState, console, db_option, escape, open_database, user_errors,
)

# The order of `sp-tui --help`: the daily work first, then reports and files, then set-up.
# Commands not named here (a new area's) come after the daily ones until they are placed.
COMMAND_ORDER = ("workbooks", "visits", "complaints", "alerts", "*", "services", "report",
                 "export", "import", "quarter", "ref", "history", "merge", "db", "demo")


class OrderedGroup(TyperGroup):
    def list_commands(self, ctx: click.Context) -> list[str]:
        def place(name: str) -> int:
            return COMMAND_ORDER.index(name if name in COMMAND_ORDER else "*")

        return sorted(super().list_commands(ctx), key=place)


app = typer.Typer(cls=OrderedGroup,
    help="Quarterly performance management for a Supporting People team.\n\n"
         "Run with no command to open the app.",
    no_args_is_help=False, rich_markup_mode="rich", add_completion=True,
)

DbPath = Annotated[Optional[Path], typer.Option(
    "--db", help="Database file (default: $SP_TUI_DB, else the user data directory).",
    show_default=False)]


@app.callback(invoke_without_command=True)
def root(ctx: typer.Context, db: DbPath = None,
         version: Annotated[bool, typer.Option(
             "--version", help="Print the version and exit.", is_eager=True)] = False) -> None:
    """Open the app, or run one of the commands below."""
    if version:
        console.print(f"sp-tui {__version__}")
        raise typer.Exit()
    ctx.obj = CliState(db_path=db)
    if ctx.invoked_subcommand is None:
        run_tui(db_option(ctx))


def run_tui(path) -> None:
    from sp_tui.store.connection import open_db

    with user_errors():
        db = open_db(path)
    from sp_tui.tui.app import SpTuiApp

    SpTuiApp(db).run()


@app.command()
def demo(
    ctx: typer.Context,
    db: DbPath = None,
    scale: Annotated[int, typer.Option(min=1, max=200,
                                       help="Multiple of a Kent-sized programme.")] = 1,
    rebuild: Annotated[bool, typer.Option(help="Replace an existing demo database.")] = False,
    open_app: Annotated[bool, typer.Option("--open/--no-open",
                                           help="Open the app afterwards.")] = True,
) -> None:
    """Build a demo database with realistic generated data (if missing), then open it."""
    from sp_tui.areas import build_demo
    from sp_tui.store.connection import demo_db_path, open_db

    path = Path(db or db_option(ctx) or demo_db_path())
    if path.exists() and not rebuild and _older_schema(path):
        console.print("The demo database was made by an older sp-tui: building it afresh.")
        rebuild = True
    if rebuild and path.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    if not path.exists():
        with user_errors():
            database = open_db(path)
            with console.status("Building demo database…") as status:
                plan = build_demo(database, scale,
                                  progress=lambda step: status.update(f"Building demo: {step}…"))
            database.close()
        console.print(f"Demo database (scale {scale}, Q{plan.first_quarter}-Q{plan.last_quarter})"
                      f" written to {escape(str(path))}")
    if open_app:
        run_tui(path)


def _older_schema(path: Path) -> bool:
    """A demo database that lacks a migration this sp-tui has (it would show empty areas)."""
    import sqlite3

    from sp_tui.store.migrate import available_migrations

    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            applied = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
        finally:
            conn.close()
    except sqlite3.Error:
        return False  # not ours to judge: open_db reports what is wrong with it
    return any(m.version not in applied for m in available_migrations())


@app.command("audit", hidden=True, deprecated=True)
def audit(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many changes.")] = 30,
) -> None:
    """The old name of `sp-tui history`."""
    history(ctx, limit)


@app.command()
def history(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many changes.")] = 30,
) -> None:
    """The change history: the latest changes, when, who, what, old -> new."""
    from rich.table import Table
    from rich.text import Text

    from sp_tui.reports.audit import latest_changes

    db = open_database(ctx)
    table = Table(title="Latest changes", title_justify="left")
    table.add_column("When", no_wrap=True)
    table.add_column("Who")
    table.add_column("Action", no_wrap=True)
    table.add_column("What", ratio=2)
    table.add_column("Changes", ratio=3)
    for entry in latest_changes(db, limit):
        changes = Text()
        if entry.old_values:
            changes.append(entry.old_values, style="red")
            changes.append(" -> ")
        if entry.new_values:
            changes.append(entry.new_values, style="green")
        table.add_row(entry.at.replace("T", " "), Text(entry.who), entry.action,
                      Text(entry.summary), changes)
    console.print(table)
