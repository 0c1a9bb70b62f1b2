"""Benchmarks: build demo databases at several scales (cached), measure, print one table.

    ./dev bench                       # scales 1, 5 and 20
    ./dev bench --scales 1 --repeat 1 # quick look
    ./dev bench --only registry       # just the bench_*.py modules whose name contains this

For each scale it measures, each in a fresh process: cold start of the app to its first
screen drawn (headless) against the floor, a minimal Textual app drawing one DataTable of the
same number of rows; screen switches and Services-screen interactions; then every
``bench_*.py`` module beside this file (``run(db_path) -> dict[str, float]``, see timing.py),
with each process's peak memory. It prints figures only; nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = HERE / ".cache"


# -- demo databases, cached by scale and by the code that builds them ---------------------------

def build_fingerprint() -> str:
    """Changes whenever the schema or the demo generators change, so the cache rebuilds."""
    digest = hashlib.sha256()
    for path in sorted([*(ROOT / "db" / "migrations").glob("*.sql"),
                        *(ROOT / "sp_tui" / "demo").glob("*.py")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def demo_db(scale: int, rebuild: bool) -> tuple[Path, float | None]:
    """The cached demo database for ``scale`` and the seconds it took to build (None: cached)."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"demo-scale{scale}-{build_fingerprint()}.sqlite"
    if path.exists() and not rebuild:
        return path, None
    for stale in CACHE.glob(f"demo-scale{scale}-*"):
        stale.unlink()
    partial = path.with_suffix(".building")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "sp_tui", "demo", "--no-open", "--scale", str(scale),
                    "--db", str(partial)], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    conn = sqlite3.connect(partial)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    partial.rename(path)
    return path, seconds


def describe(db_path: Path) -> str:
    conn = sqlite3.connect(db_path)
    try:
        services = conn.execute("SELECT count(*) FROM services").fetchone()[0]
        low, high = conn.execute("SELECT min(quarter), max(quarter) FROM quarter_calendar"
                                 ).fetchone()
        tables = [name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            " AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'")]
        rows = sum(conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables)
    finally:
        conn.close()
    return (f"{services:,} services, Q{low}-Q{high}, {rows:,} rows in all,"
            f" {db_path.stat().st_size / 1e6:.1f} MB")


# -- child processes ----------------------------------------------------------------------------

def run_child(args: list[str], timeout: float = 900,
              stdin: str | None = None) -> tuple[float | None, dict, dict]:
    """Start a child; return (seconds from launch to its ``ready`` line, its figures, its
    other messages such as the app's screen skeletons). ``stdin`` is written to it first."""
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, *args], cwd=HERE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True,
                             stdin=subprocess.PIPE if stdin is not None else None)
    if stdin is not None:
        child.stdin.write(stdin)
        child.stdin.close()
    ready_at, figures, other = None, {}, {}
    for line in child.stdout:
        if not line.startswith("{"):
            continue
        message = json.loads(line)
        if "ready" in message and ready_at is None:
            ready_at = time.perf_counter() - start
        figures |= message.pop("figures", {})
        other |= {k: v for k, v in message.items() if k != "ready"}
    stderr = child.stderr.read()
    if child.wait(timeout) != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{stderr[-3000:]}")
    return ready_at, figures, other


def _median_figures(runs: list[dict]) -> dict[str, object]:
    """Per figure, the median over the runs that have it (text figures: the last)."""
    merged: dict[str, object] = {}
    for name in dict.fromkeys(n for run in runs for n in run):
        values = [run[name] for run in runs if name in run]
        numbers = [v for v in values if isinstance(v, (int, float))]
        merged[name] = statistics.median(numbers) if len(numbers) == len(values) else values[-1]
    return merged


def scratch_copy(db_path: Path):
    sys.path.insert(0, str(HERE))
    from timing import scratch_copy as copy

    return copy(db_path)


def cold_starts(db_path: Path, rows: int, repeat: int) -> dict[str, object]:
    """Paired runs, so that machine load affects app and floors alike: each round launches the
    floor (bare app, one DataTable), the app (cold start, every screen, mark received,
    Services interactions, and the skeleton of each screen it drew), then the screens' floor
    (those skeletons as bare Textual screens, same keys). Medians of ``repeat`` rounds; every
    ratio is app / floor of the medians."""
    app_times, floor_times, app_runs, floor_runs = [], [], [], []
    for _ in range(repeat):
        seconds, floor_figures, _ = run_child(["tui_child.py", "floor", str(rows)])
        floor_times.append(seconds)
        with scratch_copy(db_path) as scratch:  # the app writes (mark received, undo)
            seconds, app_figures, other = run_child(["tui_child.py", "app", str(scratch)])
        app_times.append(seconds)
        _, screen_floor, _ = run_child(["tui_child.py", "screens", "-"],
                                       stdin=json.dumps(other["skeletons"]))
        app_runs.append(app_figures | floor_figures)
        floor_runs.append(screen_floor)
    app, floor = statistics.median(app_times), statistics.median(floor_times)
    figures: dict[str, object] = {
        "cold start: app to first screen drawn (s)": app,
        "cold start: floor, bare Textual app + one DataTable of as many rows (s)": floor,
        "cold start: app / floor": app / floor}
    measured, floors = _median_figures(app_runs), _median_figures(floor_runs)
    for name, value in measured.items():
        figures[name] = value
        floor_name = _floor_of(name)
        if floor_name in floors and isinstance(value, float):
            base = floors[floor_name]
            figures[floor_name] = base
            figures[name.replace(" (ms)", ": app / floor")] = (
                value / base if base else float("nan"))
    return figures


def _floor_of(name: str) -> str:
    """The screens' floor figure that an app figure is compared with."""
    if name.startswith("screen switch: to "):
        return "floor: " + name.removeprefix("screen switch: to ")
    if name.startswith("workbooks: mark received"):
        return "floor: mark received, one-field modal + row and summary updated (ms)"
    return ""


def first_page_rows(db_path: Path) -> int:
    from sp_tui.reports.registry import PAGE_SIZE

    conn = sqlite3.connect(db_path)
    try:
        return min(PAGE_SIZE, conn.execute("SELECT count(*) FROM services").fetchone()[0])
    finally:
        conn.close()


def bench_modules(only: str | None) -> list[Path]:
    return [p for p in sorted(HERE.glob("bench_*.py")) if not only or only in p.stem]


def run_module(path: Path, db_path: Path) -> dict[str, float]:
    _, figures, _ = run_child([str(Path(__file__).name), "--module", str(path), str(db_path)])
    return figures


def module_child(path: str, db_path: str) -> None:
    """In the child: import one bench module, run it, print its figures and peak memory."""
    import importlib.util
    import resource

    sys.path.insert(0, str(HERE))
    spec = importlib.util.spec_from_file_location(Path(path).stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    figures = dict(module.run(db_path))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures[f"peak memory: {Path(path).stem} process (MB)"] = peak
    print(json.dumps({"figures": figures}), flush=True)


# -- the table ------------------------------------------------------------------------------------

def show(value: float | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if value != value:  # NaN
        return "n/a"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def print_table(scales: list[int], columns: dict[int, dict[str, object]]) -> None:
    names: list[str] = []
    for figures in columns.values():
        names += [name for name in figures if name not in names]
    header = ["figure", *[f"scale {s}" for s in scales]]
    lines = [header, ["---", *["---:" for _ in scales]]]
    lines += [[name, *[show(columns[s].get(name)) for s in scales]] for name in names]
    for line in lines:
        print("| " + " | ".join(line) + " |")


def environment() -> str:
    import textual

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{time.strftime('%Y-%m-%d')} · Python {platform.python_version()} · SQLite"
            f" {sqlite3.sqlite_version} · Textual {textual.__version__} · {os.cpu_count()} CPUs"
            f" · load average {load}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1,5,20", help="comma-separated demo scales")
    parser.add_argument("--repeat", type=int, default=3, help="cold starts per scale (median)")
    parser.add_argument("--only", help="run only bench modules whose name contains this")
    parser.add_argument("--no-tui", action="store_true", help="skip cold start and screens")
    parser.add_argument("--rebuild", action="store_true", help="rebuild cached databases")
    parser.add_argument("--module", nargs=2, metavar=("PATH", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.module:
        module_child(*args.module)
        return

    scales = [int(s) for s in args.scales.split(",")]
    # Every child's temporary files go to a private folder (TMPDIR), emptied at the end:
    # nothing is left in /tmp, and what a bench module forgot to delete is counted.
    private_tmp = CACHE / "tmp"
    shutil.rmtree(private_tmp, ignore_errors=True)
    private_tmp.mkdir(parents=True)
    os.environ["TMPDIR"] = str(private_tmp)
    tempfile.tempdir = None
    columns: dict[int, dict[str, object]] = {}
    for scale in scales:
        print(f"scale {scale}: preparing the demo database…", file=sys.stderr)
        db_path, built = demo_db(scale, args.rebuild)
        figures: dict[str, object] = {
            "load average (1 min) when this scale started": os.getloadavg()[0],
            "database": describe(db_path),
            "demo build, whole command (s)": "cached" if built is None else built,
        }
        if not args.no_tui:
            print(f"scale {scale}: cold starts and screens…", file=sys.stderr)
            figures |= guarded("app", lambda: cold_starts(db_path, first_page_rows(db_path),
                                                          args.repeat))
        for module in bench_modules(args.only):
            print(f"scale {scale}: {module.stem}…", file=sys.stderr)
            figures |= guarded(module.stem, lambda m=module: run_module(m, db_path))
        private_tmp.mkdir(parents=True, exist_ok=True)  # another run may have removed it
        left = list(private_tmp.iterdir())
        figures["temporary files left behind by the benchmark (count)"] = len(left)
        for path in left:
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink()
        columns[scale] = figures
    shutil.rmtree(private_tmp, ignore_errors=True)
    print(environment())
    print()
    print_table(scales, columns)


def guarded(name: str, measure) -> dict[str, object]:
    """One failing part shows as an error row instead of losing the other figures."""
    try:
        return measure()
    except Exception as exc:  # noqa: BLE001 (report and carry on)
        print(f"{name} failed: {exc}", file=sys.stderr)
        return {f"{name}: error": str(exc).splitlines()[0][:60]}


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
