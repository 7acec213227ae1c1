"""A flood of alike problems stays readable: a reviews folder holding many files that are not workbooks gives one
grouped line on the console (with examples), while the Problems sheet still names every file."""

from __future__ import annotations

import openpyxl

from partnerxl.cli import main
from partnerxl.documents import sample
from partnerxl.operations.report import GROUP_AT, problem_lines
from partnerxl.core.findings import finding


def test_alike_problems_are_grouped_and_the_rest_listed():
    many = [finding("file-not-used", f"note {i:03}.txt", value=".txt", detail="it is not a workbook.")
            for i in range(GROUP_AT + 5)]
    few = [finding("unreadable-file", "broken.xlsx", detail="is not a zip file.")]
    lines = problem_lines([*many, *few])
    assert len(lines) == 2
    assert lines[0].startswith(f"{GROUP_AT + 5:,} problems 'File not used' (for example note 000.txt, note 001.txt")
    assert lines[1].startswith("broken.xlsx: ")
    assert problem_lines(many[:GROUP_AT]) == [f"note {i:03}.txt: {many[i].message}" for i in range(GROUP_AT)]
    assert problem_lines([*many, *few], limit=1)[-1] == "(and 1 more)"


def test_rollup_of_a_folder_full_of_other_files_prints_a_few_lines(tmp_path, capsys):
    register, reviews, _models = sample.write_sample(tmp_path / "demo")
    for i in range(300):
        (reviews / f"scan {i:04}.pdf").write_bytes(b"%PDF-1.4")
    out = tmp_path / "Portfolio.xlsx"
    main(["rollup", str(register), str(reviews), "--year", str(sample.YEAR), "--out", str(out)])
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) < 20, printed
    assert any(line.strip().startswith("problem: 300 problems 'File not used'") for line in printed)
    rows = list(openpyxl.load_workbook(out, read_only=True)["Problems"].iter_rows(values_only=True))
    listed = {cell for row in rows for cell in row if isinstance(cell, str) and cell.startswith("scan ")}
    assert len(listed) == 300
