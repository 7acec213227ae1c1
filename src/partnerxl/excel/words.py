"""Small helpers for the words of the add-in's messages and sheets (standard library only: imported at start-up)."""

from __future__ import annotations


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 error', '2 errors', '3 entries' (with `many`)."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


SHOWN = 8  # problems listed in a message before "and N more" (sheets list them all)


def listed(lines: list[str]) -> str:
    """Lines as a message's bullet list ('(and N more)' stays as it is)."""
    return "\n".join(f"- {line}" if not line.startswith("(and ") else line for line in lines)


def summaries_message(report, *, where: str, verb: str, reviews_folder) -> str:
    """Write summaries' message (the button's and the Lite script's: `verb` is "Press" or "Run")."""
    if not report.paths:
        return (f"Write summaries: {report.headline} from {reviews_folder}. {verb} Roll up portfolio to see which "
                "reviews were left out and why.")
    return (f"Write summaries: {report.headline} written to\n{where}\n\nOne workbook per reviewed partnership, ready "
            f"to print or attach. {verb} Email drafts to prepare the covering emails.")


def rollup_message(report, sheets: list[str]) -> str:
    """Roll up portfolio's message: the headline, where the reviews were read, the sheets replaced and the
    problems kept out of the scores (the button's and the Lite script's)."""
    text = (f"Roll up portfolio: {report.headline}.\n\nReviews read from {report.reviews_folder}. The sheets "
            + ", ".join(sheets[:-1]) + f" and {sheets[-1]} were replaced.")
    if report.findings:
        text += (f"\n\n{plural(len(report.findings), 'problem')} in "
                 f"{plural(report.workbooks_with_problems, 'workbook')} kept out of the scores: see the Problems "
                 "sheet.")
    return text


def drafts_message(report, *, where: str) -> str:
    """Email drafts' message: where the drafts are, that nothing was sent, and the summaries skipped."""
    text = (f"Email drafts: {report.headline}, written to\n{where}\n\nNothing was sent: open each .eml file "
            "(Outlook opens it as a draft), check it and send it yourself.")
    skipped = [d.problem for d in report.skipped]
    if skipped:
        more = [f"(and {len(skipped) - SHOWN} more)"] if len(skipped) > SHOWN else []
        text += "\n\nSkipped:\n" + listed(skipped[:SHOWN] + more)
    return text
