"""`sp-tui report kpi`, `sp-tui kpis ...` and the two KPI imports, through typer."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sp_tui.cli import app
from tests.acceptance.kpi_fixture import DATA, FILES

runner = CliRunner()


def sp(db_path: Path, *args: str):
    return runner.invoke(app, ["--db", str(db_path), *args], catch_exceptions=False)


@pytest.fixture
def cli_db(db, db_path):
    for kind in ("services", "kpis", "kpi-benchmarks"):
        result = sp(db_path, "import", kind, str(DATA / FILES[kind]))
        assert result.exit_code == 0, result.output
    return db_path


def test_report_kpi_prints_tables_2_1_to_2_5(cli_db):
    result = sp(cli_db, "report", "kpi", "--quarter", "23", "--csv")
    assert result.exit_code == 0, result.output
    lines = list(csv.reader(io.StringIO(result.output)))
    titles = [line[0] for line in lines if line and line[0].startswith("Table 2.")]
    assert titles == ["Table 2.1: KPI 1 by service type", "Table 2.2: KPI 1 by primary client group",
                      "Table 2.3: KPI 2 by primary client group",
                      "Table 2.4: KPI 1, regional and national comparison",
                      "Table 2.5: KPI 2, regional and national comparison"]
    rows = {line[0]: line for line in lines if line}
    assert rows["Overall KPI 1"][1:6] == ["98.62%", "98.48%", "98.29%", "98.67%", "Green"]
    assert rows["People with alcohol problems*"][3] == ""
    pretty = sp(cli_db, "report", "kpi", "-q", "Q23")
    assert pretty.exit_code == 0 and "Amber" in pretty.output and "98.29%" in pretty.output


def test_import_again_changes_nothing_and_bad_file_writes_nothing(cli_db, tmp_path):
    again = sp(cli_db, "import", "kpis", str(DATA / FILES["kpis"]))
    assert again.exit_code == 0 and "0 recorded" in again.output
    bad = tmp_path / "bad.csv"
    bad.write_text("service_ref,quarter,kpi1_independent,kpi1_users\n"
                   "K1A00-1,23,5,4\nK1A00-1,23,-1,4\nNOPE,23,1,1\n", encoding="utf-8")
    result = sp(cli_db, "import", "kpis", str(bad))
    assert result.exit_code == 1
    assert "row 2" in result.output and "row 3" in result.output and "row 4" in result.output
    bench = tmp_path / "b.csv"
    bench.write_text("quarter,kpi,scope,breakdown,category,value\n"
                     "23,1,regional,client_group,Martians,50\n23,2,national,,,100.5\n",
                     encoding="utf-8")
    result = sp(cli_db, "import", "kpi-benchmarks", str(bench))
    assert result.exit_code == 1 and "unknown client group" in result.output
    assert "between 0 and 100" in result.output


def test_list_record_and_settings(cli_db):
    listed = sp(cli_db, "kpis", "list", "-q", "23", "--kpi", "2", "--csv")
    assert listed.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(listed.output)))
    assert rows and all(r["kpi"] == "2" for r in rows)
    percents = [float(r["percent"]) for r in rows if r["percent"]]
    assert percents == sorted(percents)
    ref = [r for r in rows if r["percent"]][-1]["service_ref"]   # the best: not 0%
    wrong = sp(cli_db, "kpis", "record", ref, "-q", "23", "--independent", "1", "--users", "2")
    assert wrong.exit_code == 1 and "short-term" in wrong.output
    ok = sp(cli_db, "kpis", "record", ref, "-q", "23", "--planned", "0")
    assert ok.exit_code == 0 and "corrected" in ok.output
    assert sp(cli_db, "kpis", "set-target", "2", "2008/09", "70").exit_code == 0
    assert sp(cli_db, "kpis", "set-tolerance", "5").exit_code == 0
    assert sp(cli_db, "kpis", "set-class", "Outreach", "floating support").exit_code == 0
    shown = sp(cli_db, "kpis", "targets")
    assert "70" in shown.output and "5 percentage points" in shown.output
    assert sp(cli_db, "kpis", "set-target", "2", "someday", "70").exit_code == 1
    assert sp(cli_db, "kpis", "set-benchmark", "24", "2", "regional", "71.5").exit_code == 0
    assert "71.5" in sp(cli_db, "kpis", "benchmarks", "-q", "24").output
    assert sp(cli_db, "kpis", "remove-benchmark", "24", "2", "regional").exit_code == 0
    assert "71.5" not in sp(cli_db, "kpis", "benchmarks", "--all").output
