"""`operations.pack`: one PDF for committee, or one plain sentence on how to get LibreOffice."""

from __future__ import annotations

import pytest

from partnerxl import operations as ops
from partnerxl.core.errors import PartnerXLError
from partnerxl.files import pack as pack_files


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
