"""The one-line recommendation on an annual review summary: continue / improve / review remit / consider ending.

The rules are written down in docs/scoring.md, section "Recommendation"; this module is the only place they are
applied. They are checked in order and the first that holds decides:

1. **consider ending** — the overall RAG is Red in this review and in the partnership's previous review
   (the "consider ending or merging" flag of docs/rules.md, "Portfolio flags").
2. **review remit** — the overall RAG is Red in this review (first time), or the fitness-for-purpose review answers
   No to "Are the objectives and remit of the partnership clear?" (F1) or to "Are the strategic priorities clear and
   are partners signed up to them?" (F5), or the arrangement is outside the strategy's scope.
3. **improve** — the overall RAG is Amber; or the overall score cannot be worked out (too few ratings); or there are
   priority benchmarks, improvement-plan items, fitness actions, or an instrument its tier requires is missing.
4. **continue** — everything else: overall Green with none of the above.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from partnerxl.core.scoring import ReviewScore

Verdict = Literal["continue", "improve", "review remit", "consider ending"]

# Fitness questions whose "No" puts the partnership's remit itself in question (seed 000's closing checklist).
REMIT_QUESTIONS = ("F1", "F5")


@dataclass(frozen=True)
class Recommendation:
    verdict: Verdict
    reason: str

    @property
    def line(self) -> str:
        return f"{self.verdict.capitalize()}: {self.reason}"


def recommend(score: ReviewScore, previous: ReviewScore | None = None, *, missing: list[str] | None = None,
              in_scope: bool = True) -> Recommendation:
    """The recommendation for one partnership's review `score` (its previous review's score if there is one)."""
    rag = score.overall.rag
    prev_rag = previous.overall.rag if previous is not None else None
    if rag == "Red" and prev_rag == "Red":
        return Recommendation("consider ending", f"overall rating Red in this review and in the previous one "
                                                 f"({previous.year}); the partnership is consistently failing to "
                                                 "deliver improvement — consider ending or merging it.")
    remit_no = [a for a in score.fitness.actions if a.id in REMIT_QUESTIONS]
    if rag == "Red":
        return Recommendation("review remit", "overall rating Red: review the partnership's remit, membership and "
                                              "priorities with the partners.")
    if remit_no:
        return Recommendation("review remit", "the fitness review answered No to: "
                              + "; ".join(f"{a.question} ({a.action})" for a in remit_no) + ".")
    if not in_scope:
        return Recommendation("review remit", "the arrangement is outside the partnership strategy's scope: "
                                              "manage it through the process for its kind of arrangement.")
    reasons = []
    if rag == "Amber":
        reasons.append("overall rating Amber")
    if rag is None:
        reasons.append("the overall score could not be worked out (too few ratings)")
    if score.priority_benchmarks:
        reasons.append(_count(len(score.priority_benchmarks), "priority benchmark"))
    if score.improvement.plan:
        reasons.append(_count(len(score.improvement.plan), "improvement-plan item"))
    if score.fitness.actions:
        reasons.append(_count(len(score.fitness.actions), "fitness action"))
    if missing:
        reasons.append("missing " + ", ".join(missing))
    if reasons:
        return Recommendation("improve", "; ".join(reasons) + ": " + _next_step(score, missing) + ".")
    if score.actions:  # Green, nothing to improve, but actions agreed: they are still to be done
        n = len(score.actions)
        return Recommendation("continue", f"overall rating Green with no priority benchmarks; keep the {n} agreed "
                                          f"action{'s' if n != 1 else ''} on track.")
    return Recommendation("continue", "overall rating Green with no priority benchmarks or outstanding actions.")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _next_step(score: ReviewScore, missing: list[str] | None) -> str:
    """What 'improve' asks for: never a plan to carry out when the review has no actions."""
    if score.actions:
        return "carry out the key actions on this summary"
    if score.priority_benchmarks:
        return ("agree actions, owners and due dates with the partners for the priority benchmark"
                + ("s" if len(score.priority_benchmarks) > 1 else ""))
    if missing:
        return "complete the missing instrument" + ("s" if len(missing) > 1 else "") + " next year"
    return "agree with the partners what to improve"
