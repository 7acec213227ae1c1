"""The raw floor (a benchmark, not a test): python-calamine opening every review in a folder and reading every
cell of every sheet, in one process. No reader of these files can be faster than this.

    python benchmarks/floor.py REVIEWS_FOLDER
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(folder: str) -> int:
    from python_calamine import CalamineWorkbook

    cells = 0
    files = sorted(Path(folder).glob("*.xlsx"))
    for path in files:
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            cells += sum(len(row) for row in book.get_sheet_by_name(name).to_python())
        book.close()
    print(f"{len(files)} files, {cells} cells")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
