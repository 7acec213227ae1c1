"""The bundled sample portfolio: a fictional council, generated deterministically from a seed.

Fernleigh Borough Council has 15 partnerships across both tiers, every status and several arrangements (three
outside the strategy's scope, one Proposed with gatekeeper answers). Most have annual reviews for the last two
years with 3 to 8 respondents, and a few have earlier reviews too (see EARLIER: three review years, one with a
gap). Every review lists the respondents the officer invited; in a few some have not returned their ratings yet
(see NOT_RETURNED), one with a second person of an organisation that already rated. Fitness-review actions have
owners and due dates (some unowned), and improvement actions due early in 2025 are overdue on the as-of date.
A few realistic mistakes are planted for validation to find (see MISTAKES).
Nothing here is typed into binary files: `sample_models` builds the register and reviews as models, and
`write_sample` writes them into fresh PartnerXL workbooks through fill.py.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

from partnerxl.core.instruments import load_instruments
from partnerxl.core.settings import Settings
from partnerxl.core.models import (BenchmarkAction, ChecklistAnswer, FitnessPlan, ImprovementAnswer, Invitee,
                                   RegisterEntry, Respondent, Review)

SEED = 2024
EXCELLENT = 3.75   # a target rating from which a partnership answers Yes throughout
COUNCIL = "Fernleigh Borough Council"
YEAR = 2024
AS_OF = dt.date(2025, 3, 31)

ORGS = ["Fernleigh Borough Council", "Fernshire County Council", "Fernleigh NHS Trust", "Fernshire Police",
        "Fernleigh Community Voluntary Service", "Fernleigh College", "Fire and Rescue Service",
        "Fernleigh Housing Association", "Chamber of Commerce", "Department for Work and Pensions"]

# id, name, arrangement, status, tier profile, quality by year (target overall rating), respondents, extras
_PLAN = [
    ("P001", "Community Safety Partnership", "Partnership", "Active", "big", {2023: 3.4, 2024: 3.7}, 6, {}),
    ("P002", "Health and Wellbeing Board", "Partnership", "Active", "big", {2023: 2.9, 2024: 3.0}, 8, {}),
    ("P003", "Town Centre Regeneration Board", "Partnership", "Active", "big", {2023: 2.0, 2024: 1.8}, 5,
     {"council_contribution_gbp": 250_000}),
    ("P004", "Children and Young People's Partnership", "Partnership", "Active", "small", {2023: 2.6, 2024: 3.1},
     5, {}),
    ("P005", "Climate Action Network", "Partnership", "Active", "small", {2023: 3.6, 2024: 3.8}, 4, {}),
    ("P006", "Older People's Forum", "Partnership", "Active", "small", {2023: 2.8, 2024: 2.1}, 3, {}),
    ("P007", "Local Employment Partnership", "Partnership", "Active", "small", {}, 0,
     {"last_review_date": dt.date(2022, 11, 10)}),
    ("P008", "Rural Transport Group", "Partnership", "Active", "small", {2024: 2.9}, 4,
     {"lead_officer": None, "lead_officer_email": None}),
    ("P009", "Leisure Services Contract", "Contract for service delivery", "Active", "small", {}, 0,
     {"council_contribution_gbp": 400_000}),
    ("P010", "Tenants' Consultation Panel", "Informal or consultation group", "Active", "small", {}, 0,
     {"lead_officer_email": "tenants.panel(at)fernleigh.gov.uk"}),
    ("P011", "Arts and Heritage Trust Board", "Appointment to an outside body (no strategic role)", "Ending",
     "small", {}, 0, {}),
    ("P012", "Digital Inclusion Partnership", "Partnership", "Proposed", "small", {}, 0,
     {"needs_many_organisations": "Yes", "long_term": "No", "existing_partnership_could_deliver": "Yes",
      "last_review_date": None}),
    ("P013", "Flood Resilience Partnership", "Partnership", "Under review", "big", {2023: 2.7, 2024: 2.8}, 5,
     {"no_checklist": True}),
    ("P014", "Domestic Abuse Partnership", "Partnership", "Active", "small", {2023: 3.3, 2024: 3.5}, 7, {}),
    ("P015", "Youth Sports Alliance", "Partnership", "Closed", "small", {2023: 2.4}, 3,
     {"last_review_date": dt.date(2023, 6, 20)}),
]

# Earlier reviews (year → target overall rating), drawn from generators of their own so the rest of the sample
# stays as it was: P001–P003 have three review years, P014 three with 2022 missing.
EARLIER = {"P001": {2022: 3.2}, "P002": {2022: 2.6}, "P003": {2022: 2.4}, "P014": {2021: 3.0}}

# Invited respondents who have not returned their ratings: (partnership, year) → (organisation index, name).
# P006's three returns of seven invited are a low response; P002's first extra is a second person of an
# organisation that already rated.
NOT_RETURNED = {
    ("P002", 2024): [(0, "Alex Morgan"), (9, "Jo Bennett")],
    ("P004", 2024): [(6, "Chris Hall")],
    ("P006", 2024): [(3, "Sam Lewis"), (4, "Dana Price"), (5, "Lee Carter"), (7, "Mo Ahmed")],
}

# Mistakes planted in the written workbooks, for validation to find: (file, what).
MISTAKES = [
    ("Review P006 2023.xlsx", "a respondent typed 'Maybe' as a benchmark rating (not on the scale)"),
    ("Review P004 2023.xlsx", "the cover sheet names partnership P040, which is not in the register"),
    ("Review P002 2024.xlsx", "an improvement action has no owner, a benchmark action has no 'By whom?'"),
    ("Register.xlsx", "P010's lead officer email is not a valid address; P008 has no lead officer"),
]

# The council's own settings: who signs the chasing e-mails (the thresholds keep their defaults).
SETTINGS = Settings(council_name=COUNCIL, officer_name="Priya Shah",
                    officer_signature="Partnerships Officer, 01632 960 123",
                    committee_name="Audit and Governance Committee", committee_date="22 May 2025")

OFFICERS = ["Priya Shah", "Tom Evans", "Grace Okafor", "Liam Murphy", "Helen Price", "Sam Patel", "Ruth Davies"]


@dataclass
class SampleModels:
    entries: list[RegisterEntry]
    reviews: list[Review]
    mistakes: list[tuple[str, str]] = field(default_factory=lambda: list(MISTAKES))


def _entry(rng: random.Random, pid: str, name: str, arrangement: str, status: str, profile: str,
           extras: dict) -> RegisterEntry:
    big = profile == "big"
    officer = OFFICERS[int(pid[1:]) % len(OFFICERS)]
    partners = rng.sample(ORGS[1:], k=rng.randint(2, 5))
    start = dt.date(rng.randint(2008, 2020), rng.randint(1, 12), 1)
    data = dict(
        id=pid, name=name, purpose=f"To bring partners together on {name.lower()} priorities for Fernleigh.",
        arrangement=arrangement, level="Strategic" if big else "Operational",
        basis="Statutory" if pid in ("P001", "P002") else "Voluntary", membership="Multi organisation",
        geography="Local", structure=rng.choice(["Hub and spoke", "Strong executive", "Strong inclusive convention"]),
        decision_role="Decision-making" if big else "Advisory",
        duration="Permanent" if big else "Time-limited", council_role="Leading" if big else "Supporting",
        engagement="Active partner", legal_status="Unincorporated", partners="; ".join(partners),
        lead_officer=officer, lead_officer_email=officer.lower().replace(" ", ".") + "@fernleigh.gov.uk",
        council_representatives="Cllr " + rng.choice(["Adams", "Brook", "Carter", "Dunn"]),
        council_contribution_gbp=float(rng.choice([120_000, 150_000, 180_000]) if big
                                       else rng.choice([5_000, 12_000, 25_000, 40_000])),
        officer_days=float(rng.choice([40, 60, 90]) if big else rng.choice([5, 10, 15, 20])),
        performance_method="Quarterly performance report to the board against the action plan",
        priority_impact="High" if big else rng.choice(["Medium", "Low"]),
        risk="High" if big else rng.choice(["Medium", "Low"]), reliance="High" if big else "Medium",
        status=status, start_date=start,
        end_date=None if big else dt.date(2026, 3, 31),
        last_review_date=dt.date(YEAR, rng.randint(4, 10), rng.randint(1, 28)),
    )
    register = load_instruments().register
    data.update(extras)
    # A council's register may have fewer fields than the sample knows, or more.
    data = {k: v for k, v in data.items() if k in register.field_names}
    gatekeeper = {q.field for q in register.gatekeeper.questions}  # answered only for Proposed partnerships
    data.update(_council_choices(pid, [f for f in register.fields if f.name not in data and f.name not in gatekeeper]))
    return RegisterEntry(**data)


def _council_choices(pid: str, fields: list) -> dict[str, str]:
    """A value for each closed-list field a council added to its register, so the sample fills its drop-downs too.

    Drawn from a generator of its own, so the rest of the sample stays the same whatever the council added.
    """
    return {f.name: random.Random(f"{SEED} {pid} {f.name}").choice(f.choices) for f in fields if f.type == "choice"}


def _ratings(rng: random.Random, target: float, n: int) -> list[Respondent]:
    bench = load_instruments().benchmarks
    spread = 0.45 if target >= EXCELLENT else 0.6
    respondents = []
    for k in range(n):
        bias = rng.uniform(-0.4, 0.4) if target < EXCELLENT else rng.uniform(0, 0.2)
        ratings = {}
        for b in bench.benchmarks:
            if rng.random() < 0.015:
                continue  # "Don't know"
            ratings[b.id] = max(1, min(4, round(rng.gauss(target + bias, spread))))
        org, name = ORGS[k % len(ORGS)], f"Respondent {k + 1}"
        respondents.append(Respondent(organisation=org, name=name, email=email_of(name, org), ratings=ratings))
    return respondents


def email_of(name: str, organisation: str) -> str:
    """A made-up address for a sample person: 'Respondent 1' of 'Fernshire Police' → respondent.1@fernshire-police.org.uk"""
    domain = "-".join("".join(ch for ch in word if ch.isalnum()) for word in organisation.lower().split())
    return f"{'.'.join(name.lower().split())}@{domain}.org.uk"


def _invited(review: Review) -> list[Invitee]:
    """Everyone who rated, plus those who were asked and have not returned their ratings yet."""
    invited = [Invitee(organisation=r.organisation, name=r.name, email=r.email) for r in review.respondents]
    for org_index, name in NOT_RETURNED.get((review.partnership_id, review.year), []):
        org = ORGS[org_index]
        invited.append(Invitee(organisation=org, name=name, email=email_of(name, org)))
    return invited


def _fitness_plans(review: Review) -> dict[str, FitnessPlan]:
    """An owner and a due date for each fitness action (about one in five left unowned), from a generator of its
    own; due dates fall in the year after the review, so some are past the as-of date."""
    rng = random.Random(f"{SEED} {review.partnership_id} {review.year} fitness")
    plans = {}
    for qid, answer in review.fitness.items():
        if answer == "No":
            owner = None if rng.random() < 0.2 else rng.choice(OFFICERS)
            plans[qid] = FitnessPlan(owner=owner, due=dt.date(review.year + 1, rng.randint(1, 12), 1))
    return plans


# What an officer would write against an area of practice answered No (a council's own areas get the fallback).
SAMPLE_ACTIONS = {
    "I01": "Name a lead officer for the council's involvement",
    "I02": "Agree a one-page statement of purpose with the partners",
    "I03": "Take legal advice on the partnership's status",
    "I04": "Set out what the council wants from the partnership",
    "I05": "Decide whether the council leads or supports, and record it",
    "I06": "Write a plan for the council's support and reporting",
    "I07": "Agree the rules of engagement with the partners",
    "I08": "Write down each member's rights and responsibilities",
    "I09": "Review how decisions are made and recorded",
    "I10": "Review resources, including funding from other sources",
    "I11": "Set up performance reports, scrutiny and evaluation",
    "I12": "Agree how the partnership reports and is held to account",
    "I13": "Write a development plan for the partnership",
    "I14": "Review the governance arrangements with the partners",
}


def _review(rng: random.Random, entry: RegisterEntry, year: int, target: float, n: int, extras: dict) -> Review:
    inst = load_instruments()
    good = 1.0 if target >= EXCELLENT else (target - 1) / 3   # chance of a "Yes" elsewhere
    respondents = _ratings(rng, target, n)
    improvement = {}
    for i, area in enumerate(inst.improvement.areas):
        if rng.random() < good + 0.15:
            improvement[area.id] = ImprovementAnswer(answer="Yes")
        else:
            improvement[area.id] = ImprovementAnswer(
                answer="No", action=SAMPLE_ACTIONS.get(area.id, "Agree an action with the partners and minute it"),
                owner=rng.choice(OFFICERS), due=dt.date(year + 1, rng.randint(1, 12), 1))
    checklist = {}
    if entry.priority_impact == "High" and not extras.get("no_checklist"):
        for q in inst.checklist.questions:
            r = rng.random()
            status = "Yes" if r < good + 0.1 else "Partly" if r < good + 0.35 else "No"
            checklist[q.id] = ChecklistAnswer(status=status, evidence=None if status == "No" else "Board minutes")
    fitness = {q.id: ("Yes" if rng.random() < good + 0.2 else "No") for q in inst.fitness.questions}
    factors = [f.id for a in inst.benchmarks.areas for f in a.factors if rng.random() < 0.25]
    actions = {}
    for b in inst.benchmarks.benchmarks[:: 4]:
        if rng.random() > good:
            actions[b.id] = BenchmarkAction(action_needed=b.possible_actions[0], by_whom=rng.choice(OFFICERS))
    return Review(partnership_id=entry.id, partnership_name=entry.name, year=year, coordinator=entry.lead_officer,
                  review_date=dt.date(year, rng.randint(4, 10), rng.randint(1, 28)), respondents=respondents,
                  benchmark_actions=actions, factors_ticked=factors, checklist=checklist, improvement=improvement,
                  fitness=fitness)


def sample_models(seed: int = SEED) -> SampleModels:
    """The register entries and reviews of the sample portfolio (mistakes are added when writing)."""
    rng = random.Random(seed)
    entries, reviews = [], []
    for pid, name, arrangement, status, profile, quality, n, extras in _PLAN:
        e = _entry(rng, pid, name=name, arrangement=arrangement, status=status, profile=profile, extras=extras)
        for year in sorted(quality):
            rv = _review(rng, e, year=year, target=quality[year], n=n, extras=extras)
            reviews.append(rv)
            if year == max(quality) and "last_review_date" not in extras:
                e = e.model_copy(update={"last_review_date": rv.review_date})
        entries.append(e)
    for pid, quality in EARLIER.items():
        e = next(x for x in entries if x.id == pid)
        n = next(plan[6] for plan in _PLAN if plan[0] == pid)
        for year, target in quality.items():
            reviews.append(_review(random.Random(f"{seed} {pid} {year}"), e, year=year, target=target, n=n, extras={}))
    for i, rv in enumerate(reviews):
        reviews[i] = rv.model_copy(update={"invited": _invited(rv), "fitness_actions": _fitness_plans(rv)})
    # Mistake: P002's 2024 plan has an item with no owner, and a benchmark action nobody owns.
    for rv in reviews:
        if rv.partnership_id == "P002" and rv.year == 2024:
            rv.improvement["I06"] = ImprovementAnswer(answer="No", action="Write a plan for the council's support")
            rv.benchmark_actions["1.3"] = BenchmarkAction(action_needed="Hold a joint away day")
    return SampleModels(entries=entries, reviews=reviews)


def review_file_name(review: Review) -> str:
    return f"Review {review.partnership_id} {review.year}.xlsx"


def write_sample(folder: Path, seed: int = SEED) -> tuple[Path, Path, SampleModels]:
    """Write Register.xlsx and reviews/*.xlsx into `folder`; return (register path, reviews folder, models)."""
    from partnerxl.documents import fill as fill

    folder = Path(folder)
    models = sample_models(seed)
    register = folder / "Register.xlsx"
    reviews_dir = folder / "reviews"
    fill.new_register(register, models.entries, settings=SETTINGS, reviews_folder="reviews", as_of=AS_OF)
    by_id = {e.id: e for e in models.entries}
    for rv in models.reviews:
        path = reviews_dir / review_file_name(rv)
        fill.new_review(path, rv, register_entry=by_id[rv.partnership_id])
    _plant_mistakes(reviews_dir)
    return register, reviews_dir, models


def _plant_mistakes(reviews_dir: Path) -> None:
    """Edit two written reviews the way people get them wrong (a rating off the scale, a mistyped id)."""
    planted = _set_first_rating(reviews_dir / "Review P006 2023.xlsx", "Maybe")
    planted &= _set_about(reviews_dir / "Review P004 2023.xlsx", "partnership_id", "P040")
    if not planted:  # pragma: no cover - the template layout changed
        raise AssertionError("the sample's mistakes could not be planted: check layout.py")


def _set_first_rating(path: Path, value: str) -> bool:
    from openpyxl import load_workbook

    from partnerxl.sheets import layout as L
    from partnerxl.documents.lite_extension import save_keeping_extension
    from partnerxl.storage.writing import set_text

    wb = load_workbook(path)
    ws = wb[L.BENCHMARKS]
    row = next(r.row for r in L.benchmark_rows() if r.kind == "item")
    col = L.respondent_columns()[0]
    set_text(ws[f"{col}{row}"], value)
    save_keeping_extension(wb, path, path)  # openpyxl drops the xlwings Lite scripts: the copy keeps them
    return True


def _set_about(path: Path, field_name: str, value: str) -> bool:
    from openpyxl import load_workbook

    from partnerxl.sheets import layout as L
    from partnerxl.documents.lite_extension import save_keeping_extension
    from partnerxl.storage.writing import set_text

    wb = load_workbook(path)
    cell = L.ABOUT_FIELDS[field_name][0]
    set_text(wb[L.ABOUT][cell], value)
    save_keeping_extension(wb, path, path)
    return True
