"""What every command shares: opening the database from --db, errors as plain messages."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import typer
from rich.console import Console

from sp_tui.domain.errors import ImportFailed, ValidationError
from sp_tui.domain.quarters import Quarter, parse_quarter

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


def db_option(ctx: typer.Context):
    """The --db given to the top-level command (None: environment or default location)."""
    root = ctx.find_root()
    return (root.obj or {}).get("db")


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
        err_console.print(f"[red]Database error:[/red] {escape(str(exc))}")
        raise typer.Exit(1) from None


def escape(text: str) -> str:
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def open_database(ctx: typer.Context):
    from sp_tui.store.connection import open_db

    with user_errors():
        db = open_db(db_option(ctx))
    note_if_empty(ctx, db)
    return db


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
    err_console.print(f"Note: {used} holds no services yet; {hint}. (Import yours with"
                      " `sp-tui import services FILE`.)", markup=False, highlight=False)


def quarter_or_default(db, quarter: str | None) -> Quarter:
    from sp_tui.reports.calendar import working_quarter

    with user_errors():
        if quarter is None:
            return working_quarter(db, date.today())
        return parse_quarter(quarter)
