"""The operations layer: what PartnerXL does, and the only place its policy lives.

validate, score, collate, portfolio (rollup), summaries, e-mail drafts, the committee pack, a new review and chasing
responses are each one function of this package, and each returns one finished report (operations/report.py): its
findings, whether it is valid and provisional, its exit code, its counts and the words a presenter prints. The
command line (cli.py), the ribbon buttons and the xlwings Lite scripts (excel/) and the demo only format those
reports, so the same workbook gets the same answer whichever of them reads it. The policy, written once
(docs/rules.md, "Entries that cannot be read"):

- A value that cannot be read is an error finding at its cell and is left out as if blank; the rest of the
  workbook still counts. Scores made without such a value are *provisional* and carry the findings.
- A workbook that cannot be used at all (cannot be opened, not a PartnerXL workbook, no partnership id or year) is
  left out whole and named, with the reason, among the problems.
- Exit codes: 0 done with no error findings, 1 done with error findings (outputs still written), 2 could not run.
- A review is scored under the council's settings whenever its register can be found.
- Ids are matched by `core.text.match_key` everywhere; e-mail addresses are judged by `core.text.valid_email`.
"""

from partnerxl.operations.checking import (ScoreReport, ValidationReport, score, score_book, score_json,
                                           score_open_review, validate, validate_source, write_validation_report)
from partnerxl.operations.collating import CollateReport, collate, plan_collate, read_forms
from partnerxl.operations.common import (WORKBOOK_SUFFIXES, describe_instruments, errors, exit_code, load_register,
                                         open_book, read_any_kind, read_workbook, refuse_output_over_input,
                                         register_for_review, unusable, workbook_files, write_templates)
from partnerxl.operations.outputs import (DraftResult, DraftsReport, NewReviewReport, SummariesReport, email_drafts,
                                          email_from_register, new_review, summaries, write_summaries)
from partnerxl.operations.pack import PackReport, pack, pack_workbook_path, write_pack_workbook
from partnerxl.operations.progress import console_progress
from partnerxl.operations.portfolio import (PortfolioReport, portfolio, read_review_file, read_reviews,
                                            register_portfolio, reviews_folder, rollup)
from partnerxl.operations.report import Report, count_words, plural, problem_lines
from partnerxl.operations.sample import Sample, write_sample
from partnerxl.operations.responses import Chase, ChaseReport, chase_open_review, chase_review, responses

__all__ = [
    "Chase", "ChaseReport", "CollateReport", "DraftResult", "DraftsReport", "NewReviewReport", "PackReport",
    "PortfolioReport", "Report", "Sample", "ScoreReport", "SummariesReport", "ValidationReport", "WORKBOOK_SUFFIXES",
    "chase_open_review", "chase_review", "collate", "console_progress", "count_words", "describe_instruments",
    "email_drafts",
    "email_from_register", "errors", "exit_code", "load_register", "new_review", "open_book", "pack",
    "pack_workbook_path", "plan_collate", "plural", "portfolio", "problem_lines", "read_any_kind", "read_forms",
    "read_review_file", "read_reviews", "read_workbook", "refuse_output_over_input", "register_for_review",
    "register_portfolio", "responses", "reviews_folder", "rollup", "score", "score_book", "score_json",
    "score_open_review", "summaries", "unusable", "validate", "validate_source", "workbook_files", "write_summaries",
    "write_pack_workbook", "write_sample", "write_templates", "write_validation_report",
]
