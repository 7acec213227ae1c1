"""Shared fixtures: models of a small portfolio and filled PartnerXL workbooks built from the templates."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from partnerxl.core.models import RegisterEntry, Respondent, Review

# --- workbook issue: registers, reviews and responses --------------------------------------------------------------

AS_OF = dt.date(2025, 6, 30)


def make_entry(pid: str = "P001", name: str = "Safer Streets", **overrides) -> RegisterEntry:
    """A complete, valid register entry (Significant: contribution, priority, risk, permanent, reliance)."""
    data = dict(
        id=pid, name=name, purpose="Reduce crime and disorder", arrangement="Partnership", level="Strategic",
        basis="Statutory", membership="Multi organisation", geography="Local", structure="Hub and spoke",
        decision_role="Decision-making", duration="Permanent", council_role="Leading", engagement="Active partner",
        legal_status="Unincorporated", partners="Police; NHS; Fire", lead_officer="A Officer",
        lead_officer_email="a.officer@council.gov.uk", council_representatives="Cllr B",
        council_contribution_gbp=150000, officer_days=40, other_funding="Home Office grant",
        performance_method="Quarterly KPI report", priority_impact="High", risk="High", reliance="High",
        status="Active", start_date=dt.date(2019, 4, 1), end_date=None, last_review_date=dt.date(2024, 5, 1),
    )
    data.update(overrides)
    return RegisterEntry(**data)


def make_review(pid: str = "P001", year: int = 2025, organisations=("Police", "NHS", "Fire"), **overrides) -> Review:
    """A complete review: every benchmark rated by each organisation, all instruments answered."""
    from partnerxl.core.instruments import load_instruments

    inst = load_instruments()
    bench_ids = [b.id for b in inst.benchmarks.benchmarks]
    respondents = [Respondent(organisation=org, name=f"{org} lead",
                              ratings={bid: 1 + (i + j) % 4 for j, bid in enumerate(bench_ids)})
                   for i, org in enumerate(organisations)]
    data = dict(
        partnership_id=pid, partnership_name="Safer Streets", year=year, coordinator="C Coordinator",
        review_date=dt.date(2025, 5, 20), respondents=respondents,
        benchmark_actions={"1.1": {"action_needed": "Refresh the vision", "by_whom": "Board chair"}},
        factors_ticked=["1.f1", "2.f3"],
        checklist={q.id: {"status": "Yes", "evidence": f"Minutes {q.id}"} for q in inst.checklist.questions},
        improvement={a.id: {"answer": "Yes"} for a in inst.improvement.areas},
        fitness={q.id: "Yes" for q in inst.fitness.questions},
    )
    data.update(overrides)
    return Review(**data)


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def edit_cells(path: Path, sheet: str, values: dict[str, object], out: Path | None = None) -> Path:
    """Change cells of a workbook with openpyxl, as an officer would by typing (strings stay text)."""
    from openpyxl import load_workbook

    from partnerxl.storage.writing import set_text

    wb = load_workbook(path)
    ws = wb[sheet]
    for ref, value in values.items():
        set_text(ws[ref], value)
    out = out or path
    wb.save(out)
    return out


@pytest.fixture
def register_path(tmp_path: Path) -> Path:
    from partnerxl.documents.fill import new_register

    entries = [make_entry(), make_entry("P002", "Healthy Homes", council_contribution_gbp=5000, priority_impact="Low",
                                        risk="Low", reliance="Low", duration="Time-limited",
                                        end_date=dt.date(2026, 3, 31))]
    return new_register(tmp_path / "Register.xlsx", entries, reviews_folder="reviews", as_of=AS_OF)


@pytest.fixture
def review_path(tmp_path: Path) -> Path:
    from partnerxl.documents.fill import new_review

    return new_review(tmp_path / "Review P001 2025.xlsx", make_review())


@pytest.fixture
def blank_review_path(tmp_path: Path) -> Path:
    """A review with the About sheet filled in and nothing else (ready for collating)."""
    from partnerxl.documents.fill import new_review

    review = Review(partnership_id="P001", partnership_name="Safer Streets", year=2025)
    return new_review(tmp_path / "Blank review.xlsx", review)


@pytest.fixture
def response_factory(tmp_path: Path):
    from partnerxl.documents.fill import new_response
    from partnerxl.core.instruments import load_instruments

    bench_ids = [b.id for b in load_instruments().benchmarks.benchmarks]

    def make(org: str, pid: str = "P001", year: int = 2025, rating: int = 3, comments=None) -> Path:
        resp = Respondent(organisation=org, name=f"{org} person", ratings={b: rating for b in bench_ids})
        return new_response(tmp_path / f"Response {org} {pid}.xlsx", pid, "Safer Streets", year, resp, comments)

    return make
