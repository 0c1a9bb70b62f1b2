"""`sp-tui merge OTHER.sqlite [--dry-run]`: bring a laptop's copy into this database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from sp_tui.cli.common import console, escape, open_database, user_errors
from sp_tui.cli.main import app

COUNT_COLUMNS = [("New", "inserted"), ("Updated", "updated"), ("Deleted", "deleted"),
                 ("Created in both", "unified"), ("In conflict", "conflicts"),
                 ("Not written", "blocked")]


@app.command("merge")
def merge(
    ctx: typer.Context,
    other: Annotated[Path, typer.Argument(help="The other copy's file (e.g. a laptop's).",
                                          show_default=False)],
    dry_run: Annotated[bool, typer.Option("--dry-run",
                                          help="Show what would happen; write nothing.")] = False,
) -> None:
    """Bring in the records created or changed in another copy of the database.

    Records changed differently in both copies are left as they are here and listed as
    conflicts, to settle in the app (Conflicts screen). A backup is taken first."""
    from sp_tui.services.merge import merge_database

    db = open_database(ctx)
    with user_errors():
        with console.status(f"Merging {escape(str(other))}…") as status:
            result = merge_database(
                db, other, dry_run=dry_run,
                progress=lambda table, n, total: status.update(
                    f"Merging {escape(str(other))}: {table} ({n}/{total})…"))
    print_result(db, result)


def print_result(db, result) -> None:
    from sp_tui.reports.conflicts import describe_found

    source = escape(str(result.source))
    if result.dry_run:
        console.print(f"[bold]Dry run[/bold]: nothing was written. Merging {source} would do"
                      " this:")
    else:
        console.print(f"Merged {source}.")
        if result.backup:
            console.print(f"Backup taken first: {escape(str(result.backup))}")
    if result.migrated_copy:
        console.print(f"The other file is an older version (schema {result.other_version}):"
                      " a copy of it was upgraded for the merge; the file itself is untouched.")
    if not result.shared_history:
        console.print("[yellow]No shared history with that file is known[/yellow] (not made"
                      " with `sp-tui db copy` from here, or never merged): records present in"
                      " both with different content are listed as conflicts.")
    table = Table(title="Records", title_justify="left")
    table.add_column("Table", no_wrap=True)
    for label, _ in COUNT_COLUMNS:
        table.add_column(label, justify="right")
    for name, counts in result.tables.items():
        figures = [getattr(counts, attr) for _, attr in COUNT_COLUMNS]
        if any(figures):
            table.add_row(name, *[f"{v:,}" for v in figures])
    table.add_row("[b]Total[/b]", *[f"[b]{result.total(attr):,}[/b]"
                                    for _, attr in COUNT_COLUMNS])
    console.print(table)
    if not result.conflicts:
        console.print("No conflicts." if result.changed or result.dry_run
                      else "Nothing new: this database already holds everything in that file.")
        return
    lines = describe_found(db, result.conflicts)
    heading = f"Conflicts: {len(lines)}; nothing was written for these records."
    if not result.dry_run and result.new_conflicts < len(lines):
        heading += f" {len(lines) - result.new_conflicts} already listed before."
    console.print(heading)
    conflicts = Table()
    for column in ("Record", "Field", "This database", "Other copy"):
        conflicts.add_column(column, overflow="fold")
    for line in lines:
        other_text = Text(line.other_value)
        if line.reason:
            other_text.append(f"\n{line.reason}", style="dim")
        conflicts.add_row(Text(line.record), Text(line.field), Text(line.this_value), other_text)
    console.print(conflicts)
    if not result.dry_run:
        console.print("Settle them in the app: Conflicts screen (key 8).")
