"""`sp-tui report safeguarding`, `sp-tui import alerts`, `sp-tui alerts ...`."""

from typer.testing import CliRunner

from sp_tui.cli import app
from sp_tui.store.connection import open_db

runner = CliRunner()

ALERTS = ["A1,SP001,2009-01-08,financial,2009-01-12,closed,2009-02-01",
          "A2,SP002,2009-02-10,Physical,2009-02-10,open,",
          "A3,SP001,2009-03-10,sexual abuse,,open,",
          "A4,SP002,2009-04-10,neglect,2009-04-10,open,"]


def setup(db_path, tmp_path, alerts=ALERTS):
    services = tmp_path / "services.csv"
    services.write_text(
        "provider,service_ref,service_name,service_type,client_group,district,term,start_date\n"
        "Harbour Trust,SP001,Harbour House,Sheltered housing,Frail elderly,Thanet,long,2005-04-01\n"
        "Harbour Trust,SP002,Harbour Outreach,Floating support,Generic,Thanet,short,2005-04-01\n",
        encoding="utf-8")
    assert runner.invoke(app, ["--db", str(db_path), "import", "services", str(services)]
                         ).exit_code == 0
    path = tmp_path / "alerts.csv"
    path.write_text("ref,service_ref,received_date,nature,referred_date,status,closed_date\n"
                    + "\n".join(alerts) + "\n", encoding="utf-8")
    return runner.invoke(app, ["--db", str(db_path), "import", "alerts", str(path)])


def count(db_path):
    db = open_db(db_path)
    try:
        return db.execute("SELECT count(*) FROM safeguarding_alerts").fetchone()[0]
    finally:
        db.close()


def test_table9_is_counts_only_unless_detail_is_asked(db_path, tmp_path):
    assert setup(db_path, tmp_path).exit_code == 0
    result = runner.invoke(app, ["--db", str(db_path), "report", "safeguarding", "-q", "24",
                                 "--csv"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:6] == ["Table 9: Safeguarding alerts received in Quarter 24 by nature",
                         "Nature of alert,Alerts received,Closed,Ongoing",
                         "Financial abuse,1,1,0", "Physical abuse,1,0,1", "Sexual abuse,1,0,1",
                         "Total,3,1,2"]
    assert "Sheltered housing,2,1,1" in lines
    assert "Referred later than 1 working day,1,33%" in lines
    assert "Not yet referred,1,33%" in lines
    assert not any(line.startswith("A1") for line in lines)
    detail = runner.invoke(app, ["--db", str(db_path), "report", "safeguarding", "-q", "24",
                                 "--csv", "--detail"])
    assert "A1,SP001,Sheltered housing,2009-01-08,Financial abuse,2009-01-12,closed,2009-02-01" \
        in detail.output.splitlines()
    assert "A4" not in detail.output
    table = runner.invoke(app, ["--db", str(db_path), "report", "safeguarding", "-q", "24"])
    assert "Table 9" in table.output and "A1" not in table.output


def test_bad_rows_write_nothing(db_path, tmp_path):
    result = setup(db_path, tmp_path, [
        *ALERTS,
        "B1,SP001,2009-03-10,neglect,2009-03-09,open,",
        "B2,SP001,2009-03-10,neglect,2009-03-10,closed,",
        "B3,SP009,2009-03-10,neglect,,open,",
        "a1,SP001,2009-03-10,neglect,,open,"])
    assert result.exit_code == 1
    assert "Nothing was imported: 4 error(s)" in result.output
    assert "row 6: referred_date: date referred 2009-03-09 is before the received date" \
        in result.output
    assert "row 7: closed_date: a closed record needs its date closed" in result.output
    assert "row 8: service_ref: no service with reference 'SP009'" in result.output
    assert "row 9: ref: reference 'a1' repeats row 2" in result.output
    assert count(db_path) == 0


def test_natures_can_be_listed_and_extended(db_path, tmp_path):
    result = runner.invoke(app, ["--db", str(db_path), "alerts", "add-nature", "Modern slavery"])
    assert result.exit_code == 0, result.output
    natures = runner.invoke(app, ["--db", str(db_path), "alerts", "natures"]).output.splitlines()
    assert natures[0] == "Financial abuse" and natures[-1] == "Modern slavery"
    again = runner.invoke(app, ["--db", str(db_path), "alerts", "add-nature", "modern slavery"])
    assert again.exit_code == 1 and "already in the list" in again.output


def test_overdue_referrals_are_counted_and_listed_with_detail(db_path, tmp_path):
    assert setup(db_path, tmp_path).exit_code == 0
    result = runner.invoke(app, ["--db", str(db_path), "alerts", "overdue"])
    assert "1 alert(s) not referred within 1 working day" in result.output
    assert "A3" not in result.output
    detail = runner.invoke(app, ["--db", str(db_path), "alerts", "overdue", "--detail"])
    assert "A3" in detail.output and "2009-03-11" in detail.output
