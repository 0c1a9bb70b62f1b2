"""Issue 11, item 3: the same real-world event recorded in both copies (a reminder, a default
notice, an audit, a rejection) becomes one record after a merge, or a conflict, never two.

The property test runs random action sequences on a team file and its laptop copy and checks
that no published count after the merge exceeds what one copy holding both sides' actions
shows (the oracle is a third copy that replays both sequences, one after the other)."""

from __future__ import annotations

import tempfile
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sp_tui.domain.errors import ValidationError
from sp_tui.domain.quarters import Quarter
from sp_tui.reports.table2 import table2
from sp_tui.reports.workbooks import audit_summary, provider_default_list
from sp_tui.services.merge import merge_database
from sp_tui.services.registry import save_service
from sp_tui.services.sync_copy import copy_database
from sp_tui.services.workbook_runs import issue_defaults, send_reminders
from sp_tui.services.workbooks import (
    receive_workbook, record_workbook_audit, reject_workbook, withdraw_default,
)
from sp_tui.store.connection import open_db
from tests.conftest import service_fields

Q26 = Quarter(26)
TODAY = date(2009, 12, 15)
REFS = ["SP001", "SP002", "SP003", "SP004"]


def make_team(path: Path):
    db = open_db(path)
    for n, ref in enumerate(REFS):
        save_service(db, service_fields(service_ref=ref, service_name=f"House {ref}",
                                        provider=["Harbour Trust", "Oak Homes"][n % 2]))
    return db


def counts(db) -> dict[str, int]:
    last = table2(db, Q26).last
    audits = audit_summary(db, Q26)
    return {
        "reminders": last.reminders,
        "defaults": last.defaults,
        "provider defaults": sum(p.total for p in provider_default_list(db, Q26).providers),
        "audits": audits.audits,
        "rejections": db.execute("SELECT count(*) FROM workbook_rejections").fetchone()[0],
        "reminder rows": db.execute("SELECT count(*) FROM workbook_reminders").fetchone()[0],
        "default rows": db.execute("SELECT count(*) FROM workbook_defaults").fetchone()[0],
        "audit rows": db.execute("SELECT count(*) FROM workbook_audits").fetchone()[0],
    }


def test_reminders_and_defaults_run_in_both_copies_are_not_doubled(tmp_path):
    """The issue's reproduction: db copy, remind and default on both, merge."""
    team = make_team(tmp_path / "team.sqlite")
    copy_database(team, tmp_path / "laptop.sqlite")
    laptop = open_db(tmp_path / "laptop.sqlite")
    for db, outbox in ((team, tmp_path / "out-team"), (laptop, tmp_path / "out-laptop")):
        send_reminders(db, Q26, sent="2009-11-02", today=TODAY, outbox=outbox)
        issue_defaults(db, Q26, issued="2009-11-20", today=TODAY, outbox=outbox)
        record_workbook_audit(db, "SP001", Q26, audit_date="2009-12-01", officer="Ann Lee",
                              assurance="low", today=TODAY)
        receive_workbook(db, "SP002", Q26, "2009-12-02", today=TODAY)
        reject_workbook(db, "SP002", Q26, "incomplete", "2009-12-03", today=TODAY)
    before = counts(team)
    assert before["reminders"] == before["defaults"] == len(REFS)

    result = merge_database(team, tmp_path / "laptop.sqlite")
    after = counts(team)
    assert after == before, result
    assert result.total("inserted") == 0 and result.total("unified") >= 2 * len(REFS) + 2
    # and back the other way: the laptop ends with the same records, under the same keys
    merge_database(laptop, tmp_path / "team.sqlite")
    assert counts(laptop) == before
    for table in ("workbook_reminders", "workbook_defaults", "workbook_audits",
                  "workbook_rejections"):
        ids = lambda db: sorted(r[0] for r in db.execute(f"SELECT id FROM {table}"))
        assert ids(team) == ids(laptop), table
    team.close()
    laptop.close()


def test_two_separately_built_databases_do_not_double_events(tmp_path):
    """No shared history at all: the same events are still recognised as one."""
    team = make_team(tmp_path / "team.sqlite")
    other = make_team(tmp_path / "other.sqlite")
    for db, outbox in ((team, tmp_path / "a"), (other, tmp_path / "b")):
        send_reminders(db, Q26, sent="2009-11-02", today=TODAY, outbox=outbox)
        issue_defaults(db, Q26, issued="2009-11-20", today=TODAY, outbox=outbox)
    before = counts(team)
    merge_database(team, tmp_path / "other.sqlite")
    after = counts(team)
    assert after["reminders"] == before["reminders"]
    assert after["defaults"] == before["defaults"]
    team.close()
    other.close()


def test_a_default_issued_on_different_days_in_the_two_copies_is_one_default(tmp_path):
    team = make_team(tmp_path / "team.sqlite")
    copy_database(team, tmp_path / "laptop.sqlite")
    laptop = open_db(tmp_path / "laptop.sqlite")
    issue_defaults(team, Q26, issued="2009-11-20", today=TODAY, outbox=tmp_path / "a")
    issue_defaults(laptop, Q26, issued="2009-11-23", today=TODAY, outbox=tmp_path / "b")
    result = merge_database(team, tmp_path / "laptop.sqlite")
    assert counts(team)["defaults"] == len(REFS)
    assert {c.field for c in result.conflicts} >= {"issued_date"}
    team.close()
    laptop.close()


# -- the property ------------------------------------------------------------------------------
ACTION = st.one_of(
    st.tuples(st.just("remind"), st.just("2009-11-02")),
    st.tuples(st.just("default"), st.just("2009-11-20")),
    st.tuples(st.just("withdraw"), st.integers(0, 3)),
    st.tuples(st.just("audit"), st.integers(0, 3), st.sampled_from(["2009-12-01", "2009-12-02"]),
              st.sampled_from(["Ann Lee", "Bob Ray"]), st.sampled_from(["low", "high"])),
    st.tuples(st.just("receive"), st.integers(0, 3),
              st.sampled_from(["2009-10-20", "2009-11-10", "2009-12-05"])),
    st.tuples(st.just("reject"), st.integers(0, 3), st.sampled_from(["2009-12-06", "2009-12-07"])),
)


def apply(db, steps, outbox: Path) -> list:
    """Apply each step through the services; returns the steps that were done."""
    done = []
    for number, step in enumerate(steps):
        kind = step[0]
        try:
            if kind == "remind":
                send_reminders(db, Q26, sent=step[1], today=TODAY, outbox=outbox / str(number))
            elif kind == "default":
                issue_defaults(db, Q26, issued=step[1], today=TODAY, outbox=outbox / str(number))
            elif kind == "withdraw":
                withdraw_default(db, REFS[step[1]], Q26, "issued in error", "2009-12-08",
                                 today=TODAY)
            elif kind == "audit":
                record_workbook_audit(db, REFS[step[1]], Q26, audit_date=step[2],
                                      officer=step[3], assurance=step[4], today=TODAY)
            elif kind == "receive":
                receive_workbook(db, REFS[step[1]], Q26, step[2], today=TODAY)
            elif kind == "reject":
                reject_workbook(db, REFS[step[1]], Q26, "incomplete", step[2], today=TODAY)
        except ValidationError:
            continue
        done.append(step)
        event(f"done: {kind}")
    return done


EVENT_KEYS = {
    "workbook_reminders": "service_id, quarter, sent_date",
    "workbook_defaults": "service_id, quarter, issued_date",
    "workbook_audits": "service_id, quarter, audit_date",
    "workbook_rejections": "workbook_id, received_date",
}


def events(db) -> dict[str, Counter]:
    """How many records each real-world event has, per table."""
    return {table: Counter(db.execute(f"SELECT {key} FROM {table}").fetchall())
            for table, key in EVENT_KEYS.items()}


def in_force(db) -> set:
    return set(db.execute("SELECT service_id, quarter FROM workbook_defaults"
                          " WHERE withdrawn_date IS NULL").fetchall())


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(here_steps=st.lists(ACTION, max_size=8), there_steps=st.lists(ACTION, max_size=8))
def test_no_count_after_a_merge_exceeds_one_copy_holding_both_sides_actions(here_steps,
                                                                          there_steps):
    """The oracle is computed from the two copies before the merge: one copy holding both
    sides' events holds each event as often as the copy that holds it most (a copy may hold
    two audits of a service on one day; never the same reminder twice because two officers
    both recorded it)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        team = make_team(folder / "team.sqlite")
        copy_database(team, folder / "laptop.sqlite")
        laptop = open_db(folder / "laptop.sqlite")
        apply(team, here_steps, folder / "o1")
        apply(laptop, there_steps, folder / "o2")
        here, there = events(team), events(laptop)
        forced = in_force(team) | in_force(laptop)

        result = merge_database(team, folder / "laptop.sqlite")
        event(f"unified: {'some' if result.total('unified') else 'none'}")
        event(f"conflicts: {'some' if result.conflicts else 'none'}")
        merged = events(team)
        for table, found in merged.items():
            for key, n in found.items():
                assert n <= max(here[table][key], there[table][key]), (table, key, n)
        oracle = {table: sum((here[table] | there[table]).values()) for table in here}
        figures = counts(team)
        assert figures["reminders"] <= oracle["workbook_reminders"]
        assert figures["audits"] <= oracle["workbook_audits"]
        assert figures["rejections"] <= oracle["workbook_rejections"]
        if not result.conflicts:
            # (a default withdrawn in one copy only may wait on its conflict)
            assert figures["defaults"] <= len(forced)
            assert in_force(team) <= forced
        for db in (team, laptop):
            db.close()


@pytest.mark.parametrize("table", ["workbook_reminders", "workbook_defaults", "workbook_audits",
                                   "workbook_rejections"])
def test_every_event_table_has_a_natural_key_for_merges(table):
    from sp_tui.services.merge_records import NATURAL_KEYS

    assert NATURAL_KEYS[table]
