"""Hostile values into every parser, service function and import reader: each one either
refuses with a message a user can act on, or writes exactly what it accepted. Never another
exception, never part of a write."""

from __future__ import annotations

import csv
from io import StringIO
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from sp_tui.domain import values
from sp_tui.domain.errors import ImportFailed, NotFound, ValidationError
from sp_tui.domain.quarters import MAX_QUARTER, Quarter
from sp_tui.domain.reference import DEFAULTS, KINDS
from sp_tui.domain.registry import validate_service
from sp_tui.imports.formats import SERVICES
from sp_tui.imports.reader import read_table
from sp_tui.reports.calendar import calendar_for
from sp_tui.reports.registry import service_fields
from sp_tui.services.calendar import set_quarter_dates
from sp_tui.services.import_lists import match_rows
from sp_tui.services.registry import add_reference_value, import_services, save_service
from tests.reliability.hostile import (
    FORMULAS, SQL_FRAGMENTS, TEN_MB, Snapshot, hostile_scalars, hostile_service, hostile_values,
    plausible_service,
)

FAST = settings(max_examples=150, deadline=None)
# The database fixture is shared by a test's examples on purpose: each example compares the
# database before and after itself, and a growing database is the more hostile place.
WITH_DB = settings(max_examples=60, deadline=None,
                   suppress_health_check=[HealthCheck.function_scoped_fixture,
                                          HealthCheck.too_slow])
REFS = {kind: list(values) for kind, values in DEFAULTS.items()}
FIELD = "the field"
# Ids and kinds are chosen by the program, never typed: hostile strings, but not other types
# (a list there is a programming error, and a TypeError is the right way to report it).
IDENTIFIERS = st.one_of(st.text(max_size=40), st.sampled_from(SQL_FRAGMENTS + ["", " ", "%"]))


def assert_clear(exc: Exception) -> None:
    """A message a person can read: present, short enough for a status line, one kind."""
    message = str(exc)
    assert message.strip(), f"{type(exc).__name__} without a message"
    assert len(message) < 2_000, f"message of {len(message):,} characters"


def assert_clear_validation(exc: ValidationError) -> None:
    assert exc.errors, "ValidationError naming no field"
    for field, message in exc.errors.items():
        assert message.strip(), f"empty message for {field!r}"
        assert len(message) < 500, f"message for {field!r} is {len(message):,} characters"


# --- domain.values ---------------------------------------------------------------------------

@FAST
@given(hostile_values())
@example(TEN_MB)
def test_parse_date_gives_a_date_in_range_or_a_message_naming_the_field(value):
    try:
        result = values.parse_date(value, field=FIELD)
    except ValueError as exc:
        assert FIELD in str(exc)
        assert_clear(exc)
    else:
        assert type(result) is date
        assert values.EARLIEST <= result <= values.LATEST


@FAST
@given(hostile_values())
@example("²")
@example("--5")
@example("9" * 13)
@example(10**400)
def test_parse_count_gives_a_whole_number_in_range_or_a_message_naming_the_field(value):
    try:
        result = values.parse_count(value, field=FIELD)
    except ValueError as exc:
        assert FIELD in str(exc)
        assert_clear(exc)
    else:
        assert type(result) is int
        assert 0 <= result <= values.MAX_UNITS


@FAST
@given(hostile_values())
def test_parse_bool_gives_a_bool_or_a_message_naming_the_field(value):
    try:
        result = values.parse_bool(value, field=FIELD)
    except ValueError as exc:
        assert FIELD in str(exc)
        assert_clear(exc)
    else:
        assert type(result) is bool


@FAST
@given(hostile_values(), st.booleans())
@example(10**5000, True)
@example(TEN_MB, True)
def test_clean_text_gives_trimmed_printable_text_or_a_message_naming_the_field(value, required):
    try:
        result = values.clean_text(value, field=FIELD, required=required, limit=200)
    except ValueError as exc:
        assert FIELD in str(exc)
        assert_clear(exc)
    else:
        assert type(result) is str
        assert result == result.strip() and len(result) <= 200
        assert not any(ord(ch) < 32 and ch not in "\n\t" for ch in result)
        assert result or not required


# --- domain.registry -------------------------------------------------------------------------

@FAST
@given(hostile_service())
def test_validate_service_cleans_or_names_every_bad_field(raw):
    try:
        clean = validate_service(raw, REFS)
    except ValidationError as exc:
        assert_clear_validation(exc)
        assert set(exc.errors) <= set(raw) | {"service_ref", "provider", "service_name",
                                               "service_type", "client_group", "district",
                                               "term", "start_date", "end_date"}
    else:
        assert clean["district"] in REFS["district"]
        assert clean["term"] in ("short", "long")
        assert clean["end_date"] is None or clean["end_date"] >= clean["start_date"]


# --- services.registry.save_service ----------------------------------------------------------

def _stored_as(clean: dict) -> dict:
    return {"service_ref": clean["service_ref"], "service_name": clean["service_name"],
            "provider": clean["provider"], "service_type": clean["service_type"],
            "client_group": clean["client_group"], "district": clean["district"],
            "term": clean["term"], "household_units": clean["household_units"],
            "leaseholder_units": clean["leaseholder_units"],
            "workbook_required": int(clean["workbook_required"]),
            "start_date": clean["start_date"].isoformat(),
            "end_date": clean["end_date"].isoformat() if clean["end_date"] else None}


@WITH_DB
@given(st.one_of(hostile_service(), plausible_service()),
       st.one_of(st.none(), st.just("existing"), IDENTIFIERS))
def test_save_service_writes_exactly_what_it_accepted_or_nothing(db, make_service, fields,
                                                                  service_id):
    if service_id == "existing":
        service_id = make_service(service_ref=f"EXIST{Snapshot.of(db).count('services')}")
    before = Snapshot.of(db)
    try:
        saved = save_service(db, fields, service_id=service_id, source="hostile")
    except (ValidationError, NotFound) as exc:
        event("refused")
        assert_clear_validation(exc)
        assert Snapshot.of(db) == before
        return
    event("written")
    after = Snapshot.of(db)
    expected = _stored_as(validate_service(fields, REFS))
    assert service_fields(db, saved) == expected
    added = after.count("services") - before.count("services")
    assert added == (0 if service_id else 1)
    new_providers = after.count("providers") - before.count("providers")
    assert after.count("audit_log") - before.count("audit_log") in (new_providers,
                                                                   new_providers + 1)


@WITH_DB
@given(st.lists(st.one_of(plausible_service(), hostile_service()), min_size=1, max_size=8),
       st.booleans())
def test_import_services_is_all_or_nothing(db, rows, repeat_a_row):
    if repeat_a_row:
        rows = [*rows, rows[0]]
    before = Snapshot.of(db)
    numbered = list(enumerate(rows, start=2))
    # the values as the import reads them: list values matched to the lists' spellings
    matched = [fields for _, fields in match_rows(db, "services", numbered).rows]
    try:
        result = import_services(db, numbered, source="hostile")
    except ImportFailed as exc:
        event("refused")
        assert exc.errors
        grouped = getattr(exc, "unknown", [])
        for row, message in exc.errors:
            # values not in a list are reported once with their rows (row 0)
            assert (2 <= row <= len(rows) + 1 or (row == 0 and grouped)) and message.strip()
        for unknown in grouped:
            assert all(2 <= r <= len(rows) + 1 for r in unknown.rows)
        assert Snapshot.of(db) == before
        return
    event("written")
    cleaned = [validate_service(fields, REFS) for fields in matched]
    after = Snapshot.of(db)
    assert result["added"] + result["updated"] + result["unchanged"] == len(rows)
    assert after.count("services") - before.count("services") == result["added"]
    assert (after.count("audit_log") - before.count("audit_log")
            == result["added"] + result["updated"] + result["providers_added"])
    stored = {r[0].casefold(): r for r in db.execute(
        "SELECT s.service_ref, s.name, p.name, s.household_units FROM services s"
        " JOIN providers p ON p.id = s.provider_id")}
    for clean in cleaned:
        ref, name, provider, units = stored[clean["service_ref"].casefold()]
        assert (name, units) == (clean["service_name"], clean["household_units"])
        assert provider.casefold() == clean["provider"].casefold()


# --- services.registry.add_reference_value ---------------------------------------------------

@WITH_DB
@given(st.one_of(st.sampled_from(list(KINDS)), IDENTIFIERS),
       st.one_of(hostile_values(), st.sampled_from(SQL_FRAGMENTS + FORMULAS + ["Dover", "dover "])))
def test_add_reference_value_adds_the_clean_value_or_nothing(db, kind, value):
    before = Snapshot.of(db)
    try:
        added = add_reference_value(db, kind, value, source="hostile")
    except ValidationError as exc:
        event("refused")
        assert_clear_validation(exc)
        assert Snapshot.of(db) == before
        return
    event("written")
    after = Snapshot.of(db)
    assert added == values.clean_text(value, field="value", limit=200)
    assert (kind, added) in [row[:2] for row in after.tables["reference_values"]]
    assert after.count("reference_values") == before.count("reference_values") + 1
    assert after.count("audit_log") == before.count("audit_log") + 1


# --- services.calendar.set_quarter_dates -----------------------------------------------------

@WITH_DB
@given(st.integers(1, MAX_QUARTER), hostile_values(), hostile_values())
@example(MAX_QUARTER, "2200-12-31", "2200-12-31")
@example(1, date(1900, 1, 1), None)
def test_set_quarter_dates_stores_a_valid_calendar_or_nothing(db, number, deadline, default_end):
    quarter = Quarter(number)
    before = Snapshot.of(db)
    try:
        result = set_quarter_dates(db, quarter, deadline=deadline, default_end=default_end,
                                   source="hostile")
    except ValidationError as exc:
        event("refused")
        assert_clear_validation(exc)
        assert Snapshot.of(db) == before
        return
    event("written")
    assert calendar_for(db, quarter) == result
    assert quarter.end < result.deadline <= result.default_end
    assert Snapshot.of(db).count("audit_log") == before.count("audit_log") + 1


# --- imports.reader.read_table, then the import ----------------------------------------------

COLUMNS = [*SERVICES.required, *SERVICES.optional]
CELL = st.one_of(hostile_scalars().map(lambda v: "" if v is None else str(v)),
                 st.text(max_size=20), st.sampled_from(['"', '""', "a,b", "line\nbreak", "\x00",
                                                        "\r", "\ufeff"]))


def _header() -> st.SearchStrategy:
    return st.one_of(
        st.permutations(COLUMNS).map(list),
        st.lists(st.sampled_from([*COLUMNS, *(c.upper() for c in COLUMNS), "", " provider ",
                                  "extra"]), max_size=14),
    )


def _cells(fields: dict, header: list[str]) -> list[object]:
    return ["" if fields.get(column) is None else fields[column] for column in header]


@st.composite
def csv_files(draw) -> bytes:
    """A CSV file as bytes: a plausible table, a table with hostile cells and a ragged or
    odd header, or not CSV at all."""
    kind = draw(st.sampled_from(["plausible", "plausible", "hostile", "hostile", "raw"]))
    if kind == "raw":
        return draw(st.binary(max_size=300))
    if kind == "plausible":
        header = draw(st.permutations(COLUMNS).map(list))
        services = draw(st.lists(plausible_service(), min_size=1, max_size=6,
                                 unique_by=lambda f: f["service_ref"].strip().casefold()))
        rows = [_cells(fields, header) for fields in services]
    else:
        header = draw(_header())
        rows = draw(st.lists(st.one_of(
            plausible_service().map(lambda f: _cells(f, header)),
            st.lists(CELL, max_size=len(header) + 2)), max_size=6))
    out = StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "latin-1"]))
    return out.getvalue().encode(encoding, errors="replace")


@WITH_DB
@given(csv_files(), st.sampled_from([".csv", ".txt", ".CSV", ".xlsx", ".ods"]))
def test_reading_and_importing_any_csv_file_is_all_or_nothing(db, tmp_path, content, suffix):
    path = tmp_path / f"hostile{suffix}"
    path.write_bytes(content)
    before = Snapshot.of(db)
    try:
        rows = read_table(path, SERVICES.required, SERVICES.optional)
        result = import_services(db, rows, source="hostile")
    except ImportFailed as exc:
        event("refused")
        assert exc.errors and all(message.strip() for _, message in exc.errors)
        assert all(len(message) < 2_000 for _, message in exc.errors)
        assert Snapshot.of(db) == before
        return
    event(f"imported {len(rows)} row(s)")
    after = Snapshot.of(db)
    assert after.count("services") - before.count("services") == result["added"]
    assert result["added"] + result["updated"] + result["unchanged"] == len(rows)


def test_a_10_mb_cell_is_refused_by_row_and_column(db, tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerow(["Harbour Trust", "SP1", TEN_MB, "Foyer", "Generic", "Dover", "short",
                         "2009-04-01", "", "", "", ""])
    with pytest.raises(ImportFailed) as failure:
        read_table(path, SERVICES.required, SERVICES.optional)
    assert failure.value.errors[0][0] == 2
    assert "service_name" in failure.value.errors[0][1]


def test_a_datetime_far_in_the_future_is_a_clear_error():
    with pytest.raises(ValueError, match="start date"):
        values.parse_date(datetime(9999, 12, 31, 23, 59), field="start date")
