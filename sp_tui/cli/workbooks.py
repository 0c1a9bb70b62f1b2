"""`sp-tui workbooks ...`, `sp-tui report table2`, and the workbook history imports."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table
from rich.text import Text

from sp_tui.cli.common import (
    console, csv_writer, escape, open_database, quarter_or_default, user_errors,
)
from sp_tui.cli.main import app
from sp_tui.cli.report import print_report, report_app
from sp_tui.domain.workbooks import STATUS_GROUPS, STATUS_STYLES, STATUSES

workbooks_app = typer.Typer(
    help="Quarterly workbook returns: receipts, reminders, default notices, audits.",
    no_args_is_help=True)
app.add_typer(workbooks_app, name="workbooks")

QuarterOpt = Annotated[Optional[str], typer.Option(
    "--quarter", "-q", help="Programme quarter, e.g. 24 or Q24 (default: the latest closed).")]
DateOpt = Annotated[Optional[str], typer.Option("--date", help="YYYY-MM-DD (default: today).")]
CsvOpt = Annotated[bool, typer.Option("--csv", help="Print plain CSV instead of a table.")]
OutboxOpt = Annotated[Optional[Path], typer.Option(
    "--outbox", help="Folder for the letters (default: outbox/ beside the database).")]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="Show who would get a letter;"
                                                           " write nothing.")]
RefArg = Annotated[str, typer.Argument(help="The service reference, e.g. SP00123.")]
ReasonOpt = Annotated[str, typer.Option("--reason", help="Why (required).")]


def _print_csv(header: list[str], rows: list[list[object]]) -> None:
    writer = csv_writer()
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)


def _status_text(key: str) -> Text:
    return Text(STATUSES[key], style=STATUS_STYLES[key])


@workbooks_app.command("list")
def list_workbooks(
    ctx: typer.Context,
    quarter: QuarterOpt = None,
    status: Annotated[Optional[str], typer.Option(
        help="Only this status: " + ", ".join([*STATUS_GROUPS, *STATUSES]) + ".")] = None,
    provider: Annotated[Optional[str], typer.Option(help="Only this provider.")] = None,
    district: Annotated[Optional[str], typer.Option(help="Only this district.")] = None,
    search: Annotated[str, typer.Option(help="Words to find in ref, name, provider,"
                                             " district.")] = "",
    as_of: Annotated[Optional[str], typer.Option(
        "--as-of", help="Status as of this date, YYYY-MM-DD (default: today).")] = None,
    as_csv: CsvOpt = False,
) -> None:
    """Every workbook expected for a quarter, with its status."""
    from sp_tui.domain.values import parse_date
    from sp_tui.domain.workbooks import parse_status_filter
    from sp_tui.reports.workbooks import WorkbookQuery, workbook_summary, workbooks_page

    db = open_database(ctx)
    q = quarter_or_default(db, quarter)
    with user_errors():
        day = parse_date(as_of, field="--as-of") if as_of else date.today()
        statuses = parse_status_filter(status) if status else ()
        page = workbooks_page(db, WorkbookQuery(q, day, statuses, provider, district, search,
                                                limit=1_000_000))
    if as_csv:
        _print_csv(["service_ref", "service_name", "provider", "district", "status",
                    "received_date", "reminders", "last_reminder", "default_issued",
                    "excused", "rejected"],
                   [[r.service_ref, r.service_name, r.provider, r.district, r.status,
                     r.received_date, r.reminders, r.last_reminder, r.default_issued,
                     r.excused_reason, r.rejected_reason] for r in page.rows])
        return
    summary = workbook_summary(db, q, day)
    table = Table(title=f"Workbooks, {q.label}, as of {day.isoformat()}: {page.total:,} shown"
                        f" of {summary.expected:,} expected", title_justify="left",
                  caption=f"Deadline {summary.deadline.isoformat()}, default period ends"
                          f" {summary.default_end.isoformat()}", caption_justify="left")
    for column in ("Ref", "Service", "Provider", "District", "Status", "Received", "Reminders",
                   "Default"):
        table.add_column(column, justify="right" if column == "Reminders" else "left")
    for r in page.rows:
        table.add_row(Text(r.service_ref), Text(r.service_name), Text(r.provider),
                      Text(r.district), _status_text(r.status), r.received_date or "",
                      str(r.reminders or ""), r.default_issued or "")
    console.print(table)
    counts = ", ".join(f"{STATUSES[k]} {v}" for k, v in summary.by_status.items() if v)
    console.print(Text(counts or "no workbooks expected"))


@workbooks_app.command("receive")
def receive(ctx: typer.Context,
            service_refs: Annotated[list[str], typer.Argument(
                metavar="REF...", help="One or more service references (or a pasted list:"
                                       " spaces, commas or new lines between them).")],
            quarter: QuarterOpt = None, on: DateOpt = None) -> None:
    """Mark workbooks received (after a rejection: the resubmission). Several references
    are received together, all or none, in one transaction."""
    from sp_tui.services.workbooks import receive_workbooks

    db = open_database(ctx)
    q = quarter_or_default(db, quarter)
    with user_errors():
        batch = receive_workbooks(db, service_refs, q, on, source="cli")
    console.print(Text(batch.summary))


@workbooks_app.command("reject")
def reject(ctx: typer.Context, service_ref: RefArg, reason: ReasonOpt,
           quarter: QuarterOpt = None, on: DateOpt = None) -> None:
    """Reject a received workbook (incomplete or wrong): it must be resubmitted."""
    from sp_tui.services.workbooks import reject_workbook

    db = open_database(ctx)
    q = quarter_or_default(db, quarter)
    with user_errors():
        change = reject_workbook(db, service_ref, q, reason, on, source="cli")
    console.print(Text(change.summary))


@workbooks_app.command("excuse")
def excuse(ctx: typer.Context, service_ref: RefArg, reason: ReasonOpt,
           quarter: QuarterOpt = None, on: DateOpt = None) -> None:
    """Excuse a workbook (a failure outside the provider's control): no default follows."""
    from sp_tui.services.workbooks import excuse_workbook

    db = open_database(ctx)
    q = quarter_or_default(db, quarter)
    with user_errors():
        change = excuse_workbook(db, service_ref, q, reason, on, source="cli")
    console.print(Text(change.summary))


def _print_run(run, verb: str) -> None:
    if not run.count:
        console.print(f"No workbooks of {run.quarter.label} are due {verb} on"
                      f" {run.day.isoformat()}.")
        return
    console.print(f"{run.quarter.label}: {run.count} {verb} to {len(run.letters)} provider(s)"
                  f"{' (dry run: nothing written)' if run.dry_run else ''}", soft_wrap=True)
    table = Table()
    for column in ("Provider", "Ref", "Service", "Status"):
        table.add_column(column)
    for row in run.rows:
        table.add_row(Text(row.provider), Text(row.service_ref), Text(row.service_name),
                      _status_text(row.status))
    console.print(table)
    if run.folder:
        console.print(f"Letters and mail-merge CSV written to {escape(str(run.folder))}")


@workbooks_app.command("remind")
def remind(ctx: typer.Context, quarter: QuarterOpt = None, on: DateOpt = None,
           outbox: OutboxOpt = None, dry_run: DryRunOpt = False) -> None:
    """Send reminders for every overdue workbook not yet reminded (letters to the outbox)."""
    from sp_tui.services.workbook_runs import send_reminders

    db = open_database(ctx)
    q = quarter_or_default(db, quarter)
    with user_errors():
        run = send_reminders(db, q, sent=on, outbox=outbox, dry_run=dry_run, source="cli")
    _print_run(run, "reminders")


@workbooks_app.command("default")
def default(ctx: typer.Context, quarter: QuarterOpt = None, on: DateOpt = None,
            outbox: OutboxOpt = None, dry_run: DryRunOpt = False,
            include_withdrawn: bool = typer.Option(
                False, "--include-withdrawn",
                help="Also default the workbooks whose default was withdrawn (normally"
                     " left alone).")) -> None:
    """Issue default notices for every workbook still missing after the default period
    (not those whose default was withdrawn, unless --include-withdrawn)."""
    from sp_tui.services.workbook_runs import issue_defaults

    db = open_database(ctx)
    q = quarter_or_default(db, quarter)
    with user_errors():
        run = issue_defaults(db, q, issued=on, outbox=outbox, dry_run=dry_run, source="cli",
                             include_withdrawn=include_withdrawn)
    _print_run(run, "default notices")


@workbooks_app.command("withdraw-default")
def withdraw(ctx: typer.Context, service_ref: RefArg, reason: ReasonOpt,
             quarter: QuarterOpt = None, on: DateOpt = None) -> None:
    """Withdraw a default issued unduly: it leaves the counts; its record is kept."""
    from sp_tui.services.workbooks import withdraw_default

    db = open_database(ctx)
    q = quarter_or_default(db, quarter)
    with user_errors():
        summary = withdraw_default(db, service_ref, q, reason, on, source="cli")
    console.print(Text(summary))


@workbooks_app.command("defaults")
def defaults(ctx: typer.Context, quarter: QuarterOpt = None, as_csv: CsvOpt = False) -> None:
    """The provider default list (four quarters to this one; 5+ flags contract review)."""
    from sp_tui.reports.workbooks import provider_default_list

    db = open_database(ctx)
    q = quarter_or_default(db, quarter)
    listing = provider_default_list(db, q)
    quarters = listing.quarters
    if as_csv:
        _print_csv(["provider", *[f"Q{x.number}" for x in quarters], "total", "withdrawn",
                    "contract_review"],
                   [[p.provider, *[p.by_quarter[x.number] for x in quarters], p.total,
                     p.withdrawn, "yes" if p.contract_review else ""]
                    for p in listing.providers])
        return
    table = Table(title=f"Provider default list, Q{listing.first.number}-Q{listing.last.number}",
                  title_justify="left")
    table.add_column("Provider")
    for x in quarters:
        table.add_column(f"Q{x.number}", justify="right")
    for column in ("Total", "Withdrawn", ""):
        table.add_column(column, justify="right" if column else "left")
    for p in listing.providers:
        table.add_row(Text(p.provider), *[str(p.by_quarter[x.number]) for x in quarters],
                      str(p.total), str(p.withdrawn),
                      Text("contract review", style="bold red") if p.contract_review else "")
    console.print(table)


@workbooks_app.command("audit")
def record_audit(
    ctx: typer.Context, service_ref: RefArg,
    assurance: Annotated[str, typer.Option(help="high, medium or low.")],
    officer: Annotated[str, typer.Option(help="Who carried out the audit.")],
    quarter: QuarterOpt = None, on: DateOpt = None,
    notes: Annotated[str, typer.Option(help="Notes.")] = "",
) -> None:
    """Record a workbook audit of a service for a quarter."""
    from sp_tui.services.workbooks import record_workbook_audit

    db = open_database(ctx)
    q = quarter_or_default(db, quarter)
    with user_errors():
        record_workbook_audit(db, service_ref, q, audit_date=on, officer=officer,
                              assurance=assurance, notes=notes, source="cli")
    console.print(Text(f"Audit recorded: {service_ref} {q.label}, {assurance} assurance"))


@workbooks_app.command("audits")
def audits(ctx: typer.Context, quarter: QuarterOpt = None) -> None:
    """Workbook audits carried out in a quarter, and the low-assurance revisit list."""
    from sp_tui.reports.workbooks import audit_summary, audits_in_quarter, revisits_due

    db = open_database(ctx)
    q = quarter_or_default(db, quarter)
    summary = audit_summary(db, q)
    console.print(f"[bold]{q.label}[/bold]: {summary.audits} workbook audit(s);"
                  f" {summary.high_or_medium} high or medium assurance, {summary.low} low")
    table = Table(title="Audits", title_justify="left")
    for column in ("Date", "Ref", "Service", "Provider", "Officer", "Assurance", "Notes"):
        table.add_column(column)
    for a in audits_in_quarter(db, q):
        table.add_row(a.audit_date, Text(a.service_ref), Text(a.service_name), Text(a.provider),
                      Text(a.officer), a.assurance, Text(a.notes))
    console.print(table)
    due = Table(title=f"Revisits due in {q.label} (low assurance before it)",
                title_justify="left")
    for column in ("Ref", "Service", "Provider", "Low audit", "Revisit"):
        due.add_column(column)
    for r in revisits_due(db, q):
        revisit = f"{r.revisit_date} {r.revisit_assurance}" if r.revisit_date else "due"
        due.add_row(Text(r.service_ref), Text(r.service_name), Text(r.provider),
                    r.low_audit_date, revisit)
    console.print(due)


@workbooks_app.command("templates")
def templates(ctx: typer.Context, quarter: QuarterOpt = None,
              outbox: Annotated[Optional[Path], typer.Option(
                  "--outbox", help="Folder to write into (default: outbox/ beside the"
                                   " database); the files go to its Qn-workbooks/.")] = None,
              force: Annotated[bool, typer.Option(
                  "--force", help="Replace files of the same name already there.")] = False
              ) -> None:
    """Write one pre-filled workbook (xlsx) per expected workbook of the quarter, and a
    mail-merge CSV (provider, contact, email, file name) to send them out."""
    from sp_tui.services.workbook_templates import write_templates

    db = open_database(ctx)
    q = quarter_or_default(db, quarter)
    with user_errors():
        run = write_templates(db, q, outbox=outbox, force=force, source="cli")
    console.print(Text(f"{q.label}: {len(run.specs)} workbooks and mail-merge.csv written to"
                       f" {run.folder} ({run.bytes_written / 1024:,.0f} kB)"), soft_wrap=True)


@workbooks_app.command("intake")
def intake(
    ctx: typer.Context,
    folder: Annotated[Path, typer.Argument(help="The folder holding the returned workbooks.")],
    on: Annotated[Optional[str], typer.Option(
        "--date", help="Date received for every file, YYYY-MM-DD (default: each file's"
                       " modification date).")] = None,
    quarter: Annotated[Optional[str], typer.Option(
        "--quarter", "-q", help="Accept only workbooks of this quarter (default: any).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would happen; write"
                                                            " nothing.")] = False,
    reject_letters: Annotated[bool, typer.Option(
        "--reject-letters", help="Reject the invalid workbooks of known services (the"
                                 " history keeps it) and write a letter per provider saying"
                                 " what to correct and by when.")] = False,
    correct: Annotated[bool, typer.Option(
        "--correct", help="Apply the conflicts: figures that differ from those recorded"
                          " replace them (the audit log keeps the old ones).")] = False,
    move_processed: Annotated[bool, typer.Option(
        "--move-processed", help="After the commit, move received and skipped files to"
                                 " FOLDER/processed/.")] = False,
    outbox: OutboxOpt = None,
    as_csv: CsvOpt = False,
) -> None:
    """Read every returned workbook in FOLDER: receive the valid ones with their figures
    (one transaction: all or none), skip those already received, list conflicts and
    rejections with their reasons. The files are only read."""
    from sp_tui.services.workbook_intake import (
        INTAKE_COLUMNS, intake_rows, received_dates_note, run_intake,
    )

    db = open_database(ctx)
    with user_errors():
        q = parse_quarter_option(quarter)
        result = run_intake(db, folder, received=on, quarter=q, dry_run=dry_run,
                            reject_letters=reject_letters, correct_conflicts=correct,
                            move_processed=move_processed, outbox=outbox, source="cli")
    rows = intake_rows(result)
    if as_csv:
        _print_csv([c.lower() for c in INTAKE_COLUMNS], [list(r) for r in rows])
        return
    table = Table(title=Text(result.summary()), title_justify="left")
    shown = (0, 1, 2, 5, 6, 7)   # provider and quarter: in --csv
    for i in shown:
        table.add_column(INTAKE_COLUMNS[i], overflow="fold",
                         ratio=3 if i == 7 else (2 if i == 0 else None))
    for row in rows:
        table.add_row(*[Text(row[i], style=OUTCOME_STYLES.get(row[i], "")) if i == 1
                        else Text(row[i]) for i in shown])
    console.print(table)
    note = received_dates_note(result, bool(on))
    if note:
        console.print(Text(note), soft_wrap=True)
    if result.count("conflict") and not correct:
        console.print(Text("Conflicts are not applied: check them, then run again with"
                           " --correct to replace the recorded figures."), soft_wrap=True)
    for target in result.letters_folders:
        console.print(Text(f"Rejection letters and mail-merge CSV written to {target}"),
                      soft_wrap=True)
    if result.moved:
        console.print(Text(f"{result.moved} file(s) moved to {folder / 'processed'}"),
                      soft_wrap=True)


OUTCOME_STYLES = {"received": "bold green", "corrected": "green", "skipped": "dim",
                  "conflict": "bold yellow", "rejected": "bold red"}


def parse_quarter_option(text: str | None):
    from sp_tui.domain.quarters import parse_quarter

    return parse_quarter(text) if text else None


@report_app.command("table2")
def report_table2(ctx: typer.Context, quarter: QuarterOpt = None, as_csv: CsvOpt = False) -> None:
    """Table 2, workbook return monitoring: the six quarters ending at this one."""
    from sp_tui.reports.table2 import table2_report

    if as_csv:
        _print_report_csv(ctx, quarter, table2_report)
    else:
        print_report(ctx, quarter, table2_report)


@report_app.command("workbook-audits")
def report_workbook_audits(ctx: typer.Context, quarter: QuarterOpt = None,
                           as_csv: CsvOpt = False) -> None:
    """Workbook audits in the quarter by assurance, and low-assurance revisits."""
    from sp_tui.reports.workbooks import workbook_audits_report

    if as_csv:
        _print_report_csv(ctx, quarter, workbook_audits_report)
    else:
        print_report(ctx, quarter, workbook_audits_report)


def _print_report_csv(ctx: typer.Context, quarter: str | None, build) -> None:
    from sp_tui.export.rich_table import format_cell

    db = open_database(ctx)
    table = build(db, quarter_or_default(db, quarter))
    _print_csv(table.columns, [[format_cell(v).replace(",", "") if i else v
                                for i, v in enumerate(row)] for row in table.rows])
