"""A kept page body sent compressed as it was kept, between a head and a tail compressed
on each request: what arrives is the whole page, and its gzip trailer checks out."""

import gzip
import zlib

import pytest

from sendplan.spliced_gzip import accepts_gzip, deflate, gzip_around, inflate
from tests.seed import SEED


@pytest.fixture(scope="module")
def body() -> bytes:
    # The seed appendix as table rows: long, repetitive and not all ASCII (’, –).
    rows = [f"<tr><td>{line}</td></tr>" for line in SEED.read_text().splitlines()]
    return "\n".join(rows * 3).encode()


@pytest.mark.parametrize(
    "head, tail",
    [
        (b"", b""),
        (b"<html><body><main>", b"</main></body></html>"),
        ("<p>Signed in as Zoë Ní Bhriain</p>".encode() * 2000, b"</html>"),
    ],
)
def test_the_spliced_file_is_the_whole_page_with_a_true_trailer(body, head, tail):
    spliced = gzip_around(head, deflate(body), tail)
    # Both readers check the CRC-32 and the length in the trailer.
    assert gzip.decompress(spliced) == head + body + tail
    assert zlib.decompress(spliced, wbits=31) == head + body + tail


def test_the_kept_body_is_compressed_and_reads_back(body):
    kept = deflate(body)
    assert len(kept.data) < len(body) / 4
    assert inflate(kept) == body
    assert kept.length == len(body) and kept.crc == zlib.crc32(body)


@pytest.mark.parametrize(
    "header, takes",
    [
        ("gzip, deflate, br, zstd", True),  # Chromium
        ("gzip, deflate, br", True),  # Firefox
        ("deflate, gzip;q=0.5", True),
        ("GZIP", True),
        ("x-gzip", True),
        ("gzip;q=0", False),
        ("gzip; q=0.000, identity", False),
        ("identity", False),
        ("br", False),
        ("", False),
    ],
)
def test_gzip_is_sent_only_to_a_client_that_takes_it(header, takes):
    assert accepts_gzip(header) is takes
