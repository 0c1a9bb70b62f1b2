"""The root command: opens the TUI when no subcommand is given; demo, audit."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from typer.core import TyperGroup

if TYPE_CHECKING:
    # Typer carries its own copy of click (click itself is not a dependency): its groups are
    # given that copy's Context.
    from typer._click.core import Context

from sp_tui import __version__
from sp_tui.cli.common import (
    CliState, console, db_option, err_console, escape, machine_errors, open_database,
    user_errors,
)

# The order of `sp-tui --help`: the daily work first, then reports and files, then set-up.
# Commands not named here (a new area's) come after the daily ones until they are placed.
COMMAND_ORDER = ("workbooks", "visits", "complaints", "alerts", "*", "services", "report",
                 "export", "import", "quarter", "ref", "history", "merge", "db", "demo")


class OrderedGroup(TyperGroup):
    def list_commands(self, ctx: Context) -> list[str]:
        def place(name: str) -> int:
            return COMMAND_ORDER.index(name if name in COMMAND_ORDER else "*")

        return sorted(super().list_commands(ctx), key=place)

    def invoke(self, ctx: Context):
        """Every command: a damaged or busy database, a full disk, a folder given for a file
        are reported in words (exit code 1), wherever in the command they happen."""
        with machine_errors():
            return super().invoke(ctx)


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
        db = open_db(path, create=False)
    from sp_tui.tui.app import SpTuiApp

    tui = SpTuiApp(db)
    tui.run()
    if tui.return_code:  # a crash (Textual printed the traceback): exit non-zero
        raise typer.Exit(tui.return_code)


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
    """Build a demo database with realistic generated data (if missing), then open it.

    Only a file that `sp-tui demo` built itself is ever rebuilt (after a backup); any other
    database is refused."""
    from sp_tui.areas import build_demo
    from sp_tui.store.connection import demo_db_path, open_db
    from sp_tui.store.meta import mark_demo

    path = Path(db or db_option(ctx) or demo_db_path()).expanduser()
    if path.exists():
        kind = _demo_state(path)
        if kind not in ("demo", "older demo"):
            err_console.print(
                f"[red]Refused:[/red] {escape(str(path))} is not a demo database"
                f" ({kind}): the demo never changes it. Give the demo another file with --db,"
                " or open this one without `demo`.")
            raise typer.Exit(1)
        if not rebuild and kind == "older demo":
            console.print("The demo database was made by an older sp-tui: building it afresh.")
            rebuild = True
        if rebuild:
            _set_aside(path)
    if not path.exists():
        from sp_tui.store.files import atomic_path

        # Built under a temporary name and renamed when complete: an interrupted build
        # leaves no half-built demo behind.
        with user_errors(), atomic_path(path) as temp:
            database = open_db(temp)
            try:
                mark_demo(database)
                with console.status("Building demo database…") as status:
                    plan = build_demo(database, scale, progress=lambda step: status.update(
                        f"Building demo: {step}…"))
            finally:
                database.close()
        console.print(f"Demo database (scale {scale}, Q{plan.first_quarter}-Q{plan.last_quarter})"
                      f" written to {escape(str(path))}")
    if open_app:
        run_tui(path)


def _demo_state(path: Path) -> str:
    """"demo", "older demo" (built by an older sp-tui: it would show empty areas), or what
    else the file is, in words."""
    import sqlite3

    from sp_tui.store.connection import demo_db_path
    from sp_tui.store.migrate import available_migrations

    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = {row[0] for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "schema_migrations" not in tables:
                return "it is not an sp-tui database" if tables else "an empty file"
            applied = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
            marked = "meta" in tables and conn.execute(
                "SELECT 1 FROM meta WHERE key = 'demo'").fetchone() is not None
        finally:
            conn.close()
    except sqlite3.Error:
        return "it cannot be read as a database"
    # Demo files from before the mark existed are recognised by their place only.
    if not marked and path.resolve() != demo_db_path().resolve():
        return "it holds a team's records"
    if any(m.version not in applied for m in available_migrations()):
        return "older demo"
    return "demo"


def _set_aside(path: Path) -> None:
    """Back the demo file up beside itself, then remove it (and its WAL files)."""
    import sqlite3
    from datetime import datetime

    from sp_tui.store.migrate import backup_to

    backup = path.with_name(f"{path.name}.pre-rebuild-{datetime.now():%Y%m%d-%H%M%S}.bak")
    source = sqlite3.connect(str(path))
    try:
        with user_errors():
            backup_to(sqlite_utils_db(source), backup)
    finally:
        source.close()
    console.print(f"The previous demo database was backed up to {escape(str(backup))}")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def sqlite_utils_db(conn):
    import sqlite_utils

    return sqlite_utils.Database(conn)


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
