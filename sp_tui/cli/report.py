"""`sp-tui report ...`: the report tables. Each area adds its commands to ``report_app``."""

from __future__ import annotations

import typer

from sp_tui.cli.main import app

report_app = typer.Typer(help="Print the report tables for a quarter (--csv for plain CSV).",
                         no_args_is_help=True)
app.add_typer(report_app, name="report")
