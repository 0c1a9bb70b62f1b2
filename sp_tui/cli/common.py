"""What every command shares: opening the database from --db, errors as plain messages."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import sqlite_utils
import typer
from rich.console import Console

from sp_tui.domain.errors import ImportFailed, ValidationError
from sp_tui.domain.quarters import Quarter, parse_quarter

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


@dataclass
class CliState:
    """What one command shares: the --db it was given and, once opened, the database, which
    is closed when the command ends."""

    db_path: Path | None = None
    db: sqlite_utils.Database | None = None


def cli_state(ctx: typer.Context) -> CliState:
    root = ctx.find_root()
    if not isinstance(root.obj, CliState):
        root.obj = CliState()
    return root.obj


def db_option(ctx: typer.Context) -> Path | None:
    """The --db given to the top-level command (None: environment or default location)."""
    return cli_state(ctx).db_path


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn the errors a user can act on into a red message and exit code 1."""
    try:
        yield
    except ImportFailed as exc:
        err_console.print(f"[red]Nothing was imported: {len(exc.errors)} error(s).[/red]")
        for line in exc.lines():
            err_console.print(f"  {line}", markup=False)
        raise typer.Exit(1) from None
    except ValidationError as exc:
        err_console.print(f"[red]Error:[/red] {escape(exc.summary())}")
        raise typer.Exit(1) from None
    except (ValueError, FileExistsError, FileNotFoundError) as exc:
        err_console.print(f"[red]Error:[/red] {escape(str(exc))}")
        raise typer.Exit(1) from None
    except sqlite3.DatabaseError as exc:
        from sp_tui.store.connection import explain_database_error

        err_console.print(f"[red]Database error:[/red] {escape(explain_database_error(exc))}")
        raise typer.Exit(1) from None
    except OSError as exc:  # a full disk, a folder given for a file, no permission...
        from sp_tui.store.files import describe_os_error

        err_console.print(f"[red]Error:[/red] {escape(describe_os_error(exc))}")
        raise typer.Exit(1) from None


def csv_writer():
    """CSV to the terminal, formulas defused as in every CSV file sp-tui writes."""
    import sys

    from sp_tui.export.files import SafeCsvWriter

    return SafeCsvWriter(sys.stdout, lineterminator="\n")


@contextmanager
def machine_errors() -> Iterator[None]:
    """What the machine or the file did, not the user's input: a damaged, busy or read-only
    database, a full disk, no permission. Wraps every command (bugs still show tracebacks)."""
    from sp_tui.store.connection import DatabaseProblem, explain_database_error
    from sp_tui.store.files import describe_os_error

    try:
        yield
    except DatabaseProblem as exc:
        err_console.print(f"[red]Error:[/red] {escape(str(exc))}")
        raise typer.Exit(1) from None
    except sqlite3.DatabaseError as exc:
        err_console.print(f"[red]Database error:[/red] {escape(explain_database_error(exc))}")
        raise typer.Exit(1) from None
    except OSError as exc:
        err_console.print(f"[red]Error:[/red] {escape(describe_os_error(exc))}")
        raise typer.Exit(1) from None


def escape(text: str) -> str:
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def open_database(ctx: typer.Context, *, create: bool = False) -> sqlite_utils.Database:
    """The command's database, opened on first use and closed when the command ends. A
    missing file is an error unless ``create``; a file that cannot be written opens
    read-only, with a note saying so."""
    from sp_tui.store.connection import is_read_only, open_db

    state = cli_state(ctx)
    if state.db is None:
        with user_errors():
            state.db = open_db(state.db_path, create=create)
        ctx.find_root().call_on_close(_closer(state))
        if is_read_only(state.db):
            err_console.print("[yellow]Note:[/yellow] the database is read-only: you can"
                              " look, but changes cannot be saved.")

        note_if_empty(ctx, state.db)
    return state.db


def _closer(state: CliState):
    def close() -> None:
        if state.db is not None:
            state.db.close()
            state.db = None

    return close


# Commands that read or act on services (not imports, reference lists or db maintenance).
_NEED_SERVICES = {"report", "workbooks", "services", "visits", "complaints", "alerts", "export"}


def note_if_empty(ctx: typer.Context, db) -> None:
    """A database with no services is probably not the one meant (the app's demo is another
    file): say which file was used, and where the demo is. On stderr, so output stays clean."""
    from sp_tui.store.connection import db_file, demo_db_path

    words = ctx.command_path.split()[1:]
    if not words or words[0] not in _NEED_SERVICES or words[-1] in ("natures", "add-nature") \
            or db.execute("SELECT EXISTS (SELECT 1 FROM services)").fetchone()[0]:
        return
    used, demo = db_file(db), demo_db_path()
    hint = (f"the demo database is {demo}: add --db {demo}" if demo.exists() and demo != used
            else "`sp-tui demo --no-open` builds a demo database, then use its --db")
    # soft_wrap: a long path is never broken across lines (it must stay copyable)
    err_console.print(f"Note: {used} holds no services yet; {hint}. (Import yours with"
                      " `sp-tui import services FILE`.)", markup=False, highlight=False,
                      soft_wrap=True)


def quarter_or_default(db, quarter: str | None) -> Quarter:
    from sp_tui.reports.calendar import working_quarter

    with user_errors():
        if quarter is None:
            return working_quarter(db, date.today())
        return parse_quarter(quarter)
