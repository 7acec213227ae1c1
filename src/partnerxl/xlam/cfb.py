"""A small, deterministic writer for Compound File Binary files ([MS-CFB] version 3), the container of vbaProject.bin.

`write_cfb(tree)` takes a nested mapping - a name mapped to `bytes` is a stream, a name mapped to another mapping
is a storage - and returns the bytes of a compound file holding exactly those streams:

* version 3: 512-byte sectors; one FAT (header DIFAT only, so files up to 109 FAT sectors, about 7 MB);
* streams shorter than 4096 bytes (the mini stream cutoff) live in the mini stream, in 64-byte mini sectors
  chained by the miniFAT; longer streams get regular sectors;
* each storage's children form a red-black tree ordered as [MS-CFB] §2.6.4 requires (shorter name first, then
  upper-cased UTF-16 code units). The tree is built perfectly balanced from the sorted names and coloured so that
  every path holds the same number of black nodes (nodes on an incomplete last level are red, all others black);
* CLSIDs, state bits and timestamps are zero, and the layout depends only on the input, so the same tree always
  gives the same bytes.

Layout: header, directory sectors, miniFAT sectors, mini stream, large streams (in directory order), FAT sectors.
Reading is left to olefile (`olefile.OleFileIO`).
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["write_cfb", "CfbError", "name_key"]

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
DIR_ENTRY = 128
MAX_NAME_CHARS = 31

MAXREGSECT = 0xFFFFFFFA
DIFSECT = 0xFFFFFFFC
FATSECT = 0xFFFFFFFD
ENDOFCHAIN = 0xFFFFFFFE
FREESECT = 0xFFFFFFFF
NOSTREAM = 0xFFFFFFFF

_TYPE_STORAGE, _TYPE_STREAM, _TYPE_ROOT = 1, 2, 5
_RED, _BLACK = 0, 1
_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")


class CfbError(ValueError):
    """The tree cannot be written as a compound file (bad name, too large)."""


def name_key(name: str) -> tuple[int, list[int]]:
    """[MS-CFB] §2.6.4 order: by length, then by upper-cased UTF-16 code units (simple per-unit upper-casing)."""
    units = struct.unpack(f"<{len(name.encode('utf-16-le')) // 2}H", name.encode("utf-16-le"))
    return len(units), [ord(chr(u).upper()) if len(chr(u).upper()) == 1 else u for u in units]


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    children: list["_Entry"] = field(default_factory=list)
    sid: int = 0
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    color: int = _BLACK
    start: int = ENDOFCHAIN
    size: int = 0


def _check_name(name: str) -> None:
    if not name or len(name.encode("utf-16-le")) // 2 > MAX_NAME_CHARS:
        raise CfbError(f"compound file names must have 1 to {MAX_NAME_CHARS} characters: {name!r}")
    if any(c in name for c in "/\\:!"):
        raise CfbError(f"compound file names must not contain / \\ : or !: {name!r}")


def _build(name: str, node: Mapping, kind: int) -> _Entry:
    entry = _Entry(name, kind)
    seen: set[str] = set()
    for child_name, value in node.items():
        _check_name(child_name)
        if child_name.upper() in seen:
            raise CfbError(f"two entries named {child_name!r} (names are compared without case)")
        seen.add(child_name.upper())
        if isinstance(value, Mapping):
            entry.children.append(_build(child_name, value, _TYPE_STORAGE))
        elif isinstance(value, (bytes, bytearray, memoryview)):
            entry.children.append(_Entry(child_name, _TYPE_STREAM, bytes(value)))
        else:
            raise CfbError(f"{child_name!r}: a stream must be bytes and a storage a mapping, not {type(value).__name__}")
    entry.children.sort(key=lambda e: name_key(e.name))
    return entry


def _number(entry: _Entry, order: list[_Entry]) -> None:
    """Give directory ids breadth-first per storage: the storage's children, then each child storage's subtree."""
    for child in entry.children:
        child.sid = len(order)
        order.append(child)
    for child in entry.children:
        if child.kind == _TYPE_STORAGE:
            _number(child, order)


def _make_tree(children: list[_Entry]) -> int:
    """Link sorted siblings into a balanced, validly coloured red-black tree; return the root's id."""
    if not children:
        return NOSTREAM
    depths: dict[int, int] = {}

    def link(lo: int, hi: int, depth: int) -> int:
        if lo > hi:
            return NOSTREAM
        mid = (lo + hi + 1) // 2
        node = children[mid]
        depths[mid] = depth
        node.left = link(lo, mid - 1, depth + 1)
        node.right = link(mid + 1, hi, depth + 1)
        return node.sid

    root = link(0, len(children) - 1, 0)
    deepest = max(depths.values())
    complete = len(children) == 2 ** (deepest + 1) - 1
    for i, node in enumerate(children):
        node.color = _RED if (depths[i] == deepest and not complete) else _BLACK
    return root


def _chain(fat: list[int], first: int, count: int) -> None:
    for i in range(count):
        fat[first + i] = first + i + 1 if i + 1 < count else ENDOFCHAIN


def _dir_entry(e: _Entry) -> bytes:
    if e.kind == 0:  # unused slot
        return b"\x00" * 64 + struct.pack("<HBB3I", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM) + b"\x00" * 16 \
            + struct.pack("<I", 0) + b"\x00" * 16 + struct.pack("<IQ", 0, 0)
    name = e.name.encode("utf-16-le")
    return (
        name.ljust(64, b"\x00")
        + struct.pack("<HBB3I", len(name) + 2, e.kind, e.color, e.left, e.right, e.child)
        + b"\x00" * 16                      # CLSID
        + struct.pack("<I", 0)              # state bits
        + b"\x00" * 16                      # creation and modified time
        + struct.pack("<IQ", e.start, e.size)
    )


def _sectors(nbytes: int) -> int:
    return -(-nbytes // SECTOR)


def _directory(tree: Mapping) -> list[_Entry]:
    """Every entry in directory order (the root first), each storage's children linked into its tree."""
    root = _build("Root Entry", tree, _TYPE_ROOT)
    order: list[_Entry] = [root]
    _number(root, order)
    for entry in order:
        if entry.kind in (_TYPE_STORAGE, _TYPE_ROOT):
            entry.child = _make_tree(entry.children)
    return order


def _mini_stream(small: list[_Entry]) -> tuple[list[int], bytearray]:
    """The miniFAT and the mini stream holding `small`, whose starts (in mini sectors) are set."""
    minifat: list[int] = []
    mini = bytearray()
    for e in small:
        count = -(-len(e.data) // MINI_SECTOR)
        e.start = len(minifat)
        minifat.extend([0] * count)
        _chain(minifat, e.start, count)
        mini += e.data.ljust(count * MINI_SECTOR, b"\x00")
    return minifat, mini


@dataclass
class _Layout:
    """Sector counts and starts of each region, in file order, and the FAT chaining them."""
    n_dir: int
    n_minifat: int
    n_mini: int
    n_large: list[int]
    n_fat: int = 0
    fat: list[int] = field(default_factory=list)
    dir_start: int = 0
    minifat_start: int = ENDOFCHAIN
    fat_start: int = 0

    @property
    def n_data(self) -> int:
        return self.n_dir + self.n_minifat + self.n_mini + sum(self.n_large)


def _fat_sectors(n_data: int) -> int:
    # The FAT must also map its own sectors, so it is grown until it covers them too.
    n_fat = 1
    while n_fat * (SECTOR // 4) < n_data + n_fat:
        n_fat += 1
    if n_fat > 109:
        raise CfbError("the compound file would need more than 109 FAT sectors (about 7 MB); not supported")
    return n_fat


def _allocate(layout: _Layout, root: _Entry, large: list[_Entry]) -> None:
    """Place the regions one after another, set the streams' (and the root's mini stream's) starts, fill the FAT."""
    layout.n_fat = _fat_sectors(layout.n_data)
    fat = layout.fat = [FREESECT] * (layout.n_fat * (SECTOR // 4))
    pos = layout.dir_start = 0
    _chain(fat, pos, layout.n_dir)
    pos += layout.n_dir
    layout.minifat_start = pos if layout.n_minifat else ENDOFCHAIN
    _chain(fat, pos, layout.n_minifat)
    pos += layout.n_minifat
    root.start = pos if layout.n_mini else ENDOFCHAIN
    _chain(fat, pos, layout.n_mini)
    pos += layout.n_mini
    for e, count in zip(large, layout.n_large):
        e.start = pos
        _chain(fat, pos, count)
        pos += count
    layout.fat_start = pos
    for i in range(layout.n_fat):
        fat[layout.fat_start + i] = FATSECT


def _header(layout: _Layout) -> bytes:
    difat = [layout.fat_start + i for i in range(layout.n_fat)] + [FREESECT] * (109 - layout.n_fat)
    header = (
        _SIGNATURE
        + b"\x00" * 16                                  # header CLSID
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)
        + b"\x00" * 6                                   # reserved
        + struct.pack("<IIIIIIIII",
                      0,                                # directory sectors (0 for version 3)
                      layout.n_fat, layout.dir_start,
                      0,                                # transaction signature
                      MINI_CUTOFF,
                      layout.minifat_start, layout.n_minifat,
                      ENDOFCHAIN, 0)                    # no DIFAT sectors
        + struct.pack("<109I", *difat)
    )
    assert len(header) == SECTOR
    return header


def write_cfb(tree: Mapping) -> bytes:
    """Return the bytes of a version-3 compound file holding `tree` (see the module docstring)."""
    order = _directory(tree)
    root = order[0]
    streams = [e for e in order if e.kind == _TYPE_STREAM]
    small = [e for e in streams if 0 < len(e.data) < MINI_CUTOFF]
    large = [e for e in streams if len(e.data) >= MINI_CUTOFF]
    for e in streams:
        e.size = len(e.data)
        e.start = ENDOFCHAIN  # empty streams keep ENDOFCHAIN
    minifat, mini = _mini_stream(small)
    root.size = len(mini)

    layout = _Layout(n_dir=_sectors(len(order) * DIR_ENTRY), n_minifat=_sectors(len(minifat) * 4),
                     n_mini=_sectors(len(mini)), n_large=[_sectors(len(e.data)) for e in large])
    _allocate(layout, root, large)

    out = bytearray(_header(layout))
    entries = order + [_Entry("", 0)] * (layout.n_dir * (SECTOR // DIR_ENTRY) - len(order))
    out += b"".join(_dir_entry(e) for e in entries)
    out += b"".join(struct.pack("<I", v) for v in minifat).ljust(layout.n_minifat * SECTOR, b"\xff")
    out += bytes(mini).ljust(layout.n_mini * SECTOR, b"\x00")
    for e, count in zip(large, layout.n_large):
        out += e.data.ljust(count * SECTOR, b"\x00")
    out += struct.pack(f"<{len(layout.fat)}I", *layout.fat)
    assert len(out) == SECTOR * (1 + layout.n_data + layout.n_fat)
    return bytes(out)
