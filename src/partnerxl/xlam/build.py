"""Build `partnerxl.xlam` from text sources, without Excel.

Inputs:

* `addin/src/customUI.xml` - the ribbon (checked in `ribbon.py`);
* `addin/src/*.bas` - PartnerXL's own VBA standard modules (the ribbon callbacks in PartnerXL.bas);
* the *installed* xlwings package: its custom add-in template and VBA sources (`template.py`).

The steps: the VBA modules (`vba_modules.py`) go into a source-only VBA project (`vba_project.py`, a compound file
written by `cfb.py`, its streams compressed by `ovba.py`), which goes with the ribbon and the template's parts into
the zip package (`package.py`).

The result is deterministic: the zip entries are stored in a fixed order with fixed timestamps, and the compound
file has zero timestamps and CLSIDs. Two builds from the same sources and the same xlwings give the same bytes;
`tests/test_xlam.py` checks that the committed add-in is such a build.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from partnerxl.xlam import shipped
from partnerxl.xlam.errors import BuildError
from partnerxl.xlam.package import CT_ADDIN, CT_XLSM, package_parts, zip_parts
from partnerxl.xlam.ribbon import CUSTOMUI_PARTS, check_callbacks, ribbon_callbacks
from partnerxl.xlam.template import (VBA_PROJECT_NAME, XlwingsSources, project_modules, read_template_vba,
                                     template_parts, xlwings_sources)
from partnerxl.xlam.vba_modules import Module, bas_module
from partnerxl.xlam.vba_project import vba_project_bin

# CT_XLSM is the other value build_addin_bytes' main_content_type takes.
__all__ = ["Addin", "BuildError", "CT_ADDIN", "CT_XLSM", "build_addin", "build_addin_bytes", "read_sources"]


@dataclass(frozen=True)
class Addin:
    data: bytes                 # the .xlam file
    modules: list[Module]       # in the order of the VBA project
    vba_project: bytes          # xl/vbaProject.bin
    customui_part: str


def _read_module(path: Path) -> Module:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise BuildError(f"cannot read the module ({exc})", file=str(path)) from None
    module = bas_module(text, str(path))
    if module.name.lower() != path.stem.lower():
        raise BuildError(f'VB_Name "{module.name}" must match the file name', file=str(path))
    return module


def read_sources(src_dir: Path) -> tuple[bytes, list[Module]]:
    src_dir = Path(src_dir)
    if not src_dir.is_dir():
        raise BuildError("is not a folder; give the add-in sources' folder (addin/src)", file=str(src_dir))
    ui_path = src_dir / "customUI.xml"
    try:
        ui = ui_path.read_bytes()
    except OSError as exc:
        raise BuildError(f"cannot read the ribbon XML ({exc.strerror})", file=str(ui_path)) from None
    # LF line endings whatever the checkout did (git's autocrlf on Windows), so every checkout builds the same bytes
    ui = ui.replace(b"\r\n", b"\n")
    modules = [_read_module(path) for path in sorted(src_dir.glob("*.bas"))]
    if not modules:
        raise BuildError("holds no .bas module", file=str(src_dir))
    return ui, modules


def build_addin_bytes(src_dir: Path | str, xlw: XlwingsSources | None = None, *,
                      main_content_type: str = CT_ADDIN) -> Addin:
    """Build the add-in in memory. `main_content_type` CT_XLSM gives a macro-enabled workbook instead (for tests:
    LibreOffice refuses the add-in content type)."""
    xlw = xlw or xlwings_sources()
    ui, own_modules = read_sources(Path(src_dir))
    parts = template_parts(xlw.template)
    template_vba = read_template_vba(parts["xl/vbaProject.bin"])
    modules = project_modules(template_vba, own_modules, xlw)

    namespace, ids, actions = ribbon_callbacks(ui)
    check_callbacks(actions, ids, modules, "customUI.xml")
    customui_part, customui_rel = CUSTOMUI_PARTS[namespace]

    vba_bin = vba_project_bin(records=template_vba.records, template_project=template_vba.project, modules=modules,
                              project_name=VBA_PROJECT_NAME)
    package = package_parts(parts, main_content_type=main_content_type, xlwings_version=xlw.version,
                            vba_bin=vba_bin, customui=(customui_part, customui_rel, ui))
    return Addin(zip_parts(package), modules, vba_bin, customui_part)


def default_paths() -> tuple[Path, Path]:
    """`partnerxl addin build` without options: in a checkout's root folder, addin/src -> addin/partnerxl.xlam as
    always; anywhere else, the sources shipped with the installed package -> partnerxl.xlam in the current folder
    (never into the installed package itself)."""
    local = Path("addin") / "src"
    if local.is_dir():
        return local, Path("addin") / shipped.ADDIN_NAME
    return shipped.addin_sources(), Path(shipped.ADDIN_NAME)


def build_addin(src_dir: Path | str | None = None, out: Path | str | None = None) -> Path:
    """Build the add-in from `src_dir` and write it to `out` (each defaults as `default_paths` says). Returns the
    path written."""
    default_src, default_out = default_paths()
    addin = build_addin_bytes(default_src if src_dir is None else src_dir)
    out = Path(default_out if out is None else out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(addin.data)
    except OSError as exc:
        raise BuildError(f"cannot write the add-in ({exc.strerror}); if it is open in Excel, close it first",
                         file=str(out)) from None
    return out
