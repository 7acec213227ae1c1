"""PDFs of written workbooks, printed by LibreOffice headless, several in one run, each beside its workbook.

For the summaries (`summaries.print_summaries`): the e-mail drafts attach `Summary … .pdf` when it is there. The
PDF is made reproducible as the workbooks are: LibreOffice stamps the print time and a random document id into
the file; both are replaced by values of the same length (from the workbook's own date and the PDF's content), so
the cross-reference offsets stay right and a rerun writes the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from partnerxl.core.errors import PartnerXLError
from partnerxl.storage.writing import atomic_write_bytes


def libreoffice() -> str | None:
    """LibreOffice's command, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def print_pdfs(workbooks: list[Path], stamp: dt.datetime, *, timeout: int = 600) -> list[Path]:
    """Print each workbook to `<same name>.pdf` beside it, in one LibreOffice run with a private profile (a
    LibreOffice window the officer has open is not disturbed); PartnerXLError when LibreOffice is missing or fails."""
    exe = libreoffice()
    if exe is None:
        raise PartnerXLError("LibreOffice is needed to print the PDFs and was not found.")
    if not workbooks:
        return []
    with tempfile.TemporaryDirectory(prefix="partnerxl-print-") as tmp:
        work = Path(tmp)
        cmd = [exe, f"-env:UserInstallation=file://{work / 'profile'}", "--headless", "--convert-to", "pdf",
               "--outdir", str(work / "out"), *map(str, workbooks)]
        try:
            subprocess.run(cmd, check=True, capture_output=True, timeout=timeout)
        except (subprocess.SubprocessError, OSError) as exc:
            raise PartnerXLError(f"LibreOffice could not print the PDFs ({type(exc).__name__}). Close any "
                                 "LibreOffice window and run again.") from None
        written = []
        for book in workbooks:
            made = work / "out" / (book.stem + ".pdf")
            if not made.is_file():
                raise PartnerXLError("LibreOffice printed no PDF of it. Run again; if it fails again, open it in "
                                     "Excel and save it as PDF.", file=str(book))
            written.append(atomic_write_bytes(book.with_suffix(".pdf"), reproducible(made.read_bytes(), stamp)))
        return written


def reproducible(pdf: bytes, stamp: dt.datetime) -> bytes:
    """`pdf` with its print time, document id and checksum replaced by fixed values of the same length."""
    when = stamp.strftime("%Y%m%d%H%M%S").encode()

    def date(m: re.Match) -> bytes:
        old = m.group(2)
        return m.group(1) + (when + old[len(when):] if len(old) >= len(when) else when[:len(old)])

    out = re.sub(rb"(/(?:CreationDate|ModDate)\s*\(D:)([0-9]+)", date, pdf)
    body = re.sub(rb"/ID\s*\[.*?\]|/DocChecksum\s*/[0-9A-Fa-f]+", b"", out, flags=re.S)
    digest = hashlib.md5(body).hexdigest().upper().encode()  # noqa: S324 - an id, not security

    def ident(m: re.Match) -> bytes:
        return re.sub(rb"<[0-9A-Fa-f]+>", lambda h: b"<" + digest[:len(h.group(0)) - 2] + b">", m.group(0))

    out = re.sub(rb"/ID\s*\[.*?\]", ident, out, flags=re.S)
    return re.sub(rb"(/DocChecksum\s*/)([0-9A-Fa-f]+)", lambda m: m.group(1) + digest[:len(m.group(2))], out)
