"""The Portfolio writer made cheaper (issue 19): text measured from bytes and remembered, rows streamed to disk.

The row heights must not move (table_lines gives exactly the numbers of the character-by-character version kept
here), and the workbook written with XlsxWriter's constant_memory mode must hold exactly what the in-memory one
held: every cell's value and resolved format, every row height, table, chart, sparkline and print setting.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import tempfile
import zipfile
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from partnerxl.core.findings import finding
from partnerxl.core.portfolio import build_portfolio, score_reviews
from partnerxl.core.settings import Settings
from partnerxl.documents import portfolio_workbook as pw
from partnerxl.documents import xlsx
from partnerxl.documents.sample import review_file_name, sample_models
from partnerxl.sheets import reports as R

# --- the measuring as it was (commit e189d43), character by character -------------------------------------------


def _old_points(text: str, bold: bool) -> float:
    units = sum(xlsx._ARIAL[ord(ch) - 32] if 32 <= ord(ch) <= 126 else 556 for ch in text)
    return units * R.BODY_SIZE / 1000 * (xlsx.BOLD_WIDER if bold else 1.0)


def _old_table_lines(text: Any, width: float, *, bold: bool = False) -> int:
    if text is None or text == "":
        return 1
    room = max(5.0, width * R.POINTS_PER_UNIT - R.CELL_PADDING_PT)
    space = _old_points(" ", bold)
    total = 0
    for part in str(text).split("\n"):
        lines, used = 1, 0.0
        for word in part.split(" "):
            w = _old_points(word, bold)
            if used and used + space + w > room:
                lines, used = lines + 1, 0.0
            while w > room:
                lines, w = lines + 1, w - room
            used += (space if used else 0.0) + w
        total += lines
    return total


_PIECES = ["a", "e", "i", "W", "m", "@", "1", ".", "l", "'", "~", " ", " ", " ", "  ", "\n", "\t", "\r", "\x00",
           "\x7f", "é", "ß", "中", "😀", "e\u0301", "\u200b", "\ud800", "–", "_x0041_", "Supercalifragilistic",
           "WWWWWWWWWWWWWWWWWWWW", "partnership", "council's", "=HYPERLINK(\"x\")"]
_WIDTHS = [0, 1, 2.5, 6, 9, 12, 15.7, 21, 30, 42.0, 70, 120]


def _texts(n: int, seed: int = 19) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(n):
        size = rng.choice([1, 2, 5, 12, 40, 90, 200])
        texts.append("".join(rng.choice(_PIECES) for _ in range(size)))
    return texts


def _at_the_edge(texts: list[str]) -> list[tuple[str, float]]:
    """(text, width) where the text, or its first words, fill the cell to the last point: where a rounding in a
    new sum would give another answer."""
    out = []
    for t in texts:
        for part in t.split("\n")[:1]:
            words = part.split(" ")
            for k in range(1, min(len(words), 4) + 1):
                points = _old_points(" ".join(words[:k]), False)
                for nudge in (-1e-9, 0.0, 1e-9):
                    out.append((t, (points + R.CELL_PADDING_PT) / R.POINTS_PER_UNIT + nudge))
    return out


def test_table_lines_gives_exactly_the_old_numbers():
    texts = _texts(3000) + ["", " ", "\n", "\n\n", "x" * 5000, ("word " * 300).strip(), "a\n" * 50, "中" * 700]
    cases = [(t, w) for t in texts for w in _WIDTHS[::3]] + [(t, w) for t in texts[:300] for w in _WIDTHS]
    cases += _at_the_edge(texts[:400])
    cases += [(None, 10), ("", 10), (3, 1), (2.5, 0), (12345678901234567890, 2), (dt.date(2025, 3, 31), 3)]
    xlsx._wrapped_lines.cache_clear()
    for bold in (False, True):
        for _round in range(2):   # the second time from the cache
            assert [xlsx.table_lines(t, w, bold=bold) for t, w in cases] == \
                [_old_table_lines(t, w, bold=bold) for t, w in cases]
    assert any(xlsx.table_lines(t, w) > 1 for t, w in cases) and any(xlsx.table_lines(t, w) == 1 for t, w in cases)


def test_text_points_is_unchanged():
    for text in _texts(500, seed=7) + ["", "?", "\x7f", "\x1f"]:
        for bold in (False, True):
            assert xlsx.text_points(text, bold=bold) == _old_points(text, bold)
    # every character outside printable ASCII is replaced by '?' before it is measured: as wide as a digit
    assert xlsx._BYTE_WIDTHS[ord("?")] == 556 and len(xlsx._BYTE_WIDTHS) == 128


# --- the workbook: streamed against kept in memory ---------------------------------------------------------------

AS_OF = dt.date(2025, 3, 31)
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@pytest.fixture(scope="module")
def portfolio():
    m = sample_models()
    settings = Settings()
    scored = score_reviews([(review_file_name(r), r) for r in m.reviews], settings)
    entries = list(m.entries)
    # Text an inline string must carry as a shared one did: edge spaces, a control character, an escape look-alike.
    entries[0] = entries[0].model_copy(update={"name": "  Lead\tspace _x0041_ café 中 "})
    problems = [finding("file-not-used", f"Review {i}.xlsx", value=".xlsx", detail="x" * (i * 40)) for i in range(6)]
    return build_portfolio(entries, scored, 2024, AS_OF, settings, problems=problems)


@pytest.fixture(scope="module")
def written(portfolio, tmp_path_factory):
    folder = tmp_path_factory.mktemp("portfolio_writer")
    real_book = pw.Book

    def write(name: str, *, streamed: bool = True) -> Path:
        if not streamed:
            pw.Book = lambda *a, scratch=None, **k: real_book(*a, **k)
        try:
            return pw.write_portfolio(portfolio, folder / name)
        finally:
            pw.Book = real_book

    return write("streamed.xlsx"), write("again.xlsx"), write("in_memory.xlsx", streamed=False)


def _shared_strings(z: zipfile.ZipFile) -> list[Any]:
    if "xl/sharedStrings.xml" not in z.namelist():
        return []
    return list(ET.fromstring(z.read("xl/sharedStrings.xml")).findall(f"{_NS}si"))


def _cell_formats(z: zipfile.ZipFile) -> list[str]:
    """Each cell format (xf) spelled out with its font, fill, border and number format, not by index: XlsxWriter
    numbers the formats in the order cells first use them, which streaming changes."""
    root = ET.fromstring(z.read("xl/styles.xml"))
    codes = {f.get("numFmtId"): f.get("formatCode") for f in root.iter(f"{_NS}numFmt")}
    parts = {name: [ET.tostring(x) for x in root.find(f"{_NS}{name}s")] for name in ("font", "fill", "border")}
    out = []
    for xf in root.find(f"{_NS}cellXfs"):
        a = dict(xf.attrib)
        a["numFmtId"] = codes.get(a["numFmtId"], a["numFmtId"])
        for name in ("font", "fill", "border"):
            a[f"{name}Id"] = parts[name][int(a[f"{name}Id"])]
        out.append(repr(sorted(a.items())) + "".join(ET.tostring(c).decode() for c in xf))
    return out


def _what_shows(path: Path) -> dict[str, bytes]:
    """Every part of the file, its sheets with shared strings written in place, formats spelled out and the
    optional row spans dropped: what Excel and LibreOffice show and print."""
    z = zipfile.ZipFile(path)
    strings, formats = _shared_strings(z), _cell_formats(z)
    styles = ET.fromstring(z.read("xl/styles.xml"))
    parts = {"dxfs": ET.tostring(styles.find(f"{_NS}dxfs"))}
    for name in z.namelist():
        if name in ("xl/sharedStrings.xml", "xl/styles.xml"):
            continue
        data = z.read(name)
        if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name):
            root = ET.fromstring(data)
            for el in root.iter():
                el.attrib.pop("spans", None)
                if "s" in el.attrib and el.tag in (f"{_NS}c", f"{_NS}row", f"{_NS}col"):
                    el.set("s", formats[int(el.get("s"))])
                if el.tag == f"{_NS}c" and el.get("t") == "s":
                    v = el.find(f"{_NS}v")
                    el.remove(v)
                    el.set("t", "inlineStr")
                    ET.SubElement(el, f"{_NS}is").extend(list(strings[int(v.text)]))
            data = ET.tostring(root)
        parts[name] = data
    return parts


def test_streamed_portfolio_shows_exactly_what_the_in_memory_one_did(written):
    streamed, _again, in_memory = written
    shown, before = _what_shows(streamed), _what_shows(in_memory)
    assert sorted(shown) == sorted(before)
    assert [n for n in shown if shown[n] != before[n]] == []
    # and the streaming did happen: the big sheets' text is written in the cells, not in the shared strings
    sheet = zipfile.ZipFile(streamed).read("xl/worksheets/sheet3.xml")
    assert b't="inlineStr"' in sheet and b't="s"' not in sheet
    assert zipfile.ZipFile(streamed).read("xl/tables/table1.xml") == zipfile.ZipFile(in_memory).read(
        "xl/tables/table1.xml")


def test_streamed_portfolio_reads_back_the_same_and_is_reproducible(written):
    streamed, again, in_memory = written
    a, b = CalamineWorkbook.from_path(str(streamed)), CalamineWorkbook.from_path(str(in_memory))
    assert a.sheet_names == b.sheet_names and len(a.sheet_names) == 7
    for name in a.sheet_names:
        assert a.get_sheet_by_name(name).to_python() == b.get_sheet_by_name(name).to_python(), name
    names = [r[1] for r in a.get_sheet_by_name(R.SHEET_PORTFOLIO).to_python()]
    assert "  Lead\tspace _x0041_ café 中 " in names
    assert streamed.read_bytes() == again.read_bytes()


def test_the_scratch_folder_is_in_the_output_folder_and_gone_after(portfolio, tmp_path, monkeypatch):
    """Nothing is written outside the output's folder (not even in the system's temporary folder), and the
    output's folder holds only the workbook afterwards; a scratch folder left by a run killed outright is swept
    by a later write once it is an hour old, as a temporary file is."""
    import os
    import time

    from partnerxl.storage.writing import TEMP_PREFIX, remove_stale_temp_files

    system_temp = tmp_path / "system temp"
    system_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_temp))
    out = tmp_path / "out"
    seen: list[list[str]] = []
    real_save = xlsx.Book.save

    def save(book, path):  # what the output's folder holds while the book is being written
        seen.append(sorted(p.name for p in out.iterdir()))
        return real_save(book, path)

    monkeypatch.setattr(xlsx.Book, "save", save)
    pw.write_portfolio(portfolio, out / "Portfolio.xlsx")
    assert len(seen[0]) == 1 and seen[0][0].startswith(TEMP_PREFIX)
    assert list(system_temp.iterdir()) == []
    assert [p.name for p in out.iterdir()] == ["Portfolio.xlsx"]
    left, kept = out / f"{TEMP_PREFIX}killed", out / f"{TEMP_PREFIX}an officer's"
    for folder, name in ((left, "tmpk3l_x9q2"), (kept, "notes.docx")):
        folder.mkdir()
        (folder / name).write_text("x")
        os.utime(folder, (time.time() - 7200, time.time() - 7200))
    assert remove_stale_temp_files(out) == [left] and not left.exists() and (kept / "notes.docx").exists()


def test_other_books_stay_in_memory():
    book = xlsx.Book(dt.datetime(2025, 3, 31, 12), title="t")
    assert book.wb.in_memory and not book.wb.constant_memory
    ws = book.sheet("S", streamed=False)
    assert not ws.constant_memory


def test_a_book_is_written_the_same_whatever_was_written_before_it(tmp_path):
    """XlsxWriter adds to the default format properties it is given: shared between books, every book after the
    first in a process wrote its default font differently (a summary from a worker's second task differed from
    its first). In a fresh process, as a command runs."""
    import subprocess
    import sys

    code = ("import datetime as dt, sys\nfrom pathlib import Path\nfrom partnerxl.documents import xlsx\n"
            "for name in sys.argv[1:]:\n"
            "    book = xlsx.Book(dt.datetime(2025, 3, 31), title='t')\n"
            "    xlsx.put(book.sheet('S'), 0, 0, 'text')\n"
            "    book.save(Path(name))\n")
    names = [str(tmp_path / f"{i}.xlsx") for i in range(3)]
    subprocess.run([sys.executable, "-c", code, *names], check=True, timeout=120)
    assert len({Path(n).read_bytes() for n in names}) == 1
