"""The "how to" guides an annual review summary points officers to (seed 001): at most three, chosen by one rule.

The rule is written down in docs/scoring.md (section "Recommendation", "Guides to read"); this module is the only
place it is applied. It is pure: a review's score, its recommendation and the guides in force in, guides out.
Guides are taken in this order, each guide once, until there are MAX_GUIDES:

1. **the recommendation** — the first guide whose `outcomes` list the recommendation's verdict ("consider ending" →
   Ending a partnership; "review remit" → Added value);
2. **the weakest areas** — areas rated Red, then Amber (lowest score first; Green and unscored areas are left out):
   for each, the first guide listing the area in `benchmark_areas`;
3. **checklist gaps** — for each checklist section with a gap (No, Partly or unanswered), in the checklist's order,
   the first guide listing the section in `checklist_sections` (section 3 → Governance, 4 → Performance management);
4. **the improvement plan** — for each area of practice answered No, in the template's order, the first guide
   listing it in `improvement_areas` (I13 → Action plans).

"First" means first in the order of `guides.json`.
"""

from __future__ import annotations

from partnerxl.core.instruments import Guide, GuidesInstrument
from partnerxl.core.recommendation import Recommendation
from partnerxl.core.scoring import ReviewScore

MAX_GUIDES = 3
_RAG_ORDER = {"Red": 0, "Amber": 1}


def choose_guides(score: ReviewScore, recommendation: Recommendation | None, guides: GuidesInstrument,
                  limit: int = MAX_GUIDES) -> list[Guide]:
    """The guides (at most `limit`) worth reading for a review scored `score` with `recommendation`."""
    chosen: list[Guide] = []

    def take(wanted) -> None:
        if len(chosen) >= limit:
            return
        g = next((g for g in guides.guides if wanted(g) and g not in chosen), None)
        if g is not None:
            chosen.append(g)

    if recommendation is not None:
        take(lambda g: recommendation.verdict in g.relates_to.outcomes)
    weak = sorted((a for a in score.areas if a.rag in _RAG_ORDER and a.score is not None),
                  key=lambda a: (_RAG_ORDER[a.rag], a.score))
    for area in weak:
        take(lambda g, a=area.id: a in g.relates_to.benchmark_areas)
    sections = list(dict.fromkeys(_section_of(gap.id) for gap in score.checklist.gaps))
    for section in sections:
        take(lambda g, s=section: s in g.relates_to.checklist_sections)
    for item in score.improvement.plan:
        take(lambda g, i=item.area: i in g.relates_to.improvement_areas)
    return chosen


def _section_of(question_id: str) -> str:
    """The checklist section of a question id: "3a" → "3"."""
    return question_id.rstrip("abcdefghijklmnopqrstuvwxyz")
