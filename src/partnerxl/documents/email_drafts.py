"""The e-mail drafts: one unsent draft (.eml, RFC 5322) per summary, addressed to the lead officer.

Which summaries get a draft is decided by `operations.email_drafts`; this module builds and names the files.

Built with the standard library's `email` package; every name, address and subject is written into its header by
documents/mail_headers.py (international addresses, names as text, folded lines). `X-Unsent: 1` makes Outlook open
the file as an editable draft; nothing is ever sent. A summary is matched to its register entry by the partnership id stored in the summary's
document properties (written by summaries.py), falling back to the file name. The MIME boundary is derived from
the content so that running twice writes identical files.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from partnerxl.core.errors import PartnerXLError
from partnerxl.core.models import RegisterEntry
from partnerxl.documents.mail_headers import new_draft, one_line
from partnerxl.storage.names import inside
from partnerxl.storage.writing import check_not_open

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
PDF_TYPE = ("application", "pdf")
SUMMARY_NAME = re.compile(r"^Summary (?P<id>.+) (?P<year>\d{4})\.xlsx$")



def summary_facts(path: Path) -> dict[str, str]:
    """The document properties of a summary: its own (dc:…) and PartnerXL's custom ones (the draft's facts)."""
    import zipfile
    from xml.etree import ElementTree as ET

    facts: dict[str, str] = {}
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            core = ET.fromstring(z.read("docProps/core.xml"))
            custom = ET.fromstring(z.read("docProps/custom.xml")) if "docProps/custom.xml" in names else None
    except (OSError, KeyError, zipfile.BadZipFile, ET.ParseError):
        return facts
    dc = "{http://purl.org/dc/elements/1.1/}"
    for tag in ("identifier", "subject"):
        text = core.findtext(dc + tag)
        if text:
            facts[tag] = text.strip()
    for prop in custom if custom is not None else []:
        value = "".join(prop.itertext()).strip()
        if prop.get("name") and value:
            facts[prop.get("name")] = value
    for key in [k for k in facts if not k.endswith(")")]:  # long values are kept in parts: "Key", "Key (2)", …
        part = 2
        while f"{key} ({part})" in facts:
            facts[key] += facts.pop(f"{key} ({part})")
            part += 1
    return facts


def summary_identity(path: Path) -> tuple[str, int] | None:
    """(partnership id, year) of a summary workbook: from its document properties, else from its file name."""
    facts = summary_facts(path)
    ident = facts.get("PartnerXL partnership") or facts.get("identifier")
    year = facts.get("PartnerXL year") or facts.get("subject", "")
    if ident and year.isdigit():
        return ident, int(year)
    m = SUMMARY_NAME.match(path.name)
    return (m["id"], int(m["year"])) if m else None


def _body(entry: RegisterEntry, year: int, facts: dict[str, str], *, pdf: bool = False) -> str:
    """The draft's words: the summary's own counts and phrases (summaries.py's draft_facts), the overdue and unowned
    actions and the flags by name, and when corrections are due and the committee meets."""
    greeting = f"Dear {one_line(entry.lead_officer)}," if one_line(entry.lead_officer) else "Hello,"
    attached = "as a PDF to read and as the workbook" if pdf else "as a workbook"
    lines = [greeting, "", f"Please find attached the annual review summary for {entry.name} ({entry.id}) for "
             f"{year}, {attached}.", ""]
    for label, key in (("Overall rating", "Overall rating"), ("Direction of travel", "Direction"),
                       ("Responses", "Responses"), ("Recommendation", "Recommendation"),
                       ("Priority benchmarks", "Priority benchmarks"), ("Key actions", "Key actions")):
        if facts.get(key):
            lines.append(f"{label}: {facts[key]}")
    lines += _listed("Overdue actions", facts.get("Overdue actions")) + _listed(
        "Actions with no owner", facts.get("Unowned actions")) + _listed("Portfolio flags", facts.get("Flags"))
    when = facts.get("Corrections by") or facts.get("Reply by")  # "Reply by": what older summaries hold
    check = ("Please check the summary, and the actions and their owners, with the partners and send any "
             "corrections" + (f" by {when}" if when else "") + ", before the summary goes to "
             + (facts["Committee"] if facts.get("Committee") else "committee") + ".")
    lines += ["", check, "", "Thank you.", ""]
    if facts.get("Sender"):
        lines.append(facts["Sender"])
    if facts.get("Signature"):
        lines.append(facts["Signature"])
    if facts.get("Council") and facts["Council"] not in facts.get("Signature", ""):
        lines.append(facts["Council"])
    return "\n".join(lines).rstrip() + "\n"


def _listed(heading: str, text: str | None) -> list[str]:
    """A heading and one line per item ('- …'), or nothing when there is none."""
    items = [line for line in (text or "").split("\n") if line.strip()]
    return ["", f"{heading}:", *(f"- {line}" for line in items)] if items else []


def build_draft(entry: RegisterEntry, year: int, attachment: bytes, filename: str, sender: str | None = None,
                *, facts: dict[str, str] | None = None, pdf: bytes | None = None) -> bytes:
    """An unsent draft to the lead officer: the rating, recommendation, counts and reply-by date in the subject
    and body, the summary attached (and its PDF when there is one)."""
    facts = facts or {}
    rating = facts.get("Overall rating", "").split(" (")[-1].rstrip(")").split(", ")[-1]
    verdict = facts.get("Recommendation", "").split(":")[0]
    when = facts.get("Corrections by") or facts.get("Reply by")
    extra = " · ".join(x for x in (f"rated {rating}" if rating else "", verdict,
                                   f"corrections by {when}" if when else "") if x)
    msg = new_draft(entry.lead_officer, entry.lead_officer_email or "", f"{one_line(entry.name)}: annual "
                    f"partnership review summary {year}" + (f" ({extra})" if extra else ""), sender)
    msg.set_content(_body(entry, year, facts, pdf=pdf is not None))
    msg.add_attachment(attachment, maintype=XLSX_TYPE[0], subtype=XLSX_TYPE[1], filename=filename)
    if pdf is not None:
        msg.add_attachment(pdf, maintype=PDF_TYPE[0], subtype=PDF_TYPE[1],
                           filename=Path(filename).with_suffix(".pdf").name)
    digest = hashlib.sha256(attachment + (pdf or b"") + str(msg["Subject"]).encode()).hexdigest()[:32]
    msg.set_boundary(f"=_partnerxl_{digest}")
    return msg.as_bytes()


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
