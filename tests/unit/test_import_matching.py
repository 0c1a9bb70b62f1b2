"""Imports meet the team's own spreadsheets: labels, aliases, grouped errors, mappings."""

from __future__ import annotations

from datetime import date

import pytest

from sp_tui.domain.errors import ImportFailed, ValidationError
from sp_tui.domain.values import parse_date
from sp_tui.imports.matching import Choices, UnknownValues, normalise, parse_mappings
from sp_tui.services.registry import import_services
from tests.conftest import service_fields


def rows_of(*fields_list) -> list:
    return [(number, fields) for number, fields in enumerate(fields_list, start=2)]


def client_groups(db, ref: str) -> str:
    return db.execute("SELECT client_group FROM services WHERE service_ref = ?",
                      (ref,)).fetchone()[0]


def test_normalise_ignores_case_spacing_punctuation_and_plurals():
    assert normalise("  PEOPLE with Learning-Disabilities ") == normalise(
        "people with learning disability")
    assert normalise("Tonbridge & Malling") == normalise("tonbridge and malling")
    assert normalise("Women's refuge") == normalise("womens refuge")


def test_enumeration_takes_the_one_value_its_words_begin():
    statuses = Choices("status", ("open", "concluded", "contractual negotiation"), prefix=True)
    assert statuses.match("Contractual") == "contractual negotiation"
    assert statuses.match("CONCLUDED.") == "concluded"
    assert statuses.match("c") is None  # never a guess


def test_ambiguous_alias_matches_nothing():
    choices = Choices("x", ("Alpha one", "Alpha two"), {"alpha": "Alpha one", "Alpha ": "Alpha two"})
    assert choices.match("alpha") is None


@pytest.mark.parametrize("text, expected", [
    ("31/03/2009", date(2009, 3, 31)), ("03/04/2009", date(2009, 4, 3)),
    ("3/4/2009", date(2009, 4, 3)), ("31-03-2009", date(2009, 3, 31)),
    ("31.03.2009", date(2009, 3, 31)), ("2009-03-31", date(2009, 3, 31)),
])
def test_uk_dates_are_day_first(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["03/31/2009", "31/03/09", "2009/31/03"])
def test_impossible_or_two_digit_year_dates_are_refused(text):
    with pytest.raises(ValueError, match="DD/MM/YYYY"):
        parse_date(text)


def test_published_report_labels_and_messy_spellings_import(db):
    result = import_services(db, rows_of(
        service_fields(service_ref="A1", client_group="Mental health",
                       service_type="Community alarm", district="tonbridge and malling",
                       term="Long Term", workbook_required="Y"),
        service_fields(service_ref="A2", client_group="  LEARNING  disability ",
                       service_type="outreach service", district="THANET", term="short",
                       workbook_required="N", start_date="01/04/2005"),
        service_fields(service_ref="A3", client_group="Those at risk of domestic abuse"),
        service_fields(service_ref="A4", client_group="Offenders"),
    ), source="test")
    assert result["added"] == 4
    assert client_groups(db, "A1") == "People with mental health problems"
    assert client_groups(db, "A2") == "People with learning disabilities"
    assert client_groups(db, "A3") == "People at risk of domestic violence"
    assert client_groups(db, "A4") == "Offenders or people at risk of offending"
    row = db.execute("SELECT service_type, district, term, workbook_required, start_date"
                     " FROM services WHERE service_ref = 'A2'").fetchone()
    assert row == ("Outreach", "Thanet", "short", 0, "2005-04-01")


def team_sheet(count: int = 42) -> list:
    """A register whose client group uses the team's own label on every other row."""
    return rows_of(*[
        service_fields(service_ref=f"T{n}", client_group="Mental health issues" if n % 2
                       else "Rough sleepers") for n in range(count)])


def test_unknown_values_are_grouped_with_rows_and_closest(db):
    with pytest.raises(UnknownValues) as caught:
        import_services(db, team_sheet(), source="test")
    exc = caught.value
    assert len(exc.unknown) == 1
    assert len(exc.errors) == 2  # the grouped message and the way forward, not 21 row errors
    message = exc.lines()[0]
    assert message.startswith("client_group 'Mental health issues' is not in the list"
                              " (21 rows: 3, 5, 7, …); closest: 'People with mental health"
                              " problems'")
    assert '--map client_group="Mental health issues=People with mental health problems"' \
        in exc.lines()[1]
    assert db.execute("SELECT count(*) FROM services").fetchone()[0] == 0


def test_other_row_errors_still_listed_beside_the_group(db):
    rows = team_sheet(4) + [(9, service_fields(service_ref="BAD", start_date="soon"))]
    with pytest.raises(UnknownValues) as caught:
        import_services(db, rows, source="test")
    lines = caught.value.lines()
    assert any(line.startswith("row 9:") and "start date" in line for line in lines)
    assert not any(line.startswith("row 3:") for line in lines)


def test_one_mapping_imports_every_row_and_is_remembered(db):
    mapping = parse_mappings(["client_group=Mental health issues=People with mental health"
                              " problems"])
    result = import_services(db, team_sheet(), mapping=mapping, source="test")
    assert result["added"] == 42
    assert client_groups(db, "T1") == "People with mental health problems"
    # next time the label is known without asking
    again = rows_of(service_fields(service_ref="NEXT", client_group="mental HEALTH issues"))
    import_services(db, again, source="test")
    assert client_groups(db, "NEXT") == "People with mental health problems"
    assert db.execute("SELECT count(*) FROM audit_log WHERE action = 'import_alias.add'"
                      ).fetchone()[0] == 1


def test_mapping_to_a_value_not_in_the_list_is_refused(db):
    with pytest.raises(ValidationError, match="not in the list"):
        import_services(db, team_sheet(), source="test",
                        mapping={"client_group": {"Mental health issues": "Nonsense"}})


def test_add_new_adds_the_values_to_the_list(db):
    result = import_services(db, team_sheet(), add_new=["client_group"], source="test")
    assert result["added"] == 42
    assert db.execute("SELECT count(*) FROM reference_values WHERE kind = 'client_group'"
                      " AND value = 'Mental health issues'").fetchone()[0] == 1


def test_add_new_refused_for_a_fixed_list(db):
    with pytest.raises(ValidationError, match="fixed list"):
        import_services(db, team_sheet(), add_new=["term"], source="test")


def test_bad_map_spec_is_refused():
    with pytest.raises(ValidationError):
        parse_mappings(["client_group=no arrow"])


def test_unknown_values_is_an_import_failure():
    assert issubclass(UnknownValues, ImportFailed)
