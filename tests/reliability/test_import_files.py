"""Issue 11, item 13: a password-protected workbook, formulas with no saved result, and files
beyond the documented size are refused at once, in words, and nothing is imported."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from sp_tui.domain.errors import ImportFailed
from sp_tui.imports import reader
from sp_tui.imports.reader import read_table

HEADER = ["provider", "service_ref", "service_name"]


def messages(exc) -> str:
    return " ".join(exc.value.lines())


def test_a_password_protected_xlsx_is_named_as_such(tmp_path):
    # Excel saves an encrypted workbook as an OLE compound file, not a zip
    path = tmp_path / "locked.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096)
    with pytest.raises(ImportFailed) as exc:
        read_table(path, HEADER)
    assert "password-protected" in messages(exc)
    assert "zip" not in messages(exc)


def test_a_formula_without_a_saved_result_is_refused_with_its_cell(tmp_path):
    from openpyxl import Workbook

    book = Workbook()  # openpyxl saves formulas without results, as a generator would
    book.active.append(HEADER)
    book.active.append(["Harbour Trust", "SP001", "House"])
    book.active.append(["Harbour Trust", "SP002", '=CONCAT("Ho","use")'])
    path = tmp_path / "formulas.xlsx"
    book.save(path)
    with pytest.raises(ImportFailed) as exc:
        read_table(path, HEADER)
    assert exc.value.errors[0][0] == 3 and "C3" in messages(exc)
    assert "formula" in messages(exc)


def test_a_formula_with_a_saved_result_is_read(tmp_path):
    """A workbook saved by a spreadsheet carries each formula's result: that is imported."""
    import re
    import zipfile

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(HEADER)
    book.active.append(["Harbour Trust", "SP001", "=B2"])
    path = tmp_path / "calculated.xlsx"
    book.save(path)
    # add the result a spreadsheet would have saved: <f>B2</f><v>SP001</v>, as a string
    with zipfile.ZipFile(path) as source:
        members = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    # openpyxl writes the empty value as <v /> or <v></v> (with lxml): replace either
    members[sheet] = re.sub(rb'<c r="C2"><f>B2</f><v\s*/>(</v>)?</c>|<c r="C2"><f>B2</f><v></v></c>',
                            b'<c r="C2" t="str"><f>B2</f><v>SP001</v></c>', members[sheet])
    assert b"<v>SP001</v>" in members[sheet]
    with zipfile.ZipFile(path, "w") as target:
        for name, data in members.items():
            target.writestr(name, data)
    [(row, values)] = read_table(path, HEADER)
    assert values["service_name"] == "SP001"


def test_files_beyond_the_size_limit_are_refused_at_once(tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "MAX_BYTES", 10_000)
    path = tmp_path / "big.csv"
    path.write_text(",".join(HEADER) + "\n" + "a,b,c\n" * 5_000)
    started = time.perf_counter()
    with pytest.raises(ImportFailed) as exc:
        read_table(path, HEADER)
    assert time.perf_counter() - started < 1
    assert "MB" in messages(exc)


def test_too_many_rows_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "MAX_ROWS", 100)
    path = tmp_path / "rows.csv"
    path.write_text(",".join(HEADER) + "\n" + "a,b,c\n" * 150)
    with pytest.raises(ImportFailed) as exc:
        read_table(path, HEADER)
    assert "more than 100 rows" in messages(exc)
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(HEADER)
    for n in range(150):
        book.active.append(["a", f"b{n}", "c"])
    book.save(tmp_path / "rows.xlsx")
    with pytest.raises(ImportFailed) as exc:
        read_table(tmp_path / "rows.xlsx", HEADER)
    assert "150 rows" in messages(exc)


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_too_many_columns_are_refused(tmp_path, suffix):
    width = reader.MAX_COLUMNS + 1
    path = tmp_path / f"wide.{suffix}"
    header = HEADER + [f"extra{n}" for n in range(width)]
    if suffix == "csv":
        path.write_text(",".join(header) + "\n" + ",".join("x" * len(header)) + "\n")
    else:
        from openpyxl import Workbook

        book = Workbook()
        book.active.append(header)
        book.save(path)
    with pytest.raises(ImportFailed) as exc:
        read_table(path, HEADER)
    assert "columns" in messages(exc) and str(reader.MAX_COLUMNS) in messages(exc)


def test_the_limits_are_documented():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert f"{reader.MAX_ROWS:,} rows" in readme
    assert f"{reader.MAX_COLUMNS} columns" in readme
    assert f"{reader.MAX_BYTES // 1024 // 1024} MB" in readme
