"""`sp-tui db copy` and `sp-tui merge`: the laptop round trip from the command line."""

from __future__ import annotations

from typer.testing import CliRunner

from sp_tui.cli import app
from sp_tui.store.connection import open_db
from tests.conftest import service_fields

runner = CliRunner()


def run(db_path, *args):
    return runner.invoke(app, ["--db", str(db_path), *args], env={"COLUMNS": "160"})


def test_copy_then_merge_back_with_a_dry_run_first(db_path, tmp_path):
    from sp_tui.services.registry import save_service

    db = open_db(db_path)
    service_id = save_service(db, service_fields())
    db.close()
    laptop = tmp_path / "laptop.sqlite"
    result = run(db_path, "db", "copy", str(laptop))
    assert result.exit_code == 0, result.output
    assert "Copy written" in result.output and laptop.exists()

    other = open_db(laptop)
    save_service(other, service_fields(service_ref="SP002", service_name="[b]Laptop[/b]"))
    save_service(other, service_fields(district="Swale"), service_id=service_id)
    other.close()
    db = open_db(db_path)
    save_service(db, service_fields(district="Dover"), service_id=service_id)
    db.close()

    dry = run(db_path, "merge", str(laptop), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "Dry run" in dry.output and "nothing was written" in dry.output
    assert "district" in dry.output and "Dover" in dry.output and "Swale" in dry.output
    db = open_db(db_path)
    assert db.execute("SELECT count(*) FROM services").fetchone()[0] == 1
    db.close()

    real = run(db_path, "merge", str(laptop))
    assert real.exit_code == 0, real.output
    assert "Backup taken first" in real.output and "Conflicts: 1" in real.output
    assert "Settle them in the app" in real.output
    db = open_db(db_path)
    assert db.execute("SELECT name FROM services WHERE service_ref = 'SP002'"
                      ).fetchone()[0] == "[b]Laptop[/b]"
    db.close()

    again = run(db_path, "merge", str(laptop))
    assert again.exit_code == 0
    assert "1 already listed" in again.output


def test_nothing_new_says_so(db_path, tmp_path):
    from sp_tui.services.registry import save_service

    db = open_db(db_path)
    save_service(db, service_fields())
    db.close()
    laptop = tmp_path / "laptop.sqlite"
    run(db_path, "db", "copy", str(laptop))
    result = run(db_path, "merge", str(laptop))
    assert result.exit_code == 0
    assert "Nothing new" in result.output
    assert not list(tmp_path.glob("*.bak"))


def test_errors_are_messages_not_tracebacks(db_path, tmp_path):
    open_db(db_path).close()
    missing = run(db_path, "merge", str(tmp_path / "missing.sqlite"))
    assert missing.exit_code == 1 and "does not exist" in missing.output
    assert "Traceback" not in missing.output
    (tmp_path / "taken.sqlite").write_text("x")
    taken = run(db_path, "db", "copy", str(tmp_path / "taken.sqlite"))
    assert taken.exit_code == 1 and "already exists" in taken.output
