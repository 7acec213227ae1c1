"""Validate and score load only what they use: pandas (about 50 MB and a third of a second) is imported where a
portfolio's tables are made, so a 10,000-row register is validated, and a review scored, without it."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _modules_after(args: list[str]) -> set[str]:
    code = ("import sys\nfrom partnerxl.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print('\\n'.join(sorted(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120,
                          cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


def test_validate_and_score_do_not_import_pandas():
    for args in (["validate", str(ROOT / "workbooks" / "PartnerXL Register.xlsx")],
                 ["score", str(ROOT / "workbooks" / "PartnerXL Review.xlsx")]):
        loaded = _modules_after(args)
        assert "partnerxl.reading.books" in loaded or "partnerxl.reading.review_book" in loaded
        assert "pandas" not in loaded, args
