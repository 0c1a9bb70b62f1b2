"""`sp-tui import ... --map / --add-new`: the team's own labels in one step."""

from __future__ import annotations

from tests.cli.test_cli_foundation import run, write_csv
from tests.conftest import service_fields


def team_register(path, count=12):
    write_csv(path, [service_fields(service_ref=f"T{n}", client_group="Mental health issues",
                                    service_type="Community alarm", start_date="01/04/2005")
                     for n in range(count)])


def test_unknown_label_is_one_message_with_the_way_forward(db_path, tmp_path):
    path = tmp_path / "register.csv"
    team_register(path)
    result = run(db_path, "import", "services", str(path))
    assert result.exit_code == 1
    output = " ".join(result.output.split())  # the console wraps long lines
    assert "client_group 'Mental health issues' is not in the list (12 rows: 2, 3, 4, …);" \
           " closest: 'People with mental health problems'" in output
    assert '--map client_group="Mental health issues=People with mental health problems"' \
        in output
    assert output.count("row ") == 0  # no per-row repetition


def test_map_imports_and_is_remembered(db_path, tmp_path):
    path = tmp_path / "register.csv"
    team_register(path)
    result = run(db_path, "import", "services", str(path), "--map",
                 "client_group=Mental health issues=People with mental health problems")
    assert result.exit_code == 0, result.output
    assert "12 added" in result.output
    again = run(db_path, "import", "services", str(path))  # the alias is remembered
    assert again.exit_code == 0, again.output
    assert "12 unchanged" in again.output  # the same services, mapped the same way


def test_add_new_adds_to_the_list(db_path, tmp_path):
    path = tmp_path / "register.csv"
    team_register(path, 3)
    result = run(db_path, "import", "services", str(path), "--add-new", "client_group")
    assert result.exit_code == 0, result.output
    listing = run(db_path, "ref", "list", "client_group")
    assert "Mental health issues" in listing.output


def test_bad_map_is_a_message(db_path, tmp_path):
    path = tmp_path / "register.csv"
    team_register(path, 1)
    result = run(db_path, "import", "services", str(path), "--map", "client_group")
    assert result.exit_code == 1
    assert "--map takes" in " ".join(result.output.split())
