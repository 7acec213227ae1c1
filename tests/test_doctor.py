"""`partnerxl doctor` (src/partnerxl/xlam/doctor.py, asr.py): the checks on this computer, and on Windows and macOS
computers described by a Machine (a home folder laid out as Excel and the add-in leave it, and a registry reader
answering as Windows would: a value, nothing, or access refused)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from partnerxl.cli import main
from partnerxl.xlam import asr, doctor, shipped
from partnerxl.xlam.doctor import INFO, OK, PROBLEM, SKIPPED, WARNING, Machine

RULE = asr.RULE_ID


def registry(values: dict[tuple[str, str], str | None] | None = None, refused: set[str] = frozenset()):
    """A reader of HKEY_LOCAL_MACHINE values: `values` by (key, value name); keys in `refused` raise PermissionError."""
    values = values or {}

    def read(key: str, name: str) -> str | None:
        if key in refused:
            raise PermissionError(5, "Access is denied")
        return values.get((key, name))
    return read


def windows(tmp_path: Path, *, installed: bool = True, interpreter: str | None = sys.executable, read=None,
            python: str = sys.executable) -> Machine:
    """A Windows user's folders: Excel has run (APPDATA\\Microsoft\\Excel), the add-in in XLSTART, the settings file."""
    home = tmp_path / "home"
    appdata = home / "AppData" / "Roaming"
    xlstart = appdata / "Microsoft" / "Excel" / "XLSTART"
    xlstart.mkdir(parents=True)
    if installed:
        shutil.copyfile(shipped.addin_file(), xlstart / "partnerxl.xlam")
    if interpreter is not None:
        conf = home / ".partnerxl" / "partnerxl.conf"
        conf.parent.mkdir(parents=True)
        conf.write_text(f'"SHOW CONSOLE","False"\n"INTERPRETER_WIN","{interpreter}"\n', encoding="utf-8")
    return Machine(platform="win32", home=home, environ={"APPDATA": str(appdata)}, registry=read or registry(),
                   python=python)


def by_topic(found: list[doctor.Check]) -> dict[str, doctor.Check]:
    return {c.topic: c for c in found}


def test_on_this_computer_doctor_exits_0_and_says_what_it_checked(capsys):
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    for topic in ("Python:", "PartnerXL:", "xlwings:", "Office may start programs:"):
        assert topic in out
    if not sys.platform.startswith(("win", "darwin")):
        assert "SKIPPED  Excel: Excel is not on this computer" in out


def test_a_windows_pc_that_is_ready(tmp_path):
    found = by_topic(doctor.checks(windows(tmp_path)))
    assert found["Add-in"].status == OK and "XLSTART" in found["Add-in"].words
    assert found["Buttons' Python"].status == OK and "That is this Python" in found["Buttons' Python"].words
    assert found["Office may start programs"].status == OK
    assert "not configured" in found["Office may start programs"].words


def test_block_mode_names_the_rule_and_points_to_lite(tmp_path):
    read = registry({(asr.GROUP_POLICY[1], RULE): "1"})
    found = doctor.checks(windows(tmp_path, read=read))
    asr_check = by_topic(found)["Office may start programs"]
    assert asr_check.status == PROBLEM
    for words in ("Block all Office applications from creating child processes", RULE, "block mode",
                  "group policy", "docs/lite.md", "run-time error 70"):
        assert words in asr_check.words
    assert doctor.exit_code(found) == 1


@pytest.mark.parametrize("values, refused, state, status", [
    ({(asr.MDM[1], "ASRRules"): f"{{{RULE.lower()}}}=1|75668C1F-73B5-4CF0-BB93-3ECF5CB7CC84=2"}, set(), "block",
     PROBLEM),
    ({(asr.LOCAL[1], RULE): "6"}, set(), "warn", WARNING),
    ({(asr.GROUP_POLICY[1], RULE): "2"}, set(), "audit", OK),
    ({(asr.GROUP_POLICY[1], RULE): "0", (asr.LOCAL[1], RULE): "1"}, set(), "off", OK),  # policy wins
    ({}, {asr.LOCAL[1]}, "unknown", WARNING),
    ({(asr.GROUP_POLICY[1], RULE): "1"}, {asr.LOCAL[1]}, "block", PROBLEM),
])
def test_the_rule_is_read_from_each_place_windows_keeps_it(tmp_path, values, refused, state, status):
    read = registry(values, refused)
    assert asr.office_child_process_rule(read).state == state
    assert by_topic(doctor.checks(windows(tmp_path, read=read)))["Office may start programs"].status == status


def test_the_buttons_python_is_found_as_the_addins_vba_finds_it(tmp_path):
    other = windows(tmp_path / "a", python="/some/other/python")  # the settings name this test's Python
    check = by_topic(doctor.checks(other))["Buttons' Python"]
    assert check.status == OK and "It has PartnerXL" in check.words and "INTERPRETER_WIN" in check.words
    gone = by_topic(doctor.checks(windows(tmp_path / "b", interpreter=str(tmp_path / "no" / "python.exe"))))
    assert gone["Buttons' Python"].status == PROBLEM and "does not exist" in gone["Buttons' Python"].words
    unset = by_topic(doctor.checks(windows(tmp_path / "c", interpreter=None)))
    assert unset["Buttons' Python"].status == WARNING and "'python' from PATH" in unset["Buttons' Python"].words


def test_an_addin_that_is_missing_or_another_version(tmp_path):
    missing = by_topic(doctor.checks(windows(tmp_path / "a", installed=False)))["Add-in"]
    assert missing.status == WARNING and "partnerxl addin install" in missing.words
    machine = windows(tmp_path / "b")
    installed = Path(machine.environ["APPDATA"]) / "Microsoft" / "Excel" / "XLSTART" / "partnerxl.xlam"
    installed.write_bytes(installed.read_bytes() + b"\0")
    assert "not the add-in of this PartnerXL" in by_topic(doctor.checks(machine))["Add-in"].words


def test_xlwings_conf_is_mentioned_but_not_taken_for_the_addins_settings(tmp_path):
    machine = windows(tmp_path)
    conf = machine.home / ".xlwings" / "xlwings.conf"
    conf.parent.mkdir()
    conf.write_text('"INTERPRETER_WIN","C:\\elsewhere\\python.exe"\n', encoding="utf-8")
    found = by_topic(doctor.checks(machine))
    assert found["xlwings.conf"].status == INFO
    assert "That is this Python" in found["Buttons' Python"].words


def test_a_mac_where_excel_never_ran_and_a_computer_without_excel(tmp_path):
    mac = by_topic(doctor.checks(Machine(platform="darwin", home=tmp_path, environ={})))
    assert mac["Add-in"].status == WARNING and "Start Excel once" in mac["Add-in"].words
    assert mac["Office may start programs"].status == SKIPPED
    linux = doctor.checks(Machine(platform="linux", home=tmp_path, environ={}))
    assert by_topic(linux)["Excel"].status == SKIPPED and doctor.exit_code(linux) == 0
    lines, code = doctor.report(Machine(platform="linux", home=tmp_path, environ={}))
    assert code == 0 and lines[0].startswith("OK       Python: ")
