"""The `partnerxl` command line: one entry point for batch users and tests.

Each command is a thin wrapper: it parses arguments, calls a module that takes data and returns data, and prints.
Heavy modules are imported inside the command functions so `partnerxl --help` stays fast.
"""

from __future__ import annotations

import argparse
import sys

from partnerxl.core.errors import PartnerXLError


# --- foundation -------------------------------------------------------------------------------------------------

def _cmd_instruments(args: argparse.Namespace) -> int:
    from partnerxl import operations as ops

    for line in ops.describe_instruments():
        print(line)
    return 0


def _cmd_score_json(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from partnerxl import operations as ops

    path = Path(args.review)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PartnerXLError(f"cannot read the file ({exc.strerror}). Check the path.", file=str(path)) from None
    report = ops.score_json(text, label=str(path))
    print(json.dumps(report.score.model_dump(mode="json"), indent=2, ensure_ascii=False))
    return report.exit_code


def _add_foundation(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("instruments", help="list the instruments (register, checklist, improvement template, "
                       "fitness review, benchmarks) and the 'how to' guides, with their item counts")
    p.set_defaults(func=_cmd_instruments)
    p = sub.add_parser("score-json", help="score a review given as JSON and print the scoring result as JSON")
    p.add_argument("review", help="a review in PartnerXL's JSON form (Review.model_dump_json())")
    p.set_defaults(func=_cmd_score_json)


# --- workbooks, readers, validation (workbook issue) ------------------------------------------------------------

def _cmd_templates(args: argparse.Namespace) -> int:
    from partnerxl import operations as ops

    for path in ops.write_templates(args.out):
        print(path)
    return 0


def _finding_line(f) -> str:
    where = "!".join(p for p in (f.sheet, f.cell) if p) or "-"
    return f"  {f.severity:<8} {where:<16} {f.code:<30} {f.message}"


def _problems(report, indent: str = "  ") -> None:
    """The report's problems, alike ones grouped, so the console stays readable at any scale."""
    for line in report.problem_lines():
        print(f"{indent}problem: {line}")


def _cmd_validate(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from partnerxl import operations as ops

    if args.report:
        inputs = [Path(p) for p in [*args.files, *filter(None, [args.register])]]
        ops.refuse_output_over_input(Path(args.report), inputs, option="--report")
    report = ops.validate(args.files, register_path=args.register)
    for f in report.unreadable:
        print(f"partnerxl: file '{f.file}': {f.message}", file=sys.stderr)
    if args.json:
        print(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
    else:
        for name, words, findings in report.file_lines():
            print(f"{name}: {words}")
            for f in findings:
                print(_finding_line(f))
    if args.report:
        ops.write_validation_report(report, args.report)
        if not args.json:
            print(f"report -> {args.report}")
    return report.exit_code


def _cmd_score(args: argparse.Namespace) -> int:
    import json

    from partnerxl import operations as ops

    report = ops.score(args.review, register_path=args.register)
    if args.json:
        print(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
    else:
        for line in _score_summary(report):
            print(line)
        for f in report.findings:
            print(_finding_line(f))
    return report.exit_code


def _fmt(x, digits: int = 2) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def _score_summary(report) -> list[str]:
    r = report.score
    o = r.overall
    lines = [
        f"{r.partnership_id} {r.partnership_name or ''} — review {r.year}, {r.respondents} respondent(s)"
        + (f" — {report.provisional_note} (listed below)" if report.provisional else ""),
        f"Settings: {report.settings_words}",
        f"Overall: {_fmt(o.score)} ({_fmt(o.percent, 0)}%) {o.band or 'insufficient ratings'} {o.rag or ''}".rstrip(),
    ]
    for a in r.areas:
        state = "insufficient" if a.insufficient else f"{_fmt(a.score)} {a.band} {a.rag}"
        lines.append(f"  {a.id} {a.name:<26} {state}  ({a.benchmarks_rated}/{a.benchmarks_total} rated, "
                     f"{a.factors_ticked} factor(s) ticked)")
    if r.priority_benchmarks:
        lines.append("Priority benchmarks: " + ", ".join(r.priority_benchmarks))
    if r.split_benchmarks:
        lines.append("Split views: " + ", ".join(r.split_benchmarks))
    if r.checklist.completed:
        lines.append(f"Checklist readiness: {_fmt(r.checklist.readiness * 100 if r.checklist.readiness is not None else None, 0)}%"
                     f" ({len(r.checklist.unanswered)} unanswered)")
    if r.improvement.completed:
        lines.append(f"Improvement practice score: {_fmt(r.improvement.practice_score * 100, 0)}% "
                     f"({r.improvement.yes}/{r.improvement.answered}); {len(r.improvement.plan)} plan item(s)")
    if r.fitness.actions:
        lines.append("Fitness actions: " + "; ".join(a.action for a in r.fitness.actions))
    if r.unowned_actions:
        lines.append(f"Unowned actions: {len(r.unowned_actions)}")
    return lines


def _cmd_collate(args: argparse.Namespace) -> int:
    from partnerxl import operations as ops

    report = ops.collate(args.review, args.responses, args.out)
    for col, name, form in report.added:
        print(f"  {name}: {form.organisation} -> column {col}")
    for line in report.problem_lines():
        print(f"  left out {line}")
    print(f"{report.headline} -> {args.out}")
    return report.exit_code


def _add_workbooks(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("templates", help="write the three Excel templates (register, review, response)")
    p.add_argument("--out", default="workbooks", help="folder to write them to (default: %(default)s)")
    p.set_defaults(func=_cmd_templates)
    p = sub.add_parser("validate", help="check PartnerXL workbooks cell by cell; exit 0 no errors, 1 errors, "
                       "2 a file cannot be read")
    p.add_argument("files", nargs="+", metavar="FILE", help="register, review or response workbooks")
    p.add_argument("--register", help="the register, to check reviews against it (tier, missing instruments)")
    p.add_argument("--json", action="store_true", help="print the findings as a JSON list of records")
    p.add_argument("--report", metavar="OUT.xlsx", help="also write the findings to a new workbook")
    p.set_defaults(func=_cmd_validate)
    p = sub.add_parser("score", help="read a review workbook and print its scores")
    p.add_argument("review", metavar="REVIEW.xlsx")
    p.add_argument("--json", action="store_true", help="print the scoring result as JSON (docs/scoring.md)")
    p.add_argument("--register", help="use this register's Settings (RAG thresholds)")
    p.set_defaults(func=_cmd_score)
    p = sub.add_parser("collate", help="write a new review with each returned Response form in its own column")
    p.add_argument("review", metavar="REVIEW.xlsx")
    p.add_argument("responses", nargs="+", metavar="RESPONSE.xlsx")
    p.add_argument("--out", required=True, metavar="NEW.xlsx", help="the new review workbook to write")
    p.set_defaults(func=_cmd_collate)


# --- portfolio: rollup, summaries, email, demo ------------------------------------------------------------------

def _date_arg(text: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date: use YYYY-MM-DD") from None


def _cmd_rollup(args: argparse.Namespace) -> int:
    from partnerxl import operations as ops
    report = ops.rollup(args.register, args.reviews, year=args.year, out=args.out, as_of=args.as_of,
                        progress=ops.console_progress(args.quiet))
    print(f"{report.headline} -> {args.out}")
    _problems(report)
    return report.exit_code


def _cmd_summaries(args: argparse.Namespace) -> int:
    from partnerxl import operations as ops
    report = ops.summaries(args.register, args.reviews, year=args.year, out_dir=args.out, as_of=args.as_of,
                           pdf=args.pdf, progress=ops.console_progress(args.quiet))
    print(f"{report.headline} -> {args.out}")
    _problems(report)
    return report.exit_code


def _cmd_email(args: argparse.Namespace) -> int:
    from partnerxl import operations as ops

    report = ops.email_from_register(args.summaries, args.register, args.out)
    print(f"{report.headline} -> {args.out} (nothing was sent)")
    for d in report.skipped:
        print(f"  skipped {d.summary.name}: {d.problem}")
    return report.exit_code


def _cmd_pack(args: argparse.Namespace) -> int:
    from partnerxl import operations as ops
    report = ops.pack(args.register, args.reviews, year=args.year, out=args.out, as_of=args.as_of,
                      progress=ops.console_progress(args.quiet))
    print(report.headline)
    _problems(report)
    return report.exit_code


def _cmd_responses(args: argparse.Namespace) -> int:
    from partnerxl import operations as ops
    report = ops.responses(args.register, args.reviews, out=args.out, year=args.year, as_of=args.as_of,
                           progress=ops.console_progress(args.quiet))
    print(f"Responses {report.year}: {report.headline} -> {args.out} (nothing was sent)")
    for c in report.chased:
        who = ", ".join(p for p in (c.invitee.name or c.invitee.email, c.invitee.organisation) if p)
        print(f"  {c.partnership_id}: {who} -> {c.form.name}" + ("" if c.draft else " (no draft: see below)"))
    _problems(report)
    return report.exit_code


def _cmd_demo(args: argparse.Namespace) -> int:
    from partnerxl.demo import describe, run_demo

    for line in describe(run_demo(args.folder)):
        print(line)
    return 0


def _add_portfolio(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("rollup", help="roll the register and a folder of reviews up into a Portfolio workbook")
    p.add_argument("register", help="the Register workbook")
    p.add_argument("reviews", help="folder of review workbooks (matched by the partnership id inside each)")
    p.add_argument("--year", type=int, required=True, help="the review year to report")
    p.add_argument("--as-of", type=_date_arg, default=None, help="date for overdue reviews (YYYY-MM-DD); "
                   "default: the register's as-of date, else today")
    p.add_argument("--out", required=True, help="the Portfolio workbook to write")
    p.set_defaults(func=_cmd_rollup)
    p = sub.add_parser("summaries", help="write a one-page annual review summary per partnership reviewed")
    p.add_argument("register")
    p.add_argument("reviews")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--as-of", type=_date_arg, default=None)
    p.add_argument("--out", required=True, help="folder for 'Summary <id> <year>.xlsx'")
    p.add_argument("--pdf", action="store_true", help="also print each summary to a PDF beside it, which the e-mail "
                   "drafts attach (needs LibreOffice)")
    p.set_defaults(func=_cmd_summaries)
    p = sub.add_parser("email", help="write an unsent email draft (.eml) per summary, to the lead officer")
    p.add_argument("summaries", help="folder of summaries")
    p.add_argument("register")
    p.add_argument("--out", required=True, help="folder for the .eml drafts")
    p.set_defaults(func=_cmd_email)
    p = sub.add_parser("responses", help="write a filled Response form and an unsent email draft for every invited "
                       "respondent who has not returned their ratings")
    p.add_argument("register", help="the Register workbook (its Settings: officer, signature, reply-by days)")
    p.add_argument("reviews", help="folder of review workbooks")
    p.add_argument("--year", type=int, default=None, help="the review year to chase (default: the latest up to "
                   "the as-of date)")
    p.add_argument("--as-of", type=_date_arg, default=None, help="the date the reply-by date counts from "
                   "(YYYY-MM-DD); default: the register's as-of date, else today")
    p.add_argument("--out", required=True, help="folder for the forms and the .eml drafts")
    p.set_defaults(func=_cmd_responses)
    p = sub.add_parser("pack", help="write the committee pack: one PDF with the committee summary, the dashboard and "
                       "every partnership's summary (needs LibreOffice)")
    p.add_argument("register", help="the Register workbook")
    p.add_argument("reviews", help="folder of review workbooks")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--as-of", type=_date_arg, default=None)
    p.add_argument("--out", required=True, help="the PDF to write, e.g. 'Committee pack 2024.pdf'")
    p.set_defaults(func=_cmd_pack)
    p = sub.add_parser("demo", help="write the bundled sample portfolio and run the whole pipeline on it")
    p.add_argument("folder", nargs="?", default="partnerxl-demo", help="where to write it (default ./partnerxl-demo)")
    p.set_defaults(func=_cmd_demo)
    for name in ("rollup", "summaries", "responses", "pack"):  # a progress bar on a terminal, unless --quiet
        sub.choices[name].add_argument("--quiet", action="store_true", help="show no progress bar")


# --- the Excel add-in -------------------------------------------------------------------------------------------

def _cmd_addin_build(args: argparse.Namespace) -> int:
    from partnerxl.xlam.build import build_addin

    path = build_addin(args.src, args.out)
    print(f"Built {path} ({path.stat().st_size:,} bytes).")
    return 0


def _cmd_addin_install(args: argparse.Namespace) -> int:
    from partnerxl.xlam.install import install_addin

    result = install_addin(args.file)
    print(f"Installed the add-in: {result.addin_path}")
    print(f"Python for the buttons: {result.interpreter} (set in {result.config_path})")
    for note in result.notes:
        print(note)
    return 0


def _cmd_doctor(args: argparse.Namespace) -> int:
    from partnerxl.xlam.doctor import report

    lines, code = report()
    print("\n".join(lines))
    return code


def _add_addin(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("addin", help="build or install the Excel add-in (partnerxl.xlam, the Partnerships ribbon tab)")
    p.set_defaults(func=lambda args: p.print_help() or 0)
    actions = p.add_subparsers(title="actions", metavar="ACTION")
    b = actions.add_parser("build", help="build the add-in from its text sources and the installed xlwings")
    b.add_argument("--src", help="folder with customUI.xml and the .bas modules (default: addin/src here, else the "
                   "sources installed with PartnerXL)")
    b.add_argument("--out", help="the add-in to write (default: addin/partnerxl.xlam here, else ./partnerxl.xlam)")
    b.set_defaults(func=_cmd_addin_build)
    i = actions.add_parser("install", help="install the add-in into Excel's startup folder and point it at this "
                           "Python (Windows and macOS with Excel)")
    i.add_argument("--file", help="the add-in to install (default: the one installed with PartnerXL)")
    i.set_defaults(func=_cmd_addin_install)
    d = sub.add_parser("doctor", help="check this computer for each route: versions, the add-in, the Python its "
                       "buttons start, and whether Windows lets Office start programs")
    d.set_defaults(func=_cmd_doctor)


# --- xlwings Lite ---------------------------------------------------------------------------------------------------

def _cmd_lite(args: argparse.Namespace) -> int:
    from partnerxl.operations import lite_support as lite

    if not args.out:
        raise PartnerXLError("give --out FOLDER: main.py and requirements.txt go there, and a copy of each --into "
                             "workbook carrying the scripts (docs/lite.md)")
    for path in [*lite.write_lite_files(args.out, args.package),
                 *(lite.add_lite_scripts(book, args.out, args.package) for book in args.into or [])]:
        print(path)
    return 0


def _add_lite(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("lite", help="xlwings Lite: write main.py and requirements.txt, or put PartnerXL's Lite "
                       "scripts into workbooks (docs/lite.md)")
    p.add_argument("--out", help="folder to write main.py and requirements.txt into")
    p.add_argument("--into", nargs="+", metavar="WORKBOOK", help=".xlsx workbooks: a copy of each, carrying the "
                   "scripts, is written to --out (the workbooks given are never changed)")
    p.add_argument("--package", help="the requirements.txt line that brings PartnerXL itself: partnerxl==VERSION, "
                   "a wheel's https:// address, or emfs:/data/partnerxl-VERSION-py3-none-any.whl (default: none; "
                   "main.py installs the wheel imported under /data)")
    p.set_defaults(func=_cmd_lite)


SECTIONS = [_add_foundation, _add_workbooks, _add_portfolio, _add_addin, _add_lite]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="partnerxl",
        description="PartnerXL: partnership register, reviews, benchmark scoring and portfolio reports for councils.",
    )
    from partnerxl.xlam.doctor import partnerxl_version

    parser.add_argument("--version", action="version", version=f"partnerxl {partnerxl_version()}")
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
    from partnerxl.operations.common import run_cli

    return run_cli(args.func, args)  # one line, never a traceback: PartnerXLError, pipes, Ctrl+C, the unforeseen


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
