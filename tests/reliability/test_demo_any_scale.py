"""`sp-tui demo --scale N` builds for every accepted N: the provider-name generator used to run
out of distinct names at N >= 32 and loop forever. Scale 40 must finish (a subprocess with a
time-out, so a hang fails the test instead of stalling the suite) with the volume it promises."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from sp_tui.demo.registry import provider_names

pytestmark = pytest.mark.slow  # a whole scale-40 build: `pytest -m slow` selects it


def test_provider_names_are_distinct_far_past_the_random_pool():
    import random

    names = provider_names(125 * 200, random.Random(1))  # the CLI's largest scale
    assert len(names) == 125 * 200
    assert len(set(names)) == len(names)


def test_demo_at_scale_40_finishes(tmp_path):
    path = tmp_path / "demo40.sqlite"
    subprocess.run([sys.executable, "-m", "sp_tui", "demo", "--no-open", "--scale", "40",
                    "--db", str(path)], check=True, capture_output=True, timeout=1800)
    conn = sqlite3.connect(path)
    try:
        services = conn.execute("SELECT count(*) FROM services").fetchone()[0]
        providers = conn.execute("SELECT count(DISTINCT name) FROM providers").fetchone()[0]
    finally:
        conn.close()
    assert services == 330 * 40
    assert providers == 125 * 40
