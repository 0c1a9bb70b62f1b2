"""`sp-tui report ...`: print a report table for a quarter as a rich table."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from sp_tui.cli.common import console, open_database, quarter_or_default
from sp_tui.cli.main import app

report_app = typer.Typer(help="Print a report table for a quarter.", no_args_is_help=True)
app.add_typer(report_app, name="report")

QuarterOpt = Annotated[Optional[str], typer.Option(
    "--quarter", "-q", help="Programme quarter, e.g. 24 (default: the latest closed).")]


def print_report(ctx: typer.Context, quarter: str | None, build) -> None:
    from sp_tui.export.rich_table import rich_table

    db = open_database(ctx)
    console.print(rich_table(build(db, quarter_or_default(db, quarter))))

