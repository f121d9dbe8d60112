"""TarPushReader (exports/tar_stream.py) reads every header as tarfile itself does: the same
members, names, sizes and types as ``tarfile.open`` on the same bytes, fed in pieces of any
size — pax records, GNU long names and links, several extended headers before one member."""

from __future__ import annotations

import io
import tarfile

import pytest

from exports.tar_stream import TarPushReader


class _Sink:
    def __init__(self, out: list, info: tarfile.TarInfo) -> None:
        self.info, self.data, self.out = info, bytearray(), out

    def write(self, data) -> None:
        self.data += data

    def close(self) -> None:
        info = self.info
        self.out.append((info.name, info.size, info.type, info.linkname, bytes(self.data)))


class _Handler:
    def __init__(self) -> None:
        self.members: list = []

    def begin(self, info: tarfile.TarInfo) -> _Sink:
        return _Sink(self.members, info)


def _archive(fmt: int, entries) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=fmt, encoding="utf-8") as tf:
        for name, kind, data in entries:
            info = tarfile.TarInfo(name)
            info.mtime = 1_700_000_000
            if kind == "file":
                info.size = len(data)
                tf.addfile(info, io.BytesIO(data))
            elif kind == "dir":
                info.type = tarfile.DIRTYPE
                tf.addfile(info)
            else:
                info.type, info.linkname = tarfile.SYMTYPE, data.decode()
                tf.addfile(info)
    return out.getvalue()


def _expected(data: bytes) -> list:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:", encoding="utf-8", errors="surrogateescape") as tf:
        return [(m.name, m.size if m.isreg() else 0, m.type, m.linkname,
                 tf.extractfile(m).read() if m.isreg() else b"") for m in tf]


ENTRIES = [
    ("answers.json", "file", b"{}"),
    ("evidence/GOV-01/ISMS認証書-001.pdf", "file", b"%PDF" * 300),
    ("evidence/" + "長い名前" * 40 + ".pdf", "file", b"x" * 513),
    ("evidence/" + "a" * 200 + "/b.txt", "file", b""),
    ("folder", "dir", b""),
    ("link-" + "l" * 120, "link", ("t" * 150).encode()),
    ("manifest.json", "file", b"[]" * 4000),
]


@pytest.mark.parametrize("fmt", [tarfile.PAX_FORMAT, tarfile.GNU_FORMAT])
@pytest.mark.parametrize("piece", [1, 511, 512, 4096, 1 << 20])
def test_members_are_read_as_tarfile_reads_them(fmt, piece):
    data = _archive(fmt, ENTRIES)
    handler = _Handler()
    reader = TarPushReader(handler)
    for off in range(0, len(data), piece):
        reader.write(data[off:off + piece])
    reader.close()
    assert reader.problem is None
    assert handler.members == _expected(data)


def test_a_gnu_long_name_after_a_pax_header_is_one_member():
    """Two extended headers before one member header: both apply, as in tarfile."""
    pax = _archive(tarfile.PAX_FORMAT, [("名前.txt", "file", b"abc")])
    gnu = _archive(tarfile.GNU_FORMAT, [("n" * 300, "file", b"abc")])
    # the pax header (2 blocks) + GNU long-name header and its data + the GNU member header
    data = pax[:1024] + gnu[:1024] + gnu[1024:1536] + gnu[1536:2048] + bytes(1024)
    handler = _Handler()
    reader = TarPushReader(handler)
    reader.write(data)
    reader.close()
    assert reader.problem is None
    assert handler.members == _expected(data)
