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
        err_console.print(f"[red]Database error:[/red] {escape(str(exc))}")
        raise typer.Exit(1) from None


def escape(text: str) -> str:
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def open_database(ctx: typer.Context) -> sqlite_utils.Database:
    """The command's database, opened on first use and closed when the command ends."""
    from sp_tui.store.connection import open_db

    state = cli_state(ctx)
    if state.db is None:
        with user_errors():
            state.db = open_db(state.db_path)
        ctx.find_root().call_on_close(_closer(state))
    return state.db


def _closer(state: CliState):
    def close() -> None:
        if state.db is not None:
            state.db.close()
            state.db = None

    return close


def quarter_or_default(db, quarter: str | None) -> Quarter:
    from sp_tui.reports.calendar import working_quarter

    with user_errors():
        if quarter is None:
            return working_quarter(db, date.today())
        return parse_quarter(quarter)
