"""Build hook: the wheel carries the classic add-in and the workbook templates (everything else is in pyproject.toml).

The repository keeps one copy of each file where people and tests use it: `addin/partnerxl.xlam` (the built
add-in), `addin/src/` (what `partnerxl addin build` builds it from) and `workbooks/*.xlsx` (the templates). When a
wheel is built, they are copied into the package as `partnerxl/data/addin/...` and `partnerxl/data/workbooks/...`,
where `partnerxl.xlam.shipped` finds them through importlib.resources, so `partnerxl addin install` and
`addin build` work from an installed wheel with no checkout. A build that cannot find them stops: a wheel without
its add-in would install cleanly and fail only in front of an officer. (An editable install reads them from the
checkout instead, and copies nothing.)
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
# folder inside the package -> (folder in the repository, the files to copy, a file that must be among them)
SHIPPED = {
    "data/addin": ("addin", ["partnerxl.xlam"], "partnerxl.xlam"),
    "data/addin/src": ("addin/src", ["customUI.xml", "*.bas"], "customUI.xml"),
    "data/workbooks": ("workbooks", ["*.xlsx"], "PartnerXL Register.xlsx"),
}


class BuildPyWithShippedFiles(build_py):
    """setuptools' build_py, then the add-in and the templates copied into the package being built."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install finds them in the checkout
        for target, (source, patterns, required) in SHIPPED.items():
            files = sorted({f for pattern in patterns for f in (ROOT / source).glob(pattern) if f.is_file()})
            if not any(f.name == required for f in files):
                raise SystemExit(f"error: {source}/{required} is missing: build PartnerXL from a complete checkout "
                                 "or from its sdist (MANIFEST.in carries addin/ and workbooks/)")
            out = Path(self.build_lib) / "partnerxl" / target
            out.mkdir(parents=True, exist_ok=True)
            for f in files:
                shutil.copyfile(f, out / f.name)


setup(cmdclass={"build_py": BuildPyWithShippedFiles})
