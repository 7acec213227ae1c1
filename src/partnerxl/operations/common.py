"""Shared by every operation: exit codes, opening workbooks of the kind needed, the workbooks in a folder, and
the guard that keeps an output from replacing an input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from partnerxl.core.errors import PartnerXLError
from partnerxl.core.findings import Finding, finding
from partnerxl.core.settings import Settings



WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def exit_code(findings: list[Finding]) -> int:
    """0 when no finding is an error, else 1 (2, could not run, is a PartnerXLError)."""
    return 1 if any(f.severity == "error" for f in findings) else 0


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]  # the findings that make a result provisional


def describe_instruments() -> list[str]:
    from partnerxl.core.instruments import load_instruments
    return load_instruments().describe()


def write_templates(folder: str | Path) -> list[Path]:
    from partnerxl.files.templates import write_templates as write
    return write(Path(folder))


# --- opening --------------------------------------------------------------------------------------------------------

def open_book(path: str | Path, kind: str, settings: Settings | None = None, as_of: dt.date | None = None) -> Any:
    """Read a workbook that must be of `kind`; PartnerXLError (exit 2) when it is unreadable or of another kind."""
    from partnerxl.files.opening import FileWorkbook

    with FileWorkbook.open(path, settings) as source:
        found, book = read_any_kind(source, as_of)
        if found != kind:
            raise PartnerXLError(f"is a PartnerXL {found} workbook, but a {kind} workbook is needed here.",
                                 file=source.path_label)
        return book


def read_any_kind(source: Any, as_of: dt.date | None = None) -> tuple[str, Any]:
    """(kind, book) of an open PartnerXL workbook; `as_of` is the day dates may not be after (else today)."""
    from partnerxl.sheets.grid import detect_kind
    from partnerxl.reading import read_register, read_response, read_review

    kind, _version = detect_kind(source)
    if kind == "response":
        return kind, read_response(source)
    reader = read_register if kind == "register" else read_review
    return kind, reader(source, as_of=as_of)


def load_register(path: str | Path, as_of: dt.date | None = None) -> Any:
    """The register (entries, settings, as-of date, findings); PartnerXLError when it cannot be read."""
    return open_book(path, "register", as_of=as_of)


def workbook_files(folder: Path, skip: tuple[Path, ...] = ()) -> list[Path]:
    """The workbooks in `folder` (not sub-folders, not Excel's `~$` lock files, not `skip`), in name order."""
    folder = Path(folder)
    if not folder.is_dir():
        raise PartnerXLError("is not a folder. Give the folder that holds the review workbooks.", file=str(folder))
    skipped = {p.resolve() for p in skip}
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and p.suffix.lower() in WORKBOOK_SUFFIXES
                  and not p.name.startswith(("~$", ".~")) and p.resolve() not in skipped)


def unusable(file: str, exc: PartnerXLError) -> Finding:
    return finding("unreadable-file", file, detail=str(exc).split(": ", 1)[-1])


def refuse_output_over_input(out: Path, inputs: list[Path], *, option: str) -> None:
    """Exit 2 with one line when an output would replace one of the inputs."""
    target = Path(out).resolve()
    if any(Path(p).resolve() == target for p in inputs):
        raise PartnerXLError(f"is one of the inputs: choose a new file name for {option}; PartnerXL never rewrites "
                             "an input.", file=str(out))
