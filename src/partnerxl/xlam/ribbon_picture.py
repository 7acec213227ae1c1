"""Draw a picture of the PartnerXL ribbon tab from its ribbon XML (docs/img/ribbon.png).

    pip install pillow        # only needed for this picture, not by PartnerXL or its tests
    python -m partnerxl.xlam.ribbon_picture [addin/src/customUI.xml] [docs/img/ribbon.png]

The tab, groups, button labels and the first button's screentip and supertip come from the XML, so the picture
follows the ribbon when it changes. Office's own icons cannot be used outside Office: each imageMso name the ribbon
uses is drawn as a simple look-alike (unknown names get a plain tile). It is a mock-up in the style of Excel's
ribbon, not a screenshot.
"""

from __future__ import annotations

import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from defusedxml import ElementTree as SafeET

S = 2  # drawn at twice the size, for sharp text on high-resolution screens
GREEN = (33, 115, 70)
GREY_TEXT = (96, 96, 96)
LINE = (214, 214, 214)
INK = (38, 38, 38)
BUILT_IN_TABS = ["File", "Home", "Insert", "Page Layout", "Formulas", "Data", "Review", "View"]
FONT_DIRS = ["/usr/share/fonts/truetype/liberation2", "/usr/share/fonts/truetype/liberation",
             "/usr/share/fonts/truetype/dejavu", "C:/Windows/Fonts", "/Library/Fonts", "/System/Library/Fonts"]


def _font(size: int, bold: bool = False):
    from PIL import ImageFont

    names = (["LiberationSans-Bold.ttf", "DejaVuSans-Bold.ttf", "arialbd.ttf", "Arial Bold.ttf"] if bold else
             ["LiberationSans-Regular.ttf", "DejaVuSans.ttf", "arial.ttf", "Arial.ttf"])
    for folder in FONT_DIRS:
        for name in names:
            path = Path(folder) / name
            if path.exists():
                return ImageFont.truetype(str(path), size * S)
    return ImageFont.load_default(size * S)


def read_ribbon(xml_path: Path) -> dict:
    root = SafeET.fromstring(Path(xml_path).read_bytes())
    ns = root.tag.split("}")[0] + "}"
    tab = next(root.iter(ns + "tab"))
    groups = []
    for group in tab.iter(ns + "group"):
        buttons = [{k: b.get(k, "") for k in ("id", "label", "imageMso", "screentip", "supertip")}
                   for b in group.iter(ns + "button")]
        groups.append({"label": group.get("label", ""), "buttons": buttons})
    return {"label": tab.get("label", ""), "groups": groups}


# --- icons (32 x 32 logical pixels), look-alikes of the Office icons named by imageMso ----------------------------

def _icon(draw, name: str, x: int, y: int) -> None:
    def r(x0, y0, x1, y1, **kw):
        draw.rectangle([(x + x0) * S, (y + y0) * S, (x + x1) * S, (y + y1) * S], **kw)

    def ln(points, fill, width=2):
        draw.line([((x + px) * S, (y + py) * S) for px, py in points], fill=fill, width=width * S, joint="curve")

    def grid(x0, y0, x1, y1, rows, cols, head=None):
        r(x0, y0, x1, y1, fill="white", outline=(110, 110, 110), width=S)
        if head:
            r(x0, y0, x1, y0 + (y1 - y0) / rows, fill=head)
        for i in range(1, rows):
            yy = y0 + (y1 - y0) * i / rows
            ln([(x0, yy), (x1, yy)], (150, 150, 150), 1)
        for j in range(1, cols):
            xx = x0 + (x1 - x0) * j / cols
            ln([(xx, y0), (xx, y1)], (150, 150, 150), 1)

    def page(x0, y0, x1, y1):
        fold = 7
        draw.polygon([((x + px) * S, (y + py) * S) for px, py in
                      [(x0, y0), (x1 - fold, y0), (x1, y0 + fold), (x1, y1), (x0, y1)]],
                     fill="white", outline=(110, 110, 110), width=S)
        ln([(x1 - fold, y0), (x1 - fold, y0 + fold), (x1, y0 + fold)], (110, 110, 110), 1)

    if name == "DataValidation":
        grid(2, 4, 26, 26, 4, 3)
        ln([(14, 20), (19, 26), (30, 11)], GREEN, 3)
    elif name == "CalculateNow":
        r(6, 2, 26, 30, fill=(235, 235, 235), outline=(100, 100, 100), width=S)
        r(9, 5, 23, 11, fill=(200, 225, 205), outline=(110, 110, 110), width=S)
        for i in range(3):
            for j in range(3):
                r(9 + j * 5, 14 + i * 5, 12 + j * 5, 17 + i * 5, fill=(90, 90, 90))
    elif name == "ImportExcel":
        grid(8, 2, 30, 24, 4, 3)
        r(1, 14, 15, 29, fill=GREEN)
        ln([(4, 17), (12, 26)], "white", 2)
        ln([(12, 17), (4, 26)], "white", 2)
        ln([(18, 28), (27, 28)], (50, 100, 190), 2)
        draw.polygon([((x + px) * S, (y + py) * S) for px, py in [(16, 28), (20, 24), (20, 32)]], fill=(50, 100, 190))
    elif name == "PivotTableInsert":
        grid(2, 4, 30, 28, 5, 4)
        r(2, 4, 30, 8.8, fill=(190, 215, 240), outline=(110, 110, 110), width=S)
        r(2, 4, 9, 28, fill=(190, 215, 240), outline=(110, 110, 110), width=S)
    elif name == "TextBoxInsert":
        page(5, 2, 27, 30)
        for i, w in enumerate([16, 12, 16, 10]):
            ln([(9, 12 + i * 4.5), (9 + w, 12 + i * 4.5)], (120, 120, 120), 1)
        draw.text(((x + 9) * S, (y + 2) * S), "A", font=_font(9, True), fill=(50, 100, 190))
    elif name == "FileSendAsAttachment":
        r(2, 8, 28, 26, fill=(255, 246, 210), outline=(150, 120, 40), width=S)
        ln([(2, 8), (15, 18), (28, 8)], (150, 120, 40), 1)
        ln([(24, 2), (24, 14), (29, 14), (29, 4)], (90, 90, 90), 1)
    elif name in ("ReplyAll", "FileSaveAsPdfOrXps", "FileNew"):
        _icon_more(draw, name, x, y, page=page, ln=ln, r=r)
    else:
        r(4, 4, 28, 28, fill=(220, 230, 240), outline=(110, 110, 110), width=S)


def _icon_more(draw, name: str, x: int, y: int, *, page, ln, r) -> None:
    """The look-alikes of the Chase responses, Committee pack and New review buttons (`_icon`'s drawing helpers)."""
    if name == "FileNew":
        page(6, 2, 26, 30)
        draw.ellipse([(x + 18) * S, (y + 19) * S, (x + 30) * S, (y + 31) * S], fill=(240, 180, 40))
        ln([(24, 21), (24, 29)], "white", 2)
        ln([(20, 25), (28, 25)], "white", 2)
    elif name == "ReplyAll":
        ln([(28, 24), (28, 18), (14, 18)], (60, 110, 190), 2)
        ln([(14, 10), (6, 18), (14, 26)], (60, 110, 190), 2)
        ln([(10, 10), (2, 18), (10, 26)], (60, 110, 190), 1)
    else:
        page(6, 2, 26, 30)
        r(4, 16, 22, 26, fill=(200, 40, 40), outline=(150, 20, 20), width=S)
        draw.text(((x + 6) * S, (y + 17) * S), "PDF", font=_font(7, True), fill="white")


# --- layout ------------------------------------------------------------------------------------------------------

def _wrap_label(draw, label: str, font, max_width: int) -> list[str]:
    """Excel breaks a large button's label onto two lines at a space."""
    words = label.split()
    if len(words) < 2:
        return [label]
    best = min(range(1, len(words)), key=lambda i: max(draw.textlength(" ".join(words[:i]), font=font),
                                                         draw.textlength(" ".join(words[i:]), font=font)))
    return [" ".join(words[:best]), " ".join(words[best:])]


@dataclass(frozen=True)
class _Fonts:
    tab: Any
    label: Any
    group: Any
    tip_title: Any
    tip: Any


TABS_H, BODY_H = 30, 98  # heights of the tab strip and the ribbon body


def _layout(ribbon: dict, probe, fonts: _Fonts) -> tuple[list, float]:
    """(x, width, group, [(x, width, label lines, button)]) of every group, and the x after the last one."""
    layout = []
    x = 8
    for group in ribbon["groups"]:
        cols = []
        for b in group["buttons"]:
            label_lines = _wrap_label(probe, b["label"], fonts.label, 90)
            w = max(44, max(probe.textlength(t, font=fonts.label) for t in label_lines) / S + 12)
            cols.append((x, w, label_lines, b))
            x += w + 2
        gw = max(x - cols[0][0], probe.textlength(group["label"], font=fonts.group) / S + 16)
        layout.append((cols[0][0], gw, group, cols))
        x = cols[0][0] + gw + 9
    return layout, x


def _draw_tabs(d, label: str, fonts: _Fonts) -> None:
    tx = 10
    for name in BUILT_IN_TABS + [label]:
        w = d.textlength(name, font=fonts.tab) / S + 20
        selected = name == label
        if selected:
            d.rectangle([tx * S, 4 * S, (tx + w) * S, TABS_H * S], fill="white", outline=LINE, width=S)
            d.rectangle([(tx + 1) * S, (TABS_H - 1) * S, (tx + w - 1) * S, (TABS_H + 1) * S], fill="white")
            d.rectangle([(tx + 6) * S, (TABS_H - 4) * S, (tx + w - 6) * S, (TABS_H - 2) * S], fill=GREEN)
        d.text(((tx + 10) * S, 10 * S), name, font=fonts.tab, fill=GREEN if selected else INK)
        tx += w + 2


def _draw_body(d, layout: list, *, width: int, tip: dict, fonts: _Fonts) -> tuple | None:
    """The groups and buttons; returns the highlighted `tip` button's rectangle (None if it is not drawn)."""
    top = TABS_H
    d.rectangle([0, top * S, width * S, (top + BODY_H) * S], fill="white", outline=LINE, width=S)
    selected_rect = None
    for gx, gw, group, cols in layout:
        for bx, bw, label_lines, b in cols:
            if b is tip:
                selected_rect = (bx, top + 4, bx + bw, top + 76)
                d.rectangle([bx * S, (top + 4) * S, (bx + bw) * S, (top + 76) * S], fill=(225, 238, 229),
                            outline=(170, 205, 180), width=S)
            _icon(d, b["imageMso"], int(bx + bw / 2 - 16), top + 8)
            for i, text in enumerate(label_lines):
                tw = d.textlength(text, font=fonts.label) / S
                d.text(((bx + bw / 2 - tw / 2) * S, (top + 44 + i * 14) * S), text, font=fonts.label, fill=INK)
        lw = d.textlength(group["label"], font=fonts.group) / S
        d.text(((gx + gw / 2 - lw / 2) * S, (top + BODY_H - 17) * S), group["label"], font=fonts.group,
               fill=GREY_TEXT)
        sep = gx + gw + 4
        d.line([(sep * S, (top + 6) * S), (sep * S, (top + BODY_H - 6) * S)], fill=LINE, width=S)
    return selected_rect


def _draw_tip(d, tip: dict, tip_lines: list[str], *, x: float, height: int, fonts: _Fonts) -> None:
    """The screentip and supertip as Excel shows them on hover, below the button at `x`."""
    bx = x + 18
    ty = TABS_H + BODY_H + 4
    tw = max(d.textlength(t, font=fonts.tip) for t in tip_lines) / S + 24
    d.rectangle([(bx + 3) * S, (ty + 3) * S, (bx + tw + 3) * S, (ty + height + 3) * S], fill=(215, 215, 215))
    d.rectangle([bx * S, ty * S, (bx + tw) * S, (ty + height) * S], fill="white", outline=(160, 160, 160), width=S)
    d.text(((bx + 12) * S, (ty + 10) * S), tip["screentip"], font=fonts.tip_title, fill=INK)
    for i, text in enumerate(tip_lines):
        d.text(((bx + 12) * S, (ty + 30 + i * 15) * S), text, font=fonts.tip, fill=(70, 70, 70))


def draw_ribbon(ribbon: dict, out: Path) -> Path:
    from PIL import Image, ImageDraw

    fonts = _Fonts(tab=_font(12), label=_font(12), group=_font(11), tip_title=_font(12, True), tip=_font(11))
    layout, right = _layout(ribbon, ImageDraw.Draw(Image.new("RGB", (10, 10))), fonts)
    width = int(max(right + 8, 720))
    tip = ribbon["groups"][0]["buttons"][0]
    tip_lines = textwrap.wrap(tip["supertip"], 58)
    tip_h = 34 + 15 * len(tip_lines)
    height = TABS_H + BODY_H + tip_h + 18

    img = Image.new("RGB", (width * S, height * S), (243, 243, 243))
    d = ImageDraw.Draw(img)
    _draw_tabs(d, ribbon["label"], fonts)
    selected_rect = _draw_body(d, layout, width=width, tip=tip, fonts=fonts)
    if selected_rect:
        _draw_tip(d, tip, tip_lines, x=selected_rect[0], height=tip_h, fonts=fonts)

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    img.save(out, optimize=True)
    return out


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    src = Path(argv[0]) if argv else Path("addin/src/customUI.xml")
    out = Path(argv[1]) if len(argv) > 1 else Path("docs/img/ribbon.png")
    try:
        import PIL  # noqa: F401
    except ImportError:
        print("ribbon_picture: needs Pillow (pip install pillow); PartnerXL itself does not", file=sys.stderr)
        return 2
    print(f"wrote {draw_ribbon(read_ribbon(src), out)}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
