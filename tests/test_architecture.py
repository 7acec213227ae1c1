"""The layers hold: imports parsed from the source, and the size of modules and functions.

- core/ and checks/ import no Excel library and do no file I/O (core/instruments.py reads its own JSON data);
- core/ and checks/ import nothing from the outer layers (sheets, files, excel, reading, operations, cli);
- cli.py and the button functions reach policy only through operations/;
- no module over about 400 lines and no function over about 60 (data tables are not functions).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "partnerxl"
EXCEL_LIBRARIES = {"openpyxl", "xlwings", "python_calamine", "xlsxwriter"}
FILE_IO = {"zipfile", "tempfile", "shutil", "glob"}
OUTER = {"partnerxl.sheets", "partnerxl.files", "partnerxl.excel", "partnerxl.reading", "partnerxl.operations",
         "partnerxl.cli", "partnerxl.demo", "partnerxl.xlam"}
MAX_MODULE_LINES = 420
MAX_FUNCTION_LINES = 62


def _modules(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py"))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            base = node.module if node.level == 0 else "partnerxl." + node.module
            found |= {f"{base}.{a.name}" for a in node.names}
    return found


def _calls(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            f = node.func
            names.add(f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", ""))
    return names


@pytest.mark.parametrize("path", _modules("core") + _modules("checks"), ids=lambda p: p.name)
def test_core_and_checks_are_pure(path):
    imports = _imports(path)
    roots = {name.split(".")[0] for name in imports}
    assert not roots & EXCEL_LIBRARIES, f"{path.name} imports an Excel library"
    assert not roots & FILE_IO, f"{path.name} imports a file-handling module"
    outer = {name for name in imports if any(name == o or name.startswith(o + ".") for o in OUTER)}
    assert not outer, f"{path.name} reaches an outer layer: {sorted(outer)}"
    io_calls = _calls(path) & {"open", "read_text", "read_bytes", "write_text", "write_bytes", "unlink", "mkdir"}
    if path.name != "instruments.py":  # which reads the instrument data, its one allowed file
        assert not io_calls, f"{path.name} does file I/O: {sorted(io_calls)}"


def _partnerxl_imports(path: Path) -> set[str]:
    return {name for name in _imports(path) if name.startswith("partnerxl.")}


def test_cli_calls_only_operations():
    allowed = ("partnerxl.operations", "partnerxl.core.errors", "partnerxl.demo", "partnerxl.xlam")
    used = _partnerxl_imports(PACKAGE / "cli.py")
    assert used, "the parser found no imports at all"
    assert all(name.startswith(allowed) for name in used), sorted(n for n in used if not n.startswith(allowed))


def test_buttons_call_only_operations_and_presentation():
    allowed = ("partnerxl.operations", "partnerxl.core.errors", "partnerxl.excel", "partnerxl.sheets")
    used = _partnerxl_imports(PACKAGE / "excel" / "buttons.py")
    assert "partnerxl.operations" in used
    assert all(name.startswith(allowed) for name in used), sorted(n for n in used if not n.startswith(allowed))


def test_the_demo_calls_only_operations():
    used = _partnerxl_imports(PACKAGE / "demo.py")
    allowed = ("partnerxl.operations", "partnerxl.core.portfolio", "partnerxl.documents.sample")
    assert all(name.startswith(allowed) for name in used), sorted(n for n in used if not n.startswith(allowed))


def _all_modules() -> list[Path]:
    return [p for p in sorted(PACKAGE.rglob("*.py"))]


@pytest.mark.parametrize("path", _all_modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_and_functions_are_small(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= MAX_MODULE_LINES, f"{len(lines)} lines"
    for node in ast.walk(ast.parse("\n".join(lines))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            length = node.end_lineno - node.lineno + 1
            assert length <= MAX_FUNCTION_LINES, f"{node.name} is {length} lines"
