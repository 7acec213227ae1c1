"""Everything a council may set, in one model, with the defaults docs/rules.md states ("Settings").

The Register workbook's *Settings* sheet holds a council's own values; readers turn that sheet into this model.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # docs/rules.md, "Significance tier"
    significance_min_criteria: int = Field(3, ge=1, le=5, description="Criteria (of 5) a Significant partnership meets")
    significant_contribution_gbp: float = Field(100_000, ge=0, description="Council contribution a year that counts as significant (£)")
    long_duration_years: int = Field(5, ge=1, le=50, description="Planned length that counts as long-lasting (years)")
    # docs/rules.md, "Bands and RAG": read through core/scoring.py's rag_of and rag_ranges, never directly
    rag_amber_from: float = Field(2.5, ge=1, le=4, description="Scores from this value are Amber, below it Red")
    rag_green_from: float = Field(3.5, ge=1, le=4, description="Scores from this value are Green")
    # docs/rules.md, "Splits and priorities"
    split_share: float = Field(0.25, gt=0, le=0.5, description="Share of raters needed on each side for a split view")
    # docs/rules.md, "The annual cycle"
    review_interval_months: int = Field(12, ge=1, le=60, description="Months between annual reviews")
    low_response_share: float = Field(0.5, ge=0, le=1, description="Response rate below which a review is flagged")
    # What PartnerXL writes: who it is from, and when replies are due (docs/rules.md, "Chasing and the reply-by
    # date"; worked out once, by core/portfolio.py's reply_by_date).
    council_name: str = Field("", max_length=120, description="Council name, shown on every output")
    officer_name: str = Field("", max_length=120, description="Partnerships officer who signs the e-mails")
    officer_signature: str = Field("", max_length=500, description="Signature under the e-mails (job title, phone)")
    reply_within_days: int = Field(28, ge=1, le=365, description="Days after the as-of date to return Response forms by")
    # docs/rules.md, "Chasing and the reply-by date": summaries go to the lead officers for corrections after the
    # partners' forms are due back, so this must be more days than reply_within_days.
    summary_corrections_within_days: int = Field(42, ge=1, le=365, description="Days after the as-of date to send "
                                                 "corrections to a summary by (after the forms are due back)")
    logo_path: str = Field("", max_length=260, description="Council logo image for the summaries (blank = none)")
    # The committee pack's cover (documents/committee_pack.py): which meeting it goes to, and what the officer asks
    # the committee to do (blank = a sentence made from the portfolio's numbers).
    committee_name: str = Field("", max_length=120, description="Committee the pack goes to (e.g. Audit and "
                                "Governance Committee)")
    committee_date: str = Field("", max_length=60, description="Date of the committee meeting (e.g. 24 June 2025)")
    committee_recommendation: str = Field("", max_length=1500, description="Recommendation to the committee, "
                                          "printed on the pack's cover (blank = one made from the numbers)")
    # Sense checks on typed amounts: a value beyond these is reported rather than summed.
    max_money_gbp: float = Field(1_000_000_000, gt=0, description="Largest amount of money accepted in a cell (£)")
    max_days: float = Field(10_000, gt=0, description="Largest number of officer days accepted in a cell")
    # Workbook safety (not a domain rule): refuse workbooks that would unpack to more than this.
    max_uncompressed_mb: float = Field(200, gt=0, description="Largest workbook PartnerXL will open (MB uncompressed)")

    @field_validator("committee_date", mode="before")
    @classmethod
    def _meeting_date(cls, v: object) -> object:
        """A date typed as a date (read as 2025-06-24, or a date value) is printed as people write it: 24 June 2025."""
        if isinstance(v, dt.datetime):
            v = v.date()
        if isinstance(v, str):
            try:
                v = dt.date.fromisoformat(v.strip()[:10]) if len(v.strip()) in (10, 19) else v
            except ValueError:
                return v
        return f"{v.day} {v:%B %Y}" if isinstance(v, dt.date) else v

    @model_validator(mode="after")
    def _ordered(self) -> "Settings":
        broken = broken_rule(self.model_dump())
        if broken:
            (later, earlier), why = broken
            raise ValueError(f"{later} conflicts with {earlier}: {why}")
        return self


# Settings that must agree with each other (docs/rules.md, "Settings"): (the setting that must be the larger, the
# one it is compared with), what the rule says, and the test. When both are typed on the Settings sheet the first is the one reported (and its default used).
SETTINGS_THAT_MUST_AGREE = (
    (("rag_green_from", "rag_amber_from"), "Amber must not start above Green",
     lambda v: v["rag_amber_from"] <= v["rag_green_from"]),
    (("summary_corrections_within_days", "reply_within_days"),
     "the partners' forms must be due back before the summary corrections are",
     lambda v: v["reply_within_days"] < v["summary_corrections_within_days"]),
)


def broken_rule(values: dict) -> tuple[tuple[str, str], str] | None:
    """The first rule across settings that `values` (the defaults filling in what is not given) break, or None."""
    merged = {k: f.default for k, f in Settings.model_fields.items()} | dict(values)
    for pair, why, holds in SETTINGS_THAT_MUST_AGREE:
        if not holds(merged):
            return pair, why
    return None
