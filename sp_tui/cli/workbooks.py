"""`sp-tui workbooks ...`, `sp-tui report table2`, and the workbook history imports."""

from __future__ import annotations

import csv
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table
from rich.text import Text

from sp_tui.cli.common import console, escape, open_database, quarter_or_default, user_errors
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
    writer = csv.writer(sys.stdout, lineterminator="\n")
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
def receive(ctx: typer.Context, service_ref: RefArg, quarter: QuarterOpt = None,
            on: DateOpt = None) -> None:
    """Mark a workbook received (after a rejection: its resubmission)."""
    from sp_tui.services.workbooks import receive_workbook

    db = open_database(ctx)
    q = quarter_or_default(db, quarter)
    with user_errors():
        change = receive_workbook(db, service_ref, q, on, source="cli")
    console.print(Text(change.summary))


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
            outbox: OutboxOpt = None, dry_run: DryRunOpt = False) -> None:
    """Issue default notices for every workbook still missing after the default period."""
    from sp_tui.services.workbook_runs import issue_defaults

    db = open_database(ctx)
    q = quarter_or_default(db, quarter)
    with user_errors():
        run = issue_defaults(db, q, issued=on, outbox=outbox, dry_run=dry_run, source="cli")
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
