"""How large the printed text is, and where it sits: PDFs printed by LibreOffice, measured word by word.

For the print tests (tests/test_print_pack.py, tests/test_print_templates.py). Workbooks are printed with LibreOffice
headless (`to_pdfs`, one run for many files, a private profile); `pages` reads each page's words with their boxes
from poppler's `pdftotext -bbox-layout`.

A word's size in points is its box height over HEIGHT_PER_POINT: poppler makes every word box as tall as the font's
ascent plus descent, which for the fonts LibreOffice embeds is 1.30 times the size (measured: Arial / Liberation
Sans and Calibri's substitute at 7, 8, 9, 10 and 14 pt all give 1.300-1.302). The measure needs no calibration
print, and a sheet shrunk to fit (say 88%) measures 88% of its font size, header and footer included — which is
what the reader holds.

Usage:
    pdfs = to_pdfs([book_a, book_b], tmp_path)          # {source: pdf}
    for page in pages(pdfs[book_a]):
        assert page.body_size() >= 8.9, page.describe()
        assert not page.smaller_than(8.0), page.describe()
        assert not page.outside(), page.describe()
        assert not page.overlapping(), page.describe()
"""

from __future__ import annotations

import html
import re
import shutil
import statistics
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

HEIGHT_PER_POINT = 1.301
# The printable area of a sheet: most printers cannot print within about 4 mm (12 pt) of the paper's edge.
EDGE_PT = 12.0
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_LINE = re.compile(r'<line [^>]*>(.*?)</line>', re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def tools_missing() -> str | None:
    """Why the print tests cannot run here (for pytest.skip), or None."""
    for exe in ("soffice", "pdftotext"):
        if shutil.which(exe) is None:
            return f"{exe} is needed to print and measure the documents"
    return None


def to_pdfs(files: Iterable[Path], outdir: Path, *, timeout: int = 600) -> dict[Path, Path]:
    """Print every workbook in `files` to PDF with one LibreOffice run; {source: pdf}. A .pdf is passed through.
    Sources must have distinct file stems (the PDFs are named after them)."""
    files = [Path(f) for f in files]
    books = [f for f in files if f.suffix.lower() != ".pdf"]
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    if books:
        stems = [b.stem for b in books]
        assert len(set(stems)) == len(stems), f"two workbooks with one name: {stems}"
        subprocess.run(["soffice", f"-env:UserInstallation=file://{outdir / '.lo-profile'}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(outdir), *map(str, books)],
                       check=True, capture_output=True, timeout=timeout)
    made = {f: f if f.suffix.lower() == ".pdf" else outdir / (f.stem + ".pdf") for f in files}
    for src, pdf in made.items():
        assert pdf.is_file(), f"LibreOffice printed no PDF of {src}"
    return made


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    vertical: bool = False   # one of a line of words set one above the other (text turned through 90 degrees)

    @property
    def size(self) -> float:
        """The font size in points as printed (after any shrinking to fit)."""
        return (self.y1 - self.y0) / HEIGHT_PER_POINT

    @property
    def rotated(self) -> bool:
        """A word set vertically (a chart's axis title): in a line of words stacked one above the other, or alone
        with a box much taller than wide. Its box height is its length, not its size, so it is not measured."""
        return self.vertical or (len(self.text) >= 3 and (self.y1 - self.y0) > 1.5 * (self.x1 - self.x0))

    def __str__(self) -> str:
        return f"'{self.text}' {self.size:.1f} pt at ({self.x0:.0f}, {self.y0:.0f})"


@dataclass
class Page:
    number: int
    width: float
    height: float
    words: list[Word] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    def sized(self) -> list[Word]:
        return [w for w in self.words if not w.rotated]

    def body_size(self) -> float:
        """The size most of the page's text is printed at (the median word); 0 for a page without text."""
        sizes = [w.size for w in self.sized()]
        return statistics.median(sizes) if sizes else 0.0

    def smallest(self) -> float:
        sizes = [w.size for w in self.sized()]
        return min(sizes) if sizes else 0.0

    def smaller_than(self, points: float, *, exempt: Callable[[Word], bool] = lambda w: False) -> list[Word]:
        """Words printed below `points` (0.05 pt of measuring slack), except those `exempt` allows."""
        return [w for w in self.sized() if w.size < points - 0.05 and not exempt(w)]

    def outside(self, edge: float = EDGE_PT) -> list[Word]:
        """Words that reach into the strip along the paper's edge no printer prints, or off the paper."""
        return [w for w in self.words if w.x0 < edge or w.y0 < edge or w.x1 > self.width - edge
                or w.y1 > self.height - edge]

    def overlapping(self, *, slack: float = 1.0) -> list[tuple[Word, Word]]:
        """Pairs of words printed over each other (text running into the next cell, questions overprinting)."""
        found = []
        words = sorted(self.sized(), key=lambda w: (w.y0, w.x0))
        for i, a in enumerate(words):
            for b in words[i + 1:]:
                if b.y0 >= a.y1 - slack:
                    break
                # Word boxes are 1.3 times the size tall and lines of text 1.15 times apart: boxes of two lines
                # touch, words of one line (or overprinted lines) share most of their height.
                tall = 0.4 * min(a.y1 - a.y0, b.y1 - b.y0)
                if min(a.x1, b.x1) - max(a.x0, b.x0) > slack and min(a.y1, b.y1) - max(a.y0, b.y0) > tall:
                    found.append((a, b))
        return found

    def describe(self) -> str:
        return (f"page {self.number}: body {self.body_size():.1f} pt, smallest {self.smallest():.1f} pt, "
                f"{len(self.words)} words: {self.text[:160]}…")


def pages(pdf: Path) -> list[Page]:
    """Every page of `pdf` with its words (boxes in points, origin at the top left)."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    found = []
    for number, (width, height, body) in enumerate(_PAGE.findall(out), start=1):
        words = []
        for line in _LINE.findall(body):
            boxes = [(float(a), float(b), float(c), float(d), html.unescape(t).strip())
                     for a, b, c, d, t in _WORD.findall(line)]
            tall = max((y1 for _x0, _y0, _x1, y1, _t in boxes), default=0) - min((y0 for _x0, y0, *_r in boxes),
                                                                                default=0)
            wide = max((x1 for _x0, _y0, x1, *_r in boxes), default=0) - min((x0 for x0, *_r in boxes), default=0)
            vertical = len(boxes) >= 2 and tall > 1.5 * wide
            words += [Word(t, x0, y0, x1, y1, vertical) for x0, y0, x1, y1, t in boxes if t]
        found.append(Page(number, float(width), float(height), words))
    return found


def sizes_report(pdf: Path) -> list[str]:
    """One line a page: body size and smallest size, for a report or a failing assertion."""
    return [f"{Path(pdf).name} page {p.number}: body {p.body_size():.1f} pt, smallest {p.smallest():.1f} pt"
            for p in pages(pdf)]
