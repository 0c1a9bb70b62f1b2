"""Every CLI command has help text and is documented in the README."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer.main

from sp_tui.cli import app

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def all_commands():
    root = typer.main.get_command(app)

    def walk(command, path: list[str]):
        if getattr(command, "commands", None):
            for name, sub in command.commands.items():
                yield from walk(sub, [*path, name])
        else:
            yield " ".join(path), command

    for name, command in root.commands.items():
        yield from walk(command, [name])


@pytest.mark.parametrize("name, command", list(all_commands()), ids=lambda v: str(v))
def test_command_has_help_and_is_in_the_readme(name, command):
    assert (command.help or "").strip(), f"{name} has no help text"
    assert f"sp-tui {name}" in README, f"README does not document `sp-tui {name}`"
