"""How many lines a text wraps to in a cell, from the font's own character widths: the planned pages (the one-page
summaries) measure their rows with it instead of guessing, so a row is as tall as its text and no taller.

The widths are Arial's (Liberation Sans, which LibreOffice prints with, has the same widths by design), in
thousandths of the font size, for the characters PartnerXL's texts use; any other character counts as wide. Lines
break at spaces only (Excel and LibreOffice also break after a hyphen: counting without that can only overestimate).
A column `w` units wide is 7w + 5 pixels on screen (Excel's rule for a 10-point Arial workbook, as XlsxWriter
writes it), less a few pixels of cell margin, at 0.75 points a pixel.
"""

from __future__ import annotations

import functools

ARIAL_REGULAR = dict(zip(  # also documents/xlsx.py's, for the tables it sizes
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~",
    [278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, *[556] * 10, 278, 278, 584,
     584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722,
     667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556,
     222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584]))
_BOLD = dict(zip(
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~",
    [278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, *[556] * 10, 333, 333, 584,
     584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722,
     667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611,
     278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584]))
_OTHER = {"·": 278, "–": 556, "—": 1000, "£": 556, "€": 556, "‘": 222, "’": 222, "“": 333, "”": 333, "…": 1000,
          "•": 350, "→": 1000, "é": 556, "è": 556, "à": 556, "ö": 556, "ü": 556}
_WIDE = 1000          # a character not in the tables (another script, a symbol): counted as wide as an M and more
SAFETY = 1.04         # text set a little wider than measured (kerning, rounding, another renderer)
CELL_MARGIN_PX = 4    # the cell's own margins left and right


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """The width of `text` on one line, in points, at `size` points."""
    table = _BOLD if bold else ARIAL_REGULAR
    return sum(table.get(ch) or _OTHER.get(ch, _WIDE) for ch in text) * size / 1000 * SAFETY


def span_points(widths: list[float]) -> float:
    """The room for text in a cell merged across columns of these widths (units), in points."""
    return max(1.0, (sum(7 * w + 5 for w in widths) - CELL_MARGIN_PX) * 0.75)


def wrapped_lines(text: object, room: float, size: float, *, bold: bool = False) -> int:
    """How many lines `text` takes in `room` points at `size` points, wrapped at spaces (and at its own line
    breaks); a word longer than the room is broken where it reaches the edge, as Excel and LibreOffice do."""
    if text is None or text == "":
        return 1
    return _wrapped(str(text), room, size, bold)


@functools.lru_cache(maxsize=1 << 16)
def _wrapped(text: str, room: float, size: float, bold: bool) -> int:
    # A summary's page is planned many times over as lists are shortened to fit: the same texts are measured
    # again and again, so each answer is kept (a pure function of its arguments).
    space = text_width(" ", size, bold=bold)
    total = 0
    for part in str(text).split("\n"):
        lines, used = 1, 0.0
        for word in part.split(" "):
            w = text_width(word, size, bold=bold)
            if used and used + space + w > room:
                lines, used = lines + 1, 0.0
            if not used and w > room:  # a word wider than the cell runs on over several lines
                extra = int(w // room)
                lines, used = lines + extra, w - extra * room
                continue
            used += (space if used else 0.0) + w
        total += lines
    return total
