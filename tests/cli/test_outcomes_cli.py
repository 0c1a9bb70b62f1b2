"""`sp-tui import outcomes`, `sp-tui import outcome-returns`, `sp-tui report outcomes`,
`sp-tui outcomes missing / mapping / map`."""

from typer.testing import CliRunner

from sp_tui.cli import app
from sp_tui.domain.outcomes import CODES
from sp_tui.store.connection import open_db

runner = CliRunner()
HEADER = ",".join(["service_ref", "departure_date", "client_group", "planned_move",
                   "greater_independence", *[f"{c}_{p}" for c in CODES
                                             for p in ("need", "achieved")]])


def line(ref, day, planned="yes", independence="Y", paid=("", "")) -> str:
    cells = [ref, day, "Generic", planned, independence]
    for code in CODES:
        cells += list(paid) if code == "paid_work" else ["", ""]
    return ",".join(cells)


def invoke(db_path, *args):
    return runner.invoke(app, ["--db", str(db_path), *args], terminal_width=200)


def setup(db_path, tmp_path, returns):
    services = tmp_path / "services.csv"
    services.write_text(
        "provider,service_ref,service_name,service_type,client_group,district,term,start_date\n"
        "Harbour Trust,WR1,Harbour Refuge,Women's refuge,Generic,Thanet,short,2005-04-01\n"
        "Harbour Trust,DA1,Harbour Hostel,Direct access,Generic,Thanet,short,2005-04-01\n"
        "Harbour Trust,SH1,Harbour Court,Sheltered housing,Frail elderly,Thanet,long,2005-04-01\n",
        encoding="utf-8")
    assert invoke(db_path, "import", "services", str(services)).exit_code == 0
    path = tmp_path / "outcomes.csv"
    path.write_text(HEADER + "\n" + "\n".join(returns) + "\n", encoding="utf-8")
    return invoke(db_path, "import", "outcomes", str(path))


def count(db_path):
    db = open_db(db_path)
    try:
        return db.execute("SELECT count(*) FROM outcome_returns").fetchone()[0]
    finally:
        db.close()


def test_import_and_report_as_csv(db_path, tmp_path):
    returns = [line("WR1", "2009-01-05", paid=("yes", "yes")),
               line("WR1", "2009-02-05", paid=("yes", "no")),
               line("DA1", "2009-03-05", planned="no", independence="", paid=("yes", "yes")),
               line("DA1", "2008-06-05")]
    result = setup(db_path, tmp_path, returns)
    assert result.exit_code == 0, result.output
    assert "4 added" in result.output
    again = setup(db_path, tmp_path, returns)
    assert "0 added" in again.output and "4 unchanged" in again.output and count(db_path) == 4
    report = invoke(db_path, "report", "outcomes", "-q", "24", "--csv")
    assert report.exit_code == 0, report.output
    lines = report.output.splitlines()
    assert "Direct access,1" in lines and "Women's refuge,2" in lines
    assert "Grand total,3" in lines
    assert "Was this a planned move from the service,2,66.7%,1,33.3%,0" in lines
    assert "To obtain/participate in paid work,3,2,66.7%" in lines
    assert "Total,3,2,66.7%" in lines
    ytd = invoke(db_path, "report", "outcomes", "-q", "24", "--ytd", "--csv").output
    assert "Grand total,4" in ytd.splitlines()
    table = invoke(db_path, "report", "outcomes", "-q", "24")
    assert "Table 5.1" in table.output and "Outcome returns made" in table.output


def test_a_bad_file_writes_nothing_and_names_the_rows(db_path, tmp_path):
    result = setup(db_path, tmp_path, [line("WR1", "2009-01-05"),
                                       line("WR1", "2009-01-06", paid=("", "yes")),
                                       line("XX9", "2009-01-07"),
                                       line("WR1", "2009-01-05")])
    assert result.exit_code == 1
    assert "row 3: paid_work_achieved" in result.output
    assert "row 4: service_ref: no service with reference 'XX9'" in result.output
    assert "row 5: repeats row 2" in result.output
    assert count(db_path) == 0


def test_missing_header_is_named(db_path, tmp_path):
    setup(db_path, tmp_path, [line("WR1", "2009-01-05")])
    path = tmp_path / "short.csv"
    path.write_text("service_ref,departure_date\nWR1,2009-01-05\n", encoding="utf-8")
    result = invoke(db_path, "import", "outcomes", str(path))
    assert result.exit_code == 1 and "missing column(s): client_group" in result.output


def test_annual_returns_missing_and_mapping(db_path, tmp_path):
    setup(db_path, tmp_path, [line("WR1", "2009-01-05")])
    annual = tmp_path / "annual.csv"
    annual.write_text("service_ref,financial_year,received_date\nSH1,2008/09,2009-03-01\n",
                      encoding="utf-8")
    assert invoke(db_path, "import", "outcome-returns", str(annual)).exit_code == 0
    missing = invoke(db_path, "outcomes", "missing", "-q", "24")
    assert "DA1" in missing.output and "SH1" not in missing.output and "WR1" not in missing.output
    measures = invoke(db_path, "report", "outcomes", "-q", "24", "--csv").output.splitlines()
    assert "Long-term outcome returns made,1,1,100.0%,60%,green" in measures
    assert invoke(db_path, "outcomes", "map", "Direct access", "Outreach").exit_code == 0
    mapping = invoke(db_path, "outcomes", "mapping").output.splitlines()
    assert any("Direct access" in l and "Outreach" in l for l in mapping)
    assert any("Sheltered housing" in l and "not mapped" in l for l in mapping)
    bad = invoke(db_path, "outcomes", "map", "Direct access", "Castle")
    assert bad.exit_code == 1 and "outcome service type must be one of" in bad.output
