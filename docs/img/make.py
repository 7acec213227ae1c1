"""Make the pictures in docs/img from the demo: a summary, the dashboard, and the cover and the overview of the
committee pack.

    python docs/img/make.py            # needs LibreOffice (soffice) and poppler-utils (pdftoppm, pdftotext)

The demo is written to a temporary folder, printed to PDF with LibreOffice headless, and the chosen pages are
turned into PNG at 70 dpi.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from partnerxl import operations as ops
from partnerxl.demo import run_demo

HERE = Path(__file__).resolve().parent
SUMMARY = "P003"     # the weakest partnership: the summary most likely to reach committee
DPI = "70"


def page_png(pdf: Path, page: int, out: Path) -> None:
    subprocess.run(["pdftoppm", "-png", "-r", DPI, "-f", str(page), "-l", str(page), "-singlefile", str(pdf),
                    str(out.with_suffix(""))], check=True)


def page_with(pdf: Path, text: str) -> int:
    """The first page of `pdf` whose text holds `text`."""
    pages = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return next(i for i, page in enumerate(pages.split("\f"), start=1) if text in page)


def main() -> int:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None or shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None:
        print("Needs LibreOffice (soffice) and poppler-utils (pdftoppm, pdftotext).", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="partnerxl-img-") as tmp:
        folder = Path(tmp)
        demo = run_demo(folder / "demo")
        summary = next(p for p in demo.summaries if f" {SUMMARY} " in p.name)
        pack = ops.write_pack_workbook(demo.portfolio, folder / "Committee pack.xlsx")
        subprocess.run([exe, f"-env:UserInstallation=file://{folder / 'lo'}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(folder), str(summary), str(demo.portfolio_path), str(pack)],
                       check=True, capture_output=True, timeout=300)
        page_png(folder / (summary.stem + ".pdf"), 1, HERE / "summary.png")
        page_png(folder / (demo.portfolio_path.stem + ".pdf"), 1, HERE / "dashboard.png")
        pack_pdf = folder / "Committee pack.pdf"
        page_png(pack_pdf, 1, HERE / "pack.png")
        page_png(pack_pdf, page_with(pack_pdf, "Overview of the partnerships,"), HERE / "overview.png")
    print("wrote", ", ".join(str(HERE / n) for n in ("summary.png", "dashboard.png", "pack.png", "overview.png")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
