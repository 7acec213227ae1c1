"""The .xlam zip package: the template's parts, the regenerated ones, the VBA project and the ribbon.

The zip entries are stored (not deflated, so no zlib version can change the bytes) in a fixed order with fixed
timestamps, so the same parts always give the same bytes.
"""

from __future__ import annotations

import io
import re
import zipfile

from partnerxl.xlam.errors import BuildError
from partnerxl.xlam.template import PROJECT_NAME, TEMPLATE_PROJECT_NAME

CT_ADDIN = "application/vnd.ms-excel.addin.macroEnabled.main+xml"
CT_XLSM = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
CT_VBA = "application/vnd.ms-office.vbaProject"
REL_VBA = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
REL_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
REL_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
REL_EXTENDED = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties"

ZIP_DATE = (1980, 1, 1, 0, 0, 0)

# Parts copied from the template unchanged (in this order, after the generated ones).
_TEMPLATE_PARTS = ["docProps/app.xml", "xl/_rels/workbook.xml.rels", "xl/theme/theme1.xml", "xl/styles.xml",
                   "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"]


def _content_types(template: bytes, main_type: str) -> bytes:
    text = template.decode("utf-8")
    text, n = re.subn(r'(<Override PartName="/xl/workbook.xml" ContentType=")[^"]*(")', rf"\g<1>{main_type}\g<2>", text)
    if n != 1 or f'PartName="/xl/vbaProject.bin" ContentType="{CT_VBA}"' not in text:
        raise BuildError("the xlwings template's [Content_Types].xml is not as expected")
    return text.encode("utf-8")


def _root_rels(customui_part: str, customui_rel: str) -> bytes:
    rels = [("rId1", REL_OFFICE_DOCUMENT, "xl/workbook.xml"), ("rId2", REL_CORE, "docProps/core.xml"),
            ("rId3", REL_EXTENDED, "docProps/app.xml"), ("rId4", customui_rel, customui_part)]
    body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{p}"/>' for i, t, p in rels)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f"{body}</Relationships>").encode("utf-8")


def _core_xml(xlwings_version: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/">'
            "<dc:title>PartnerXL</dc:title>"
            "<dc:subject>Partnership governance for councils</dc:subject>"
            "<dc:creator>PartnerXL</dc:creator>"
            f"<dc:description>PartnerXL Excel add-in, built by partnerxl addin build with xlwings {xlwings_version}."
            "</dc:description>"
            "</cp:coreProperties>").encode("utf-8")


def _workbook_xml(template: bytes) -> bytes:
    text = template.decode("utf-8")
    old, new = f'<sheet name="_{TEMPLATE_PROJECT_NAME}.conf"', f'<sheet name="_{PROJECT_NAME}.conf"'
    if text.count(old) != 1:
        raise BuildError(f"the xlwings template's workbook has no _{TEMPLATE_PROJECT_NAME}.conf sheet")
    text = text.replace(old, new)
    # The template records the folder it was last saved in (x15ac:absPath); it means nothing here.
    text = re.sub(r"<mc:AlternateContent [^>]*><mc:Choice Requires=\"x15\"><x15ac:absPath [^>]*/></mc:Choice>"
                  r"</mc:AlternateContent>", "", text)
    return text.encode("utf-8")


def package_parts(template: dict[str, bytes], *, main_content_type: str, xlwings_version: str, vba_bin: bytes,
                  customui: tuple[str, str, bytes]) -> list[tuple[str, bytes]]:
    """The add-in's parts in package order; `customui` is the ribbon's (part name, relationship type, XML)."""
    customui_part, customui_rel, ui = customui
    return [
        ("[Content_Types].xml", _content_types(template["[Content_Types].xml"], main_content_type)),
        ("_rels/.rels", _root_rels(customui_part, customui_rel)),
        ("docProps/core.xml", _core_xml(xlwings_version)),
        ("xl/workbook.xml", _workbook_xml(template["xl/workbook.xml"])),
        *[(name, template[name]) for name in _TEMPLATE_PARTS],
        ("xl/vbaProject.bin", vba_bin),
        (customui_part, ui),
    ]


def zip_parts(parts: list[tuple[str, bytes]]) -> bytes:
    """A zip of `parts` in the given order, stored, with fixed timestamps and attributes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_STORED
            info.create_system = 0
            info.external_attr = 0
            zf.writestr(info, data)
    return buf.getvalue()
