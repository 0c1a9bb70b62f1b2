"""Hypothesis strategies for hostile input, and a before/after picture of the database.

Other areas reuse these: ``hostile_values()`` for any field a user types or imports,
``Snapshot.of(db)`` to prove a refused write left nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from hypothesis import strategies as st

from sp_tui.domain.reference import CLIENT_GROUPS, DISTRICTS, SERVICE_TYPES

TEN_MB = "x" * (10 * 1024 * 1024)

SQL_FRAGMENTS = ["'; DROP TABLE services; --", "\" OR 1=1 --", "Robert'); DELETE FROM audit_log;",
                 "1; ATTACH DATABASE '/tmp/x' AS x", "%", "_", "\\", "' OR ''='"]
FORMULAS = ["=1+1", "=cmd|' /C calc'!A0", "+2009-01-01", "-1", "@SUM(A1:A2)", "=HYPERLINK(\"x\")",
            "\t=1", "\r=1"]
ODD_DATES = ["0000-00-00", "2009-02-30", "2009-13-01", "1899-12-31", "2201-01-01", "9999-12-31",
             "2009-1-1", "01/04/2009", "2009-04-01T25:00", "2009-04-01 garbage", " 2009-04-01 ",
             "20090401", "2009-W14-3", "+002009-04-01", "٢٠٠٩-٠٤-٠١"]
ODD_NUMBERS = ["1,000", "1e3", "--5", "-0", "0x10", "²", "٣", "12.0", " 7 ", "1_000",
               "9" * 13, "NaN", "inf", "-inf", "½", "1 000"]
WHITESPACE = st.text(alphabet=" \t\n\r\x0b\x0c\u00a0\u2003\u3000\u200b\ufeff", max_size=8)


def hostile_scalars() -> st.SearchStrategy:
    """Anything a careless file, a stray paste or a buggy caller could hand a service."""
    return st.one_of(
        st.none(), st.booleans(),
        st.integers(), st.integers(min_value=10**12), st.integers(max_value=-1),
        st.sampled_from([10**400, -(10**400), 2**63, -(2**63) - 1]),
        st.floats(allow_nan=True, allow_infinity=True),
        st.dates(), st.datetimes(), st.just(date.min), st.just(datetime.max),
        st.text(max_size=60), WHITESPACE,
        st.sampled_from(SQL_FRAGMENTS + FORMULAS + ODD_DATES + ODD_NUMBERS),
        st.binary(max_size=20), st.lists(st.integers(), max_size=3),
        st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    )


def hostile_values() -> st.SearchStrategy:
    """Hostile scalars plus, now and then, one giant cell (cheap: the same string object)."""
    return st.one_of(hostile_scalars(), st.just(TEN_MB))


def _case_variants(values: list[str]) -> st.SearchStrategy:
    return st.sampled_from(values).flatmap(
        lambda v: st.sampled_from([v, v.upper(), v.lower(), f"  {v} "]))


# Text a user may legitimately type: any printable unicode, with quotes, markup and formulas.
FREE_TEXT = st.one_of(
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=60),
    st.sampled_from(SQL_FRAGMENTS + FORMULAS + ["[/b] =cmd", "[red]x[/red]", "Ünïcødé 🏠",
                                                "O'Brien & Sons", "\u202etxet"]),
)


def plausible_service() -> st.SearchStrategy:
    """Service fields that are mostly valid (so writes happen) with odd but legal text."""
    return st.fixed_dictionaries({
        "provider": FREE_TEXT,
        "service_ref": st.one_of(st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zs",
                                                                             "Zl", "Zp")),
                                         min_size=1, max_size=40),
                                 st.sampled_from(["';DROP/**/TABLE/**/services;--", "=A1",
                                                  "%_\\"])),
        "service_name": FREE_TEXT,
        "service_type": _case_variants(SERVICE_TYPES),
        "client_group": _case_variants(CLIENT_GROUPS),
        "district": _case_variants(DISTRICTS),
        "term": st.sampled_from(["short", "long", "Short term", "LONG-TERM"]),
        "household_units": st.one_of(st.integers(0, 10**6), st.integers(0, 999).map(str)),
        "leaseholder_units": st.one_of(st.none(), st.integers(0, 50)),
        "workbook_required": st.sampled_from([True, False, "yes", "No", 1, 0, None, ""]),
        "start_date": st.dates(date(1900, 1, 1), date(2100, 1, 1)).map(date.isoformat),
        "end_date": st.one_of(st.none(), st.just(""),
                              st.dates(date(2100, 1, 2), date(2200, 12, 31))),
    })


def hostile_service() -> st.SearchStrategy:
    """Plausible fields with one to four of them replaced by hostile values."""
    return st.tuples(plausible_service(),
                     st.dictionaries(st.sampled_from(
                         ["provider", "service_ref", "service_name", "service_type",
                          "client_group", "district", "term", "household_units",
                          "leaseholder_units", "workbook_required", "start_date", "end_date",
                          "unexpected_column"]), hostile_values(), min_size=1, max_size=4),
                     ).map(lambda pair: pair[0] | pair[1])


@dataclass(frozen=True)
class Snapshot:
    """Every row of the tables a refused write must not touch (small test databases)."""

    tables: dict

    TABLES = ("providers", "services", "reference_values", "quarter_calendar", "audit_log")

    @classmethod
    def of(cls, db) -> Snapshot:
        return cls({table: sorted(map(tuple, db.execute(f"SELECT * FROM {table}")), key=repr)
                    for table in cls.TABLES})

    def count(self, table: str) -> int:
        return len(self.tables[table])
