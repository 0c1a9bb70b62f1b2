"""`sp-tui report kpi` and `sp-tui kpis ...`: KPI 1 / KPI 2 figures, Tables 2.1-2.5, the
regional and national figures, targets, the RAG tolerance and the service-class mapping."""

from __future__ import annotations

from typing import Annotated, Optional

import typer
from rich.table import Table
from rich.text import Text

from sp_tui.cli.cases import CsvOpt, _print_tables
from sp_tui.cli.common import console, open_database, quarter_or_default, user_errors
from sp_tui.cli.main import app
from sp_tui.cli.report import QuarterOpt, report_app

kpis_app = typer.Typer(help="KPI 1 and KPI 2: service figures, regional and national figures,"
                            " targets, RAG tolerance, service classes.", no_args_is_help=True)
app.add_typer(kpis_app, name="kpis")


@report_app.command("kpi")
def report_kpi(ctx: typer.Context, quarter: QuarterOpt = None, as_csv: CsvOpt = False) -> None:
    """Tables 2.1-2.5: KPI 1 by service type and client group, KPI 2 by client group (three
    quarters to N, regional figure, RAG), and both beside the regional and national figures
    for four quarters."""
    from sp_tui.reports.kpis import kpi_tables

    db = open_database(ctx)
    _print_tables(kpi_tables(db, quarter_or_default(db, quarter)), as_csv)


@kpis_app.command("list")
def kpis_list(
    ctx: typer.Context, quarter: QuarterOpt = None,
    kpi: Annotated[Optional[int],
                   typer.Option(help="1 (long-term) or 2 (short-term) only.")] = None,
    client_group: Annotated[Optional[str], typer.Option(help="One client group only.")] = None,
    sort: Annotated[str, typer.Option(help="percent, ref, name, provider, client_group, class,"
                                           " kpi, numerator, denominator.")] = "percent",
    desc: Annotated[bool, typer.Option("--desc", help="Largest first.")] = False,
    missing: Annotated[bool, typer.Option("--missing", help="Only workbooks received without"
                                                            " figures.")] = False,
    as_csv: CsvOpt = False,
) -> None:
    """Each service's KPI for the quarter with its RAG rating (worst first by default)."""
    from sp_tui.reports.kpis import SORTS, service_kpis

    db = open_database(ctx)
    q = quarter_or_default(db, quarter)
    with user_errors():
        if sort not in SORTS:
            raise ValueError(f"--sort must be one of {', '.join(SORTS)}")
        page = service_kpis(db, q, kpi=kpi, client_group=client_group, sort=sort,
                            descending=desc, missing_only=missing, limit=-1)
    header = ["service_ref", "service", "provider", "client_group", "class", "kpi",
              "numerator", "denominator", "percent", "rag", "received"]
    rows = [[r.service_ref, r.name, r.provider, r.client_group, r.service_class, r.kpi,
             "" if r.numerator is None else r.numerator,
             "" if r.denominator is None else r.denominator,
             "" if r.percent is None else f"{r.percent:.2f}", str(r.rag or ""),
             "figures missing" if r.missing else (r.received or "not received")]
            for r in page.rows]
    if as_csv:
        import csv
        import sys

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerows([header, *rows])
        return
    table = Table(title=f"KPIs by service, {q.label}: {page.total:,} services,"
                        f" {page.missing:,} received without figures", title_justify="left")
    for name in header:
        table.add_column(name)
    for row, r in zip(rows, page.rows):
        cells = [Text(str(v)) for v in row]
        if r.rag:
            cells[9].stylize(r.rag.style)
        table.add_row(*cells)
    console.print(table)


@kpis_app.command("record")
def kpis_record(
    ctx: typer.Context, service_ref: str, quarter: QuarterOpt = None,
    independent: Annotated[Optional[str], typer.Option(help="KPI 1: users supported to live"
                                                            " independently.")] = None,
    users: Annotated[Optional[str], typer.Option(help="KPI 1: service users counted.")] = None,
    planned: Annotated[Optional[str], typer.Option(help="KPI 2: planned moves.")] = None,
    departures: Annotated[Optional[str], typer.Option(help="KPI 2: all departures.")] = None,
) -> None:
    """Record or correct a service's figures for a quarter (the old values stay in the audit
    log). Give an empty value ("") to clear one."""
    from sp_tui.services.kpis import record_figures

    db = open_database(ctx)
    q = quarter_or_default(db, quarter)
    values = {name: value for name, value in (
        ("kpi1_independent", independent), ("kpi1_users", users),
        ("kpi2_planned", planned), ("kpi2_departures", departures)) if value is not None}
    with user_errors():
        change = record_figures(db, service_ref, q, values, source="cli")
    console.print(Text(f"{change.service_ref} Q{change.quarter}: figures {change.action}."))


@kpis_app.command("benchmarks")
def kpis_benchmarks(ctx: typer.Context, quarter: QuarterOpt = None,
                    all_quarters: Annotated[bool, typer.Option("--all")] = False) -> None:
    """The regional and national figures entered for a quarter (or every quarter)."""
    from sp_tui.reports.kpis import benchmark_list

    db = open_database(ctx)
    q = None if all_quarters else quarter_or_default(db, quarter)
    table = Table(title="Regional and national KPI figures", title_justify="left")
    for name in ("quarter", "kpi", "scope", "breakdown", "category", "value (%)"):
        table.add_column(name)
    for row in benchmark_list(db, q):
        table.add_row(*[Text(str(v)) for v in row])
    console.print(table)


BreakdownOpt = Annotated[str, typer.Option(help="overall, service_class or client_group.")]
CategoryOpt = Annotated[str, typer.Option(help="The class or client group (blank for"
                                               " overall).")]


@kpis_app.command("set-benchmark")
def kpis_set_benchmark(ctx: typer.Context, quarter: str, kpi: str, scope: str, value: str,
                       breakdown: BreakdownOpt = "overall", category: CategoryOpt = "") -> None:
    """Enter a regional or national figure: QUARTER KPI SCOPE VALUE, e.g. 23 1 regional 98.67."""
    from sp_tui.services.kpis import set_benchmark

    db = open_database(ctx)
    with user_errors():
        b = set_benchmark(db, {"quarter": quarter, "kpi": kpi, "scope": scope, "value": value,
                               "breakdown": breakdown, "category": category}, source="cli")
    console.print(Text(f"Q{b.quarter} KPI {b.kpi} {b.scope} {b.category or 'overall'}:"
                       f" {b.value}%"))


@kpis_app.command("remove-benchmark")
def kpis_remove_benchmark(ctx: typer.Context, quarter: str, kpi: str, scope: str,
                          breakdown: BreakdownOpt = "overall", category: CategoryOpt = "") -> None:
    """Remove a regional or national figure entered by mistake (the audit log keeps it)."""
    from sp_tui.services.kpis import remove_benchmark

    db = open_database(ctx)
    with user_errors():
        done = remove_benchmark(db, {"quarter": quarter, "kpi": kpi, "scope": scope,
                                     "breakdown": breakdown, "category": category},
                                source="cli")
    console.print("Removed." if done else "No such figure.")


@kpis_app.command("targets")
def kpis_targets(ctx: typer.Context) -> None:
    """Targets per financial year, the RAG tolerance, and the service-class mapping."""
    from sp_tui.reports.kpis import kpi_settings, kpi_targets, service_classes

    db = open_database(ctx)
    table = Table(title="KPI targets", title_justify="left")
    for name in ("kpi", "financial year", "target (%)"):
        table.add_column(name)
    for kpi, year, target in kpi_targets(db):
        table.add_row(str(kpi), year, str(target))
    console.print(table)
    console.print(f"RAG: green at or above target; amber below it by less than"
                  f" {kpi_settings(db).tolerance} percentage points; red below that.")
    classes = Table(title="Service classes (Table 2.1)", title_justify="left")
    classes.add_column("service type")
    classes.add_column("class")
    for service_type, klass in service_classes(db):
        classes.add_row(Text(service_type), klass)
    console.print(classes)


@kpis_app.command("set-target")
def kpis_set_target(ctx: typer.Context, kpi: str, financial_year: str, value: str) -> None:
    """Set a KPI's target for a financial year: KPI YEAR VALUE, e.g. 2 2009/10 68.2."""
    from sp_tui.services.kpis import set_target

    db = open_database(ctx)
    with user_errors():
        target = set_target(db, kpi, financial_year, value, source="cli")
    console.print(Text(f"KPI {kpi} target for {financial_year}: {target}%"))


@kpis_app.command("set-tolerance")
def kpis_set_tolerance(ctx: typer.Context, value: str) -> None:
    """Amber below target by less than VALUE percentage points (default 2)."""
    from sp_tui.services.kpis import set_tolerance

    db = open_database(ctx)
    with user_errors():
        tolerance = set_tolerance(db, value, source="cli")
    console.print(Text(f"RAG tolerance: {tolerance} percentage points"))


@kpis_app.command("set-class")
def kpis_set_class(ctx: typer.Context, service_type: str, service_class: str) -> None:
    """Map a service type to "accommodation based" or "floating support" (Table 2.1)."""
    from sp_tui.services.kpis import set_service_class

    db = open_database(ctx)
    with user_errors():
        chosen = set_service_class(db, service_type, service_class, source="cli")
    console.print(Text(f"{service_type}: {chosen}"))
