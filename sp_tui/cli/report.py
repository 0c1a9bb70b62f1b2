"""`sp-tui report ...`: one quarter's tables. Each area registers its commands on
``report_app`` from its own module."""

from __future__ import annotations

import typer

from sp_tui.cli.main import app

report_app = typer.Typer(help="Print a quarter's report tables (--csv for plain CSV).",
                         no_args_is_help=True)
app.add_typer(report_app, name="report")
