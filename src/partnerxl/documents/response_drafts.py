"""The chasing e-mails: one unsent draft (.eml) per invited respondent who has not returned their ratings, with
their Response form attached, already filled with the partnership, the year and who they are.

Who is chased is decided by `operations.responses`; this module only builds and names the files. Like the
summaries' drafts (documents/email_drafts.py), `X-Unsent: 1` makes Outlook open the file as an editable draft and
nothing is ever sent, every header is written by documents/mail_headers.py (international addresses, names as text,
folded lines), and the MIME boundary comes from the content, so running twice writes identical files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from partnerxl.core.settings import Settings
from partnerxl.documents.email_drafts import XLSX_TYPE
from partnerxl.documents.mail_headers import new_draft, one_line
from partnerxl.storage.names import inside, safe_part


def chase_file_stem(partnership_id: str, year: int, organisation: str, person: str | None) -> str:
    """'Response P002 2024 Fernshire Police Alex Morgan': the form and its draft share it."""
    parts = ["Response", safe_part(partnership_id), str(year), safe_part(organisation)]
    if person:
        parts.append(safe_part(person))
    return " ".join(parts)


def chase_paths(out_dir: Path, stem: str) -> tuple[Path, Path]:
    """(the form, its draft) in `out_dir`, never outside it."""
    return inside(out_dir, f"{stem}.xlsx"), inside(out_dir, f"{stem}.eml")


def _body(*, greeting: str, partnership: str, year: int, reply_by: dt.date, settings: Settings) -> str:
    council = f" at {settings.council_name}" if settings.council_name else ""
    sign = "\n".join(line for line in (settings.officer_name, settings.officer_signature, settings.council_name)
                     if line.strip())
    return (f"{greeting}\n\n"
            f"We are reviewing {partnership} for {year} and have not yet received your response to the partnership "
            "benchmarks. Your form is attached, already filled in with the partnership, the year and your name: "
            "please choose a rating for each statement (or 'Don't know'), add any comments, save it and send it "
            f"back by {reply_by:%d %B %Y}.\n\n"
            f"If someone else in your organisation should answer instead, please let us know{council}.\n\n"
            "Thank you.\n" + (f"\n{sign}\n" if sign else ""))


def build_chase_draft(*, to_name: str | None, to_email: str, partnership: str, year: int, reply_by: dt.date,
                      settings: Settings, attachment: bytes, filename: str) -> bytes:
    """An unsent e-mail to one invited respondent with their Response form attached."""
    msg = new_draft(to_name, to_email, f"{one_line(partnership)}: your partnership benchmark response for {year}, "
                                       f"please reply by {reply_by:%d %B %Y}")
    greeting = f"Dear {one_line(to_name)}," if one_line(to_name) else "Hello,"
    msg.set_content(_body(greeting=greeting, partnership=one_line(partnership, 1000), year=year, reply_by=reply_by,
                          settings=settings))
    msg.add_attachment(attachment, maintype=XLSX_TYPE[0], subtype=XLSX_TYPE[1], filename=filename)
    digest = hashlib.sha256(attachment + str(msg["Subject"]).encode() + str(msg["To"]).encode()).hexdigest()[:32]
    msg.set_boundary(f"=_partnerxl_{digest}")
    return msg.as_bytes()
