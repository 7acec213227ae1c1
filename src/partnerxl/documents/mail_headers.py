"""One way to write text into an e-mail header: every name, address and subject of PartnerXL's drafts goes through
here (documents/email_drafts.py, documents/response_drafts.py), with the standard library's `email` package.

- **Names are text.** One line, cut visibly ("…") at `NAME_LIMIT` characters, and written as RFC 2047 encoded words
  (by `email.charset` / `email.header`) unless they are plain ASCII words; so a name that *looks like* an encoded
  word (`=?utf-8?q?x=0D=0ABcc:…?=`) is carried as the text it is, never decoded into a line break and a Bcc header.
  (Python's own header parser decodes such words, even inside quotes, and before 3.11.10 and 3.12.5 wrote the line
  break out: CVE-2024-6923. So a header written here is never parsed again: it is encoded and folded once, and
  stored as it is.)
- **Addresses** are written as email-validator normalises them, the rule `validate` applies (core/text.py): the
  domain in its ASCII form (`anna@żółw.pl` travels as `anna@xn--w-uga1v8h.pl`, which every mail system reads), and
  a local part that is not ASCII (`józef.nowak@…`) as UTF-8, which only an SMTPUTF8 message (RFC 6531/6532) can
  carry: such a draft is written with the standard library's `SMTPUTF8` policy, every other with `SMTP`.
- **Lines stay short.** Headers are folded at 78 characters (the limit is 998); a name is at most `NAME_LIMIT`
  characters, a subject's text at most `SUBJECT_LIMIT`.
"""

from __future__ import annotations

import re
from email.charset import Charset
from email.header import Header
from email.message import EmailMessage
from email.policy import SMTP, SMTPUTF8
from email.utils import quote
from typing import Any

NAME_LIMIT = 100          # characters of a name in a header or a greeting
SUBJECT_LIMIT = 200       # characters of a subject line
ELLIPSIS = "…"
_UTF8 = Charset("utf-8")
_ATOMS = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]+")   # RFC 5322 atext and spaces: a phrase of plain words


def one_line(text: Any, limit: int = NAME_LIMIT) -> str:
    """Text on one line (no line break can start a new header), cut visibly to `limit` characters."""
    line = " ".join(str(text or "").split())
    return line if len(line) <= limit else line[:limit - 1].rstrip() + ELLIPSIS


class Folded(str):
    """A header already encoded and folded here: stored and written as it is (never parsed again)."""

    def __new__(cls, name: str, value: str) -> "Folded":
        header = super().__new__(cls, value)
        header.name = name
        return header

    def fold(self, *, policy: Any) -> str:
        return f"{self.name}: {self.replace(chr(10), policy.linesep)}{policy.linesep}"


def _encoded(name: str, text: str) -> str:
    """`text` as the header `name` carries it: plain ASCII as it is (folded at spaces), anything else, or anything
    that could be read as an encoded word, as RFC 2047 encoded words."""
    charset = "us-ascii" if text.isascii() and "=?" not in text else "utf-8"
    return Header(text, charset, header_name=name).encode(linesep="\n")


def _phrase(text: str) -> list[str]:
    """A display name as the words of a phrase: plain ASCII words as they are; an ASCII name with other characters
    (`Smith, Pat`) quoted; otherwise each run of words that are not plain becomes one encoded word, or, when the
    run is too long for one, one encoded word per word with the space before it inside. Decoders differ on the
    space between two encoded words (RFC 2047 drops it, Python keeps it), so a word is never split across two, and
    two stand side by side only when the second carries the space itself."""
    if text.isascii() and "=?" not in text:
        return text.split(" ") if _ATOMS.fullmatch(text) else [f'"{quote(text)}"']
    words: list[str] = []
    run: list[str] = []
    for word in [*text.split(" "), None]:
        if word is not None and not (_ATOMS.fullmatch(word) and "=?" not in word):
            run.append(word)
            continue
        if run:
            whole = _UTF8.header_encode(" ".join(run))
            words += [whole] if len(whole) <= 75 else \
                [_UTF8.header_encode(w if i == 0 else " " + w) for i, w in enumerate(run)]
            run = []
        if word is not None:
            words.append(word)
    return words


def _fold(name: str, words: list[str]) -> str:
    """Words joined by spaces, a line break before a word that would take a line past 78 characters."""
    lines = [f"{name}:"]
    for word in words:
        if len(lines[-1]) + 1 + len(word) > 78 and lines[-1] not in (f"{name}:", ""):
            lines.append("")
        lines[-1] += " " + word
    return "\n".join(lines)[len(name) + 2:]


def address(addr: str) -> tuple[str, bool]:
    """(the address as a draft carries it, whether it needs an SMTPUTF8 message); ValueError if it is not an
    address (the operations check with core.text.valid_email first, the same rule)."""
    from email_validator import EmailNotValidError, validate_email

    try:
        valid = validate_email(str(addr).strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError(f"'{addr}' is not an e-mail address: {exc}") from None
    return (valid.ascii_email, False) if valid.ascii_email else (valid.normalized, True)


def address_header(name: str, display: str | None, addr: str) -> tuple[Folded, bool]:
    """The header `name` (To, From) for one person: (the header, whether it needs an SMTPUTF8 message)."""
    spec, utf8 = address(addr)
    text = one_line(display)
    return Folded(name, _fold(name, [*(_phrase(text) if text else []), f"<{spec}>"])), utf8


def text_header(name: str, text: str, limit: int = SUBJECT_LIMIT) -> Folded:
    """A header of text (a subject): one line, cut visibly, folded."""
    return Folded(name, _encoded(name, one_line(text, limit)))


def new_draft(to_name: str | None, to_address: str, subject: str, sender: str | None = None) -> EmailMessage:
    """An unsent draft (`X-Unsent: 1`: Outlook opens it as a draft to edit; nothing is ever sent) to one person."""
    to, utf8 = address_header("To", to_name, to_address)
    headers = [("To", to), ("Subject", text_header("Subject", subject))]
    if sender:
        from_, from_utf8 = address_header("From", None, sender)
        headers.insert(0, ("From", from_))
        utf8 = utf8 or from_utf8
    msg = EmailMessage(policy=SMTPUTF8 if utf8 else SMTP)
    msg["X-Unsent"] = "1"
    for key, value in headers:
        msg[key] = value
    return msg
