"""The operations layer: what PartnerXL does, and the only place its policy lives.

validate, score, collate, portfolio (rollup), summaries, e-mail drafts and new review are each one function here.
The command line (cli.py), the ribbon buttons (excel/buttons.py) and the demo only call these and present the
results, so the same workbook gets the same answer whichever of them reads it. The policy, written once:

- A value that cannot be read is an error finding at its cell and is left out as if blank; the rest of the
  workbook still counts. Scores made without such a value are *provisional* and carry the findings.
- A workbook that cannot be used at all (cannot be opened, not a PartnerXL workbook, no partnership id or year) is
  left out whole and named, with the reason, among the problems.
- Exit codes: 0 done with no error findings, 1 done with error findings (outputs still written), 2 could not run.
- Ids are matched by `core.text.match_key` everywhere; e-mail addresses are judged by `core.text.valid_email`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from partnerxl.core.errors import PartnerXLError
from partnerxl.core.findings import Finding, finding
from partnerxl.core.portfolio import Portfolio, ScoredReview, build_portfolio
from partnerxl.core.scoring import ReviewScore, score_review
from partnerxl.core.settings import Settings
from partnerxl.core.text import match_key, valid_email

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


def _unusable(file: str, exc: PartnerXLError) -> Finding:
    return finding("unreadable-file", file, detail=str(exc).split(": ", 1)[-1])


# --- validate -------------------------------------------------------------------------------------------------------

@dataclass
class Validation:
    files: list[tuple[str, list[Finding]]] = field(default_factory=list)  # (file, its findings), in the order given
    unreadable: list[Finding] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [f for _name, found in self.files for f in found]

    @property
    def exit_code(self) -> int:
        return 2 if self.unreadable else exit_code(self.findings)


def validate_source(source: Any, register: Any = None, as_of: dt.date | None = None) -> list[Finding]:
    """Every finding for one open workbook of any kind (a file or a live book)."""
    from partnerxl.reading import validate_source as check
    return check(source, register, as_of)


def validate(paths: list[str | Path], *, register_path: str | Path | None = None,
             as_of: dt.date | None = None) -> Validation:
    """Check each workbook cell by cell (against the register when given); unreadable files are named."""
    from partnerxl.files.opening import FileWorkbook

    register = load_register(register_path, as_of) if register_path else None
    settings = register.settings if register else None
    result = Validation()
    for path in paths:
        try:
            with FileWorkbook.open(path, settings) as source:
                result.files.append((str(path), validate_source(source, register, as_of)))
        except PartnerXLError as exc:
            result.unreadable.append(_unusable(Path(path).name, exc))
    return result


def write_validation_report(result: Validation, out: str | Path) -> Path:
    from partnerxl.files.report import write_report
    return write_report([*result.unreadable, *result.findings], Path(out))


# --- score ----------------------------------------------------------------------------------------------------------

def score_book(book: Any, settings: Settings | None = None) -> ReviewScore:
    """The scores of a read review, without the values that could not be read, carrying the review's findings."""
    if book.review is None:
        first = next(iter(errors(book.findings)), None)
        why = f"{first.sheet}!{first.cell}: {first.message}" if first else "the About sheet is incomplete."
        raise PartnerXLError(f"cannot be scored: {why} Fill in the partnership ID and review year.",
                             file=book.path_label)
    result = score_review(book.review, settings or Settings())
    return result.model_copy(update={"findings": list(book.findings), "provisional": bool(errors(book.findings))})


def score_json(text: str, *, label: str) -> ReviewScore:
    """Score a review given in PartnerXL's JSON form (docs/scoring.md); PartnerXLError when it is not one."""
    from partnerxl.core.models import Review

    try:
        review = Review.model_validate_json(text)
    except ValueError as exc:
        lines = [line for line in str(exc).splitlines() if "For further information" not in line]
        raise PartnerXLError("is not a valid review in PartnerXL's JSON form: " + " | ".join(lines[:6]),
                             file=label) from None
    return score_review(review, Settings())


def score(review_path: str | Path, *, register_path: str | Path | None = None) -> ReviewScore:
    settings = load_register(register_path).settings if register_path else None
    return score_book(open_book(review_path, "review", settings), settings)


# --- collate --------------------------------------------------------------------------------------------------------

@dataclass
class CollatePlan:
    """Which forms go into which free respondent column, and every form left out with the reason."""

    added: list[tuple[str, str, Any]] = field(default_factory=list)   # (column letter, file name, ResponseBook)
    findings: list[Finding] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return exit_code(self.findings)


def read_forms(paths: list[Path], *, quiet_non_forms: bool = False) -> list[tuple[str, Any]]:
    """(file name, ResponseBook or a Finding saying why it cannot be used) for each path.

    `quiet_non_forms` passes over workbooks that are not Response forms (a folder also holds the review, the
    register, other documents) without reading them; a file that cannot be opened is always named.
    """
    from partnerxl.files.opening import FileWorkbook
    from partnerxl.reading import read_response
    from partnerxl.sheets.grid import detect_kind

    out: list[tuple[str, Any]] = []
    for path in paths:
        try:
            with FileWorkbook.open(path) as source:
                try:
                    kind, _version = detect_kind(source)
                except PartnerXLError as exc:  # opened, but not a PartnerXL workbook
                    if not quiet_non_forms:
                        out.append((path.name, _unusable(path.name, exc)))
                    continue
                form = read_response(source) if kind == "response" else None
        except PartnerXLError as exc:
            out.append((path.name, _unusable(path.name, exc)))
            continue
        if form is None:
            if not quiet_non_forms:
                out.append((path.name, finding("wrong-kind", path.name, field="Response form", value=kind,
                                               detail="only Response forms can be collated.")))
            continue
        out.append((path.name, form))
    return out


def plan_collate(review_book: Any, forms: list[tuple[str, Any]]) -> CollatePlan:
    """Decide, for a review and the forms offered, what is collated: the same rule for the command and the button.

    A form for another partnership or year is left alone (a warning); a form with errors, from a respondent who
    already has ratings, or beyond the free columns is left out and named (an error); the rest fill free columns.
    """
    review = review_book.review
    plan = CollatePlan()
    taken = {match_key(org): f"column {col} of the review" for org, col in review_book.respondent_columns.items()}
    free = list(review_book.free_columns)
    for name, form in forms:
        if isinstance(form, Finding):
            plan.findings.append(form)
            continue
        if match_key(form.partnership_id) != match_key(review.partnership_id) or \
                (form.year is not None and form.year != review.year):
            plan.findings.append(finding("form-for-another-review", name, value=f"{form.partnership_id} {form.year}",
                                         detail=f"{review.partnership_id} {review.year}"))
            continue
        bad = errors(form.findings)
        if bad:
            where = "!".join(p for p in (bad[0].sheet, bad[0].cell) if p)
            plan.findings.append(finding("form-has-errors", name, bad[0].sheet, bad[0].cell,
                                         detail=f"{where}: {bad[0].message}"))
            continue
        key = match_key(form.organisation)
        if key in taken:
            plan.findings.append(finding("duplicate-form", name, value=form.organisation, detail=taken[key]))
            continue
        if not free:
            from partnerxl.sheets.layout import RESPONDENT_COLUMNS

            plan.findings.append(finding("no-free-column", name, value=form.organisation, detail=RESPONDENT_COLUMNS))
            continue
        col = free.pop(0)
        taken[key] = f"form {name}"
        plan.added.append((col, name, form))
    return plan


def collate(review_path: str | Path, response_paths: list[str | Path], out_path: str | Path) -> CollatePlan:
    """Write a new review with each usable form in its own respondent column; the inputs are only read."""
    from partnerxl.files.collated import collated_copy

    review_path, out_path = Path(review_path), Path(out_path)
    paths = [Path(p) for p in response_paths]
    refuse_output_over_input(out_path, [review_path, *paths], option="--out")
    review_book = open_book(review_path, "review")
    if review_book.review is None:
        score_book(review_book)  # raises the plain "cannot be used" line
    plan = plan_collate(review_book, read_forms(paths))
    collated_copy(review_path, out_path, [(col, form) for col, _name, form in plan.added],
                  review_book.benchmark_rows)
    return plan


def refuse_output_over_input(out: Path, inputs: list[Path], *, option: str) -> None:
    """Exit 2 with one line when an output would replace one of the inputs."""
    target = Path(out).resolve()
    if any(Path(p).resolve() == target for p in inputs):
        raise PartnerXLError(f"is one of the inputs: choose a new file name for {option}; PartnerXL never rewrites "
                             "an input.", file=str(out))


# --- the portfolio --------------------------------------------------------------------------------------------------

def read_review_file(path: Path, settings: Settings, as_of: dt.date | None) -> tuple[ScoredReview | None, list[Finding]]:
    """One review workbook, read once and scored: (the scored review, or None when it cannot be used; findings)."""
    from partnerxl.files.opening import FileWorkbook

    try:
        with FileWorkbook.open(path, settings) as source:
            kind, book = read_any_kind(source, as_of)
    except PartnerXLError as exc:
        return None, [_unusable(path.name, exc)]
    if kind != "review":
        return None, [finding("wrong-kind", path.name, field="review", value=kind,
                              detail="move it out of the reviews folder.")]
    findings = [f.model_copy(update={"file": path.name}) for f in book.findings]
    if book.review is None:
        return None, [finding("review-incomplete", path.name), *errors(findings)]
    from partnerxl.sheets.layout import ABOUT, ABOUT_FIELDS

    score = score_book(book, settings).model_copy(update={"findings": findings})
    id_cell = (ABOUT, ABOUT_FIELDS["partnership_id"][0])
    return ScoredReview(review=book.review, score=score, source=path.name, id_cell=id_cell), findings


def _read_review_task(args: tuple) -> tuple[ScoredReview | None, list[Finding]]:
    return read_review_file(*args)


def read_reviews(paths: list[Path], settings: Settings, as_of: dt.date | None
                 ) -> tuple[list[ScoredReview], list[Finding]]:
    """Every review in `paths` (in worker processes for a large folder: the results are the same either way)."""
    from partnerxl.files.parallel import run_all

    loaded = run_all(_read_review_task, [(p, settings, as_of) for p in paths])
    scored = [s for s, _f in loaded if s is not None]
    return scored, [f for _s, found in loaded for f in found]


def portfolio(register: Any, review_paths: list[Path], *, year: int | None = None,
              as_of: dt.date | None = None) -> Portfolio:
    """The portfolio of a read register and review files; `year` None = the latest review year up to the as-of
    date's year (the add-in's choice), else the year asked for."""
    when = as_of or register.as_of or dt.date.today()
    problems = [f for f in register.findings if f.severity == "error"]
    scored, found = read_reviews(review_paths, register.settings, when)
    if year is None:
        years = [s.year for s in scored if s.year <= when.year]
        year = max(years) if years else when.year
    return build_portfolio(list(register.entries), scored, year, when, register.settings,
                           problems=problems + errors(found))


def rollup(register_path: str | Path, reviews_dir: str | Path, *, year: int, out: str | Path,
           as_of: dt.date | None = None) -> Portfolio:
    """Read the register and every review in the folder, and write the Portfolio workbook."""
    from partnerxl.files.portfolio_workbook import write_portfolio
    from partnerxl.files.writing import check_not_open

    register_path, out = Path(register_path), Path(out)
    register = load_register(register_path, as_of)
    paths = workbook_files(Path(reviews_dir), skip=(register_path,))
    refuse_output_over_input(out, [register_path, *paths], option="--out")
    check_not_open(out)
    result = portfolio(register, paths, year=year, as_of=as_of)
    write_portfolio(result, out)
    return result


# --- summaries, e-mail drafts, new review ---------------------------------------------------------------------------

def summaries(register_path: str | Path, reviews_dir: str | Path, *, year: int, out_dir: str | Path,
              as_of: dt.date | None = None) -> tuple[Portfolio, list[Path]]:
    """One summary workbook per partnership reviewed in `year`, from the same portfolio as the rollup."""
    register_path = Path(register_path)
    register = load_register(register_path, as_of)
    paths = workbook_files(Path(reviews_dir), skip=(register_path,))
    result = portfolio(register, paths, year=year, as_of=as_of)
    return result, write_summaries(result, Path(out_dir))


def write_summaries(p: Portfolio, out_dir: Path) -> list[Path]:
    """`Summary <id> <year>.xlsx` in `out_dir` for every partnership with a review in the portfolio's year."""
    from partnerxl.files.summaries import write_summaries as write

    return write(p, Path(out_dir))


@dataclass(frozen=True)
class DraftResult:
    summary: Path
    draft: Path | None
    problem: str | None = None


def email_drafts(summaries_dir: str | Path, entries: list[Any], out_dir: str | Path) -> list[DraftResult]:
    """An unsent draft per summary, to its partnership's lead officer; a summary whose partnership is not in the
    register, or whose lead officer has no valid address, is named and skipped."""
    from partnerxl.files.email_drafts import build_draft, draft_path, summary_files, summary_identity
    from partnerxl.files.writing import atomic_write_bytes

    summaries_dir, out_dir = Path(summaries_dir), Path(out_dir)
    by_key = {match_key(e.id): e for e in entries}
    results: list[DraftResult] = []
    for path in summary_files(summaries_dir, out_dir):
        ident = summary_identity(path)
        if ident is None:
            continue  # not a PartnerXL summary
        pid, year = ident
        entry = by_key.get(match_key(pid))
        if entry is None:
            results.append(DraftResult(path, None, f"partnership {pid} is not in the register: draft skipped."))
        elif not valid_email(entry.lead_officer_email):
            why = "has no lead officer email" if not entry.lead_officer_email else \
                f"has an invalid lead officer email '{entry.lead_officer_email}'"
            results.append(DraftResult(path, None, f"{entry.id} {entry.name} {why} in the register: draft skipped. "
                                                   "Correct the register and run again."))
        else:
            data = build_draft(entry, year, path.read_bytes(), path.name)
            results.append(DraftResult(path, atomic_write_bytes(draft_path(out_dir, path), data)))
    return results


def email_from_register(summaries_dir: str | Path, register_path: str | Path, out_dir: str | Path) -> list[DraftResult]:
    return email_drafts(summaries_dir, list(load_register(register_path).entries), out_dir)  # the CLI's form


def new_review(register: Any, entry: Any, folder: Path, year: int) -> Path:
    """A new review workbook for `entry` and `year` in `folder`, filled with its id, name and year; never over an
    existing review."""
    from partnerxl.core.models import Review
    from partnerxl.files.fill import new_review as write_review
    from partnerxl.files.names import inside, safe_part

    path = inside(folder, f"Review {safe_part(entry.id)} {year}.xlsx")
    if path.exists():
        raise PartnerXLError(f"A review of {entry.id} for {year} already exists:\n{path}\n\nOpen that workbook "
                             "instead; PartnerXL never overwrites a review.")
    return write_review(path, Review(partnership_id=entry.id, partnership_name=entry.name, year=year), entry)
