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
        if not command.hidden:  # old names kept for habit's sake (audit -> history)
            yield from walk(command, [name])


@pytest.mark.parametrize("name, command", list(all_commands()), ids=lambda v: str(v))
def test_command_has_help_and_is_in_the_readme(name, command):
    assert (command.help or "").strip(), f"{name} has no help text"
    assert f"sp-tui {name}" in README, f"README does not document `sp-tui {name}`"


def test_help_lists_the_commands_in_a_deliberate_order():
    from sp_tui.cli.main import COMMAND_ORDER

    root = typer.main.get_command(app)
    listed = [n for n in root.list_commands(None) if not root.commands[n].hidden]
    known = [n for n in listed if n in COMMAND_ORDER]
    assert known == sorted(known, key=COMMAND_ORDER.index)
    assert listed[0] == "workbooks"


def test_version_and_module_name():
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.startswith("sp-tui ")


def test_python_dash_m_names_the_program_sp_tui():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "sp_tui", "--help"], capture_output=True,
                         text=True, env={"COLUMNS": "100", "PATH": "/usr/bin:/bin"}, check=True)
    assert "Usage: sp-tui" in out.stdout
