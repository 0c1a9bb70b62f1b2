"""The import screen (issue 13): pick a file, its kind detected, a preview, each value not in
its list mapped (or added) in one step, all or nothing, the mapping remembered as an alias."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, Select, Static

from sp_tui.tui.widgets.import_modal import ADD, ImportModal, detect
from tests.tui.conftest import press, press_for, settle

FIXTURE = Path(__file__).parent.parent / "fixtures" / "import_screen" / "team-register.csv"
HEADER = ("Provider,Service_Ref,Service_Name,Service_Type,Client_Group,District,Term,"
          "Start_Date,Household_Units\n")
MH = "People with mental health problems"


def test_the_kind_is_told_by_the_columns():
    assert detect(["service_ref", "quarter", "received_date"])[0].kind == "workbooks"
    assert detect(["service_ref", "quarter", "kpi1_independent"])[0].kind == "kpis"
    found = detect([c.lower() for c in HEADER.strip().split(",")])
    assert found[0].kind == "services"
    assert detect(["name", "age"]) == []


async def _open_file(pilot, path: Path) -> ImportModal:
    modal = await press_for(pilot, ImportModal, "i")
    modal.query_one("#path", Input).value = str(path)
    await press(pilot, "enter")
    await settle(pilot)
    return modal


def _message(modal: ImportModal) -> str:
    return str(modal.query_one("#message", Static).render())


async def test_an_unknown_label_is_mapped_once_and_remembered(db, make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        modal = await _open_file(pilot, FIXTURE)
        assert modal.read is not None and modal.read.kind.kind == "services"
        assert modal.query_one("#kind", Select).value == "services"
        assert modal.query_one("#preview", DataTable).row_count == 3
        assert "1 value(s) are not in their lists" in _message(modal)
        [unknown] = modal.read.unknown
        assert (unknown.column, unknown.value, unknown.rows) == (
            "client_group", "Mental health issues", [2, 4])
        choice = modal.query_one("#unknown-0", Select)
        assert MH in unknown.closest
        # Ctrl+S with a value unanswered writes nothing and says which
        await press(pilot, "ctrl+s")
        assert "Choose what client_group 'Mental health issues' means" in _message(modal)
        assert db.execute("SELECT COUNT(*) FROM services").fetchone()[0] == 0

        choice.value = MH
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ImportModal)
        rows = db.execute("SELECT service_ref, client_group FROM services"
                          " ORDER BY service_ref").fetchall()
        assert rows == [("SP901", MH), ("SP902", "Young people at risk"), ("SP903", MH)]
        assert db.execute("SELECT alias, value FROM import_aliases WHERE list ="
                          " 'client_group'").fetchall() == [("mental health issue", MH)]

        # Next time the label is known: nothing to answer
        again = tmp_path / "next.csv"
        again.write_text(HEADER + "Harbour Trust,SP904,Harbour Lodge,Supported housing,"
                                  "MENTAL HEALTH ISSUES,Thanet,short,2008-04-01,5\n")
        modal = await _open_file(pilot, again)
        assert modal.read is not None and modal.read.unknown == []
        assert "Every listed value matches" in _message(modal)
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert db.execute("SELECT client_group FROM services WHERE service_ref = 'SP904'"
                          ).fetchone()[0] == MH


async def test_an_unknown_value_added_to_the_list(db, make_app, tmp_path):
    path = tmp_path / "new-group.csv"
    path.write_text(HEADER + "Harbour Trust,SP950,Veterans House,Supported housing,"
                             "Ex-service personnel,Thanet,short,2008-04-01,5\n")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        modal = await _open_file(pilot, path)
        modal.query_one("#unknown-0", Select).value = ADD
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ImportModal)
    assert db.execute("SELECT client_group FROM services").fetchone()[0] == \
        "Ex-service personnel"
    assert db.execute("SELECT COUNT(*) FROM reference_values WHERE kind = 'client_group'"
                      " AND value = 'Ex-service personnel'").fetchone()[0] == 1


async def test_a_bad_row_imports_nothing_and_says_which(db, make_app, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER
                    + "Harbour Trust,SP960,Good House,Supported housing,Refugees,Thanet,short,"
                      "2008-04-01,5\n"
                    + "Harbour Trust,SP961,Bad House,Supported housing,Refugees,Thanet,short,"
                      "not a date,5\n")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        modal = await _open_file(pilot, path)
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ImportModal)
        message = _message(modal)
        assert "Nothing was imported" in message and "row 3" in message
    assert db.execute("SELECT COUNT(*) FROM services").fetchone()[0] == 0


async def test_a_file_whose_columns_fit_no_import(db, make_app, tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("name,age\nAda,36\n")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        modal = await _open_file(pilot, path)
        assert modal.read is None
        assert "fit no import" in _message(modal)


async def test_the_palette_and_the_key_open_it(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press_for(pilot, ImportModal, "i")
        await press(pilot, "escape")
        assert not isinstance(app.screen, ImportModal)
