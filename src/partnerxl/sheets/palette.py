"""PartnerXL's colours, once, for the templates, the workbooks it writes and the live sheets of the add-in.

Hex RGB without '#' (as openpyxl wants them); `hash_colour` gives xlwings' '#RRGGBB' form.
"""

from __future__ import annotations

HEADER = "1F4E79"        # dark blue header rows, white bold text
HEADER_TEXT = "FFFFFF"
SECTION = "D9E1F2"       # light blue section and area heading rows
TITLE_TEXT = HEADER      # titles and section headings in the dark blue of the header rows
INPUT = "FFF2CC"         # pale yellow: type here
KEY_TEXT = "808080"      # grey helper text (keys, hints)
NO_ANSWER = "F8CBAD"     # conditional highlight for a No answer
ERROR_MARK = "FFC7CE"    # Validate's fill on a cell with an error
WARNING_MARK = "FFEB9C"  # ... and with a warning
RAG = {"Red": "F8696B", "Amber": "FFC000", "Green": "63BE7B"}


def hash_colour(hex_rgb: str) -> str:
    return "#" + hex_rgb
