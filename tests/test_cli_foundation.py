"""The command line: help, instruments listing and scoring a review given as JSON."""

import json
import subprocess
import sys

from partnerxl.cli import main
from partnerxl.core.models import Review


def run(*args):
    return subprocess.run([sys.executable, "-m", "partnerxl.cli", *args], capture_output=True, text=True)


def test_help_lists_commands():
    out = run("--help")
    assert out.returncode == 0
    for command in ("instruments", "score-json"):
        assert command in out.stdout


def test_instruments_counts(capsys):
    assert main(["instruments"]) == 0
    out = capsys.readouterr().out
    assert "21 benchmarks" in out and "29 questions" in out and "14 areas of practice" in out and "9 questions" in out
    assert "15 guides" in out


def test_score_json(tmp_path, capsys):
    review = Review(partnership_id="P007", year=2024, respondents=[
        {"organisation": "Police", "ratings": {b: 4 for b in ("1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3.1",
                                                              "3.2", "3.3", "4.1", "4.2", "4.3")}},
        {"organisation": "NHS", "ratings": {"1.1": 2}}])
    path = tmp_path / "review.json"
    path.write_text(review.model_dump_json(), encoding="utf-8")
    assert main(["score-json", str(path)]) == 0
    result = json.loads(capsys.readouterr().out)
    # Leadership: 1.1 mean (4 + 2) / 2 = 3, 1.2 = 4, 1.3 = 4 → 11/3; other areas 4 → overall (11/3 + 12) / 4 = 47/12
    assert result["partnership_id"] == "P007" and abs(result["overall"]["score"] - 47 / 12) < 1e-12
    assert result["benchmarks"][0]["split"] is True


def test_score_json_bad_input_is_one_line(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"partnership_id": "P1", "year": 2025, "respondents": [{"organisation": "A", "ratings": {"1.1": 7}}]}')
    out = run("score-json", str(bad))
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "bad.json" in out.stderr and len(out.stderr.strip().splitlines()) == 1
    out = run("score-json", str(tmp_path / "missing.json"))
    assert out.returncode == 2 and "missing.json" in out.stderr and "Traceback" not in out.stderr
