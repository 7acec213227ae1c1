"""The Review template: About, Checklist, Improvement, Fitness, Invited, Benchmarks and Factors sheets, one row per item of
the instruments in force, so a council's added question or benchmark gets its row, drop-down and scoring."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from partnerxl.core.instruments import Instruments, load_instruments
from partnerxl.documents import template_parts as T
from partnerxl.storage.writing import set_text
from partnerxl.sheets import layout as L


def review_readme(inst: Instruments) -> list[str]:
    c, i, f, b = inst.checklist, inst.improvement, inst.fitness, inst.benchmarks
    return [
        "This workbook is one partnership's annual review. Fill in the pale yellow cells; drop-down lists show the "
        "allowed answers. The sheets are protected (no password) so the questions and statements can't be changed by "
        "accident: Review > Unprotect Sheet if you really need to.",
        "THE SHEETS:",
        "• About — the partnership's ID (as in the register), name, review year, coordinator and the date of the "
        "review.",
        f"• Checklist — {len(c.questions)} questions in {len(c.sections)} sections: status {' / '.join(c.statuses)}, "
        "the evidence (needed for Yes and Partly) and where it is published or recorded. Significant partnerships "
        "complete it every year.",
        f"• Improvement — {len(i.areas)} areas of practice: in place {' / '.join(i.answers)}; every No needs an "
        "action, an owner and a due date. Every partnership completes it every year.",
        f"• Fitness — {len(f.questions)} questions; the action a No calls for is shown beside each question: name "
        "its owner and the date it is due.",
        "• Invited — the partners you asked to rate the benchmarks, one line a person (organisation, name, e-mail; "
        "one organisation may have several). PartnerXL counts who has returned their ratings (the response rate) "
        "and writes a Response form and an e-mail draft for each one still to reply (partnerxl responses).",
        f"• Benchmarks — the {len(b.benchmarks)} statements of '{b.title}'. Each partner rates every statement in "
        "their own column: type the partner's organisation, name and e-mail at the top of the column, then choose a "
        "rating from the drop-down (or 'Don't know'). Record the action needed and by whom for each statement. Significant "
        "partnerships complete it every year. Partners can instead fill in a Response form each and PartnerXL "
        "collates them here (partnerxl collate).",
        "• Factors — typical factors that get in the way of each area: choose Yes where one applies.",
        "CHECKING AND SCORING:",
        "• partnerxl validate \"PartnerXL Review.xlsx\" lists every problem with its sheet and cell; partnerxl score "
        "prints the benchmark scores, checklist readiness and the improvement plan. PartnerXL never changes this file.",
    ]


def build_review(inst: Instruments | None = None) -> Workbook:
    inst = inst or load_instruments()
    wb = T.new_workbook()
    T.readme(wb, "PartnerXL annual partnership review — read me", review_readme(inst))
    _about_sheet(wb)
    _checklist_sheet(wb, inst)
    _improvement_sheet(wb, inst)
    _fitness_sheet(wb, inst)
    _invited_sheet(wb)
    _benchmarks_sheet(wb, inst)
    _factors_sheet(wb, inst)
    return T.finish(wb, inst, "review")


def _about_sheet(wb: Workbook) -> Worksheet:
    ws = wb.create_sheet(L.ABOUT)
    T.title(ws, "About this review", "Fill in the pale yellow cells.")
    T.widths(ws, L.ABOUT_WIDTHS)
    for key, (ref, label) in L.ABOUT_FIELDS.items():
        row = int(ref[1:])
        set_text(ws.cell(row=row, column=1), label)
        ws.cell(row=row, column=1).font = T.font(bold=True)
        T.input_cell(ws[ref], L.DATE_FORMAT if key == "review_date" else None)
        ws[ref].alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
    T.year_validation(ws, L.ABOUT_FIELDS["year"][0])
    T.date_validation(ws, L.ABOUT_FIELDS["review_date"][0], "Date of the review")
    T.protect(ws)
    T.print_setup(ws, "1:1", landscape=False)
    return ws


def _checklist_sheet(wb: Workbook, inst: Instruments) -> Worksheet:
    spec = L.CHECKLIST_SPEC
    rows = L.checklist_rows(inst)
    ws = T.instrument_sheet(wb, spec, heading=inst.checklist.title,
                            subtitle="Status for each question; evidence is needed for Yes and Partly.", rows=rows,
                            minimum_lines=2)
    for r in rows:
        if r.kind == "item":
            for role in spec.inputs:
                T.input_cell(ws[f"{spec.col(role)}{r.row}"])
    T.list_validation(ws, key="checklist_status", ranges=T.item_ranges(spec.col("status"), rows), what="Status")
    T.protect(ws)
    return ws


def _improvement_sheet(wb: Workbook, inst: Instruments) -> Worksheet:
    spec = L.IMPROVEMENT_SPEC
    rows = L.improvement_rows(inst)
    ws = T.instrument_sheet(wb, spec, heading=inst.improvement.title,
                            subtitle="Is each area of practice in place? Every No needs an action, an owner and a "
                                     "due date.", rows=rows, minimum_lines=2)
    for r in rows:
        for role in spec.inputs:
            T.input_cell(ws[f"{spec.col(role)}{r.row}"], L.DATE_FORMAT if role == "due" else None)
    T.list_validation(ws, key="yes_no", ranges=T.item_ranges(spec.col("answer"), rows), what="In place?")
    T.date_validation(ws, T.item_ranges(spec.col("due"), rows), "Due date")
    T.no_highlight(ws, spec.col("answer"), rows)
    T.protect(ws)
    return ws


def _fitness_sheet(wb: Workbook, inst: Instruments) -> Worksheet:
    spec = L.FITNESS_SPEC
    rows = L.fitness_rows(inst)
    ws = T.instrument_sheet(wb, spec, heading=inst.fitness.title,
                            subtitle="Answer Yes or No; a No calls for the action beside it: name its owner and "
                                     "when it is due.", rows=rows)
    actions = {q.id: q.action_if_no for q in inst.fitness.questions}
    for r in rows:
        if r.kind == "item":
            for role in spec.inputs:
                T.input_cell(ws[f"{spec.col(role)}{r.row}"], L.DATE_FORMAT if role == "due" else None)
            c = ws[f"{spec.col('action')}{r.row}"]
            set_text(c, actions[r.id])
            c.alignment = T.WRAP_TOP
            c.font = T.font(italic=True)
    T.fit_rows(ws, [r.row for r in rows if r.kind == "item"], [spec.col("text"), spec.col("action")])
    T.list_validation(ws, key="yes_no", ranges=T.item_ranges(spec.col("answer"), rows), what="Answer")
    T.date_validation(ws, T.item_ranges(spec.col("due"), rows), "Due date")
    T.no_highlight(ws, spec.col("answer"), rows)
    T.protect(ws)
    return ws


def _benchmark_headings(ws: Worksheet, inst: Instruments) -> None:
    """Title, the row labels left of the respondent columns, and one headed column per respondent."""
    spec = L.BENCHMARKS_SPEC
    T.title(ws, inst.benchmarks.title, None)
    set_text(ws["B2"], "Respondent →")
    set_text(ws[f"B{L.BENCH_ORG_ROW}"], "Organisation (type it at the top of the column) →")
    set_text(ws[f"B{L.BENCH_NAME_ROW}"], "Name of the person rating →")
    set_text(ws[f"B{L.BENCH_EMAIL_ROW}"], "Their e-mail (tells two people of one organisation apart) →")
    set_text(ws[f"A{L.BENCH_ORG_ROW}"], "ID")
    for ref in ("B2", f"B{L.BENCH_ORG_ROW}", f"B{L.BENCH_NAME_ROW}", f"B{L.BENCH_EMAIL_ROW}"):
        ws[ref].alignment = Alignment(horizontal="right", vertical="center", wrap_text=True)
        ws[ref].font = T.font(bold=True)
    for i, letter in enumerate(L.respondent_columns(), start=1):
        T.header_cell(ws[f"{letter}{L.BENCH_LABEL_ROW}"], f"Respondent {i}")
        for row in (L.BENCH_ORG_ROW, L.BENCH_NAME_ROW, L.BENCH_EMAIL_ROW):
            T.input_cell(ws[f"{letter}{row}"])
        ws[f"{letter}{L.BENCH_ORG_ROW}"].font = T.font(bold=True)
        ws.column_dimensions[letter].width = L.BENCH_RESPONDENT_WIDTH
    act, who = spec.col("action_needed"), spec.col("by_whom")
    for letter, text in ((act, L.ACTION_NEEDED_HEADER), (who, L.BY_WHOM_HEADER)):
        T.header_cell(ws[f"{letter}{L.BENCH_LABEL_ROW}"], text)
    ws.column_dimensions[act].width = 40
    ws.column_dimensions[who].width = 22
    T.widths(ws, spec.widths)
    T.fit_rows(ws, list(range(L.BENCH_LABEL_ROW, L.BENCH_EMAIL_ROW + 1)), ["B"])


def _benchmarks_sheet(wb: Workbook, inst: Instruments) -> Worksheet:
    spec = L.BENCHMARKS_SPEC
    rows = L.benchmark_rows(inst=inst)
    resp_cols = L.respondent_columns()
    ws = wb.create_sheet(spec.name)
    _benchmark_headings(ws, inst)
    T.item_rows(ws, spec, rows=rows, ncols=len(resp_cols) + 4, merge=2)
    for r in rows:
        if r.kind == "item":
            for letter in [*resp_cols, spec.col("action_needed"), spec.col("by_whom")]:
                T.input_cell(ws[f"{letter}{r.row}"])
    # Two lines at least: a rating ("YES – but needs improving") wraps in a respondent's column.
    T.fit_rows(ws, [r.row for r in rows if r.kind == "item"], [spec.col("text")], minimum=2)
    items = [r.row for r in rows if r.kind == "item"]
    T.list_validation(ws, key="rating", ranges=" ".join(f"{resp_cols[0]}{r}:{resp_cols[-1]}{r}" for r in items),
                      what="Rating")
    T.text_length_validation(ws, f"{resp_cols[0]}{L.BENCH_ORG_ROW}:{resp_cols[-1]}{L.BENCH_ORG_ROW}",
                             what="Respondent's organisation",
                             prompt="Type the organisation of the partner rating in this column. Each person "
                                    "gets one column; one organisation may have several.")
    ws.freeze_panes = spec.freeze
    T.print_setup(ws, spec.title_rows, spec.landscape, title_cols=L.BENCH_PRINT_COLS)
    T.protect(ws)
    return ws


def _invited_sheet(wb: Workbook) -> Worksheet:
    spec = L.INVITED_SPEC
    ws = wb.create_sheet(spec.name)
    T.title(ws, "Invited respondents", "One line a person you asked to rate the benchmarks; one organisation may "
                                       "have several people.")
    T.widths(ws, spec.widths)
    T.header(ws, spec.header_row, spec.headers)
    rows = L.invited_rows()
    for r in rows:
        for role in spec.inputs:
            T.input_cell(ws[f"{spec.col(role)}{r}"])
    T.text_length_validation(ws, f"{spec.col('organisation')}{rows[0]}:{spec.col('name')}{rows[-1]}",
                             what="Invited respondent", prompt="The partner's organisation and the person's name.")
    ws.freeze_panes = spec.freeze
    T.print_setup(ws, spec.title_rows, spec.landscape)
    T.protect(ws)
    return ws


def _factors_sheet(wb: Workbook, inst: Instruments) -> Worksheet:
    spec = L.FACTORS_SPEC
    rows = L.factor_rows(inst)
    ws = T.instrument_sheet(wb, spec, heading="Typical factors",
                            subtitle="Choose Yes where a factor applies to this partnership.", rows=rows)
    for r in rows:
        if r.kind == "item":
            T.input_cell(ws[f"{spec.col('tick')}{r.row}"])
    T.list_validation(ws, key="tick", ranges=T.item_ranges(spec.col("tick"), rows), what="Applies here?")
    T.protect(ws)
    return ws
