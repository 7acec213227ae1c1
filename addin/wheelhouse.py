"""Build an offline wheelhouse: PartnerXL and every dependency as Windows wheels, for PCs with no internet access.

    python addin/wheelhouse.py [--out wheelhouse] [--python-version 3.11 3.12]

Run it from a checkout of PartnerXL, on any computer with internet access and Python 3.11 or later (it needs only
pip, not PartnerXL). It builds PartnerXL's own wheel from the checkout (the wheel carries the add-in and the
templates), then has `pip download` fetch, for 64-bit Windows (win_amd64) and each CPython version asked for, a
binary wheel of every dependency. Then, on each Windows PC, with the folder copied there:

    py -3.12 -m pip install --no-index --find-links wheelhouse partnerxl
    partnerxl addin install

pywin32 is named explicitly: xlwings requires it only on Windows (`platform_system == "Windows"`), and pip download
evaluates such markers on the computer it runs on, not for the target platform, so from Linux or macOS it would
be left out and xlwings would fail on the Windows PC. (See docs/install.md.)

It lives here, not as a `partnerxl` sub-command, because it is run before PartnerXL is installed anywhere, on an
IT workstation, and because it builds PartnerXL's wheel from the checkout (an installed PartnerXL cannot rebuild
its own wheel).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLATFORM = "win_amd64"
ALWAYS = ["pywin32>=224"]  # xlwings needs it on Windows; see the module docstring


def pip(*args: str) -> None:
    command = [sys.executable, "-m", "pip", *args]
    print("+ " + " ".join(command), flush=True)
    subprocess.run(command, check=True)


def build(out: Path, versions: list[str]) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    before = {p.name for p in out.glob("partnerxl-*.whl")}
    pip("wheel", "--no-deps", "--quiet", "--wheel-dir", str(out), str(ROOT))
    built = sorted(p for p in out.glob("partnerxl-*.whl") if p.name not in before) or sorted(
        out.glob("partnerxl-*.whl"))
    wheel = max(built, key=lambda p: p.stat().st_mtime)
    for version in versions:
        pip("download", "--quiet", "--only-binary=:all:", "--platform", PLATFORM, "--python-version", version,
            "--implementation", "cp", "--dest", str(out), str(wheel), *ALWAYS)
    return sorted(out.glob("*.whl"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="wheelhouse", help="folder for the wheels (default: %(default)s)")
    parser.add_argument("--python-version", nargs="+", default=["3.11", "3.12"], metavar="X.Y",
                        help="the CPython versions of the Windows PCs (default: %(default)s)")
    args = parser.parse_args(argv)
    wheels = build(Path(args.out), args.python_version)
    size = sum(p.stat().st_size for p in wheels)
    print(f"{len(wheels)} wheels, {size / 1e6:.0f} MB in {args.out}")
    print(f"On each Windows PC: py -{args.python_version[-1]} -m pip install --no-index --find-links "
          f"{Path(args.out).name} partnerxl")
    return 0


if __name__ == "__main__":
    sys.exit(main())
