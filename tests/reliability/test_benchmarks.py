"""The benchmark harness stays runnable: every bench module has the entry point run.py calls,
and the report-versus-SQL helper measures what a report really runs. (No timings asserted.)"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from sp_tui.domain.quarters import Quarter
from sp_tui.reports.registry import ServiceQuery, services_page

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def load(path: Path):
    sys.path.insert(0, str(BENCHMARKS))
    try:
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCHMARKS))


@pytest.mark.parametrize("path", sorted(BENCHMARKS.glob("bench_*.py")), ids=lambda p: p.stem)
def test_every_bench_module_has_a_run_function(path):
    module = load(path)
    assert callable(getattr(module, "run", None)), f"{path.name} needs run(db_path) -> dict"


def test_report_vs_sql_replays_the_reports_own_statements(db, make_service):
    timing = load(BENCHMARKS / "timing.py")
    make_service()
    statements = timing.captured_sql(
        db.conn, lambda: services_page(db, ServiceQuery(Quarter(24), search="harbour")))
    assert statements and all("harbour" in s.lower() for s in statements)
    figures = timing.report_vs_sql(
        db, "page", lambda: services_page(db, ServiceQuery(Quarter(24))), repeat=2)
    assert set(figures) == {"page (ms)", "page: bare SQL (ms)", "page: report / SQL"}
    assert all(value > 0 for value in figures.values())


def test_run_py_explains_itself():
    result = subprocess.run([sys.executable, str(BENCHMARKS / "run.py"), "--help"],
                            capture_output=True, text=True, check=True)
    assert "--scales" in result.stdout
