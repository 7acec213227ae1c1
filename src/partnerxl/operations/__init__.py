"""The operations layer: what PartnerXL does, and the only place its policy lives.

validate, score, collate, portfolio (rollup), summaries, e-mail drafts, new review and chasing responses are each one
function of this package (checking, collating, portfolio, outputs, responses; common holds what they share).
The command line (cli.py), the ribbon buttons (excel/buttons.py) and the demo only call these and present the
results, so the same workbook gets the same answer whichever of them reads it. The policy, written once:

- A value that cannot be read is an error finding at its cell and is left out as if blank; the rest of the
  workbook still counts. Scores made without such a value are *provisional* and carry the findings.
- A workbook that cannot be used at all (cannot be opened, not a PartnerXL workbook, no partnership id or year) is
  left out whole and named, with the reason, among the problems.
- Exit codes: 0 done with no error findings, 1 done with error findings (outputs still written), 2 could not run.
- Ids are matched by `core.text.match_key` everywhere; e-mail addresses are judged by `core.text.valid_email`.
"""

from partnerxl.operations.checking import (Validation, score, score_book, score_json, validate, validate_source,
                                           write_validation_report)
from partnerxl.operations.collating import CollatePlan, collate, plan_collate, read_forms
from partnerxl.operations.common import (WORKBOOK_SUFFIXES, describe_instruments, errors, exit_code, load_register,
                                         open_book, read_any_kind, read_workbook, refuse_output_over_input, unusable,
                                         workbook_files, write_templates)
from partnerxl.operations.outputs import (DraftResult, email_drafts, email_from_register, new_review, summaries,
                                          write_summaries)
from partnerxl.operations.portfolio import portfolio, read_review_file, read_reviews, rollup
from partnerxl.operations.responses import (Chase, ChaseResult, chase_open_review, chase_review, find_register,
                                            responses)
from partnerxl.operations.pack import Pack, pack, pack_workbook_path, write_pack_workbook

__all__ = [
    "Chase", "ChaseResult", "chase_open_review", "chase_review", "find_register", "responses",
    "CollatePlan", "DraftResult", "Pack", "pack", "pack_workbook_path", "write_pack_workbook", "Validation", "WORKBOOK_SUFFIXES", "collate", "describe_instruments",
    "email_drafts", "email_from_register", "errors", "exit_code", "load_register", "new_review", "open_book",
    "plan_collate", "portfolio", "read_any_kind", "read_workbook", "read_forms", "read_review_file", "read_reviews",
    "refuse_output_over_input", "rollup", "score", "score_book", "score_json", "summaries", "unusable", "validate",
    "validate_source", "workbook_files", "write_summaries", "write_templates", "write_validation_report",
]
