"""`operations.pack`: one PDF for committee, or one plain sentence on how to get LibreOffice."""

from __future__ import annotations

import pytest

from partnerxl import operations as ops
from partnerxl.core.errors import PartnerXLError
from partnerxl.documents import committee_pack as pack_files


def test_without_libreoffice_the_pack_says_how_to_get_it_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(pack_files, "libreoffice", lambda: None)
    with pytest.raises(PartnerXLError) as err:
        ops.pack(tmp_path / "Register.xlsx", tmp_path, year=2024, out=tmp_path / "Committee pack.pdf")
    message = str(err.value)
    assert "LibreOffice" in message and "install" in message.lower() and "\n" not in message
    assert not list(tmp_path.iterdir())


def test_the_pack_is_a_pdf(tmp_path):
    with pytest.raises(PartnerXLError, match=r"\.pdf"):
        ops.pack(tmp_path / "Register.xlsx", tmp_path, year=2024, out=tmp_path / "pack.xlsx")


def test_pack_command_writes_one_numbered_pdf_and_without_libreoffice_one_line(tmp_path, monkeypatch, capsys):
    import shutil
    import subprocess

    from partnerxl.cli import main
    from partnerxl.documents import sample

    if not pack_files.libreoffice() or not shutil.which("pdfinfo"):
        pytest.skip("LibreOffice and poppler are needed to print the pack")
    register, reviews, _models = sample.write_sample(tmp_path / "p")
    out = tmp_path / "out" / "Committee pack 2024.pdf"
    code = main(["pack", str(register), str(reviews), "--year", "2024", "--as-of", "2025-03-31", "--out", str(out)])
    assert code == 1   # the sample's planted mistakes are errors: the pack is still written
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages >= 3   # committee summary, dashboard, then a page per summary
    assert "Committee pack 2024" in capsys.readouterr().out

    monkeypatch.setattr(pack_files, "libreoffice", lambda: None)
    assert main(["pack", str(register), str(reviews), "--year", "2024", "--out", str(tmp_path / "x.pdf")]) == 2
    err = capsys.readouterr().err
    assert "LibreOffice" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
