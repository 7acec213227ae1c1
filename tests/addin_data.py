"""Test data for the add-in tests and benchmark: real PartnerXL templates (templates.build) filled with values.

Only values are put in cells, through the layout module's addresses; the templates' formats, drop-downs, marker
and names come from the real template builder.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from partnerxl.sheets import layout as L
from partnerxl.core.instruments import load_instruments


def entry_values(i: int, **overrides: Any) -> dict[str, Any]:
    """A valid register row for partnership number i (1-based)."""
    values: dict[str, Any] = dict(
        id=f"P{i:03d}", name=f"Partnership {i}", purpose="Joint working on local outcomes",
        arrangement="Partnership", level="Strategic" if i % 2 else "Operational", basis="Voluntary",
        membership="Multi organisation", geography="Local", structure="Hub and spoke", decision_role="Advisory",
        duration="Permanent", council_role="Leading", engagement="Active partner", legal_status="Unincorporated",
        partners="NHS Trust; Police", lead_officer="Ann Officer", lead_officer_email=f"lead{i}@example.gov.uk",
        council_representatives="Cllr Smith", council_contribution_gbp=1000 * (i % 150), officer_days=5,
        other_funding=None, performance_method="Quarterly report to board", priority_impact="Medium", risk="Low",
        reliance="Medium", status="Active", start_date=dt.date(2020, 4, 1), end_date=None,
        last_review_date=dt.date(2025, 6, 1),
    )
    values.update(overrides)
    return values


def register_workbook(rows: list[dict[str, Any]]) -> Any:
    """The register template with one row per dict (field name → value)."""
    from partnerxl.documents.templates import build

    wb = build("register")
    ws = wb[L.REGISTER]
    cols = L.register_columns()
    for r, values in enumerate(rows, start=L.REGISTER_FIRST_ROW):
        for name, value in values.items():
            if value is not None:
                ws[f"{cols[name]}{r}"] = value
    return wb


def review_workbook(pid: str = "P001", name: str = "Partnership 1", year: int = 2025,
                    ratings: dict[str, list[Any]] | None = None, respondents: int = 3,
                    actions: dict[str, tuple[str | None, str | None]] | None = None,
                    improvement: dict[str, tuple] | None = None, about: dict[str, Any] | None = None) -> Any:
    """The review template with About filled, respondents' organisations and ratings on Benchmarks.

    `ratings` maps benchmark id → one value per respondent (a number, a label or None); by default respondent k
    rates every benchmark (k % 4) + 1.
    """
    from partnerxl.documents.templates import build

    inst = load_instruments()
    wb = build("review")
    ab = wb[L.ABOUT]
    fields = dict(partnership_id=pid, partnership_name=name, year=year, coordinator="Rev Iewer",
                  review_date=dt.date(year, 5, 1))
    fields.update(about or {})
    for key, value in fields.items():
        if value is not None:
            ab[L.ABOUT_FIELDS[key][0]] = value
    ws = wb[L.BENCHMARKS]
    cols = L.respondent_columns()
    for k in range(respondents):
        ws[f"{cols[k]}{L.BENCH_ORG_ROW}"] = f"Organisation {k + 1}"
    rows = {r.id: r.row for r in L.benchmark_rows() if r.kind == "item"}
    for b in inst.benchmarks.benchmarks:
        values = (ratings or {}).get(b.id, [(k % 4) + 1 for k in range(respondents)])
        for k, v in enumerate(values):
            if v is not None:
                ws[f"{cols[k]}{rows[b.id]}"] = v
    spec = L.BENCHMARKS_SPEC
    for bid, (action, who) in (actions or {}).items():
        if action:
            ws[f"{spec.col('action_needed')}{rows[bid]}"] = action
        if who:
            ws[f"{spec.col('by_whom')}{rows[bid]}"] = who
    imp = wb[L.IMPROVEMENT]
    irows = {r.id: r.row for r in L.improvement_rows()}
    ispec = L.IMPROVEMENT_SPEC
    for aid, answer in (improvement or {"I01": ("Yes",)}).items():
        for role, value in zip(("answer", "action", "owner", "due"), answer):
            if value is not None:
                imp[f"{ispec.col(role)}{irows[aid]}"] = value
    return wb
