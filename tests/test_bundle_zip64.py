"""Bundles above 4 GiB: the v1 container rules hold for what zipfile writes with zip64 fields.

Writing 4.5 GiB for real would take minutes and the disk; instead zipfile writes into a
"sparse" file object that keeps every header it writes and remembers the payload only as
zeros. The container reader then checks that file exactly as it would a real one.
"""

from __future__ import annotations

import io
import zipfile

import pytest

from exports import bundle_format as bf
from exports.bundle_zip import ContainerError, read_container, read_member, zip_info

BIG = (4 << 30) + (300 << 20)   # past both the 2 GiB and the 4 GiB limits
ZEROS = bytes(8 << 20)


class SparseFile(io.RawIOBase):
    """Seekable; writes of more than 64 KiB (payload data, all zeros here) are not stored."""

    def __init__(self) -> None:
        self.pos = 0
        self.size = 0
        self.stored: dict[int, bytes] = {}

    def writable(self) -> bool:
        return True

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.pos

    def seek(self, pos: int, whence: int = 0) -> int:
        self.pos = pos if whence == 0 else (self.pos + pos if whence == 1 else self.size + pos)
        return self.pos

    def write(self, data) -> int:
        n = len(data)
        if n <= 64 * 1024:
            for start in [s for s in self.stored if self.pos <= s < self.pos + n]:
                del self.stored[start]  # a header written again (zipfile's seek-back)
            self.stored[self.pos] = bytes(data)
        self.pos += n
        self.size = max(self.size, self.pos)
        return n

    def read(self, n: int = -1) -> bytes:
        n = self.size - self.pos if n < 0 else min(n, self.size - self.pos)
        out = bytearray(n)
        for start, data in self.stored.items():
            lo, hi = max(start, self.pos), min(start + len(data), self.pos + n)
            if lo < hi:
                out[lo - self.pos:hi - self.pos] = data[lo - start:hi - start]
        self.pos += n
        return bytes(out)


@pytest.fixture(scope="module")
def big_bundle() -> SparseFile:
    f = SparseFile()
    zf = zipfile.ZipFile(f, "w", zipfile.ZIP_STORED, allowZip64=True)
    zf.writestr(zip_info(bf.README), b"readme")
    zf.writestr(zip_info(bf.SIGNER_PUB), b"pub")
    with zf.open(zip_info(bf.PAYLOAD), "w", force_zip64=True) as m:
        left = BIG
        while left:
            m.write(ZEROS[: min(left, len(ZEROS))])
            left -= min(left, len(ZEROS))
    zf.writestr(zip_info(bf.PAYLOAD_SIG), b"signature")
    zf.close()
    return f


def test_zip64_container_is_canonical(big_bundle):
    entries = read_container(big_bundle, big_bundle.size)
    assert entries[bf.PAYLOAD].size == BIG
    sig = entries[bf.PAYLOAD_SIG]
    assert sig.offset > 0xFFFFFFFF  # its central entry needs a zip64 offset
    assert read_member(big_bundle, sig, bf.MAX_SIG_BYTES) == b"signature"
    # the standard library reads the same entries
    with zipfile.ZipFile(big_bundle) as zf:
        assert [(i.filename, i.file_size) for i in zf.infolist()] == [
            (bf.README, 6), (bf.SIGNER_PUB, 3), (bf.PAYLOAD, BIG), (bf.PAYLOAD_SIG, 9)]


def test_zip64_fields_are_checked(big_bundle):
    eocd_at = big_bundle.size - 22
    locator_at = eocd_at - 20
    record_at = locator_at - 56
    cd_at = int.from_bytes(big_bundle.stored[record_at][48:56], "little")
    # the zip64 record's central-directory size, the locator's record offset, a central entry
    for where in (record_at + 40, locator_at + 8, cd_at + 20):
        saved = dict(big_bundle.stored)
        start = max(s for s in big_bundle.stored if s <= where)
        block = bytearray(big_bundle.stored[start])
        block[where - start] ^= 0x01
        big_bundle.stored[start] = bytes(block)
        try:
            with pytest.raises(ContainerError):
                read_container(big_bundle, big_bundle.size)
        finally:
            big_bundle.stored = saved
    read_container(big_bundle, big_bundle.size)  # restored: accepted again
