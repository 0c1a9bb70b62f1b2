"""Contracts: values, versions, the services that write them, and bad input (nothing written)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from sp_tui.domain.contracts import (
    BLOCK_GROSS, BLOCK_SUBSIDY, FLOATING_SUPPORT, OTHER, SHELTERED_ACCOMMODATION, InForce,
    Version, first_overlap, format_money, in_force, parse_financial_year, parse_money, position,
)
from sp_tui.domain.errors import ImportFailed, NotFound, ValidationError
from sp_tui.domain.quarters import Quarter
from sp_tui.reports.contract import (
    contract_history, contract_position, grant_for, table_1_1, table_1_2, table_1_4,
    unit_categories,
)
from sp_tui.services.contracts import (
    add_version, import_contracts, import_grants, set_grant, set_unit_category,
)
from sp_tui.services.registry import import_services, save_service
from tests.conftest import service_fields
from tests.unit.merge_support import everything


def version(**changes) -> dict:
    fields = {"start_date": "2008-04-01", "end_date": "", "contract_type": "block subsidy",
              "capped": "yes", "household_units": 20, "leaseholder_units": 1,
              "annual_value": "1000.50"}
    fields.update(changes)
    return fields


def history(db, ref="SP001"):
    sid = db.execute("SELECT id FROM services WHERE service_ref = ?", (ref,)).fetchone()[0]
    return [(r.start_date, r.end_date, r.contract_type, r.capped, r.household_units,
             r.annual_value_pence) for r in contract_history(db, sid)]


# -- domain --------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, pence", [
    ("29177973.27", 2917797327), ("£29,177,973.27", 2917797327), ("1234.5", 123450),
    (1234, 123400), (12.5, 1250), ("", 0), ("0", 0)])
def test_money_is_parsed_to_pence(text, pence):
    assert parse_money(text) == pence


@pytest.mark.parametrize("text, message", [
    ("-1", "negative"), ("10.123", "two decimals"), ("ten", "amount in pounds"),
    ("1e400", "too large"), ("nan", "amount in pounds"), (True, "amount in pounds")])
def test_bad_money_is_refused(text, message):
    with pytest.raises(ValueError, match=message):
        parse_money(text)


def test_money_is_shown_with_pence():
    assert format_money(2917797327) == "£29,177,973.27"
    assert format_money(5) == "£0.05"


@pytest.mark.parametrize("text, year", [("2008/09", "2008/09"), ("2008-09", "2008/09"),
                                        ("2008/2009", "2008/09"), ("1999/00", "1999/00")])
def test_financial_years(text, year):
    assert parse_financial_year(text) == year


@pytest.mark.parametrize("text", ["2008", "2008/10", "08/09", "2008/2010", "", "2008/09/10",
                                  "abcd/ef"])
def test_malformed_financial_years_are_refused(text):
    with pytest.raises(ValueError, match="financial year"):
        parse_financial_year(text)


def test_the_version_in_force_and_overlaps():
    a = Version(date(2005, 4, 1), date(2008, 3, 31), BLOCK_GROSS, False, 10, 0, 0)
    b = Version(date(2008, 4, 1), None, BLOCK_SUBSIDY, True, 12, 0, 0)
    assert in_force([a, b], date(2008, 3, 31)) is a
    assert in_force([a, b], date(2008, 4, 1)) is b
    assert in_force([a, b], date(2005, 3, 31)) is None
    assert first_overlap([a, b]) is None
    c = Version(date(2008, 3, 31), date(2008, 3, 31), BLOCK_GROSS, False, 1, 0, 0)
    assert first_overlap([b, c, a]) == (a, c)


def test_a_position_adds_up_by_construction():
    rows = [InForce("s1", "p1", FLOATING_SUPPORT, BLOCK_GROSS, True, 10, 0, 300),
            InForce("s2", "p1", SHELTERED_ACCOMMODATION, BLOCK_SUBSIDY, True, 20, 5, 100),
            InForce("s3", "p2", OTHER, BLOCK_SUBSIDY, False, 7, 0, 600)]
    p = position(date(2009, 3, 31), rows)
    assert (p.providers, p.services, p.total_units) == (2, 3, 42)
    assert p.category_total == p.type_total == p.total_units
    assert (p.all_capped(True), p.units_of(BLOCK_SUBSIDY, False)) == (35, 7)
    assert (p.floating_support_percent, p.accommodation_percent) == (30, 70)


# -- services: adding versions -------------------------------------------------------------------
def test_a_new_service_gets_a_first_version_from_the_register(db, make_service):
    make_service(term="long", household_units=12, leaseholder_units=2)
    assert history(db) == [("2005-04-01", None, BLOCK_SUBSIDY, False, 12, 0)]


def test_adding_a_version_closes_the_previous_one_and_updates_the_register(db, make_service):
    make_service()
    add_version(db, "sp001", version(), today=date(2009, 1, 1), source="test")
    assert history(db) == [("2008-04-01", None, BLOCK_SUBSIDY, True, 20, 100050),
                           ("2005-04-01", "2008-03-31", BLOCK_GROSS, False, 12, 0)]
    assert db.execute("SELECT household_units, leaseholder_units FROM services").fetchone() \
        == (20, 1)
    actions = [r[0] for r in db.execute("SELECT action FROM audit_log WHERE action LIKE"
                                         " 'contract.%' ORDER BY id")]
    assert actions == ["contract.close", "contract.add"]  # the first: part of service.add


def test_a_future_version_leaves_todays_register_units(db, make_service):
    make_service()
    add_version(db, "SP001", version(start_date="2010-04-01"), today=date(2009, 11, 20))
    assert db.execute("SELECT household_units FROM services").fetchone()[0] == 12


def test_editing_the_registers_units_updates_the_version_in_force(db, make_service):
    sid = make_service()
    add_version(db, "SP001", version(), today=date.today())
    save_service(db, service_fields(household_units=33), service_id=sid)
    assert history(db)[0][4] == 33 and history(db)[1][4] == 12


@pytest.mark.parametrize("changes, field, message", [
    ({"start_date": "2005-04-01"}, "start_date", "already starts"),
    ({"start_date": "2004-01-01"}, "start_date", "before it"),
    ({"end_date": "2008-01-01"}, "end_date", "before the start"),
    ({"household_units": -1}, "household_units", "negative"),
    ({"annual_value": "-5"}, "annual_value", "negative"),
    ({"annual_value": "1.001"}, "annual_value", "two decimals"),
    ({"contract_type": "spot"}, "contract_type", "block gross or block subsidy"),
    ({"capped": "maybe"}, "capped", "yes or no"),
    ({"start_date": "04/31/2008"}, "start_date", "YYYY-MM-DD"),
])
def test_bad_versions_write_nothing(db, make_service, changes, field, message):
    make_service()
    before = everything(db)
    with pytest.raises(ValidationError) as exc:
        add_version(db, "SP001", version(**changes))
    assert message in exc.value.errors[field]
    assert everything(db) == before


def test_a_version_overlapping_a_later_one_is_refused(db, make_service):
    make_service()
    add_version(db, "SP001", version(start_date="2008-04-01", end_date="2008-12-31"))
    add_version(db, "SP001", version(start_date="2009-04-01"))
    before = everything(db)
    with pytest.raises(ValidationError, match="overlaps the version from 2009-04-01"):
        add_version(db, "SP001", version(start_date="2009-01-01", end_date="2009-06-30"))
    assert everything(db) == before
    # a version filling the gap exactly is fine
    add_version(db, "SP001", version(start_date="2009-01-01", end_date="2009-03-31"))
    assert [h[:2] for h in history(db)] == [
        ("2009-04-01", None), ("2009-01-01", "2009-03-31"), ("2008-04-01", "2008-12-31"),
        ("2005-04-01", "2008-03-31")]


def test_an_unknown_service_is_refused(db):
    with pytest.raises(NotFound, match="no service"):
        add_version(db, "NOPE", version())


# -- import ------------------------------------------------------------------------------------
def test_import_adds_and_updates_versions_and_a_second_import_changes_nothing(db):
    import_services(db, [(2, service_fields()), (3, service_fields(service_ref="SP002"))])
    rows = [(2, {"service_ref": "SP001", **version(start_date="2005-04-01",
                                                    end_date="2008-03-31")}),
            (3, {"service_ref": "sp001", **version()}),
            (4, {"service_ref": "SP002", **version(start_date="2006-01-01")})]
    # SP002's first version (from the register) is closed by the new one, as by hand
    assert import_contracts(db, rows) == {"added": 2, "updated": 1, "closed": 1, "unchanged": 0}
    assert import_contracts(db, rows) == {"added": 0, "updated": 0, "closed": 0, "unchanged": 3}
    assert [h[:2] for h in history(db, "SP002")] == [("2006-01-01", None),
                                                     ("2005-04-01", "2005-12-31")]
    assert len(history(db)) == 2 and len(history(db, "SP002")) == 2
    assert db.execute("SELECT count(*) FROM contract_versions").fetchone()[0] == 4


def test_a_bad_import_lists_every_error_with_its_row_and_writes_nothing(db):
    import_services(db, [(2, service_fields())])
    before = everything(db)
    rows = [(2, {"service_ref": "SP001", **version(start_date="2005-04-01",
                                                    end_date="2008-06-30")}),
            (3, {"service_ref": "SP001", **version(start_date="2008-04-01")}),  # overlaps 2
            (4, {"service_ref": "NOPE", **version()}),
            (5, {"service_ref": "SP001", **version(start_date="2009-04-01",
                                                    end_date="2009-01-01")}),
            (6, {"service_ref": "SP001", **version(start_date="2010-04-01",
                                                    leaseholder_units="-2")}),
            (7, {"service_ref": "SP001", **version(start_date="2011-04-01", annual_value="9.999")}),
            (8, {"service_ref": "SP001", **version(start_date="2004-04-01")})]
    with pytest.raises(ImportFailed) as exc:
        import_contracts(db, rows)
    by_row = dict(exc.value.errors)
    assert "no service" in by_row[4]
    assert "before the start date" in by_row[5]
    assert "negative" in by_row[6]
    assert "two decimals" in by_row[7]
    assert "before the service starts" in by_row[8]
    assert everything(db) == before
    # the overlap is found once the rows are otherwise valid
    with pytest.raises(ImportFailed) as exc:
        import_contracts(db, rows[:2])
    assert exc.value.errors[0][0] == 3 and "overlaps" in exc.value.errors[0][1]
    assert everything(db) == before


# -- grants and categories -----------------------------------------------------------------------
def test_set_grant_and_table_1_4(db, make_service):
    make_service(service_type="Floating support")
    set_grant(db, "2008-09", "32,024,915")
    assert grant_for(db, "2008/09") == 32_024_915_00
    table = table_1_4(db, Quarter(24))
    assert str(table.cell("Grant from CLG", "Q24 Jan-Mar 2009")) == "£32,024,915.00"
    assert table.cell("Grant from CLG", "Q20 Jan-Mar 2008").pence is None
    assert any("No grant recorded for 2007/08" in note for note in table.footnotes)
    old = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    set_grant(db, "2008/09", "32024915.00")   # the same: nothing written
    assert db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == old


@pytest.mark.parametrize("year, amount, field", [
    ("2008", "1", "financial_year"), ("2008/10", "1", "financial_year"),
    ("2008/09", "-1", "amount"), ("2008/09", "1.234", "amount"), ("2008/09", "", "amount")])
def test_bad_grants_write_nothing(db, year, amount, field):
    before = everything(db)
    with pytest.raises(ValidationError) as exc:
        set_grant(db, year, amount)
    assert field in exc.value.errors
    assert everything(db) == before


def test_import_grants(db):
    assert import_grants(db, [(2, {"financial_year": "2008/09", "amount": "100"}),
                              (3, {"financial_year": "2009/10", "amount": "200.50"})]) \
        == {"set": 2, "unchanged": 0}
    with pytest.raises(ImportFailed) as exc:
        import_grants(db, [(2, {"financial_year": "2008", "amount": "1"}),
                           (3, {"financial_year": "2009/10", "amount": "1.001"})])
    assert [row for row, _ in exc.value.errors] == [2, 3]
    assert grant_for(db, "2009/10") == 20050


def test_the_unit_category_mapping_is_editable(db, make_service):
    make_service(service_type="Women's refuge", household_units=9)
    assert dict(unit_categories(db))["Women's refuge"] == OTHER
    table = table_1_2(db, Quarter(24))
    assert table.cell("Number of other accommodation based units", "Q24 Jan-Mar 2009") == 9
    set_unit_category(db, "women's refuge", "sheltered")
    table = table_1_2(db, Quarter(24))
    assert table.cell("- Accommodation", "Q24 Jan-Mar 2009") == 9
    assert table.cell("Total", "Q24 Jan-Mar 2009") == 9
    with pytest.raises(ValidationError, match="unit category"):
        set_unit_category(db, "Foyer", "penthouse")
    with pytest.raises(ValidationError, match="unknown service type"):
        set_unit_category(db, "Castle", "other")


# -- the tables use the terms in force at each date ----------------------------------------------
def test_last_years_column_uses_last_years_terms(db, make_service):
    make_service(household_units=10)
    add_version(db, "SP001", version(start_date="2008-06-01", household_units=30,
                                     leaseholder_units=0))
    table = table_1_1(db, Quarter(24))
    assert table.cell("Total units", "Q20 Jan-Mar 2008") == 10
    assert table.cell("Total units", "Q24 Jan-Mar 2009") == 30
    assert contract_position(db, Quarter(20)).units_of(BLOCK_GROSS) == 10


def test_overlapping_versions_from_a_merge_count_once(db, make_service):
    sid = make_service(household_units=10)
    db.execute("INSERT INTO contract_versions (id, service_id, start_date, contract_type,"
               " household_units, created_at, updated_at) VALUES ('x', ?, '2008-01-01',"
               " 'block gross', 99, '', '')", (sid,))
    p = contract_position(db, Quarter(24))
    assert (p.services, p.total_units) == (1, 99)


def test_the_migration_gives_each_existing_service_a_first_version(tmp_path):
    """A database from before contracts: its services' units become first versions."""
    import sqlite3

    from sp_tui.store import migrate
    from sp_tui.store.connection import open_db

    shipped = migrate.available_migrations()
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT"
                 " NULL, applied_at TEXT NOT NULL)")
    contracts = next(m.version for m in shipped if m.name == "contracts")
    for m in shipped:
        if m.version >= contracts:  # before contracts: none of the later migrations either
            continue
        for statement in migrate._statements(m.sql):
            conn.execute(statement)
        conn.execute("INSERT INTO schema_migrations VALUES (?, ?, '')", (m.version, m.name))
    conn.execute("INSERT INTO providers (id, name, created_at, updated_at) VALUES ('p', 'P', '', '')")
    for n, (term, units) in enumerate([("long", 40), ("short", 7)]):
        conn.execute("INSERT INTO services (id, service_ref, name, provider_id, service_type,"
                     " client_group, district, term, household_units, leaseholder_units,"
                     " start_date, created_at, updated_at) VALUES (?, ?, 'n', 'p',"
                     " 'Sheltered housing', 'Generic', 'Dover', ?, ?, 2, '2006-01-01', '', '')",
                     (f"s{n}", f"R{n}", term, units))
    conn.commit()
    conn.close()
    db = open_db(path)
    rows = db.execute("SELECT service_id, start_date, end_date, contract_type, household_units,"
                      " leaseholder_units, length(id) FROM contract_versions ORDER BY 1"
                      ).fetchall()
    assert rows == [("s0", "2006-01-01", None, BLOCK_SUBSIDY, 40, 2, 11),
                    ("s1", "2006-01-01", None, BLOCK_GROSS, 7, 2, 11)]
    assert table_1_1(db, Quarter(24)).cell("Total units", "Q24 Jan-Mar 2009") == 51
    db.close()


def test_history_audit_rows_name_the_values(db, make_service):
    make_service()
    add_version(db, "SP001", version())
    new = json.loads(db.execute("SELECT new_values FROM audit_log WHERE action = 'contract.add'"
                                " ORDER BY id DESC").fetchone()[0])
    assert new["annual_value"] == "£1,000.50" and new["capped"] is True


def test_import_unit_categories_sets_the_mapping_and_reimports_unchanged(db):
    """Issue 11, item 5: the mapping travels with `export data` in this format."""
    from sp_tui.reports.contract import unit_categories
    from sp_tui.services.contracts import import_unit_categories

    rows = [(2, {"service_type": "sheltered housing", "category": "other"}),
            (3, {"service_type": "Floating support", "category": "floating support"})]
    assert import_unit_categories(db, rows) == {"set": 1, "unchanged": 1}
    assert dict(unit_categories(db))["Sheltered housing"] == "other accommodation based"
    assert import_unit_categories(db, rows) == {"set": 0, "unchanged": 2}


def test_bad_unit_category_rows_write_nothing(db):
    from sp_tui.services.contracts import import_unit_categories

    before = everything(db)
    with pytest.raises(ImportFailed) as caught:
        import_unit_categories(db, [
            (2, {"service_type": "Sheltered housing", "category": "other"}),
            (3, {"service_type": "Space station", "category": "hia"}),
            (4, {"service_type": "Floating support", "category": "loft"}),
            (5, {"service_type": "sheltered HOUSING", "category": "hia"})])
    assert [row for row, _ in caught.value.errors] == [3, 4, 5]
    assert everything(db) == before


def test_import_settings_is_all_or_nothing_and_reimports_unchanged(db):
    """Issue 11, item 5: the settings reports read travel as one sheet of `export data`."""
    from sp_tui.services.settings_transfer import import_settings, settings_rows

    good = [(2, {"setting": "kpi target", "name": "KPI 2 2009/10", "value": "70"}),
            (3, {"setting": "rag tolerance", "name": "", "value": "3"}),
            (4, {"setting": "alert nature", "name": "Cyber abuse", "value": ""})]
    bad = [(5, {"setting": "kpi target", "name": "KPI 9 2009/10", "value": "70"}),
           (6, {"setting": "colour", "name": "x", "value": "y"}),
           (7, {"setting": "outcome service type", "name": "Floating support",
                "value": "moon base"})]
    before = everything(db)
    with pytest.raises(ImportFailed) as caught:
        import_settings(db, good + bad)
    assert sorted({row for row, _ in caught.value.errors}) == [5, 6, 7]
    assert everything(db) == before
    assert import_settings(db, good) == {"settings": 3}
    rows = list(settings_rows(db))
    assert ("kpi target", "KPI 2 2009/10", "70") in rows and ("rag tolerance", "", "3") in rows
    assert rows[-1] == ("alert nature", "Cyber abuse", "")
    again = list(settings_rows(db))
    import_settings(db, [(n + 2, dict(zip(("setting", "name", "value"), r)))
                         for n, r in enumerate(again)])
    assert list(settings_rows(db)) == again
