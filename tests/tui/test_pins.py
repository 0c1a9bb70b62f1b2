"""The test run uses the exact versions pinned in constraints-test.txt (snapshots depend on
Textual's exact rendering): a different version installed fails here, by name, rather than
as a wall of snapshot differences."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

CONSTRAINTS = Path(__file__).parents[2] / "constraints-test.txt"


def test_rendering_packages_are_the_pinned_versions():
    pins = dict(line.split("==") for line in CONSTRAINTS.read_text().splitlines()
                if line.strip() and not line.startswith("#"))
    assert {"textual", "pytest-textual-snapshot"} <= set(pins)
    assert {name: version(name) for name in pins} == pins
