"""What an officer loads into xlwings Lite: PartnerXL's `main.py` and `requirements.txt`, as text.

The Register and Review templates carry both inside the file (documents/lite_extension.py), `partnerxl lite --out`
writes them to a folder, and docs/lite.md shows them. They are kept here as text, not as .py files in the package:
main.py is code for Lite's editor, not a module of PartnerXL, and it imports the package it would otherwise be in.

main.py holds one `@script` per button that makes sense in Lite (written from `SCRIPTS`), each a single line naming
its function in `partnerxl.excel.lite` (tests/test_lite.py checks every name exists). PartnerXL itself reaches Lite
either from a line in requirements.txt (a release on the package index, or a wheel address the council hosts) or,
by default, from the PartnerXL wheel the officer imports under /data, which main.py installs with micropip's `emfs:`
scheme the first time a script is pressed: docs/lite.md, "How Lite gets PartnerXL", says why that is the default.
"""

from __future__ import annotations

_MAIN_HEAD = '''"""PartnerXL in xlwings Lite: one script per PartnerXL button.

Each script below is a PartnerXL button, under the same name: pick it in xlwings Lite and run it. Each is one
line: the work is done by the PartnerXL package (partnerxl.excel.lite), the same code as the PartnerXL add-in and
the partnerxl command, so a workbook gets the same answers in all three. Files are read from and written to /data
(xlwings Lite menu > Files > Import/Export). Where a script has a "folder" box, another folder can be typed there,
such as a local folder mounted in desktop Excel on Windows. Help: docs/lite.md. Nothing here needs changing.
"""

import glob
import os

import xlwings as xw
from xlwings import script

HOME = "/data"  # where Files > Import/Export keeps the files you import, and shows the files written


async def _run(name, book, *args):
    """partnerxl.excel.lite's `name` on the open workbook, PartnerXL installed first if Lite has not got it."""
    try:
        import partnerxl.excel.lite as lite
    except ImportError:
        lite = await _install_from_data(book)
        if lite is None:
            return
    getattr(lite, name)(book, *args)


async def _install_from_data(book):
    """PartnerXL from its wheel under /data (micropip's emfs: scheme); None, after saying why, if it cannot be."""
    wheels = sorted(glob.glob(HOME + "/**/partnerxl-*.whl", recursive=True), key=os.path.getmtime)
    if not wheels:
        return _say(book, "PartnerXL is not installed in xlwings Lite yet. Import the PartnerXL wheel "
                          "(partnerxl-<version>-py3-none-any.whl, from whoever supports PartnerXL) with xlwings "
                          "Lite menu > Files > Import/Export, then run the script again.")
    print("Installing PartnerXL from " + wheels[-1] + " ...")
    try:
        import micropip

        await micropip.install("emfs:" + wheels[-1])
        import partnerxl.excel.lite as lite
    except Exception as exc:  # shown as one plain message, never a traceback
        return _say(book, "PartnerXL could not be installed from " + wheels[-1] + ": " + str(exc) + "\\n\\nCheck "
                          "that the requirements.txt tab installed without errors (see the output below it), "
                          "then run the script again.")
    return lite


def _say(book, message):
    print(message)
    book.app.alert(message, title="PartnerXL", mode="critical")
'''

# The buttons Lite has, in the order main.py lists them: (the button's name, its function in partnerxl.excel.lite,
# whether it takes a folder, what it does). main.py gets one three-line script each, written out in full, so an
# officer reads plain Python in Lite's editor; a new button is a new row here.
SCRIPTS = (
    ("Validate", "validate", False, ": check this workbook cell by cell; every problem is listed on the Issues sheet."),
    ("Score", "score", True, " (a review): the Scores sheet, under the settings of the register found in the folder."),
    ("Collate responses", "collate_responses", True,
     " (a review): each returned Response form in the folder into a free respondent column."),
    ("Chase responses", "chase_responses", True,
     " (a review): a filled form and an unsent email per partner who has not replied."),
    ("New review", "new_review", True, " (the register): a review workbook for the partnership on the selected row."),
    ("Roll up portfolio", "rollup_portfolio", True,
     " (the register): the portfolio sheets, from the reviews in the reviews folder."),
    ("Write summaries", "write_summaries", True,
     " (the register): one summary workbook per partnership reviewed, in the folder."),
    ("Email drafts", "email_drafts", True,
     " (the register): an unsent email per summary, to its lead officer. Nothing is sent."),
    ("Committee pack", "committee_pack", False,
     ": says what to use instead (the PDF needs Excel's own printing, which Lite cannot start)."),
)


def _script(name: str, function: str, folder: bool, what: str) -> str:
    return (f'@script(name="{name}")\n'
            f"async def {function}(book: xw.Book{', folder: str = HOME' if folder else ''}):\n"
            f'    """{name}{what}"""\n'
            f'    await _run("{function}", book{", folder" if folder else ""})\n')


MAIN_PY = _MAIN_HEAD + "\n\n" + "\n\n".join(_script(*row) for row in SCRIPTS)


# The lines xlwings Lite itself needs, as workbooks saved by Lite carry them ("# required"), except that xlwings is
# pinned to the version PartnerXL is tested on: the remote engine of xlwings 0.33 has no Sheet.used_range, which
# reading the open workbook needs, and from 0.36 a script's extra arguments (folder) become form fields.
LITE_REQUIRED = (
    "xlwings==0.37.8  # required",
    "python-dotenv==1.1.1  # required",
    "pyodide-http  # required",
    "black  # required",
)

# PartnerXL's own dependencies under Pyodide (pyproject.toml, without the desktop-only ones). pandas and pydantic
# come from Pyodide's repository, tied to its version, so they are not pinned (Lite's docs: "don't pin it").
PARTNERXL_NEEDS = (
    "openpyxl>=3.1,<3.2  # PartnerXL",
    "xlsxwriter>=3.2,<3.4  # PartnerXL",
    "pandas  # PartnerXL, from Pyodide",
    "pydantic  # PartnerXL, from Pyodide",
    "defusedxml>=0.7  # PartnerXL",
    "email-validator>=2.1  # PartnerXL",
)


def requirements_txt(package: str | None = None) -> str:
    """Lite's requirements.txt: its own lines, PartnerXL's dependencies and, when given, the line that brings
    PartnerXL itself (`partnerxl==0.1.0`, a wheel's https address, or `emfs:/data/partnerxl-….whl`); without it,
    main.py installs PartnerXL from the wheel imported under /data."""
    lines = [*LITE_REQUIRED, *PARTNERXL_NEEDS]
    if package:
        lines.append(f"{package.strip()}  # PartnerXL itself")
    return "\n".join(lines) + "\n"


def lite_files(package: str | None = None) -> dict[str, str]:
    """{"main.py": …, "requirements.txt": …}: what a workbook carries and what `partnerxl lite --out` writes."""
    return {"main.py": MAIN_PY, "requirements.txt": requirements_txt(package)}
