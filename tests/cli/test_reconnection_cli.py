"""`sp-tui import reconnection`, `sp-tui report reconnection`, `sp-tui reconnection ...`."""

from __future__ import annotations

import csv
import io

from typer.testing import CliRunner

from sp_tui.cli import app
from sp_tui.store.connection import open_db

runner = CliRunner()
HEADER = "service_ref,month,movement,client_group,origin,settled,origin_area,count\n"
MOVEMENTS = [
    "SP001,2009-01,in,,Out of Kent,,Medway,3",
    "SP001,2009-01,in,,Canterbury,,,1",
    "SP001,2009-02,out,,Thanet,Thanet,,2",
    "SP001,2009-03,out,Young people at risk,Out of Kent,not known,,",
]


def invoke(db_path, *args):
    return runner.invoke(app, ["--db", str(db_path), *args], terminal_width=200)


def setup(db_path, tmp_path, lines=MOVEMENTS):
    services = tmp_path / "services.csv"
    services.write_text(
        "provider,service_ref,service_name,service_type,client_group,district,term,start_date\n"
        "Harbour Trust,SP001,Harbour House,Supported housing,Rough sleepers,Thanet,short,"
        "2005-04-01\n"
        "Harbour Trust,SP002,Harbour Flats,Supported housing,Generic,Dover,short,2005-04-01\n",
        encoding="utf-8")
    assert invoke(db_path, "import", "services", str(services)).exit_code == 0
    path = tmp_path / "movements.csv"
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    return invoke(db_path, "import", "reconnection", str(path)), path


def movement_rows(db_path) -> int:
    db = open_db(db_path)
    try:
        return db.execute("SELECT count(*) FROM reconnection_movements").fetchone()[0]
    finally:
        db.close()


def test_import_then_report_as_csv(db_path, tmp_path):
    result, path = setup(db_path, tmp_path)
    assert result.exit_code == 0, result.output
    assert "4 entrants" in result.output and "3 leavers" in result.output
    again = invoke(db_path, "import", "reconnection", str(path))
    assert again.exit_code == 0 and "3 unchanged months" in again.output
    assert movement_rows(db_path) == 4
    report = invoke(db_path, "report", "reconnection", "--quarter", "24", "--csv")
    assert report.exit_code == 0, report.output
    lines = list(csv.reader(io.StringIO(report.output)))
    titles = [line[0] for line in lines if line and line[0].startswith("Table 4.")]
    assert [t.split(":")[0] for t in titles] == ["Table 4.3", "Table 4.4", "Table 4.9",
                                                 "Table 4.10", "Table 4.11"]
    total = next(line for line in lines if line[:1] == ["Total"] and len(line) == 6)
    assert total == ["Total", "3", "1", "0", "0", "4"]
    share = next(line for line in lines if line[:1] == ["% of total"])
    assert share[1:3] == ["75.0%", "25.0%"]
    assert any("Named areas out of the county: Medway 3 (3 of 3)." in line[0]
               for line in lines if line)


def test_report_for_a_range_of_months(db_path, tmp_path):
    setup(db_path, tmp_path)
    result = invoke(db_path, "report", "reconnection", "--months", "2009-02..2009-03", "--csv")
    assert result.exit_code == 0, result.output
    assert "Feb-Mar 2009: people entering" in result.output
    assert "Of 3 leavers, 1 (33.3%) originated from out of the county" in result.output
    both = invoke(db_path, "report", "reconnection", "--months", "2009-02", "--quarter", "24")
    assert both.exit_code != 0


def test_a_bad_file_lists_its_rows_and_writes_nothing(db_path, tmp_path):
    result, _ = setup(db_path, tmp_path, [
        "SP001,2009-01,in,,Out of Kent,,,1",
        "SP009,2009-01,in,,Thanet,,,1",
        "SP001,2009-01,in,,Thanet,Thanet,,1",
        "SP001,2009-01,out,,Thanet,,,1",
        "SP001,2999-01,in,,Thanet,,,1",
        "SP001,2009-01,in,,Gotham,,,1",
        "SP001,2009-01,in,,Thanet,,,0",
    ])
    assert result.exit_code == 1
    output = " ".join(result.output.split())
    for expected in ("row 3: service_ref: no service with reference 'SP009'",
                     "row 4: settled: an entrant has no area settled",
                     "row 5: settled: a leaver needs the area settled",
                     "row 6: month: month 2999-01 is in the future",
                     "row 7: origin: area of origin 'Gotham' is not in the list",
                     "row 8: count: count must be 1 or more"):
        assert expected in output, expected
    assert movement_rows(db_path) == 0


def test_missing_returns_and_a_nil_return(db_path, tmp_path):
    setup(db_path, tmp_path)
    result = invoke(db_path, "reconnection", "missing", "--quarter", "24", "--as-of",
                    "2009-06-01", "--csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output)))
    assert [(r[0], r[4]) for r in rows[3:]] == [("SP002", "Jan 2009"), ("SP002", "Feb 2009"),
                                                ("SP002", "Mar 2009")]
    assert invoke(db_path, "reconnection", "nil", "SP002", "2009-02").exit_code == 0
    refused = invoke(db_path, "reconnection", "nil", "SP001", "2009-01")
    assert refused.exit_code == 1 and "movements are recorded" in refused.output
    after = invoke(db_path, "reconnection", "missing", "--quarter", "24", "--as-of",
                   "2009-06-01")
    assert "2 missing." in after.output
