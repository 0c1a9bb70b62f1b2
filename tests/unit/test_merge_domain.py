"""The three-way rules, content hashes and table order (pure)."""

from __future__ import annotations

import pytest

from sp_tui.domain.merge import (
    Decision, canonical_key, decide, differing_fields, merge_order, parse_default, row_hash,
)

B, T, O = 1, 2, 3


@pytest.mark.parametrize("this, other, bases, expected", [
    (None, O, set(), Decision.INSERT),
    (None, B, {B}, Decision.STAYS_DELETED),      # deleted here, unchanged there
    (None, O, {B}, Decision.INSERT),             # deleted here, changed there: the change wins
    (T, None, set(), Decision.KEEP_OURS),        # new here
    (B, None, {B}, Decision.DELETE),             # deleted there, unchanged here
    (T, None, {B}, Decision.KEEP_OURS),          # deleted there, changed here: kept
    (None, None, {B}, Decision.SAME),
    (T, T, {B}, Decision.SAME),
    (T, T, set(), Decision.SAME),
    (B, O, {B}, Decision.TAKE_OTHER),
    (T, B, {B}, Decision.KEEP_OURS),
    (T, O, {B}, Decision.CONFLICT),
    (T, O, set(), Decision.CONFLICT),           # no shared history: any difference
    # either side's memory of the other is a common ancestor
    (T, O, {B, T}, Decision.TAKE_OTHER),
    (T, O, {B, O}, Decision.KEEP_OURS),
    (T, O, {T, O}, Decision.CONFLICT),          # each side unchanged since a different past
])
def test_three_way_rule(this, other, bases, expected):
    assert decide(this, other, bases) is expected


def test_hash_ignores_key_and_timestamps_but_not_content():
    row = {"id": "a", "name": "Harbour", "units": 3, "created_at": "x", "updated_at": "y"}
    same = row | {"id": "b", "created_at": "z", "updated_at": "w"}
    assert row_hash(row, key="id") == row_hash(same, key="id")
    assert row_hash(row, key="id") != row_hash(row | {"units": 4}, key="id")
    assert row_hash(row, key="id") != row_hash(row | {"units": "3"}, key="id")  # types count
    assert row_hash({"a": None, "b": 1}) != row_hash({"a": 1, "b": None})


def test_hash_leaves_out_columns_at_their_default_so_new_columns_change_nothing():
    before = {"id": "a", "name": "Harbour"}
    after_migration = before | {"notes": "", "flag": 0, "end_date": None}
    defaults = {"notes": "", "flag": 0, "end_date": None}
    assert row_hash(before, defaults, key="id") == row_hash(after_migration, defaults, key="id")
    assert row_hash(before, defaults, key="id") != row_hash(
        after_migration | {"notes": "x"}, defaults, key="id")
    # a NULL is not the default '' (and 0 is not False's default of 0.0)
    assert row_hash(before | {"notes": None}, defaults, key="id") != row_hash(before, defaults,
                                                                              key="id")


def test_hash_is_a_signed_64_bit_integer():
    value = row_hash({"x": "é" * 100})
    assert -(2 ** 63) <= value < 2 ** 63


def test_differing_fields_in_column_order():
    this = {"id": 1, "b": 1, "a": 2, "updated_at": "x"}
    other = {"id": 1, "b": 2, "a": 3, "updated_at": "y"}
    assert differing_fields(this, other, key="id") == ["b", "a"]


def test_canonical_key_is_symmetric():
    assert canonical_key("b", "a") == canonical_key("a", "b") == "a"
    assert canonical_key(27, 3) == 3


def test_merge_order_puts_parents_first():
    order = merge_order({"services": {"providers"}, "visits": {"services"},
                         "providers": set(), "alerts": {"services", "natures", "elsewhere"},
                         "natures": set(), "selfish": {"selfish"}})
    assert order.index("providers") < order.index("services") < order.index("visits")
    assert order.index("natures") < order.index("alerts")
    assert set(order) == {"services", "visits", "providers", "alerts", "natures", "selfish"}


def test_merge_order_survives_a_cycle():
    assert sorted(merge_order({"a": {"b"}, "b": {"a"}})) == ["a", "b"]


@pytest.mark.parametrize("sql, expected", [
    (None, (True, None)), ("NULL", (True, None)), ("0", (True, 0)), ("''", (True, "")),
    ("'it''s'", (True, "it's")), ("1.5", (True, 1.5)), ("(1)", (True, 1)),
    ("strftime('%Y', 'now')", (False, None)),
])
def test_parse_default(sql, expected):
    assert parse_default(sql) == expected
