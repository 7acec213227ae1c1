"""The e-mail drafts: one unsent draft (.eml, RFC 5322) per summary, addressed to the lead officer.

Which summaries get a draft is decided by `operations.email_drafts`; this module builds and names the files.

Built with the standard library's `email` package. `X-Unsent: 1` makes Outlook open the file as an editable draft;
nothing is ever sent. A summary is matched to its register entry by the partnership id stored in the summary's
document properties (written by summaries.py), falling back to the file name. The MIME boundary is derived from
the content so that running twice writes identical files.
"""

from __future__ import annotations

import hashlib
import re
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr
from pathlib import Path

from partnerxl.core.errors import PartnerXLError
from partnerxl.core.models import RegisterEntry
from partnerxl.files.names import inside
from partnerxl.files.writing import check_not_open

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
SUMMARY_NAME = re.compile(r"^Summary (?P<id>.+) (?P<year>\d{4})\.xlsx$")



def summary_identity(path: Path) -> tuple[str, int] | None:
    """(partnership id, year) of a summary workbook: from its document properties, else from its file name."""
    import zipfile
    from xml.etree import ElementTree as ET

    try:
        with zipfile.ZipFile(path) as z:
            core = ET.fromstring(z.read("docProps/core.xml"))
        ns = {"dc": "http://purl.org/dc/elements/1.1/"}
        ident = core.findtext("dc:identifier", namespaces=ns)
        subject = core.findtext("dc:subject", namespaces=ns)
        if ident and subject and subject.strip().isdigit():
            return ident.strip(), int(subject)
    except (OSError, KeyError, zipfile.BadZipFile, ET.ParseError):
        pass
    m = SUMMARY_NAME.match(path.name)
    return (m["id"], int(m["year"])) if m else None


def build_draft(entry: RegisterEntry, year: int, attachment: bytes, filename: str, sender: str | None = None) -> bytes:
    msg = EmailMessage(policy=SMTP)
    msg["X-Unsent"] = "1"
    msg["To"] = formataddr((_one_line(entry.lead_officer or ""), entry.lead_officer_email.strip()))
    if sender:
        msg["From"] = sender
    msg["Subject"] = f"{_one_line(entry.name)}: annual partnership review summary {year}"
    greeting = f"Dear {entry.lead_officer}," if entry.lead_officer else "Hello,"
    msg.set_content(
        f"{greeting}\n\n"
        f"Please find attached the annual review summary for {entry.name} ({entry.id}) for {year}: the scores, "
        "what is working well, the priority benchmarks with possible actions, the improvement plan and the "
        "recommendation.\n\n"
        "Please check the actions and owners with the partners and let us know of any corrections before the "
        "summary goes to committee.\n\n"
        "Thank you.\n")
    msg.add_attachment(attachment, maintype=XLSX_TYPE[0], subtype=XLSX_TYPE[1], filename=filename)
    digest = hashlib.sha256(attachment + str(msg["Subject"]).encode()).hexdigest()[:32]
    msg.set_boundary(f"=_partnerxl_{digest}")
    return msg.as_bytes()


def _one_line(text: str) -> str:
    return " ".join(text.split())


def summary_files(summaries_dir: Path, out_dir: Path) -> list[Path]:
    """The summary workbooks in `summaries_dir`, refusing before anything is written if a draft is open in Excel."""
    if not summaries_dir.is_dir():
        raise PartnerXLError("is not a folder. Give the folder the summaries were written to.", file=str(summaries_dir))
    files = sorted(p for p in summaries_dir.glob("*.xlsx") if not p.name.startswith(("~$", ".~")))
    for p in files:
        check_not_open(draft_path(out_dir, p))
    return files


def draft_path(out_dir: Path, summary: Path) -> Path:
    return inside(out_dir, summary.with_suffix(".eml").name)
