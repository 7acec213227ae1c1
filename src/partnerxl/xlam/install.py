"""Install partnerxl.xlam for the current user: what `xlwings addin install --file` does, plus the settings.

1. Find Excel's user startup folder (XLSTART): asked from a running Excel through xlwings when there is one, else
   the standard location (Windows: %APPDATA%\\Microsoft\\Excel\\XLSTART; macOS: the Excel "Startup" folder in
   Office's group container). Excel opens every workbook in that folder when it starts, so the add-in loads itself.
2. Copy the add-in there (closing it first in a running Excel, as xlwings does).
3. Record the Python that should run the buttons - this interpreter, the one PartnerXL is installed in - as
   INTERPRETER_WIN / INTERPRETER_MAC in the add-in's user settings file. The add-in is an xlwings custom add-in
   named "partnerxl", so its VBA reads `%USERPROFILE%\\.partnerxl\\partnerxl.conf` on Windows and
   `~/Library/Containers/com.microsoft.Excel/Data/partnerxl.conf` on macOS (xlwings' GetConfigFilePath), in the
   same `"KEY","value"` format as xlwings.conf. Other lines in that file are kept.
4. On macOS, install xlwings' AppleScript that lets Excel start Python (`xlwings runpython install`).

Without Excel (on Linux, or no startup folder can be found) it stops with a PartnerXLError saying so.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from partnerxl.core.errors import PartnerXLError
from partnerxl.xlam import shipped
from partnerxl.xlam.shipped import ADDIN_NAME
PROJECT_NAME = "partnerxl"
# VBA reads the settings file in the ANSI code page on Windows ("mbcs"), as xlwings writes it there.
CONFIG_ENCODING = "mbcs" if sys.platform.startswith("win") else "utf-8"


@dataclass(frozen=True)
class InstallResult:
    addin_path: Path
    config_path: Path
    interpreter: str
    notes: list[str]


def default_addin_file() -> Path:
    """The add-in to install when no --file is given: the copy inside the installed package (a wheel install), else
    the built add-in of a source checkout (addin/partnerxl.xlam next to src/); see shipped.py."""
    return shipped.addin_file()


def _running_excel_startup_path() -> Path | None:
    """Excel's user startup folder as a running Excel reports it (None without a running Excel)."""
    try:
        import xlwings as xw

        if xw.apps.count:
            return Path(xw.apps.active.startup_path)
    except Exception:  # no Excel engine on this platform, Excel not running, or not answering
        return None
    return None


def _standard_startup_path(platform: str = sys.platform, home: Path | None = None,
                           environ: dict[str, str] | None = None) -> Path | None:
    """The standard user XLSTART folder, if Excel's own folder for this user exists (Excel has run here)."""
    home = home or Path.home()
    environ = dict(os.environ) if environ is None else environ
    if platform.startswith("win"):
        appdata = environ.get("APPDATA")
        if appdata and (Path(appdata) / "Microsoft" / "Excel").is_dir():
            return Path(appdata) / "Microsoft" / "Excel" / "XLSTART"
    elif platform == "darwin":
        office = home / "Library" / "Group Containers" / "UBF8T346G9.Office"
        if office.is_dir():
            return office / "User Content.localized" / "Startup.localized" / "Excel"
    return None


def find_startup_folder() -> Path:
    folder = _running_excel_startup_path() or _standard_startup_path()
    if folder is None:
        if sys.platform.startswith(("win", "darwin")):
            raise PartnerXLError(
                "cannot find Excel's startup folder (XLSTART) for this user. Start Excel once, quit it, and run "
                "'partnerxl addin install' again; or, in Excel, use File > Options > Add-ins > Go... > Browse to "
                "add partnerxl.xlam by hand.")
        raise PartnerXLError(
            f"Excel is not available on this computer ({sys.platform}): the add-in can only be installed on "
            "Windows or macOS with Microsoft Excel. Install PartnerXL on such a computer (pip install partnerxl) "
            "and run 'partnerxl addin install' there; without a local Python, use xlwings Lite (docs/lite.md).")
    return folder


def user_config_path(platform: str = sys.platform, home: Path | None = None) -> Path:
    """The add-in's user settings file, as its VBA (xlwings' GetConfigFilePath) finds it."""
    home = home or Path.home()
    if platform == "darwin":
        return home / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / f"{PROJECT_NAME}.conf"
    return home / f".{PROJECT_NAME}" / f"{PROJECT_NAME}.conf"


def update_config(path: Path, key: str, value: str) -> None:
    """Set `"KEY","value"` in an xlwings-style settings file, keeping every other line (as xlwings'
    update_user_config does)."""
    lines: list[str] = []
    if path.exists():
        for line in path.read_text(encoding=CONFIG_ENCODING, errors="replace").splitlines():
            if line.strip() and line.split(",")[0].strip().strip('"').upper() != key.upper():
                lines.append(line)
    lines.append(f'"{key}","{value}"')
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding=CONFIG_ENCODING)


def _close_in_running_excel(name: str) -> None:
    try:
        import xlwings as xw

        for app in xw.apps:
            try:
                app.books[name].close()
            except Exception:
                pass
    except Exception:
        pass


def install_addin(addin_file: Path | str | None = None) -> InstallResult:
    """Install the add-in for this user (see the module docstring). Raises PartnerXLError on any problem."""
    source = Path(addin_file) if addin_file else default_addin_file()
    if not source.is_file():
        raise PartnerXLError("the add-in file does not exist. Give it with --file, e.g. "
                             "'partnerxl addin install --file partnerxl.xlam'", file=str(source))
    if source.suffix.lower() != ".xlam":
        raise PartnerXLError("is not an Excel add-in (.xlam)", file=str(source))
    folder = find_startup_folder()
    target = folder / ADDIN_NAME
    _close_in_running_excel(ADDIN_NAME)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    except OSError as exc:
        raise PartnerXLError(f"cannot copy the add-in into Excel's startup folder ({exc.strerror}). If Excel is "
                             "running, quit it and try again.", file=str(target)) from None

    key = "INTERPRETER_MAC" if sys.platform == "darwin" else "INTERPRETER_WIN"
    config = user_config_path()
    try:
        update_config(config, key, sys.executable)
    except UnicodeEncodeError:
        raise PartnerXLError(f"the path of this Python ({sys.executable}) has characters Excel's VBA cannot read "
                             "from the settings file; install Python in a folder whose path has only plain letters",
                             file=str(config)) from None
    except OSError as exc:
        raise PartnerXLError(f"cannot write the add-in's settings ({exc.strerror})", file=str(config)) from None

    notes = []
    if sys.platform == "darwin":
        try:
            from xlwings.cli import runpython_install

            runpython_install(None)
            notes.append("Installed xlwings' AppleScript so Excel can start Python (xlwings runpython install).")
        except Exception as exc:  # pragma: no cover - macOS only
            notes.append(f"Could not install xlwings' AppleScript ({exc}); run 'xlwings runpython install'.")
    notes.append("Restart Excel (on macOS quit it with Cmd-Q first): the Partnerships tab appears on the ribbon.")
    return InstallResult(target, config, sys.executable, notes)
