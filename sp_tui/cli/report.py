"""`sp-tui report ...`: the quarterly report's tables. Each area adds its own commands to
``report_app`` from its own module."""

from __future__ import annotations

import typer

from sp_tui.cli.main import app

report_app = typer.Typer(help="The quarterly report's tables, as at a quarter's close.",
                         no_args_is_help=True)
app.add_typer(report_app, name="report")
