"""`sp-tui export ...` and `sp-tui report ...` for the quarter summary tables."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from sp_tui.cli.common import console, escape, open_database, quarter_or_default, user_errors
from sp_tui.cli.main import app

export_app = typer.Typer(help="Write the quarter summary (xlsx) for the Commissioning Body.",
                         no_args_is_help=True)
app.add_typer(export_app, name="export")


@export_app.command("quarter")
def export_quarter_command(
    ctx: typer.Context,
    number: Annotated[Optional[str], typer.Argument(
        help="Quarter, e.g. 24 (default: the latest closed).")] = None,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="xlsx file (default: sp-tui-QN.xlsx here).")] = None,
    csv_dir: Annotated[Optional[Path], typer.Option(
        "--csv", help="Also write each table as CSV into this folder.")] = None,
) -> None:
    """Write one workbook: a cover sheet, then one sheet per report table."""
    from sp_tui.export.quarter import export_quarter

    db = open_database(ctx)
    quarter = quarter_or_default(db, number)
    path = output or Path(f"sp-tui-Q{quarter.number}.xlsx")
    with user_errors(), console.status("Writing the quarter summary…") as status:
        export_quarter(db, quarter, path, csv_dir=csv_dir,
                       progress=lambda step: status.update(f"Writing: {step}…"))
    console.print(f"Quarter summary for {quarter.label} written to {escape(str(path))}")


@export_app.command("data")
def export_data_command(
    ctx: typer.Context,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="xlsx file (default: sp-tui-data.xlsx here).")] = None,
    detail: Annotated[bool, typer.Option(
        "--detail", help="Include record-level safeguarding alerts (sensitive).")] = False,
    file_format: Annotated[str, typer.Option(
        "--format", help="xlsx (one sheet per kind) or csv (a new folder, one file per kind).",
        case_sensitive=False)] = "xlsx",
) -> None:
    """Write every record in the import formats, one sheet per kind (re-importable with
    `sp-tui import data`). A kind with more rows than an xlsx sheet holds continues on
    numbered sheets. Safeguarding alerts are included only with --detail."""
    from sp_tui.export.data import export_data, export_data_csv

    if file_format.lower() not in ("xlsx", "csv"):
        with user_errors():
            raise ValueError("--format must be xlsx or csv")
    as_csv = file_format.lower() == "csv"
    db = open_database(ctx)
    path = output or Path("sp-tui-data" if as_csv else "sp-tui-data.xlsx")
    write = export_data_csv if as_csv else export_data
    with user_errors(), console.status("Writing every record…") as status:
        counts = write(db, path, detail=detail,
                       progress=lambda kind: status.update(f"Writing {kind}…"))
    summary = ", ".join(f"{n:,} {kind}" for kind, n in counts.items())
    console.print(f"Wrote {summary} to {escape(str(path))}")
    if not detail:
        console.print("Safeguarding alerts were left out (sensitive): add --detail to include"
                      " them.")
