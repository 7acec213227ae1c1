"""The package as an IT department gets it: the wheel is built from a copy of the repository, installed into a fresh
virtual environment outside the checkout, and the `partnerxl` it installs is run from an empty folder.

To stay fast and offline the fresh environment gets no downloads: it is made with `python -m venv --without-pip`,
a .pth file lends it the dependencies already installed for this test run (their site-packages folders, never the
checkout's src/), and pip installs only the wheel into it (`pip --python`). The wheel is built with this
environment's setuptools (`--no-build-isolation`, setuptools >= 70.1 from the test extra), else with pip's usual
isolated build, which downloads setuptools.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PARTS = ["pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "src", "addin", "workbooks"]
TEMPLATES = ["PartnerXL Register.xlsx", "PartnerXL Review.xlsx", "PartnerXL Response.xlsx"]
DESKTOP_ONLY = {"xlwings", "python-calamine", "olefile"}


def _copy_tree(dest: Path) -> Path:
    """What a build needs from the checkout, without caches or earlier build output."""
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "build", "dist")
    for part in PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=ignore)
        else:
            shutil.copyfile(src, dest / part)
    return dest


def _local_setuptools() -> bool:
    try:
        import setuptools
    except ImportError:
        return False
    return tuple(int(x) for x in re.findall(r"\d+", setuptools.__version__)[:2]) >= (70, 1)


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    return _copy_tree(tmp_path_factory.mktemp("checkout"))


@pytest.fixture(scope="module")
def wheel(tree, tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    isolation = ["--no-build-isolation"] if _local_setuptools() else []
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", *isolation, "-q", "-w", str(dist),
                           str(tree)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    (built,) = dist.glob("partnerxl-*.whl")
    return built


@pytest.fixture(scope="module")
def env(wheel, tmp_path_factory) -> dict:
    """A fresh venv outside the checkout with only the wheel installed into it (dependencies lent by a .pth)."""
    base = tmp_path_factory.mktemp("fresh")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=300)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               capture_output=True, text=True, check=True).stdout.strip())
    lent = [p for p in sys.path if p.endswith(("site-packages", "dist-packages")) and Path(p).is_dir()]
    (site / "partnerxl_test_dependencies.pth").write_text("\n".join(lent) + "\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                           "--no-index", "-q", str(wheel)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    home = base / "home"
    home.mkdir()
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    environ.update(HOME=str(home), USERPROFILE=str(home), APPDATA=str(home / "AppData"))
    script = venv / ("Scripts/partnerxl.exe" if os.name == "nt" else "bin/partnerxl")
    return {"python": python, "partnerxl": script, "venv": venv, "site": site, "environ": environ, "base": base}


def partnerxl(env: dict, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    cwd.mkdir(parents=True, exist_ok=True)
    return subprocess.run([str(env["partnerxl"]), *args], cwd=cwd, env=env["environ"], capture_output=True,
                          text=True, timeout=600)


# --- what the wheel holds ----------------------------------------------------------------------------------------

def test_the_wheel_carries_the_addin_its_sources_and_the_templates(wheel):
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        assert zf.read("partnerxl/data/addin/partnerxl.xlam") == (ROOT / "addin" / "partnerxl.xlam").read_bytes()
        for src in sorted((ROOT / "addin" / "src").iterdir()):
            assert zf.read(f"partnerxl/data/addin/src/{src.name}") == src.read_bytes(), src.name
        for name in TEMPLATES:
            assert zf.read(f"partnerxl/data/workbooks/{name}") == (ROOT / "workbooks" / name).read_bytes(), name
    assert "partnerxl/data/benchmarks.json" in names and "partnerxl/cli.py" in names
    assert not any(n.startswith(("addin/", "workbooks/", "tests/")) for n in names)


def _requirements(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as zf:
        meta = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        lines = zf.read(meta).decode("utf-8").splitlines()
    return [line.split(":", 1)[1].strip() for line in lines if line.startswith("Requires-Dist:")]


def _packaging():
    try:
        from packaging.requirements import Requirement
    except ImportError:  # pip carries its own copy
        from pip._vendor.packaging.requirements import Requirement
    return Requirement


def test_under_pyodide_the_desktop_only_dependencies_are_skipped(wheel):
    """The markers micropip evaluates (sys_platform "emscripten" under Pyodide): no xlwings pin for Lite to fight,
    no python-calamine (not in Pyodide 0.27), no olefile; everything on Windows and macOS."""
    requirement = _packaging()
    reqs = [requirement(r) for r in _requirements(wheel)]

    def needed(platform: str, system: str) -> set[str]:
        env = {"sys_platform": platform, "platform_system": system, "extra": ""}
        return {r.name for r in reqs if r.marker is None or r.marker.evaluate(env)}

    windows, mac, pyodide = needed("win32", "Windows"), needed("darwin", "Darwin"), needed("emscripten", "Emscripten")
    assert DESKTOP_ONLY <= windows and DESKTOP_ONLY <= mac
    assert not DESKTOP_ONLY & pyodide
    assert {"openpyxl", "pydantic", "pandas", "xlsxwriter", "defusedxml", "email-validator"} <= pyodide
    assert [str(r.specifier) for r in reqs if r.name == "xlwings"] == ["==0.37.8"]


def test_the_sdist_carries_what_the_wheel_is_built_from(tree, tmp_path):
    out = tmp_path / "sdist"
    code = f"from setuptools import build_meta; print(build_meta.build_sdist({str(out)!r}))"
    done = subprocess.run([sys.executable, "-c", code], cwd=tree, capture_output=True, text=True, timeout=600)
    if done.returncode != 0 and not _local_setuptools():
        pytest.skip("no setuptools here to build the sdist with")
    assert done.returncode == 0, done.stderr
    with tarfile.open(out / done.stdout.strip().splitlines()[-1]) as tf:
        names = {n.split("/", 1)[1] for n in tf.getnames() if "/" in n}
    assert {"setup.py", "addin/partnerxl.xlam", "addin/src/customUI.xml", "addin/src/PartnerXL.bas"} <= names
    assert {f"workbooks/{name}" for name in TEMPLATES} <= names


# --- the installed command, from an empty folder -----------------------------------------------------------------

def test_partnerxl_comes_from_the_wheel_not_the_checkout(env):
    done = subprocess.run([str(env["python"]), "-c", "import partnerxl; print(partnerxl.__file__)"],
                          cwd=env["base"], env=env["environ"], capture_output=True, text=True, check=True)
    here = Path(done.stdout.strip()).resolve()
    assert here.is_relative_to(env["site"].resolve()) and not here.is_relative_to(ROOT)


def test_version(env, wheel):
    done = partnerxl(env, "--version", cwd=env["base"] / "empty-version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"partnerxl {wheel.name.split('-')[1]}"


def test_demo_runs_from_an_empty_folder(env):
    folder = env["base"] / "empty-demo"
    done = partnerxl(env, "demo", cwd=folder)
    assert done.returncode == 0, done.stdout + done.stderr
    demo = folder / "partnerxl-demo"
    assert (demo / "Register.xlsx").is_file() and list(demo.glob("Portfolio *.xlsx"))


def test_addin_install_finds_its_own_addin_and_says_there_is_no_excel(env):
    done = partnerxl(env, "addin", "install", cwd=env["base"] / "empty-install")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Excel is not available on this computer" in done.stderr
    assert "does not exist" not in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_addin_build_works_with_no_checkout(env):
    folder = env["base"] / "empty-build"
    done = partnerxl(env, "addin", "build", cwd=folder)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (folder / "partnerxl.xlam").read_bytes() == (ROOT / "addin" / "partnerxl.xlam").read_bytes()


def test_doctor_says_what_it_could_check_and_exits_0(env):
    done = partnerxl(env, "doctor", cwd=env["base"] / "empty-doctor")
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "inside the installed package" in out and "xlwings" in out
    if not sys.platform.startswith(("win", "darwin")):
        assert "Excel is not on this computer" in out
