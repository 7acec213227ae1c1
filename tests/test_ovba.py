"""MS-OVBA §2.4.1 compression: known vectors from §3.2, round trips, and agreement with the specification's
pseudo-code and with an independent decompressor (oletools)."""

from __future__ import annotations

import random
import struct

import pytest
from hypothesis import given, settings, strategies as st

from partnerxl.xlam.ovba import OvbaError, compress, decompress

# oletools imports pyparsing grammar written for an older pyparsing
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

# [MS-OVBA] §3.2.1 "No Compression Example" and §3.2.2 "Normal Compression Example".
SPEC_VECTORS = [
    (b"abcdefghijklmnopqrstuv.",
     "01 19 B0 00 61 62 63 64 65 66 67 68 00 69 6A 6B 6C 6D 6E 6F 70 00 71 72 73 74 75 76 2E"),
    (b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa",
     "01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 38 08 61 6B 6C 00 20 6D 6E 6F 70 06 71 02 70"
     " 04 00 72 73 74 75 76 10 77 78 79 7A 00 2C"),
]


@pytest.mark.parametrize("plain,hexed", SPEC_VECTORS)
def test_spec_vectors(plain, hexed):
    packed = bytes.fromhex(hexed)
    assert decompress(packed) == plain
    assert compress(plain) == packed


def test_empty():
    assert compress(b"") == b"\x01"
    assert decompress(b"\x01") == b""


@pytest.mark.parametrize("bad", [b"", b"\x02\x00\xb0", b"\x01\x00", b"\x01\x19\x00abc"])
def test_rejects_malformed(bad):
    with pytest.raises(OvbaError):
        decompress(bad)


def test_copy_token_before_chunk_start_is_rejected():
    # flag byte 0b1 (first token is a copy token) with nothing decompressed yet to copy from
    with pytest.raises(OvbaError):
        decompress(b"\x01" + struct.pack("<H", 0xB000 | (3 - 3)) + b"\x01\x00\x00")


# --- the specification's pseudo-code, transcribed literally (slow; for small inputs) ----------------------------

def _spec_compress(data: bytes) -> bytes:
    out = bytearray(b"\x01")
    dcur, dend_all = 0, len(data)
    while dcur < dend_all:
        cstart = len(out)
        dstart = dcur
        cend = cstart + 4098
        dend = min(dstart + 4096, dend_all)
        out += b"\x00\x00"
        while dcur < dend and len(out) < cend:
            flag_index = len(out)
            out.append(0)
            flags = 0
            for index in range(8):
                if dcur < dend and len(out) < cend:
                    # Matching
                    best_len, best_cand = 0, 0
                    cand = dcur - 1
                    while cand >= dstart:
                        c, d, ln = cand, dcur, 0
                        while d < dend and data[d] == data[c]:
                            ln, c, d = ln + 1, c + 1, d + 1
                        if ln > best_len:
                            best_len, best_cand = ln, cand
                        cand -= 1
                    diff = dcur - dstart
                    bit_count = max(4, (diff - 1).bit_length())
                    if best_len >= 3:
                        length = min(best_len, (0xFFFF >> bit_count) + 3)
                        offset = dcur - best_cand
                        if len(out) + 1 < cend:
                            out += struct.pack("<H", ((offset - 1) << (16 - bit_count)) | (length - 3))
                            flags |= 1 << index
                            dcur += length
                        else:
                            out += b"\x00" * (cend - len(out))  # CompressedCurrent = CompressedEnd
                    else:
                        out.append(data[dcur])
                        dcur += 1
            out[flag_index] = flags
        if dcur < dend:  # raw chunk (unpadded: only the last chunk can be shorter than 4096, see ovba.py)
            del out[cstart + 2:]
            out += data[dstart:dend]
            struct.pack_into("<H", out, cstart, (len(out) - cstart - 3) | 0x3000)
            dcur = dend
        else:
            struct.pack_into("<H", out, cstart, (len(out) - cstart - 3) | 0xB000)
    return bytes(out)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([b"a", b"b", b"ab", b"Sub ", b"\r\n", b"    ", b"\x00"]), max_size=120).map(b"".join))
def test_same_bytes_as_the_specification_pseudo_code(data):
    assert compress(data) == _spec_compress(data)


# --- round trips -------------------------------------------------------------------------------------------------

runs = st.tuples(st.integers(0, 255), st.integers(1, 9000)).map(lambda t: bytes([t[0]]) * t[1])
pieces = st.one_of(st.binary(max_size=300), runs, st.sampled_from([b"Dim x As Long\r\n", b"End Sub\r\n\r\n"]))


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=12000))
def test_round_trip_random_bytes(data):
    assert decompress(compress(data)) == data


@settings(max_examples=100, deadline=None)
@given(st.lists(pieces, max_size=12).map(b"".join))
def test_round_trip_runs_and_text(data):
    packed = compress(data)
    assert decompress(packed) == data


def test_long_runs_use_long_copy_tokens():
    # 4096 equal bytes: one literal then a single copy token of length 4095 (bit count 4, maximum length 4098).
    packed = compress(b"x" * 4096)
    assert packed == b"\x01" + struct.pack("<H", 0xB000 | (6 - 3)) + b"\x02x" + struct.pack("<H", 4095 - 3)
    data = b"ab" * 5000 + bytes(range(256)) * 20 + b"z" * 10000
    assert decompress(compress(data)) == data


def test_incompressible_chunks_are_raw():
    rnd = random.Random(5)
    data = bytes(rnd.randrange(256) for _ in range(4096 * 2 + 100))  # random bytes: tokens would not fit
    packed = compress(data)
    header = struct.unpack_from("<H", packed, 1)[0]
    assert header & 0x8000 == 0 and (header & 0x0FFF) + 3 == 4098
    assert decompress(packed) == data


@settings(max_examples=60, deadline=None)
@given(st.lists(pieces, max_size=10).map(b"".join))
def test_oletools_decompresses_our_output(data):
    from oletools.olevba import decompress_stream

    assert bytes(decompress_stream(bytearray(compress(data)))) == data


def test_xlwings_module_round_trip_and_matches_oletools():
    from importlib import resources

    from oletools.olevba import decompress_stream

    source = (resources.files("xlwings") / "xlwings_custom_addin.bas").read_bytes()
    packed = compress(source)
    assert len(packed) < len(source) // 2
    assert decompress(packed) == source
    assert bytes(decompress_stream(bytearray(packed))) == source
