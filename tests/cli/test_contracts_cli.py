"""`sp-tui report contract`, `sp-tui import contracts|grants`, `sp-tui contracts ...`."""

from __future__ import annotations

import csv
import io

from typer.testing import CliRunner

from sp_tui.cli import app
from sp_tui.services.registry import import_services
from tests.conftest import service_fields

runner = CliRunner()


def run(db_path, *args):
    return runner.invoke(app, ["--db", str(db_path), *args])


def seed(db):
    import_services(db, [
        (2, service_fields(service_ref="SP001", household_units=10, term="long",
                           service_type="Sheltered housing")),
        (3, service_fields(service_ref="SP002", household_units=5, provider="Other",
                           service_type="Floating support", start_date="2008-06-01")),
    ])


def test_add_history_grant_and_the_four_tables_as_csv(db, db_path):
    seed(db)
    result = run(db_path, "contracts", "add", "SP001", "--start", "2008-10-01",
                 "--type", "block subsidy", "--capped", "--household", "8",
                 "--leaseholder", "2", "--value", "5000.25")
    assert result.exit_code == 0, result.output
    result = run(db_path, "contracts", "history", "SP001")
    assert result.exit_code == 0
    assert "2008-10-01" in result.output and "2008-09-30" in result.output
    assert "£5,000.25" in result.output
    assert run(db_path, "contracts", "grant", "2008/09", "32024915").exit_code == 0
    result = run(db_path, "report", "contract", "--quarter", "24", "--csv")
    assert result.exit_code == 0, result.output
    blocks = [b for b in result.output.strip().split("\n\n")]
    assert [b.splitlines()[0] for b in blocks] == [
        "Table 1.1: Contractual data as at close of Quarter 24", "Table 1.2: Breakdown of units",
        "Table 1.3: Contracts", "Table 1.4: Contract values"]
    rows = {r[0]: r[1:] for r in csv.reader(io.StringIO(blocks[0]))}
    assert rows["Total units"] == ["10", "15"]   # Q20: SP001 alone; Q24: 8 + 2 + 5
    rows = {r[0]: r[1:] for r in csv.reader(io.StringIO(blocks[2]))}
    assert rows["- Of which capped"] == ["0", "10"]
    rows = {r[0]: r[1:] for r in csv.reader(io.StringIO(blocks[3]))}
    assert rows["Grant from CLG"] == ["", "32024915.00"]
    assert rows["Contract £"] == ["0.00", "5000.25"]
    result = run(db_path, "report", "contract", "--quarter", "24")
    assert "Table 1.4: Contract values" in result.output and "£32,024,915.00" in result.output


def test_bad_input_is_a_message_and_writes_nothing(db, db_path):
    seed(db)
    before = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    for args, message in [
        (("contracts", "grant", "2008", "100"), "financial year"),
        (("contracts", "grant", "2008/09", "--", "-1"), "negative"),
        (("contracts", "grant", "2008/09", "1.001"), "two decimals"),
        (("contracts", "add", "SP001", "--start", "2008-01-01", "--type", "spot"),
         "block gross or block subsidy"),
        (("contracts", "add", "SP001", "--start", "2008-01-01", "--type", "block gross",
          "--end", "2007-01-01"), "before the start date"),
        (("contracts", "add", "NOPE", "--start", "2008-01-01", "--type", "block gross"),
         "no service"),
        (("contracts", "history", "NOPE"), "no service"),
        (("contracts", "category", "Foyer", "penthouse"), "unit category"),
    ]:
        result = run(db_path, *args)
        assert result.exit_code == 1, args
        assert message in result.output, (args, result.output)
    assert db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before


def test_import_contracts_and_grants(db, db_path, tmp_path):
    seed(db)
    contracts = tmp_path / "contracts.csv"
    contracts.write_text(
        "service_ref,start_date,end_date,contract_type,capped,household_units,"
        "leaseholder_units,annual_value\n"
        "SP001,2005-04-01,2008-03-31,block gross,no,12,0,1000\n"
        "SP001,2008-04-01,,block subsidy,yes,10,0,1200.50\n")
    result = run(db_path, "import", "contracts", str(contracts))
    assert result.exit_code == 0, result.output
    assert "1 added" in result.output and "1 updated" in result.output
    grants = tmp_path / "grants.csv"
    grants.write_text("financial_year,amount\n2008/09,32024915\n2009-10,32024915\n")
    assert run(db_path, "import", "grants", str(grants)).exit_code == 0
    assert run(db_path, "contracts", "grants").output.splitlines() == [
        "2008/09  £32,024,915.00", "2009/10  £32,024,915.00"]
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "service_ref,start_date,end_date,contract_type,capped,household_units,"
        "leaseholder_units,annual_value\n"
        "SP001,2008-06-01,2008-05-01,block gross,no,1,0,1\n"
        "SP009,2008-06-01,,block gross,no,1,0,1\n")
    result = run(db_path, "import", "contracts", str(bad))
    assert result.exit_code == 1
    assert "row 2" in result.output and "row 3" in result.output


def test_categories_list_and_change(db, db_path):
    result = run(db_path, "contracts", "categories")
    assert "Community or social alarm: sheltered community alarm" in result.output
    assert "Foyer: other accommodation based" in result.output
    assert run(db_path, "contracts", "category", "foyer", "hia").exit_code == 0
    assert "Foyer: hia" in run(db_path, "contracts", "categories").output
