"""The Committee summary sheet as rows (sheets/reports.SheetRows): the numbers and lists a committee reads."""

from __future__ import annotations

from typing import Any

from partnerxl.sheets import reports as L


def committee_sheet(p: Any) -> L.SheetRows:
    c = p.committee
    s = L.SheetRows(L.SHEET_COMMITTEE, kinds=[None, None, "wrap"], widths=[44.0, 12.0, 48.0])
    council = getattr(p.settings, "council_name", "") or ""
    s.add("title", [f"Partnership portfolio {p.year}: committee summary" + (f", {council}" if council else "")])
    s.add("note", [f"As at {p.as_of:%d %B %Y}"])
    s.add("section", ["The portfolio", None, None])
    s.add("body", ["Partnerships in the register", c["partnerships"]])
    s.add("body", [f"Reviewed for {p.year}", c["reviewed_this_year"]])
    s.add("money", ["Total council contribution a year (excluding Closed)", c["total_contribution_gbp"]])
    s.add("body", ["Total officer days a year (excluding Closed)", c["total_officer_days"]])
    s.add("body", ["Provisional reviews (some entries could not be read)", c["provisional"]])
    s.add("body", ["Reviews overdue", c["overdue"]])
    s.add("body", ["Actions overdue (due before the as-of date)", c.get("overdue_actions", 0)])
    s.add("body", ["Actions with no owner", c.get("unowned_actions", 0)])
    s.add("body", ["Reviews with a low response from the partners", c.get("low_response", 0)])
    s.add("body", ["Arrangements outside the strategy's scope", c["out_of_scope"]])
    for title, counts in (("By status", c["by_status"]), ("By tier", c["by_tier"]),
                          ("By overall rating (red, amber, green)", c["by_rag"])):
        s.add("section", [title, None, None])
        for k, v in counts.items():
            s.add("rag" if k in L.RAG_COLOURS else "body", [k, v])
    s.add("section", [f"Year-on-year movement of the {c['reviewed_this_year']} reviewed (overall score against the "
                      "previous review)", None, None])
    for k, v in c["movement"].items():
        s.add("body", [k.capitalize(), v])
    for pid, name, why in c["not_comparable"]:
        s.add("body", [f"   {pid} {name}", None, f"Not comparable: {why}"])
    s.add("section", ["Partnerships flagged", None, None])
    if not c["flagged"]:
        s.add("body", ["None", None])
    for pid, name, flags in c["flagged"]:
        s.add("body", [f"{pid} {name}", None, flags])
    if p.problems:
        s.add("section", ["Problems", None, None])
        s.add("body", ["Workbooks left out whole (see the Problems sheet)", c["workbooks_left_out"]])
        s.add("body", ["Workbooks with entries left out (see the Problems sheet)",
                       len({x.file for x in p.problems}) - c["workbooks_left_out"]])
    return s
