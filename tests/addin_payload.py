"""Test helpers for the add-in's button functions on xlwings' remote engine (no Excel needed).

- `payload_from_xlsx(path)` reads a real .xlsx (openpyxl, cached values) into the JSON payload the xlwings clients
  send (the schema of xlwings/js/xlwings.ts `runPython`: client, version, book{name, active_sheet_index,
  selection}, names[], sheets[{name, values, pictures, tables}]). Values are anchored at A1, blanks are "", dates
  are ISO strings, exactly as the Office Scripts client sends them.
- `remote_book(payload)` opens it with `xlwings.Book(json=...)` (xlwings PRO's remote engine, noncommercial key).
- `AppliedBook` applies the actions a function queued (`book.json()["actions"]`) to a copy of the sheet values,
  the way the JavaScript client would, so tests check the resulting contents, fills, formats and alerts; it can
  turn itself back into a payload for a second run.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

LICENSE_ENV = "XLWINGS_LICENSE_KEY"


def _json_value(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(v, dt.date):
        return dt.datetime(v.year, v.month, v.day).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(v, dt.time):
        return v.isoformat()
    return v


def _to_rows(values: list[list[Any]]) -> list[list[Any]]:
    """Rectangular rows from A1, trailing blank rows/columns trimmed, blanks as "" (as Office Scripts sends)."""
    rows = [list(r) for r in values]
    while rows and all(v in (None, "") for v in rows[-1]):
        rows.pop()
    width = 0
    for r in rows:
        for i in range(len(r) - 1, -1, -1):
            if r[i] not in (None, ""):
                width = max(width, i + 1)
                break
    if not rows or width == 0:
        return [[""]]
    return [[_json_value(v) for v in (r + [None] * width)[:width]] for r in rows]


def payload_from_xlsx(path: str | os.PathLike, *, book_name: str | None = None, active_sheet: str | None = None,
                      selection: str | None = None) -> dict:
    """The remote-engine payload for the workbook at `path`.

    `book_name` defaults to the file's absolute path, so `book.fullname` tells the functions where the workbook
    lives (the remote engine reports `fullname` as the book name).
    """
    import openpyxl

    path = Path(path)
    wb = openpyxl.load_workbook(path, data_only=True)
    return payload_from_workbook(wb, book_name=book_name or str(path.resolve()), active_sheet=active_sheet,
                                 selection=selection)


def payload_from_workbook(wb: Any, *, book_name: str, active_sheet: str | None = None,
                          selection: str | None = None) -> dict:
    """The payload for an openpyxl Workbook (values as Excel would send them: formulas are not evaluated)."""
    sheets = []
    for ws in wb.worksheets:
        values = [list(r) for r in ws.iter_rows(min_row=1, min_col=1, values_only=True)]
        sheets.append({"name": ws.title, "values": _to_rows(values), "pictures": [], "tables": [],
                       "visibility": "Visible" if ws.sheet_state == "visible" else "Hidden"})
    titles = [ws.title for ws in wb.worksheets]
    names = []
    for name, defn in wb.defined_names.items():
        for sheet_title, address in defn.destinations:
            if sheet_title in titles:
                names.append({"name": name, "sheet_index": titles.index(sheet_title), "address": address,
                              "scope_sheet_name": None, "scope_sheet_index": None, "book_scope": True})
    for ix, ws in enumerate(wb.worksheets):
        for name, defn in ws.defined_names.items():
            for sheet_title, address in defn.destinations:
                if sheet_title in titles:
                    names.append({"name": name, "sheet_index": titles.index(sheet_title), "address": address,
                                  "scope_sheet_name": ws.title, "scope_sheet_index": ix, "book_scope": False})
    active = titles.index(active_sheet) if active_sheet else titles.index(wb.active.title)
    return make_payload(sheets, names=names, book_name=book_name, active_sheet_index=active,
                        selection=selection or "A1")


def make_payload(sheets: list[dict], *, names: list[dict] | None = None, book_name: str = "Book1.xlsx",
                 active_sheet_index: int = 0, selection: str | None = "A1") -> dict:
    import xlwings

    return {
        "client": "Microsoft Office Scripts",
        "version": xlwings.__version__,
        "book": {"name": book_name, "active_sheet_index": active_sheet_index, "selection": selection},
        "names": names or [],
        "sheets": sheets,
    }


def ensure_remote_engine() -> None:
    """Make xlwings' remote engine available in this process (noncommercial licence key, set here, for tests only).

    If xlwings was imported before the key was set (another test imported it first), the engine is registered
    now instead of reloading xlwings.
    """
    os.environ.setdefault(LICENSE_ENV, "noncommercial")
    import xlwings

    if "remote" in xlwings.engines.engines_by_name:
        return
    from xlwings.main import Engine
    from xlwings.pro import _xlremote

    xlwings.engines.add(Engine(impl=_xlremote.engine))


def remote_book(payload: dict) -> Any:
    """`xlwings.Book(json=payload)` on the remote engine."""
    ensure_remote_engine()
    import xlwings

    return xlwings.Book(json=copy.deepcopy(payload), engine="remote")


# --- the action applier ------------------------------------------------------------------------------------------

_A1 = re.compile(r"^\$?([A-Z]+)\$?(\d+)$")


def parse_a1(address: str) -> tuple[int, int]:
    m = _A1.match(address.upper())
    if not m:
        raise ValueError(address)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


class AppliedSheet:
    def __init__(self, name: str, values: list[list[Any]], visibility: str = "Visible"):
        self.name = name
        self.cells: dict[tuple[int, int], Any] = {}
        for r, row in enumerate(values):
            for c, v in enumerate(row):
                if v not in ("", None):
                    self.cells[(r, c)] = v
        self.colors: dict[tuple[int, int], str | None] = {}
        self.formats: dict[tuple[int, int], str] = {}
        self.links: dict[tuple[int, int], str] = {}
        self.visibility = visibility
        self.autofit = 0

    def value(self, address: str) -> Any:
        return self.cells.get(parse_a1(address))

    def color(self, address: str) -> str | None:
        return self.colors.get(parse_a1(address))

    def rows(self) -> list[list[Any]]:
        if not self.cells:
            return []
        nrows = max(r for r, _ in self.cells) + 1
        ncols = max(c for _, c in self.cells) + 1
        out = [[None] * ncols for _ in range(nrows)]
        for (r, c), v in self.cells.items():
            out[r][c] = v
        return out

    def text(self, address: str) -> str | None:
        """What the cell shows: a HYPERLINK formula's label, a text-prefixed value without its apostrophe."""
        v = self.value(address)
        return display(v)

    def clear(self, contents: bool = True, formats: bool = True) -> None:
        if contents:
            self.cells.clear()
            self.links.clear()
        if formats:
            self.colors.clear()
            self.formats.clear()


def display(v: Any) -> Any:
    if isinstance(v, str):
        m = re.match(r'^=HYPERLINK\("(?:[^"]|"")*","((?:[^"]|"")*)"\)$', v)
        if m:
            return m.group(1).replace('""', '"')
        if v.startswith("'"):
            return v[1:]
    return v


def hyperlink_target(v: Any) -> str | None:
    if isinstance(v, str):
        m = re.match(r'^=HYPERLINK\("((?:[^"]|"")*)","(?:[^"]|"")*"\)$', v)
        if m:
            return m.group(1).replace('""', '"')
    return None


class AppliedBook:
    """A copy of the payload's sheets with a function's actions applied, as the client would apply them."""

    KNOWN = {"setValues", "addSheet", "sheetClear", "sheetClearContents", "sheetClearFormats", "sheetDelete",
             "rangeClearContents", "rangeClear", "rangeClearFormats", "setRangeColor", "setNumberFormat",
             "addHyperlink", "alert", "setAutofit", "setSheetAutofit", "activateSheet", "namesAdd", "rangeSelect"}

    def __init__(self, payload: dict):
        self.payload = copy.deepcopy(payload)
        self.sheets: list[AppliedSheet] = [
            AppliedSheet(s["name"], s.get("values") or [[]], s.get("visibility", "Visible"))
            for s in payload["sheets"]
        ]
        self.alerts: list[dict] = []
        self.names = list(payload.get("names", []))
        self.active = payload["book"].get("active_sheet_index", 0)
        self.log: list[dict] = []

    @property
    def sheet_names(self) -> list[str]:
        return [s.name for s in self.sheets]

    def __getitem__(self, name: str) -> AppliedSheet:
        for s in self.sheets:
            if s.name.casefold() == name.casefold():
                return s
        raise KeyError(name)

    def __contains__(self, name: str) -> bool:
        return any(s.name.casefold() == name.casefold() for s in self.sheets)

    def _cells(self, a: dict) -> list[tuple[int, int]]:
        return [(a["start_row"] + i, a["start_column"] + j)
                for i in range(a["row_count"]) for j in range(a["column_count"])]

    def apply(self, actions: list[dict] | dict) -> "AppliedBook":
        if isinstance(actions, dict):
            actions = actions["actions"]
        for a in actions:
            func = a["func"]
            if func not in self.KNOWN:
                raise AssertionError(f"action the applier does not know (is it supported by both engines?): {func}")
            self.log.append(a)
            sheet = self.sheets[a["sheet_position"]] if a.get("sheet_position") is not None else None
            if func == "setValues":
                values = a["values"]
                assert len(values) == a["row_count"] and all(len(r) == a["column_count"] for r in values), a
                for i, row in enumerate(values):
                    for j, v in enumerate(row):
                        key = (a["start_row"] + i, a["start_column"] + j)
                        if v in ("", None):
                            sheet.cells.pop(key, None)
                        else:
                            sheet.cells[key] = v
            elif func == "addSheet":
                ix, name = a["args"]
                assert name not in self, f"sheet {name} already exists"
                self.sheets.insert(ix, AppliedSheet(name, [[]]))
                self.active = ix
            elif func == "sheetDelete":
                del self.sheets[a["sheet_position"]]
            elif func in ("sheetClear", "sheetClearContents", "sheetClearFormats"):
                sheet.clear(contents=func != "sheetClearFormats", formats=func != "sheetClearContents")
            elif func in ("rangeClearContents", "rangeClear", "rangeClearFormats"):
                for key in self._cells(a):
                    if func != "rangeClearFormats":
                        sheet.cells.pop(key, None)
                        sheet.links.pop(key, None)
                    if func != "rangeClearContents":
                        sheet.colors.pop(key, None)
                        sheet.formats.pop(key, None)
            elif func == "setRangeColor":
                color = a["args"][0]
                assert color is not None, "the Office Scripts client cannot set a null colour"
                for key in self._cells(a):
                    sheet.colors[key] = color.lower()
            elif func == "setNumberFormat":
                for key in self._cells(a):
                    sheet.formats[key] = a["args"][0]
            elif func == "addHyperlink":
                for key in self._cells(a):
                    sheet.links[key] = a["args"][0]
                    sheet.cells[key] = a["args"][1]
            elif func == "alert":
                self.alerts.append({"prompt": a["args"][0], "title": a["args"][1], "mode": a["args"][3]})
            elif func in ("setAutofit", "setSheetAutofit"):
                sheet.autofit += 1
            elif func == "activateSheet":
                self.active = a["args"][0]
            elif func == "namesAdd":
                self.names.append({"name": a["args"][0], "refers_to": a["args"][1]})
        return self

    def to_payload(self, **book_changes: Any) -> dict:
        """A payload of the book as it is now (for a second run): values as Excel sends them (a formula's result,
        text without its ' prefix); fills are not part of a payload, as with the real clients."""
        p = copy.deepcopy(self.payload)
        p["sheets"] = [{"name": s.name, "values": _to_rows([[display(v) for v in r] for r in s.rows()]),
                        "pictures": [], "tables": [],
                        "visibility": s.visibility} for s in self.sheets]
        p["book"]["active_sheet_index"] = book_changes.pop("active_sheet_index", self.active)
        p["book"].update(book_changes)
        return p

    @property
    def message(self) -> str:
        assert self.alerts, "the function showed no message box"
        return self.alerts[-1]["prompt"]
