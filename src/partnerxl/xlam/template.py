"""What the build takes from the installed xlwings: its custom add-in template `quickstart_addin_ribbon.xlam` (the
workbook parts, the `_myaddin.conf` sheet and the VBA project's settings and references), the xlwings module and
the Dictionary class it needs on macOS. The template's one-button ribbon module gives way to PartnerXL's own
modules, and the name "myaddin" becomes "partnerxl" (the add-in then reads `partnerxl.conf` settings)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from importlib import resources

from partnerxl.xlam.errors import BuildError
from partnerxl.xlam.ovba import decompress
from partnerxl.xlam.vba_modules import CODEPAGE, Module, bas_module, cls_module, crlf
from partnerxl.xlam.vba_project import Records, parse_dir, template_modules

PROJECT_NAME = "partnerxl"         # xlwings' PROJECT_NAME: the add-in reads partnerxl.conf settings
VBA_PROJECT_NAME = "PartnerXLAddin"  # the VBA project's name; must differ from every module name
TEMPLATE_PROJECT_NAME = "myaddin"
TEMPLATE_RIBBON_MODULE = "RibbonMyAddin"


@dataclass(frozen=True)
class XlwingsSources:
    version: str
    template: bytes        # quickstart_addin_ribbon.xlam
    custom_addin_bas: str  # xlwings_custom_addin.bas
    dictionary_cls: str    # addin/Dictionary.cls


@dataclass(frozen=True)
class TemplateVba:
    """The template's VBA project, read back."""
    records: Records            # its dir stream
    modules: list[dict]         # its module records (see template_modules)
    sources: dict[str, str]     # module name -> source
    project: str                # its PROJECT stream


def xlwings_sources() -> XlwingsSources:
    """Read the add-in template and VBA sources from the installed xlwings package."""
    try:
        import xlwings
    except ImportError:  # pragma: no cover - xlwings is a dependency
        raise BuildError("xlwings is not installed; run: pip install partnerxl") from None
    root = resources.files("xlwings")
    try:
        return XlwingsSources(
            version=xlwings.__version__,
            template=(root / "quickstart_addin_ribbon.xlam").read_bytes(),
            custom_addin_bas=(root / "xlwings_custom_addin.bas").read_bytes().decode("utf-8"),
            dictionary_cls=(root / "addin" / "Dictionary.cls").read_bytes().decode("utf-8"),
        )
    except OSError as exc:
        raise BuildError(f"the installed xlwings {xlwings.__version__} lacks a file the build needs "
                         f"({exc.filename}); reinstall it with: pip install partnerxl") from None


def template_parts(template: bytes) -> dict[str, bytes]:
    """Every part of the template's zip package, by name."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(template))
        return {name: zf.read(name) for name in zf.namelist()}
    except (zipfile.BadZipFile, KeyError) as exc:
        raise BuildError(f"the xlwings add-in template cannot be read ({exc})") from None


def xlwings_module(text: str) -> Module:
    """xlwings' custom add-in module with PROJECT_NAME set to partnerxl."""
    const = f'Public Const PROJECT_NAME As String = "{TEMPLATE_PROJECT_NAME}"'
    if text.count(const) != 1:
        raise BuildError(f"xlwings_custom_addin.bas no longer contains the line '{const}'; this xlwings version "
                         "is not supported by the add-in build (pyproject.toml pins the supported one)")
    return bas_module(text.replace(const, f'Public Const PROJECT_NAME As String = "{PROJECT_NAME}"'),
                      "xlwings_custom_addin.bas")


def read_template_vba(vba_bin: bytes) -> TemplateVba:
    try:
        import olefile  # reads the template's compound file; only building the add-in needs it
    except ImportError:
        raise BuildError("building the add-in needs olefile: pip install olefile") from None
    ole = olefile.OleFileIO(io.BytesIO(vba_bin))
    try:
        records = parse_dir(decompress(ole.openstream("VBA/dir").read()))
        modules = template_modules(records)
        sources = {}
        for m in modules:
            raw = ole.openstream(f"VBA/{m['stream']}").read()
            sources[m["name"]] = decompress(raw[m["offset"]:]).decode(CODEPAGE)
        project = ole.openstream("PROJECT").read().decode(CODEPAGE)
    finally:
        ole.close()
    return TemplateVba(records, modules, sources, project)


def project_modules(template: TemplateVba, own_modules: list[Module], xlw: XlwingsSources) -> list[Module]:
    """The add-in's modules in the template's order, `own_modules` where its ribbon module was."""
    xlwings_mod = xlwings_module(xlw.custom_addin_bas)
    dictionary = cls_module(xlw.dictionary_cls, "xlwings/addin/Dictionary.cls")
    modules: list[Module] = []
    for tm in template.modules:
        name = tm["name"]
        if name == TEMPLATE_RIBBON_MODULE:
            modules += own_modules
        elif name == xlwings_mod.name:
            modules.append(xlwings_mod)
        elif name == dictionary.name:
            modules.append(dictionary)
        elif tm["type"] == 0x0022 and template.sources[name].startswith(f'Attribute VB_Name = "{name}"'):
            modules.append(Module(name, "document", crlf(template.sources[name]), tm["docstring"]))
        else:
            raise BuildError(f"the xlwings add-in template has an unexpected VBA module {name}")
    if not any(m in modules for m in own_modules):
        raise BuildError(f"the xlwings add-in template has no {TEMPLATE_RIBBON_MODULE} module to replace")
    names = [m.name.lower() for m in modules]
    clash = sorted({n for n in names if names.count(n) > 1} | ({VBA_PROJECT_NAME.lower()} & set(names)))
    if clash:
        raise BuildError(f"module names must be unique and differ from the project name: {', '.join(clash)}")
    return modules
