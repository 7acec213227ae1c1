"""`partnerxl doctor`: what this computer offers each route (docs/install.md), as a list of checks.

Each check is a topic, a status and one plain sentence. The statuses: OK; WARNING (works, or may, but something
needs attention); PROBLEM (the classic add-in will not work until it is fixed); INFO; SKIPPED (does not apply to
this computer, for example the add-in's checks where there is no Excel). `exit_code` is 1 when any check is a
PROBLEM, else 0: a computer without Excel exits 0 after saying what it could check.

What is read, and nothing is changed or started except the add-in's Python (asked for its PartnerXL version):

* Python, PartnerXL and xlwings versions; where the add-in file and templates are (`shipped.py`);
* the add-in in Excel's user startup folder (XLSTART; `install.py`), compared with the one this PartnerXL ships;
* the Python the buttons start: INTERPRETER_WIN / INTERPRETER_MAC (legacy INTERPRETER, default "python" from
  PATH) in the add-in's settings file, as xlwings' GetConfig in the add-in's VBA reads it; a `partnerxl.conf` sheet
  in the add-in itself would win over that file. xlwings' own `xlwings.conf` is mentioned when present: xlwings
  reads its OneDrive/SharePoint settings there, but the PartnerXL add-in takes no interpreter from it (xlwings'
  add-in VBA reads no registry keys for its settings);
* on Windows, Microsoft Defender's rule against Office starting programs (`asr.py`).
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from partnerxl.xlam import asr, install, shipped

OK, WARNING, PROBLEM, INFO, SKIPPED = "OK", "WARNING", "PROBLEM", "INFO", "SKIPPED"
LITE = "xlwings Lite (docs/lite.md)"


@dataclass(frozen=True)
class Check:
    topic: str
    status: str
    words: str


@dataclass(frozen=True)
class Machine:
    """The computer the checks look at: this one by default; tests describe another."""
    platform: str = sys.platform
    home: Path = field(default_factory=Path.home)
    environ: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    registry: asr.RegistryReader = asr.windows_registry_reader
    python: str = sys.executable

    @property
    def has_excel_os(self) -> bool:
        return self.platform.startswith("win") or self.platform == "darwin"


def partnerxl_version() -> str:
    """This PartnerXL's version (`partnerxl --version`)."""
    from partnerxl import __version__

    return __version__


def _version(dist: str) -> str | None:
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def pinned_xlwings() -> str | None:
    """The xlwings version PartnerXL's metadata pins (`xlwings==X`), None when it is not installed as a package."""
    from importlib import metadata

    try:
        requires = metadata.requires("partnerxl") or []
    except metadata.PackageNotFoundError:
        return None
    for req in requires:
        name, sep, rest = req.partition("==")
        if sep and name.strip().lower() == "xlwings":
            return rest.split(";")[0].strip()
    return None


def _python_check(m: Machine) -> Check:
    return Check("Python", OK, f"{sys.version.split()[0]} at {m.python}")


def _partnerxl_check() -> Check:
    package = Path(__file__).resolve().parents[1]
    found = shipped.addin_file().is_file()
    return Check("PartnerXL", OK if found else WARNING,
                 f"{partnerxl_version()} at {package}; its add-in and templates are {shipped.where()}")


def _xlwings_check(m: Machine) -> Check:
    have, pin = _version("xlwings"), pinned_xlwings()
    if have is None:
        if m.platform == "emscripten":
            return Check("xlwings", INFO, "not installed with PartnerXL under Pyodide: xlwings Lite brings its own")
        return Check("xlwings", WARNING, "not installed: the classic add-in needs it ('pip install partnerxl' "
                     "installs it); the command line works without it")
    if pin and have != pin:
        return Check("xlwings", PROBLEM, f"xlwings {have} is installed, but the add-in's VBA is from xlwings {pin}: "
                     "run 'pip install partnerxl' again so that both match")
    return Check("xlwings", OK, have + (" (the version the add-in is built with)" if pin else ""))


def read_conf(path: Path) -> dict[str, str]:
    """An xlwings-style settings file, `"KEY","value"` a line, as the add-in's VBA reads it (keys upper-cased)."""
    out: dict[str, str] = {}
    try:
        text = path.read_text(encoding=install.CONFIG_ENCODING, errors="replace")
    except OSError:
        return out
    for line in text.splitlines():
        key, sep, value = line.partition(",")
        if sep:
            out.setdefault(key.strip().strip('"').upper(), value.strip().strip('"'))
    return out


def _addin_sheet_settings(addin: Path) -> bool:
    """Does the installed add-in carry an active `partnerxl.conf` sheet (its settings then win over the file)?"""
    try:
        with zipfile.ZipFile(addin) as zf:
            workbook = zf.read("xl/workbook.xml")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return f'name="{install.PROJECT_NAME}.conf"'.encode() in workbook


def _addin_check(m: Machine) -> Check:
    folder = install._standard_startup_path(m.platform, m.home, m.environ)
    if folder is None:
        return Check("Add-in", WARNING, "Excel's startup folder (XLSTART) was not found for this user: Excel may not "
                     "be installed, or has not been started yet. Start Excel once, quit it, and run "
                     "'partnerxl addin install'")
    target = folder / install.ADDIN_NAME
    if not target.is_file():
        return Check("Add-in", WARNING, f"not installed (no {target}): run 'partnerxl addin install'")
    words = f"installed at {target}"
    ours = shipped.addin_file()
    if ours.is_file() and ours.read_bytes() != target.read_bytes():
        return Check("Add-in", WARNING, f"{words}, but it is not the add-in of this PartnerXL ({ours}): run "
                     "'partnerxl addin install' to replace it")
    if _addin_sheet_settings(target):
        return Check("Add-in", WARNING, f"{words}; it has an active '{install.PROJECT_NAME}.conf' sheet, whose "
                     "settings win over the settings file below")
    return Check("Add-in", OK, words + (", the same file this PartnerXL ships" if ours.is_file() else ""))


def _interpreter_setting(m: Machine) -> tuple[str, str, Path]:
    """(the interpreter the buttons start, the key that set it or "", the settings file)."""
    conf = install.user_config_path(m.platform, m.home)
    settings = read_conf(conf)
    key = "INTERPRETER_MAC" if m.platform == "darwin" else "INTERPRETER_WIN"
    for name in (key, "INTERPRETER"):  # RunPython's order: the platform's key, then the legacy one
        if settings.get(name):
            return os.path.expandvars(settings[name]), name, conf
    return "python", "", conf


def _probe(python: str) -> str | None:
    """PartnerXL's version as `python` sees it, or None when it cannot import PartnerXL and xlwings."""
    code = "import partnerxl, xlwings; print(partnerxl.__version__)"
    try:
        done = subprocess.run([python, "-c", code], capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def _interpreter_check(m: Machine) -> Check:
    python, key, conf = _interpreter_setting(m)
    override = (f" A {install.PROJECT_NAME}.conf file in a workbook's own folder, or a {install.PROJECT_NAME}.conf "
                "sheet in it, would override this for that workbook.")
    if not key:
        return Check("Buttons' Python", WARNING, f"no INTERPRETER setting in {conf}: the buttons would start "
                     "'python' from PATH. Run 'partnerxl addin install' from the Python that has PartnerXL.")
    said = f"The buttons start {python} ({key} in {conf})."
    if os.path.normcase(os.path.abspath(python)) == os.path.normcase(os.path.abspath(m.python)):
        return Check("Buttons' Python", OK, f"{said} That is this Python.{override}")
    if not Path(python).is_file():
        return Check("Buttons' Python", PROBLEM, f"{said} That file does not exist: run "
                     "'partnerxl addin install' from the Python that has PartnerXL.")
    version = _probe(python)
    if version is None:
        return Check("Buttons' Python", PROBLEM, f"{said} It cannot import PartnerXL and "
                     "xlwings: install PartnerXL there, or run 'partnerxl addin install' from this Python.")
    return Check("Buttons' Python", OK, f"{said} It has PartnerXL {version}.{override}")


def _xlwings_conf_check(m: Machine) -> Check | None:
    path = (install.user_config_path(m.platform, m.home).with_name("xlwings.conf") if m.platform == "darwin"
            else m.home / ".xlwings" / "xlwings.conf")
    if not path.is_file():
        return None
    return Check("xlwings.conf", INFO, f"{path} exists: xlwings reads its OneDrive/SharePoint folder settings there; "
                 "any INTERPRETER in it is for xlwings' own add-in, not PartnerXL's")


def _asr_check(m: Machine) -> Check:
    topic = "Office may start programs"
    if not m.platform.startswith("win"):
        return Check(topic, SKIPPED, "Microsoft Defender's attack-surface-reduction rules apply on Windows only")
    rule = asr.office_child_process_rule(m.registry)
    named = f'Microsoft Defender\'s rule "{asr.RULE_NAME}" ({asr.RULE_ID})'
    where = f", set by {rule.source}" if rule.source else ""
    if rule.state == "block":
        return Check(topic, PROBLEM, f"No: {named} is in block mode{where}. The add-in's buttons cannot start "
                     f"Python (Excel shows run-time error 70). Use {LITE}, which runs Python inside Excel; the "
                     "command line still works.")
    if rule.state == "warn":
        return Check(topic, WARNING, f"Only after a warning: {named} is in warn mode{where}; each button may be "
                     f"stopped until you allow it. {LITE} avoids this.")
    if rule.state == "unknown" or rule.state.startswith("unknown value"):
        unread = "; ".join(rule.unreadable) or "the registry"
        return Check(topic, WARNING, f"Could not tell: {named} could not be read from {unread}. Ask IT whether it is "
                     f"in block mode (Get-MpPreference); if it is, use {LITE}.")
    return Check(topic, OK, f"Yes: {named} is {rule.state}{where}" + (" (only logged)" if rule.state == "audit"
                                                                       else ""))


def checks(machine: Machine | None = None) -> list[Check]:
    """Every check, in the order `partnerxl doctor` prints them."""
    m = machine or Machine()
    out = [_python_check(m), _partnerxl_check(), _xlwings_check(m)]
    if m.has_excel_os:
        out += [_addin_check(m), _interpreter_check(m)]
        conf = _xlwings_conf_check(m)
        out += [conf] if conf else []
    else:
        out.append(Check("Excel", SKIPPED, f"Excel is not on this computer ({m.platform}): the add-in and its "
                         "settings apply on Windows and macOS only. The command line works here."))
    out.append(_asr_check(m))
    return out


def exit_code(found: list[Check]) -> int:
    return 1 if any(c.status == PROBLEM for c in found) else 0


def report(machine: Machine | None = None) -> tuple[list[str], int]:
    """The lines `partnerxl doctor` prints and its exit code."""
    found = checks(machine)
    return [f"{c.status:<8} {c.topic}: {c.words}" for c in found], exit_code(found)
