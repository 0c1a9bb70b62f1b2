"""Property tests: random edit sequences on a team database and its laptop copy, then merges.

The first property checks the merged content against a model of the three-way rule computed
from the snapshots alone (base, here, there), so the merge code is not its own oracle.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sp_tui.domain.errors import ValidationError
from sp_tui.domain.quarters import Quarter
from sp_tui.services.alerts import log_alert
from sp_tui.services.calendar import set_quarter_dates
from sp_tui.services.complaints import log_complaint, update_complaint
from sp_tui.domain.merge import canonical_key, merge_order
from sp_tui.services.merge import merge_database
from sp_tui.services.merge_records import MIRRORED, NATURAL_KEYS, NaturalKey
from sp_tui.services.registry import add_reference_value, save_service
from sp_tui.services.sync_copy import copy_database
from sp_tui.services.visits import delete_visit, save_visit
from sp_tui.services.workbooks import receive_workbook, reject_workbook
from sp_tui.store.connection import open_db
from sp_tui.store.schema import describe_tables
from tests.conftest import service_fields
from tests.unit.merge_support import everything, open_conflicts, records

TODAY = date(2009, 11, 20)
# MERGE_EXAMPLES=500 runs the properties harder locally (the suite keeps 40).
SETTINGS = settings(max_examples=int(os.environ.get("MERGE_EXAMPLES", "40")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

SERVICE_EDITS = {
    "household_units": [1, 2, 3],
    "service_name": ["Alpha House", "Beta House"],
    "district": ["Thanet", "Dover"],
    "end_date": [None, "2010-03-31"],
}
VISIT_EDITS = {"officer": ["Ann Lee", "Bob Ray"], "notes": ["", "checked", "follow up"]}
WORKBOOK_DAYS = ["2009-04-20", "2009-05-02"]


def edits(refs: list[str], providers: list[str], visit_days: list[str],
          case_refs: list[str] | None = None):
    """A strategy for one copy's edit sequence; refs, providers and days say what it may
    create (disjoint per copy, or shared to make both copies create the same record)."""
    pick = st.integers(min_value=0, max_value=9)
    field_edit = st.sampled_from(sorted(SERVICE_EDITS)).flatmap(
        lambda f: st.tuples(st.just(f), st.sampled_from(SERVICE_EDITS[f])))
    visit_edit = st.sampled_from(sorted(VISIT_EDITS)).flatmap(
        lambda f: st.tuples(st.just(f), st.sampled_from(VISIT_EDITS[f])))
    one = st.one_of(
        st.tuples(st.just("add service"), st.sampled_from(refs), st.sampled_from(providers),
                  st.sampled_from([4, 5])),
        st.tuples(st.just("edit service"), pick, field_edit),
        st.tuples(st.just("quarter dates"), st.sampled_from([27, 28]),
                  st.sampled_from([10, 15, 20])),
        st.tuples(st.just("add visit"), pick, st.sampled_from(visit_days),
                  st.sampled_from(VISIT_EDITS["officer"])),
        st.tuples(st.just("edit visit"), pick, visit_edit),
        st.tuples(st.just("delete visit"), pick),
        st.tuples(st.just("add district"), st.sampled_from(["Medway", "Kent Downs"])),
        st.tuples(st.just("receive workbook"), pick, st.sampled_from(WORKBOOK_DAYS)),
        st.tuples(st.just("reject workbook"), pick, st.sampled_from(["incomplete", "wrong"])),
        st.tuples(st.just("log complaint"), st.sampled_from(case_refs or refs), pick,
                  st.sampled_from(["Repairs", "Staff"])),
        st.tuples(st.just("update complaint"), pick,
                  st.sampled_from([{"status": "concluded", "closed_date": "2009-05-01"},
                                   {"outcome": "apology"}, {"officer": "K. Brennan"}])),
        st.tuples(st.just("log alert"), st.sampled_from(case_refs or refs), pick,
                  st.sampled_from(["financial", "neglect"])),
    )
    return st.lists(one, max_size=10)


def apply(db, steps) -> None:
    """Each step through the service layer, as an officer would; refused steps are skipped."""
    for step in steps:
        try:
            _apply(db, step)
        except ValidationError:
            continue
        event(f"done: {step[0]}")


def _apply(db, step) -> None:
    kind = step[0]
    refs = [r for (r,) in db.execute("SELECT service_ref FROM services ORDER BY service_ref")]
    visits = [v for (v,) in db.execute("SELECT id FROM visits ORDER BY started_date, id")]
    if kind == "add service":
        _, ref, provider, units = step
        save_service(db, service_fields(service_ref=ref, provider=provider,
                                        household_units=units, service_name=f"House {ref}"))
    elif kind == "edit service":
        _, index, (field, value) = step
        ref = refs[index % len(refs)]
        row = db.execute("SELECT s.id, s.name, s.household_units, s.district, s.end_date,"
                         " p.name FROM services s JOIN providers p ON p.id = s.provider_id"
                         " WHERE s.service_ref = ?", (ref,)).fetchone()
        current = dict(service_name=row[1], household_units=row[2], district=row[3],
                       end_date=row[4], provider=row[5])
        save_service(db, service_fields(service_ref=ref, **(current | {field: value})),
                     service_id=row[0])
    elif kind == "quarter dates":
        _, quarter, days = step
        deadline = Quarter(quarter).end + timedelta(days=days)
        set_quarter_dates(db, Quarter(quarter), deadline=deadline.isoformat(),
                          default_end=(deadline + timedelta(days=7)).isoformat())
    elif kind == "add visit":
        _, index, day, officer = step
        save_visit(db, {"service_ref": refs[index % len(refs)], "officer": officer,
                        "started_date": day}, today=TODAY)
    elif kind == "edit visit" and visits:
        _, index, (field, value) = step
        visit_id = visits[index % len(visits)]
        row = db.execute("SELECT s.service_ref, v.officer, v.started_date, v.notes FROM visits v"
                         " JOIN services s ON s.id = v.service_id WHERE v.id = ?",
                         (visit_id,)).fetchone()
        fields = {"service_ref": row[0], "officer": row[1], "started_date": row[2],
                  "notes": row[3]} | {field: value}
        save_visit(db, fields, visit_id=visit_id, today=TODAY)
    elif kind == "delete visit" and visits:
        delete_visit(db, visits[step[1] % len(visits)])
    elif kind == "add district":
        add_reference_value(db, "district", step[1])
    elif kind == "receive workbook":
        receive_workbook(db, refs[step[1] % len(refs)], Quarter(24), step[2], today=TODAY)
    elif kind == "reject workbook":
        reject_workbook(db, refs[step[1] % len(refs)], Quarter(24), step[2], "2009-05-10",
                        today=TODAY)
    elif kind == "log complaint":
        _, ref, index, summary = step
        log_complaint(db, {"ref": f"C-{ref}", "service_ref": refs[index % len(refs)],
                           "received_date": "2009-02-03", "summary": summary,
                           "status": "open"}, today=TODAY)
    elif kind == "update complaint":
        complaints = [c for (c,) in db.execute("SELECT id FROM complaints ORDER BY ref")]
        if complaints:
            update_complaint(db, complaints[step[1] % len(complaints)], step[2], today=TODAY)
    elif kind == "log alert":
        _, ref, index, nature = step
        log_alert(db, {"ref": f"SG-{ref}", "service_ref": refs[index % len(refs)],
                       "received_date": "2009-02-03", "nature": nature, "status": "open"},
                  today=TODAY)


def expected_merge(base, here, there):
    """The three-way rule on snapshots: (content after merging ``there`` into ``here``,
    set of (table, key, field) conflicts)."""
    merged, conflicts = {}, set()
    for table, ours in here.items():
        result = dict(ours)
        theirs, shared = there.get(table, {}), base.get(table, {})
        for key in set(ours) | set(theirs):
            t, o, b = ours.get(key), theirs.get(key), shared.get(key)
            if t == o:
                continue
            if t is None:
                if b is None or o != b:
                    result[key] = o          # new there, or changed there after we deleted it
            elif o is None:
                if b is not None and t == b:
                    del result[key]          # deleted there, unchanged here
            elif t == b:
                result[key] = o
            elif o != b:
                conflicts |= {(table, key, f) for f in t if t[f] != o[f]}
        merged[table] = result
    return merged, conflicts


def same_records(infos, base, here, there):
    """The merge's rule for one record created in both copies under two keys, on snapshots:
    records new since ``base`` that share a unique value or name the same event
    (``NATURAL_KEYS``: one rejection per submission, ...) go under the smaller key in both,
    and references follow. Returns (here, there, blocked): copies re-keyed so that the
    three-way rule then applies key by key, and the (table, key, "") of their records that
    match several here (left out, and listed as conflicts)."""
    here = {t: {k: dict(r) for k, r in v.items()} for t, v in here.items()}
    there = {t: {k: dict(r) for k, r in v.items()} for t, v in there.items()}
    renamed: dict[str, dict] = {}
    blocked = set()
    tables = [t for t in merge_order({t: info.parents for t, info in infos.items()})
              if t in here and not is_list_table(t)]
    for table in tables:
        info = infos[table]
        for side in (here, there):
            for row in side[table].values():
                for column, parent, _ in info.references:
                    row[column] = renamed.get(parent, {}).get(row[column], row[column])
        ours, theirs, shared = here[table], there[table], base.get(table, {})
        keys = [NaturalKey(columns) for columns in info.unique]
        keys += list(NATURAL_KEYS.get(table, ()))
        for their_key in sorted(theirs, key=lambda k: (type(k).__name__, k)):
            other = theirs[their_key]
            if their_key in ours or their_key in shared:
                continue
            matches = {key for key, row in ours.items() for natural in keys
                       if natural.applies(other) and natural.applies(row)
                       and all(row[c] == other[c] for c in natural.columns)}
            if not matches:
                continue
            if len(matches) > 1 or next(iter(matches)) in theirs:
                blocked.add((table, their_key, ""))
                del theirs[their_key]
                continue
            our_key = matches.pop()
            winner = canonical_key(our_key, their_key)
            ours[winner] = ours.pop(our_key) | {info.key_column: winner}
            theirs[winner] = theirs.pop(their_key) | {info.key_column: winner}
            renamed.setdefault(table, {}).update({our_key: winner, their_key: winner})
    return here, there, blocked


def listed(conflicts, here, there):
    """The conflicts a merge lists: a field that repeats its parent's conflict with the same
    values (a contract version's units, ``MIRRORED``) is settled with the parent's, unlisted."""
    shown = set()
    for table, key, field in conflicts:
        if table in MIRRORED and field in MIRRORED[table][2]:
            column, parent, _ = MIRRORED[table]
            ours, theirs = here[table][key], there[table][key]
            parent_key = ours[column]
            if ((parent, parent_key, field) in conflicts
                    and here[parent][parent_key][field] == ours[field]
                    and there[parent][parent_key][field] == theirs[field]):
                continue
        shown.add((table, key, field))
    return shown


def is_list_table(table: str) -> bool:
    return table == "reference_values"


def make_pair(folder: Path):
    team = open_db(folder / "team.sqlite")
    for ref in ("SP001", "SP002"):
        save_service(team, service_fields(service_ref=ref, service_name=f"House {ref}"))
    save_visit(team, {"service_ref": "SP001", "officer": "Ann Lee",
                      "started_date": "2008-11-03"}, today=TODAY)
    copy_database(team, folder / "laptop.sqlite")
    return team, open_db(folder / "laptop.sqlite")


@SETTINGS
@given(here_steps=edits(["SP101", "SP102"], ["Harbour Trust", "Team Org"],
                        ["2009-01-05", "2009-01-12"]),
       there_steps=edits(["SP201", "SP202"], ["Harbour Trust", "Laptop Org"],
                         ["2009-02-02", "2009-02-09"]))
def test_a_merge_follows_the_three_way_rule(here_steps, there_steps):
    with tempfile.TemporaryDirectory() as tmp:
        team, laptop = make_pair(Path(tmp))
        base = records(team)
        apply(team, here_steps)
        apply(laptop, there_steps)
        here, there = records(team), records(laptop)

        result = merge_database(team, Path(tmp) / "laptop.sqlite")

        merged = records(team)
        for name in ("inserted", "updated", "conflicts", "deleted", "stays_deleted"):
            event(f"{name}: {'some' if result.total(name) else 'none'}")
        expected, conflicts = expected_merge(
            {t: v for t, v in base.items() if not is_list_table(t)},
            {t: v for t, v in here.items() if not is_list_table(t)}, there)
        for table in expected:
            assert merged[table] == expected[table], table
        # list tables gain what they lack
        assert set(merged["reference_values"]) == set(here["reference_values"]) | set(
            there["reference_values"])
        # conflicts are listed and nothing was written for them
        assert set(open_conflicts(team)) == conflicts
        assert {(c.table, c.record_id, c.field) for c in result.conflicts} == listed(
            conflicts, here, there)
        # no duplicates: every reference and every visit (service, day) once
        assert team.execute("PRAGMA foreign_key_check").fetchall() == []
        for table, key in (("services", "service_ref"), ("visits", "service_id, started_date")):
            assert team.execute(f"SELECT count(*) FROM (SELECT {key} FROM {table} GROUP BY {key}"
                                " HAVING count(*) > 1)").fetchone()[0] == 0

        # merging the same file again changes nothing at all
        snapshot = everything(team)
        again = merge_database(team, Path(tmp) / "laptop.sqlite")
        assert everything(team) == snapshot and not again.changed

        # and the laptop, merging the team's file, ends with the same records
        merge_database(laptop, Path(tmp) / "team.sqlite")
        if not conflicts:
            assert records(laptop) == records(team)
            assert not open_conflicts(laptop)
        else:
            assert {(t, k, f) for t, k, f in open_conflicts(laptop)} == conflicts
        team.close()
        laptop.close()


@SETTINGS
@given(here_steps=edits(["SP101", "SP102"], ["Shared Org", "Harbour Trust"],
                        ["2009-01-05", "2009-01-12"]),
       there_steps=edits(["SP101", "SP102"], ["Shared Org", "Harbour Trust"],
                         ["2009-01-05", "2009-01-12"]),
       later_here=edits(["SP103"], ["Harbour Trust", "Team Org"], ["2009-03-02"]),
       later_there=edits(["SP104"], ["Harbour Trust", "Laptop Org"], ["2009-03-09"]))
def test_copies_that_create_the_same_records_converge_round_after_round(
        here_steps, there_steps, later_here, later_there):
    """Both copies create services, providers and visits with the same references: they
    end up as one record each, under one key, on both sides. A second round of edits on
    the converged copies then follows the three-way rule against the converged state."""
    with tempfile.TemporaryDirectory() as tmp:
        team, laptop = make_pair(Path(tmp))
        team_file, laptop_file = Path(tmp) / "team.sqlite", Path(tmp) / "laptop.sqlite"
        converged = None
        for number, (ours, theirs) in enumerate(((here_steps, there_steps),
                                                 (later_here, later_there)), start=1):
            apply(team, ours)
            apply(laptop, theirs)
            here, there = records(team), records(laptop)
            first = merge_database(team, laptop_file)
            if converged is not None:
                # records made in both copies in this round count as one (their keys
                # unified as the merge does), then the three-way rule applies
                here, there, blocked = same_records(describe_tables(team), converged, here,
                                                    there)
                expected, conflicts = expected_merge(
                    {t: v for t, v in converged.items() if not is_list_table(t)},
                    {t: v for t, v in here.items() if not is_list_table(t)}, there)
                conflicts |= blocked
                merged = records(team)
                for table in expected:
                    assert merged[table] == expected[table], table
                assert {(c.table, c.record_id, c.field) for c in first.conflicts} == listed(
                    conflicts, here, there)
            second = merge_database(laptop, team_file)
            event(f"round {number} unified: {'some' if first.total('unified') else 'none'}")
            event(f"round {number} conflicts: {'some' if first.conflicts else 'none'}")
            for db in (team, laptop):
                assert db.execute("PRAGMA foreign_key_check").fetchall() == []
                assert db.execute("SELECT count(*) FROM (SELECT name FROM providers GROUP BY"
                                  " name HAVING count(*) > 1)").fetchone()[0] == 0
            if first.conflicts or second.conflicts:
                break
            assert records(team) == records(laptop)
            converged = records(team)
            # one more exchange brings no record; the team file then learns that the laptop
            # took its records (bookkeeping only), after which nothing changes at all
            assert not merge_database(team, laptop_file).changed
            assert not merge_database(laptop, team_file).changed
            snapshots = everything(team), everything(laptop)
            merge_database(team, laptop_file)
            merge_database(laptop, team_file)
            assert (everything(team), everything(laptop)) == snapshots
        team.close()
        laptop.close()
