"""`partnerxl email`: one unsent email draft (.eml, RFC 5322) per summary, addressed to the lead officer.

Built with the standard library's `email` package. `X-Unsent: 1` makes Outlook open the file as an editable draft;
nothing is ever sent. A summary is matched to its register entry by the partnership id stored in the summary's
document properties (written by summaries.py), falling back to the file name. The MIME boundary is derived from
the content so that running twice writes identical files.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr
from pathlib import Path

from partnerxl.core.errors import PartnerXLError
from partnerxl.core.models import RegisterEntry
from partnerxl.core.portfolio import valid_email
from partnerxl.files.writing import atomic_write_bytes, check_not_open

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
SUMMARY_NAME = re.compile(r"^Summary (?P<id>.+) (?P<year>\d{4})\.xlsx$")


@dataclass(frozen=True)
class DraftResult:
    summary: Path
    draft: Path | None
    problem: str | None = None


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


def draft_name(summary: Path) -> str:
    return summary.with_suffix(".eml").name


def write_drafts(summaries_dir: Path, entries: list[RegisterEntry], out_dir: Path,
                 sender: str | None = None) -> list[DraftResult]:
    """One draft per summary in `summaries_dir`; a summary whose lead officer email is missing or invalid is
    reported (DraftResult.problem) and skipped."""
    summaries_dir, out_dir = Path(summaries_dir), Path(out_dir)
    if not summaries_dir.is_dir():
        raise PartnerXLError("is not a folder. Give the folder the summaries were written to.", file=str(summaries_dir))
    by_id = {e.id: e for e in entries}
    files = sorted(p for p in summaries_dir.glob("*.xlsx") if not p.name.startswith(("~$", ".~")))
    for p in files:
        check_not_open(out_dir / draft_name(p))
    results: list[DraftResult] = []
    for path in files:
        ident = summary_identity(path)
        if ident is None:
            continue  # not a PartnerXL summary
        pid, year = ident
        entry = by_id.get(pid)
        if entry is None:
            results.append(DraftResult(path, None, f"partnership {pid} is not in the register: draft skipped."))
            continue
        if not valid_email(entry.lead_officer_email):
            why = "has no lead officer email" if not entry.lead_officer_email else \
                f"has an invalid lead officer email '{entry.lead_officer_email}'"
            results.append(DraftResult(path, None, f"{pid} {entry.name} {why} in the register: draft skipped. "
                                                   "Correct the register and run again."))
            continue
        data = build_draft(entry, year, path.read_bytes(), path.name, sender)
        results.append(DraftResult(path, atomic_write_bytes(out_dir / draft_name(path), data)))
    return results


def run_email(summaries_dir: Path, register_path: Path, out_dir: Path) -> list[DraftResult]:
    from partnerxl.files.portfolio_workbook import load_register

    book, _problems = load_register(Path(register_path))
    return write_drafts(summaries_dir, list(book.entries), out_dir)
