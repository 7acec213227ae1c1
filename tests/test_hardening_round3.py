"""Issue 18, hardening round three: each attack built for real (zipfile, openpyxl, subprocesses), no mocks.

Classes: 1 numbers a file declares about itself, 2 international e-mail addresses, 3 encoded words in names,
4 consoles that cannot show every character, 5 Ctrl-C from the first line, 6 Excel's error values, 7 two zip
members of one name, 8 e-mail header lines, 10 data validations as Excel writes them.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from conftest import make_entry, make_review

from partnerxl.documents.fill import new_register, new_response, new_review
from partnerxl.documents.templates import write_templates
from partnerxl.sheets import layout as L

ROOT = Path(__file__).resolve().parents[1]


def rewrite(src: Path, out: Path, change=lambda name, data: data, extra: tuple = ()) -> Path:
    """A copy of the workbook `src` with each member passed through `change`, and the `extra` (name, bytes) added."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, change(info.filename, zin.read(info)))
        for name, data in extra:
            zout.writestr(name, data)
    return out


def sheet_xml(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)}


# --- 10 data validations as Excel writes them -----------------------------------------------------------------------

_FORMULA = re.compile(rb"<(?:\w+:)?formula([12])>([^<]*)</(?:\w+:)?formula\1>")


def _validation_formulas(path: Path) -> list[bytes]:
    return [m.group(2) for data in sheet_xml(path).values() for m in _FORMULA.finditer(data)]


def test_drop_downs_are_written_without_a_leading_equals_sign(tmp_path, response_factory):
    from openpyxl import load_workbook

    from partnerxl.operations import collate

    written = [*write_templates(tmp_path / "templates"), *sorted((ROOT / "workbooks").glob("*.xlsx")),
               new_register(tmp_path / "Register.xlsx", [make_entry()]),
               new_review(tmp_path / "Review P001 2025.xlsx", make_review()),
               new_response(tmp_path / "Response.xlsx", "P001", "Safer Streets", 2025)]
    # a review made from an older template, whose drop-downs were written with '=': collate's copy is Excel's form
    old = tmp_path / "old" / "Review P001 2025.xlsx"
    old.parent.mkdir()
    wb = load_workbook(new_review(tmp_path / "blank.xlsx", make_review(respondents=[])))
    for ws in wb.worksheets:
        for dv in ws.data_validations.dataValidation:
            if dv.type == "list":
                dv.formula1 = "=" + dv.formula1
    wb.save(old)
    assert any(f.startswith(b"=") for f in _validation_formulas(old))
    collate(old, [response_factory("Police")], tmp_path / "Collated.xlsx")
    written.append(tmp_path / "Collated.xlsx")
    for path in written:
        formulas = _validation_formulas(path)
        assert formulas, path.name
        assert not [f for f in formulas if f.startswith(b"=")], path.name
        lists = {f.decode() for f in formulas if f.startswith(b"PXL_List_")}
        assert lists, path.name
        with zipfile.ZipFile(path) as zf:
            names = set(re.findall(r'<definedName name="([^"]+)"', zf.read("xl/workbook.xml").decode()))
        assert lists <= names, path.name  # every drop-down names a list the workbook defines
