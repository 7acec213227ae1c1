"""What the xlwings Lite scripts need that the other presenters do not: a workbook in Lite has no folder.

In xlwings Lite (Pyodide, inside Excel) the open workbook is not a file on disk: Excel holds it, and Python sees
only the files the officer imports under /data (Lite's Files > Import/Export) or, on desktop Excel for Windows, a
mounted local folder. So where the ribbon buttons use the workbook's own folder, Lite's scripts use a folder the
officer gives (`folder`, "/data" unless they type another), and these functions answer the questions the buttons
answer from the workbook's path: where its reviews are, where its register is. The rules stay those of
operations/: a register's reviews folder is the one named on its Settings sheet, relative to the register's
folder; a review is scored under the settings of the register that reads its folder.

Also here: the files `partnerxl lite` writes, and the Lite scripts it puts into an existing workbook.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from partnerxl.core.errors import PartnerXLError
from partnerxl.operations.common import workbook_files
from partnerxl.operations.portfolio import PortfolioReport, portfolio

LITE_HOME = "/data"  # Lite's Import/Export folder


def lite_reviews_folder(register: Any, folder: str | Path, *, create: bool = False) -> Path:
    """The register's reviews folder as Lite sees it: the Settings sheet's folder under `folder` (the register's
    stand-in folder). A Windows path (C:\\…, \\\\server\\…) cannot be reached from Lite, so the folder of that name under
    `folder` is used: importing a folder keeps its name. A path from / (a mounted folder) is used as it is."""
    folder = Path(folder)
    named = (register.reviews_folder or "").strip()
    windows = PureWindowsPath(named)
    if not named:
        found = folder
    elif windows.drive or named.startswith(("\\\\", "//")):
        found = folder / windows.name
    elif PurePosixPath(named).is_absolute():
        found = Path(named)
    else:
        found = folder.joinpath(*windows.parts)  # 'reviews\\2025' typed on Windows is reviews/2025 here
    if create:
        found.mkdir(parents=True, exist_ok=True)
    if not found.is_dir():
        raise PartnerXLError(
            f"The reviews folder '{named or folder}' is not among xlwings Lite's files (looked for {found}). Import "
            "the folder of reviews with xlwings Lite menu > Files > Import/Export (drop the whole folder, so it "
            "keeps its name), or type the folder it is in into the script's folder box, and run it again.")
    return found


def register_portfolio_in(register: Any, folder: str | Path, register_name: str) -> PortfolioReport:
    """The Roll up button's portfolio, in Lite: the open register and the reviews in its reviews folder under
    `folder` (a copy of the register imported there is passed over, as the register's own file is)."""
    reviews = lite_reviews_folder(register, folder)
    paths = workbook_files(reviews, skip=(Path(folder) / register_name,))
    return PortfolioReport.of(portfolio(register, paths), reviews_folder=reviews)


def review_place(folder: str | Path, review_name: str) -> Path:
    """Where the open review stands among Lite's files, for finding its register: its imported copy in `folder`
    or up to two folders down (where importing a reviews folder puts it; never a crawl of a whole mounted drive),
    shallowest first, else `folder` itself, as if it were saved there."""
    folder = Path(folder)
    level = [folder] if folder.is_dir() else []
    for _depth in range(3):
        found = next((d / review_name for d in level if (d / review_name).is_file()), None)
        if found is not None:
            return found
        level = sorted(p for d in level for p in d.iterdir() if p.is_dir() and not p.name.startswith("."))
    return folder / review_name


def lite_files(package: str | None = None) -> dict[str, str]:
    """main.py and requirements.txt for xlwings Lite (`package`: the requirements line that brings PartnerXL)."""
    from partnerxl.documents.lite_files import lite_files as files

    return files(package)


def write_lite_files(out: str | Path, package: str | None = None) -> list[Path]:
    """Write main.py and requirements.txt into the folder `out`, for pasting into Lite's editor."""
    from partnerxl.storage.writing import atomic_write_bytes

    out = Path(out)
    return [atomic_write_bytes(out / name, text.encode("utf-8")) for name, text in lite_files(package).items()]


def add_lite_scripts(workbook: str | Path, out_dir: str | Path, package: str | None = None) -> Path:
    """A copy of an existing .xlsx (made from an older template, or to name the council's own PartnerXL wheel) in
    `out_dir`, carrying PartnerXL's Lite scripts: only its xlwings Lite settings differ, the rest of the file is
    kept byte for byte, and the workbook given is never changed."""
    from partnerxl.documents.lite_extension import attach
    from partnerxl.operations.common import refuse_output_over_input
    from partnerxl.storage.opening import check_file

    path = Path(workbook)
    if path.suffix.lower() != ".xlsx":
        raise PartnerXLError("is not an .xlsx workbook: xlwings Lite's scripts go into an .xlsx.", file=str(path))
    out = Path(out_dir) / path.name
    refuse_output_over_input(out, [path], option="--out (a folder other than the workbook's own)")
    check_file(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    return attach(path, lite_files(package), out=out)
