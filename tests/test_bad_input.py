"""Bad input: one clear line naming the file and what to do, exit code 2, no traceback; inputs never modified."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import edit_cells, sha256
from openpyxl import Workbook

from partnerxl.sheets import layout as L
from partnerxl.cli import main
from partnerxl.core.errors import PartnerXLError
from partnerxl.core.settings import Settings
from partnerxl.storage.opening import FileWorkbook

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _rezip(src: Path, out: Path, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = (replace or {}).get(info.filename, zin.read(info.filename))
            zout.writestr(info.filename, data)
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    return out


def _ole_file(path: Path, stream_names: list[str]) -> Path:
    """A minimal compound-file lookalike: the OLE signature and directory entry names (what the checks look at)."""
    body = OLE + b"\x00" * 504 + b"".join(n.encode("utf-16-le") + b"\x00" * (64 - 2 * len(n)) for n in stream_names)
    path.write_bytes(body + b"\x00" * 1024)
    return path


def _bad_files(tmp: Path, review: Path) -> dict[str, tuple[Path, str]]:
    """name → (file, words the one-line message must contain)."""
    files: dict[str, tuple[Path, str]] = {}
    p = tmp / "notes.xlsx"
    p.write_text("Minutes of the partnership board\n", encoding="utf-8")
    files["not a spreadsheet"] = (p, "not an Excel workbook")
    p = tmp / "truncated.xlsx"
    p.write_bytes(review.read_bytes()[: review.stat().st_size // 2])
    files["truncated"] = (p, "damaged or incomplete")
    p = tmp / "corrupt.xlsx"
    data = bytearray(review.read_bytes())
    with zipfile.ZipFile(review) as z:
        info = z.getinfo("xl/workbook.xml")
    start = info.header_offset + 30 + len(info.filename) + 10
    data[start:start + 40] = b"\x00" * 40
    p.write_bytes(bytes(data))
    files["corrupt"] = (p, "damaged or incomplete")
    files["encrypted"] = (_ole_file(tmp / "secret.xlsx", ["EncryptionInfo", "EncryptedPackage"]), "encrypted")
    files["legacy xls"] = (_ole_file(tmp / "old.xls", ["Workbook", "SummaryInformation"]), ".xls")
    plain = Workbook()
    plain.active["A1"] = "Partnership"
    plain.save(tmp / "plain.xlsx")
    files["not a template"] = (tmp / "plain.xlsx", "not a PartnerXL workbook")
    files["newer version"] = (edit_cells(review, L.MARKER_SHEET, {"C1": L.TEMPLATE_VERSION + 1},
                                         out=tmp / "newer.xlsx"), "newer version of PartnerXL")
    from openpyxl import load_workbook

    wb = load_workbook(review)
    wb[L.CHECKLIST].title = "Checks"
    wb.save(tmp / "renamed.xlsx")
    files["renamed sheet"] = (tmp / "renamed.xlsx", "no sheet named 'Checklist'")
    lock = tmp / "~$Review.xlsx"
    lock.write_bytes(b"\x0bA Officer" + b" " * 100)
    files["lock file"] = (lock, "lock file")
    dtd = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
           b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
           b'<c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>')
    files["xml entities"] = (_rezip(review, tmp / "entities.xlsx", replace={"xl/worksheets/sheet1.xml": dtd}),
                             "entity declarations")
    # The DOCTYPE hidden behind a long comment (past the first chunk the prolog scan reads) is still found.
    late = dtd.replace(b'?>', b'?><!-- ' + b'x > y ' * 2000 + b'-->', 1)
    files["xml entities late"] = (_rezip(review, tmp / "late.xlsx", replace={"xl/worksheets/sheet2.xml": late}),
                                  "entity declarations")
    files["not a workbook zip"] = (_zip_without_workbook(tmp / "archive.xlsx"), "another kind of zip")
    return files


def _zip_without_workbook(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "hello")
    return path


@pytest.fixture
def bad_files(tmp_path, review_path):
    return _bad_files(tmp_path, review_path)


@pytest.mark.parametrize("name", ["not a spreadsheet", "truncated", "corrupt", "encrypted", "legacy xls",
                                  "not a template", "newer version", "renamed sheet", "lock file", "xml entities",
                                  "xml entities late", "not a workbook zip"])
def test_bad_input_one_line_exit_2(bad_files, name, capsys):
    path, words = bad_files[name]
    before = sha256(path)
    for argv in (["validate", str(path)], ["score", str(path)]):
        assert main(argv) == 2, (name, argv)
        out, err = capsys.readouterr()
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) == 1, err
        assert path.name in lines[0] and words in lines[0], lines[0]
        assert "Traceback" not in err + out
    assert sha256(path) == before


def test_entity_expansion_refused_by_defusedxml(bad_files):
    """The crafted file is refused by the defusedxml check itself, and openpyxl runs with defusedxml active."""
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True
    path, _ = bad_files["xml entities"]
    with pytest.raises(PartnerXLError, match="entity declarations"):
        FileWorkbook.open(path)


def test_zip_bomb_guard_uses_the_setting(tmp_path, review_path):
    big = _rezip(review_path, tmp_path / "big.xlsx", add={"xl/media/padding.bin": b"\x00" * (3 * 1024 * 1024)})
    assert big.stat().st_size < 200_000  # tiny on disk, 3 MB unpacked
    with pytest.raises(PartnerXLError, match="max_uncompressed_mb"):
        FileWorkbook.open(big, Settings(max_uncompressed_mb=2))
    assert FileWorkbook.open(big, Settings(max_uncompressed_mb=4)).sheet_names()


def test_zip_bomb_guard_default_200_mb(tmp_path, review_path, capsys):
    assert Settings().max_uncompressed_mb == 200
    bomb = tmp_path / "bomb.xlsx"
    shutil.copy(review_path, bomb)
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        with z.open("xl/media/zeros.bin", "w", force_zip64=True) as fh:
            chunk = b"\x00" * (8 * 1024 * 1024)
            for _ in range(26):  # 208 MB
                fh.write(chunk)
    assert bomb.stat().st_size < 5_000_000
    assert main(["validate", str(bomb)]) == 2
    assert "more than the 200 MB" in capsys.readouterr().err


def test_missing_file(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nowhere.xlsx")]) == 2
    assert "cannot be found" in capsys.readouterr().err


def test_wrong_kind_for_register_option(review_path, tmp_path, capsys):
    assert main(["validate", str(review_path), "--register", str(review_path)]) == 2
    assert "a register workbook is needed" in capsys.readouterr().err
