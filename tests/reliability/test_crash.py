"""SIGKILL a process in the middle of its writes, again and again: the file stays sound and
holds exactly the actions that completed (the one in flight is all there or not at all)."""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from sp_tui.services.registry import import_services
from sp_tui.store.connection import open_db
from tests.reliability.crash_worker import PROVIDERS, Model, new_service, work

pytestmark = pytest.mark.slow  # long runs: `pytest -m slow` selects them; CI runs them

KILLS = 120
MAX_RUN_SECONDS = 0.08  # each worker writes for a random time up to this, then is killed
STARTUP_KILLS = 0.2  # this share of kills lands anywhere, opening the database included


def read_new_records(log_path: Path, offset: int) -> tuple[list[dict], int]:
    """Whole lines written since ``offset``; a torn last line (killed mid-write) is dropped."""
    if not log_path.exists():
        return [], offset
    data = log_path.read_bytes()[offset:]
    complete = data[: data.rfind(b"\n") + 1]
    if len(complete) < len(data):
        os.truncate(log_path, offset + len(complete))
    return [json.loads(line) for line in complete.splitlines()], offset + len(complete)


def integrity(db_path: Path) -> list[str]:
    conn = sqlite3.connect(db_path)
    try:
        return [row[0] for row in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()


def test_sigkill_at_random_points_never_loses_or_halves_a_write(tmp_path):
    db_path, log_path = tmp_path / "crash.sqlite", tmp_path / "actions.log"
    db = open_db(db_path)
    import_services(db, [(n + 2, new_service(f"BASE{n}", f"Base {n}", PROVIDERS[n % 3], n))
                         for n in range(30)], source="setup")
    db.close()
    model = Model.read(db_path)

    # A fork server with sp_tui already imported starts each worker in milliseconds.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["tests.reliability.crash_worker"])
    seed = int(os.environ.get("CRASH_SEED", random.randrange(2**32)))
    rng = random.Random(seed)
    offset, next_step = 0, 0
    completed = in_flight_kept = in_flight_dropped = 0

    for kill in range(KILLS):
        ready = context.Event()
        worker = context.Process(target=work, args=(str(db_path), str(log_path), next_step,
                                                    rng.randrange(2**32), ready), daemon=True)
        worker.start()
        if rng.random() > STARTUP_KILLS:
            assert ready.wait(timeout=30), "the worker did not start"
        time.sleep(rng.uniform(0, MAX_RUN_SECONDS))
        worker.kill()
        worker.join()
        assert worker.exitcode == -signal.SIGKILL, (
            f"the worker stopped by itself (exit {worker.exitcode}): see its traceback above")

        records, offset = read_new_records(log_path, offset)
        pending = None
        for record in records:
            if "begin" in record:
                pending = record
                next_step = record["begin"] + 1
            else:
                assert pending and record["done"] == pending["begin"]
                model = model.after(pending["action"])
                pending = None
                completed += 1

        context_note = f"kill {kill} (CRASH_SEED={seed}), in flight: {pending}"
        assert integrity(db_path) == ["ok"], context_note
        actual = Model.read(db_path)
        if pending is None:
            assert actual == model, context_note
        elif actual == model:
            in_flight_dropped += 1
        else:
            model = model.after(pending["action"])
            assert actual == model, f"half an action was saved: {context_note}"
            in_flight_kept += 1

    print(f"\n{KILLS} kills, {completed} actions completed, in flight when killed:"
          f" {in_flight_kept} kept whole, {in_flight_dropped} absent (CRASH_SEED={seed})")
    # Most kills must land inside an action, or the test proves little.
    assert in_flight_kept + in_flight_dropped >= KILLS // 3
    assert completed > KILLS
