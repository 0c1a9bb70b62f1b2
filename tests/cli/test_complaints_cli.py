"""`sp-tui report complaints` and `sp-tui import complaints`."""

from typer.testing import CliRunner

from sp_tui.cli import app
from sp_tui.store.connection import open_db

runner = CliRunner()


def setup_services(db_path, tmp_path):
    path = tmp_path / "services.csv"
    path.write_text(
        "provider,service_ref,service_name,service_type,client_group,district,term,start_date\n"
        "Harbour Trust,SP001,Harbour [/b] House,Supported housing,Young people at risk,Thanet,"
        "short,2005-04-01\n", encoding="utf-8")
    result = runner.invoke(app, ["--db", str(db_path), "import", "services", str(path)])
    assert result.exit_code == 0, result.output


def write_csv(tmp_path, lines):
    path = tmp_path / "complaints.csv"
    path.write_text("\n".join(["ref,service_ref,received_date,summary,status,closed_date,channel",
                               *lines]) + "\n", encoding="utf-8")
    return path


def count(db_path):
    db = open_db(db_path)
    try:
        return db.execute("SELECT count(*) FROM complaints").fetchone()[0]
    finally:
        db.close()


def test_import_then_report_the_quarter(db_path, tmp_path):
    setup_services(db_path, tmp_path)
    path = write_csv(tmp_path, [
        "C1,SP001,2009-01-10,Repairs [red]x[/red],concluded,2009-02-01,email",
        "C2,SP001,2009-02-10,Noise,open,,", "C3,SP001,2009-03-10,Charges,negotiation,,"])
    result = runner.invoke(app, ["--db", str(db_path), "import", "complaints", str(path)])
    assert result.exit_code == 0, result.output
    assert "3 added" in result.output
    result = runner.invoke(app, ["--db", str(db_path), "report", "complaints", "-q", "24",
                                 "--csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Complaints: Quarter 24", ",Complaints", "Received in Q24,3",
        "Concluded by the close,1", "Contractual negotiation at the close,1",
        "Still open at the close,1", '"Received earlier, still open at the close",0',
        '"Concluded in Q24, whenever received",1']
    table = runner.invoke(app, ["--db", str(db_path), "report", "complaints", "--quarter", "Q24"])
    assert "Complaints: Quarter 24" in table.output
    listing = runner.invoke(app, ["--db", str(db_path), "complaints", "list",
                                  "--status", "concluded"])
    assert listing.exit_code == 0, listing.output
    assert "C1" in listing.output and "C2" not in listing.output


def test_a_bad_file_writes_nothing_and_lists_each_error(db_path, tmp_path):
    setup_services(db_path, tmp_path)
    path = write_csv(tmp_path, [
        "C1,SP001,2009-01-10,Repairs,concluded,2009-01-01,",
        "C2,SP404,2009-02-10,Noise,open,,",
        "C3,SP001,2009-03-10,Charges,concluded,,",
        "C4,SP001,2009-03-10,Charges,open,2009-03-11,",
        "c4,SP001,2009-03-10,Charges,open,,"])
    result = runner.invoke(app, ["--db", str(db_path), "import", "complaints", str(path)])
    assert result.exit_code == 1
    assert "Nothing was imported: 5 error(s)" in result.output
    for fragment in ("row 2: closed_date: date closed 2009-01-01 is before the received date",
                     "row 3: service_ref: no service with reference 'SP404'",
                     "row 4: closed_date: a concluded record needs its date closed",
                     "row 5: closed_date: only a concluded record has a date closed",
                     "row 6: ref: reference 'c4' repeats row 5"):
        assert fragment in result.output
    assert "Traceback" not in result.output
    assert count(db_path) == 0


def test_a_reimported_file_adds_nothing_and_a_changed_reference_is_refused(db_path, tmp_path):
    setup_services(db_path, tmp_path)
    path = write_csv(tmp_path, ["C1,SP001,2009-01-10,Repairs,open,,"])
    assert runner.invoke(app, ["--db", str(db_path), "import", "complaints", str(path)]
                         ).exit_code == 0
    result = runner.invoke(app, ["--db", str(db_path), "import", "complaints", str(path)])
    assert result.exit_code == 0, result.output  # the same complaint: one record
    assert "0 added, 1 unchanged" in result.output
    assert count(db_path) == 1
    changed = write_csv(tmp_path, ["C1,SP001,2009-01-11,Repairs,open,,"])
    result = runner.invoke(app, ["--db", str(db_path), "import", "complaints", str(changed)])
    assert result.exit_code == 1
    assert "already used by another complaint with other" in " ".join(result.output.split())
    assert count(db_path) == 1


def test_a_bad_quarter_is_a_message_not_a_traceback(db_path):
    result = runner.invoke(app, ["--db", str(db_path), "report", "complaints", "-q", "Qx"])
    assert result.exit_code == 1
    assert "a quarter is a number" in result.output
