"""The `partnerxl` command line: one entry point for batch users and tests.

Each command is a thin wrapper: it parses arguments, calls a module that takes data and returns data, and prints.
Heavy modules are imported inside the command functions so `partnerxl --help` stays fast.
"""

from __future__ import annotations

import argparse
import sys

from .errors import PartnerXLError


# --- foundation -------------------------------------------------------------------------------------------------

def _cmd_instruments(args: argparse.Namespace) -> int:
    from .instruments import load_instruments

    inst = load_instruments()
    for line in inst.describe():
        print(line)
    return 0


def _cmd_score_json(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from .models import Review
    from .scoring import score_review
    from .settings import Settings

    path = Path(args.review)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PartnerXLError(f"cannot read the file ({exc.strerror}). Check the path.", file=str(path)) from None
    try:
        review = Review.model_validate_json(text)
    except ValueError as exc:
        raise PartnerXLError(
            "is not a valid review in PartnerXL's JSON form: " + _first_lines(str(exc)), file=str(path)
        ) from None
    result = score_review(review, Settings())
    print(json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False))
    return 0


def _first_lines(text: str, n: int = 6) -> str:
    lines = [line for line in text.splitlines() if "For further information" not in line]
    return " | ".join(lines[:n])


def _add_foundation(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("instruments", help="list the instruments (register, checklist, improvement template, "
                       "fitness review, benchmarks) with their item counts")
    p.set_defaults(func=_cmd_instruments)
    p = sub.add_parser("score-json", help="score a review given as JSON and print the scoring result as JSON")
    p.add_argument("review", help="a review in PartnerXL's JSON form (Review.model_dump_json())")
    p.set_defaults(func=_cmd_score_json)


# --- workbooks, readers, validation (workbook issue) ------------------------------------------------------------
# (section: templates / validate / score / collate)


# --- portfolio: rollup, summaries, email, demo ------------------------------------------------------------------
# (section: rollup / summaries / email / demo)


# --- the Excel add-in -------------------------------------------------------------------------------------------
# (section: addin build / install)

def _cmd_addin_build(args: argparse.Namespace) -> int:
    from .xlam.build import build_addin

    path = build_addin(args.src, args.out)
    print(f"Built {path} ({path.stat().st_size:,} bytes).")
    return 0


def _cmd_addin_install(args: argparse.Namespace) -> int:
    from .xlam.install import install_addin

    result = install_addin(args.file)
    print(f"Installed the add-in: {result.addin_path}")
    print(f"Python for the buttons: {result.interpreter} (set in {result.config_path})")
    for note in result.notes:
        print(note)
    return 0


def _add_addin(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("addin", help="build or install the Excel add-in (partnerxl.xlam, the Partnerships ribbon tab)")
    p.set_defaults(func=lambda args: p.print_help() or 0)
    actions = p.add_subparsers(title="actions", metavar="ACTION")
    b = actions.add_parser("build", help="build the add-in from its text sources and the installed xlwings")
    b.add_argument("--src", default="addin/src", help="folder with customUI.xml and the .bas modules (default: %(default)s)")
    b.add_argument("--out", default="addin/partnerxl.xlam", help="the add-in to write (default: %(default)s)")
    b.set_defaults(func=_cmd_addin_build)
    i = actions.add_parser("install", help="install the add-in into Excel's startup folder and point it at this "
                           "Python (Windows and macOS with Excel)")
    i.add_argument("--file", help="the add-in to install (default: addin/partnerxl.xlam of this checkout)")
    i.set_defaults(func=_cmd_addin_install)


SECTIONS = [_add_foundation, _add_addin]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="partnerxl",
        description="PartnerXL: partnership register, reviews, benchmark scoring and portfolio reports for councils.",
    )
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    for add in SECTIONS:
        add(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "func"):
        parser.print_help()
        return 0
    try:
        return int(args.func(args) or 0)
    except PartnerXLError as exc:
        print(f"partnerxl: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("partnerxl: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
