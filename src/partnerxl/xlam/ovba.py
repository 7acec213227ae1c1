"""MS-OVBA §2.4.1 compression and decompression ("RLE" compression of VBA source and the dir stream).

Written from the specification ([MS-OVBA] 2.4.1, "Compression and Decompression"):

* A *CompressedContainer* is the signature byte 0x01 followed by *CompressedChunks*.
* Each chunk starts with a 16-bit little-endian header: bits 0-11 hold the chunk's size minus 3, bits 12-14 the
  signature 0b011, bit 15 the flag (1: a token sequence follows; 0: a raw chunk of uncompressed bytes follows).
* Every chunk stands for up to 4096 bytes of decompressed data. Inside a chunk, a *TokenSequence* is one flag byte
  and up to eight tokens: a flag bit of 0 means a literal byte, 1 means a 2-byte *CopyToken* (offset, length) that
  copies bytes already decompressed in the same chunk. How many of the token's 16 bits hold the offset depends on
  how far into the chunk the token sits (§2.4.1.3.19.1 "CopyToken Help").

`compress` follows the specified algorithm (§2.4.1.3.6 - §2.4.1.3.9, with the longest-match search of
§2.4.1.3.19.4, nearest candidate winning ties), so it gives the same bytes as the specification's pseudo-code; it only
finds candidates faster (an index of 3-byte prefixes, since a match shorter than 3 bytes is never used).

One deliberate deviation: the specification pads a *raw* chunk to 4096 bytes with zeros. For the last chunk of a
buffer that would change the data (a decompressor cannot tell padding from content), so a final raw chunk is
written with only the bytes it holds, its header giving its real size. Text such as VBA source never produces a raw
chunk (a chunk is written raw only when its tokens would not fit in 4098 bytes), so this matters only for
incompressible binary data; `decompress` accepts both forms.
"""

from __future__ import annotations

import struct

__all__ = ["compress", "decompress", "OvbaError"]

CHUNK_SIZE = 4096          # decompressed bytes per chunk
MAX_COMPRESSED_CHUNK = 4098  # header (2) + at most 4096 bytes of tokens
_SIGNATURE = 0x01
_CHUNK_SIGNATURE = 0b011


class OvbaError(ValueError):
    """The bytes are not a valid MS-OVBA CompressedContainer."""


def _copy_token_help(difference: int) -> tuple[int, int, int, int]:
    """§2.4.1.3.19.1: (length_mask, offset_mask, bit_count, maximum_length) for a token `difference` bytes into
    its chunk."""
    bit_count = max((difference - 1).bit_length(), 4)  # smallest n with 2**n >= difference, at least 4
    length_mask = 0xFFFF >> bit_count
    offset_mask = ~length_mask & 0xFFFF
    maximum_length = (0xFFFF >> bit_count) + 3
    return length_mask, offset_mask, bit_count, maximum_length


def _pack_copy_token(offset: int, length: int, bit_count: int) -> int:
    """§2.4.1.3.19.3."""
    return ((offset - 1) << (16 - bit_count)) | (length - 3)


def _unpack_copy_token(token: int, difference: int) -> tuple[int, int]:
    """§2.4.1.3.19.2: (offset, length)."""
    length_mask, offset_mask, bit_count, _ = _copy_token_help(difference)
    length = (token & length_mask) + 3
    offset = ((token & offset_mask) >> (16 - bit_count)) + 1
    return offset, length


# --- decompression -----------------------------------------------------------------------------------------------

def decompress(data: bytes) -> bytes:
    """Decompress a CompressedContainer (§2.4.1.3.1). Raises OvbaError if the bytes are malformed."""
    data = bytes(data)
    if not data or data[0] != _SIGNATURE:
        raise OvbaError("not an MS-OVBA compressed container (first byte must be 0x01)")
    out = bytearray()
    end = len(data)
    pos = 1
    while pos < end:
        if pos + 2 > end:
            raise OvbaError(f"truncated chunk header at byte {pos}")
        (header,) = struct.unpack_from("<H", data, pos)
        size = (header & 0x0FFF) + 3
        if (header >> 12) & 0b111 != _CHUNK_SIGNATURE:
            raise OvbaError(f"bad chunk signature at byte {pos}")
        compressed_flag = header >> 15
        chunk_end = min(end, pos + size)
        chunk_start_out = len(out)
        cur = pos + 2
        if compressed_flag:
            while cur < chunk_end:
                flags = data[cur]
                cur += 1
                for bit in range(8):
                    if cur >= chunk_end:
                        break
                    if not (flags >> bit) & 1:
                        out.append(data[cur])
                        cur += 1
                    else:
                        if cur + 2 > chunk_end:
                            raise OvbaError(f"truncated copy token at byte {cur}")
                        (token,) = struct.unpack_from("<H", data, cur)
                        cur += 2
                        offset, length = _unpack_copy_token(token, len(out) - chunk_start_out)
                        src = len(out) - offset
                        if src < chunk_start_out:
                            raise OvbaError(f"copy token at byte {cur - 2} points before its chunk")
                        if offset >= length:
                            out += out[src:src + length]
                        else:  # overlapping copy: byte by byte, as the specification does
                            for i in range(length):
                                out.append(out[src + i])
        else:
            # A raw chunk: 4096 bytes (fewer only at the very end of the container, see the module docstring).
            out += data[cur:min(chunk_end, cur + CHUNK_SIZE)]
            cur = chunk_end
        pos = chunk_end
    return bytes(out)


# --- compression -------------------------------------------------------------------------------------------------

def compress(data: bytes) -> bytes:
    """Compress bytes into a CompressedContainer (§2.4.1.3.6)."""
    data = bytes(data)
    out = bytearray([_SIGNATURE])
    pos = 0
    n = len(data)
    while pos < n:
        chunk_end = min(pos + CHUNK_SIZE, n)
        out += _compress_chunk(data, pos, chunk_end)
        pos = chunk_end
    return bytes(out)


def _match_length(data: bytes, a: int, b: int, limit: int) -> int:
    """Length of the common prefix of data[a:] and data[b:], at most `limit` (a < b; the copy may overlap)."""
    if limit <= 0 or data[a] != data[b]:
        return 0
    # Grow then bisect with slice comparisons (done in C): O(log n) comparisons.
    lo, step = 1, 1
    while lo < limit:
        hi = min(lo + step, limit)
        if data[a + lo:a + hi] == data[b + lo:b + hi]:
            lo = hi
            step *= 2
        else:
            # the first difference is in [lo, hi)
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if data[a + lo:a + mid] == data[b + lo:b + mid]:
                    lo = mid
                else:
                    hi = mid
            return lo
    return lo


class _Chunk:
    """The compression state of one DecompressedChunk, data[start:end] (§2.4.1.3.7)."""

    __slots__ = ("data", "start", "end", "cur", "tokens", "_index", "_indexed")

    def __init__(self, data: bytes, start: int, end: int):
        self.data, self.start, self.end = data, start, end
        self.cur = start
        self.tokens = bytearray()
        # positions (absolute) of every 3-byte prefix seen so far in this chunk, most recent last
        self._index: dict[bytes, list[int]] = {}
        self._indexed = start  # positions < _indexed are in the index

    def _index_upto(self, p: int) -> None:
        data, end, index = self.data, self.end, self._index
        indexed = self._indexed
        while indexed < p:
            if indexed + 3 <= end:
                index.setdefault(data[indexed:indexed + 3], []).append(indexed)
            indexed += 1
        self._indexed = indexed

    def longest_match(self) -> tuple[int, int]:
        """§2.4.1.3.19.4 Matching: (length, position) of the longest match at the cursor, nearest candidate on ties."""
        data, cur, end = self.data, self.cur, self.end
        best_len, best_pos = 0, -1
        if cur + 3 <= end:
            self._index_upto(cur)
            limit = end - cur
            for cand in reversed(self._index.get(data[cur:cur + 3], ())):
                length = _match_length(data, cand, cur, limit)
                if length > best_len:
                    best_len, best_pos = length, cand
                    if length == limit:
                        break
        return best_len, best_pos

    def token_sequence(self) -> bool:
        """§2.4.1.3.8 Compressing a TokenSequence: a flag byte and up to eight tokens. False if a copy token did
        not fit (the chunk must then be written raw)."""
        tokens = self.tokens
        flag_index = len(tokens)
        tokens.append(0)
        flags = 0
        complete = True
        for bit in range(8):
            if self.cur >= self.end or len(tokens) >= _TOKEN_BUDGET:
                break
            best_len, best_pos = self.longest_match()
            if best_len < 3:
                tokens.append(self.data[self.cur])
                self.cur += 1
            elif len(tokens) + 1 < _TOKEN_BUDGET:  # §2.4.1.3.9: a copy token needs two bytes of room
                _, _, bit_count, maximum_length = _copy_token_help(self.cur - self.start)
                length = min(best_len, maximum_length)
                tokens += struct.pack("<H", _pack_copy_token(self.cur - best_pos, length, bit_count))
                flags |= 1 << bit
                self.cur += length
            else:
                complete = False
                break
        tokens[flag_index] = flags
        return complete


_TOKEN_BUDGET = MAX_COMPRESSED_CHUNK - 2  # the chunk header takes the other two bytes


def _compress_chunk(data: bytes, start: int, end: int) -> bytes:
    """§2.4.1.3.7 Compressing a DecompressedChunk: the header and tokens for data[start:end]."""
    chunk = _Chunk(data, start, end)
    complete = True
    while chunk.cur < end and complete:
        complete = len(chunk.tokens) < _TOKEN_BUDGET and chunk.token_sequence()
    if chunk.cur < end or not complete:
        # §2.4.1.3.10 Compressing a RawChunk
        raw = data[start:end]  # 4096 bytes, or fewer for the last chunk: not padded (see the module docstring)
        header = (len(raw) + 2 - 3) | (_CHUNK_SIGNATURE << 12)
        return struct.pack("<H", header) + raw
    header = (len(chunk.tokens) + 2 - 3) | (_CHUNK_SIGNATURE << 12) | 0x8000
    return struct.pack("<H", header) + bytes(chunk.tokens)
