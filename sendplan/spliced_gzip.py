"""A gzip response made of a large stored middle, compressed once, and a small page around
it compressed on each request.

A deflate stream may be cut into segments, each from its own compressor: every segment but
the last ends with a sync flush (byte-aligned, not final), and none refers back past its
own start. So a cached middle can be sent as it is stored, between a head and a tail
compressed per request. The gzip trailer's CRC-32 of the whole text is had without reading
the middle again: CRC-32 is linear, so how a running CRC passes through the middle's length
is kept with it as the images of the 32 single-bit states (``Deflated.shift``).
"""

import re
import struct
import zlib
from typing import NamedTuple

# Magic, deflate, no flags, no modification time, no extra flags, unknown OS (RFC 1952).
_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
_GZIP_REFUSED = re.compile(r"^\s*q\s*=\s*0+(\.0*)?\s*$")


class Deflated(NamedTuple):
    """A text compressed as a middle segment, with what the gzip trailer needs of it."""

    data: bytes
    crc: int
    length: int
    shift: tuple[int, ...]


def deflate(text: bytes) -> Deflated:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    data = compressor.compress(text) + compressor.flush(zlib.Z_SYNC_FLUSH)
    zeros = bytes(len(text))
    through_zeros = zlib.crc32(zeros)
    shift = tuple(zlib.crc32(zeros, 1 << bit) ^ through_zeros for bit in range(32))
    return Deflated(data, zlib.crc32(text), len(text), shift)


def inflate(middle: Deflated) -> bytes:
    return zlib.decompressobj(-zlib.MAX_WBITS).decompress(middle.data)


def _segment(text: bytes, mode: int) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(text) + compressor.flush(mode)


def gzip_around(head: bytes, middle: Deflated, tail: bytes) -> bytes:
    """The gzip file of head + the middle's text + tail."""
    before = zlib.crc32(head)
    # crc32(middle, before) == M(before) ^ crc32(middle), M being linear in the CRC state.
    crc = middle.crc
    for bit in range(32):
        if before >> bit & 1:
            crc ^= middle.shift[bit]
    crc = zlib.crc32(tail, crc)
    size = (len(head) + middle.length + len(tail)) & 0xFFFFFFFF
    return b"".join(
        (
            _HEADER,
            _segment(head, zlib.Z_SYNC_FLUSH),
            middle.data,
            _segment(tail, zlib.Z_FINISH),
            struct.pack("<II", crc, size),
        )
    )


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an Accept-Encoding header takes gzip (every browser's does); "gzip;q=0"
    refuses it."""
    for coding in accept_encoding.split(","):
        name, _, params = coding.partition(";")
        if name.strip().lower() in ("gzip", "x-gzip"):
            return not _GZIP_REFUSED.match(params.split(";")[0]) if params else True
    return False
