"""The files PartnerXL ships besides its code: the built add-in, the sources it is built from, the workbook templates.

Installed from a wheel, they are package data: `partnerxl/data/addin/partnerxl.xlam`, `partnerxl/data/addin/src/`
and `partnerxl/data/workbooks/*.xlsx`, copied in from the repository's `addin/` and `workbooks/` when the wheel is
built (setup.py). In a source checkout (an editable install) they are read from `addin/` and `workbooks/` directly.
The package's copy wins when both exist, so an installed PartnerXL never picks up a stray checkout.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

ADDIN_NAME = "partnerxl.xlam"


def package_data() -> Path | None:
    """`partnerxl/data` of the installed package, when it holds the shipped files (a wheel install)."""
    root = resources.files("partnerxl") / "data"
    if isinstance(root, Path) and (root / "addin" / ADDIN_NAME).is_file():
        return root
    return None


def checkout() -> Path | None:
    """The root of the source checkout this package is imported from (src/partnerxl/... -> root), if it is one."""
    root = Path(__file__).resolve().parents[3]
    return root if (root / "addin" / ADDIN_NAME).is_file() and (root / "pyproject.toml").is_file() else None


def _base() -> Path | None:
    """The folder that holds `addin/` and `workbooks/`: the package data first, else the checkout."""
    return package_data() or checkout()


def where() -> str:
    """Where the shipped files are found, in words (for `partnerxl doctor`)."""
    data = package_data()
    if data is not None:
        return f"inside the installed package ({data})"
    root = checkout()
    return f"in the source checkout ({root})" if root else "nowhere: this PartnerXL has no add-in file"


def addin_file() -> Path:
    """The built add-in. A path that does not exist when there is none (install_addin then says so)."""
    base = _base()
    return base / "addin" / ADDIN_NAME if base else Path(__file__).resolve().parent / ADDIN_NAME


def addin_sources() -> Path:
    """The folder with customUI.xml and the .bas modules that `partnerxl addin build` builds from."""
    base = _base()
    return base / "addin" / "src" if base else Path("addin") / "src"


def templates() -> list[Path]:
    """The workbook templates as committed (Register, Review, Response and any others in workbooks/)."""
    base = _base()
    return sorted((base / "workbooks").glob("*.xlsx")) if base else []
