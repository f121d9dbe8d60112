"""The outer container: a STORED ZIP written by ``zipfile``, read back strictly.

Writing uses the standard library's ``zipfile`` with fixed metadata (1980-01-01 timestamps,
Unix ``rw-r--r--`` attributes, no comment), so a v1 bundle's container is a pure function of
its four members: *canonical*. ``submission.tar.age`` always carries a zip64 extra field
(``force_zip64``), so bundles above 4 GiB take the same code path as every small bundle
the tests write.

Reading does not trust ``zipfile``'s lenient parser (it accepts prepended data, comments,
duplicate names and oversized central directories). ``read_container`` reads the end
records with a size cap, then rebuilds every header the v1 writer would have produced for
the entries it found, with ``zipfile``'s own struct layouts, and requires the file to be
exactly that, byte for byte and with no gaps. Any change outside the members' data —
a timestamp, an attribute, an extra entry, a trailing byte — is reported by name, and no
two ZIP readers can see different contents (no parser differentials).
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO

from .bundle_format import MAX_CENTRAL_DIRECTORY_BYTES, PAYLOAD, ZIP_MEMBERS

DATE_TIME = (1980, 1, 1, 0, 0, 0)
_DOSDATE = (0 << 9) | (1 << 5) | 1
_DOSTIME = 0
_UNIX = 3
EXTERNAL_ATTR = (0o100644 & 0xFFFF) << 16
_VERSION = 20     # zipfile.DEFAULT_VERSION
_VERSION64 = 45   # zipfile.ZIP64_VERSION
_LIMIT = zipfile.ZIP64_LIMIT
_MAX_ENTRIES = 64  # parse a few extra entries to name them, never thousands

_LH = struct.Struct(zipfile.structFileHeader)
_CD = struct.Struct(zipfile.structCentralDir)
_EOCD = struct.Struct(zipfile.structEndArchive)
_EOCD64 = struct.Struct(zipfile.structEndArchive64)
_LOC64 = struct.Struct(zipfile.structEndArchive64Locator)

_LH_FIELDS = ("signature", "version needed", "reserved", "flags", "method", "time", "date", "CRC-32",
              "compressed size", "size", "name length", "extra length")
_CD_FIELDS = ("signature", "version made by", "system", "version needed", "reserved", "flags",
              "method", "time", "date", "CRC-32", "compressed size", "size", "name length",
              "extra length", "comment length", "disk", "internal attributes",
              "external attributes", "local header offset")


class ContainerError(Exception):
    """The ZIP container is not a canonical v1 container; the message says where."""


def zip_info(name: str) -> zipfile.ZipInfo:
    """The ZipInfo every v1 member is written with (same on every platform)."""
    info = zipfile.ZipInfo(name, date_time=DATE_TIME)
    info.compress_type = zipfile.ZIP_STORED
    info.create_system = _UNIX
    info.external_attr = EXTERNAL_ATTR
    if name == PAYLOAD:
        # It always carries a zip64 extra field, so it needs version 4.5. Setting it here
        # makes the header independent of the Python release (3.11.7 began raising it).
        info.extract_version = info.create_version = _VERSION64
    return info


@dataclass(frozen=True)
class Entry:
    name: str
    offset: int        # local header
    data_offset: int
    size: int
    crc: int


# --- what the v1 writer produces -----------------------------------------------------


def _local_headers(name: str, size: int, crc: int) -> tuple[bytes, ...]:
    """The local header(s) the v1 writer may produce. With a zip64 extra field, Python from
    3.11.7 on shows the sizes as 0xFFFFFFFF (as APPNOTE 4.5.3 asks), older releases show the
    actual sizes; both forms are accepted. They differ in at least two bytes (both sizes),
    so no single changed byte turns one into the other."""
    raw = name.encode("ascii")
    if name != PAYLOAD:
        return (_LH.pack(zipfile.stringFileHeader, _VERSION, 0, 0, 0, _DOSTIME, _DOSDATE, crc, size, size,
                         len(raw), 0) + raw,)
    extra = struct.pack("<HHQQ", 1, 16, size, size)  # written with force_zip64
    forms = [0xFFFFFFFF] + ([size] if size <= _LIMIT else [])
    return tuple(_LH.pack(zipfile.stringFileHeader, _VERSION64, 0, 0, 0, _DOSTIME, _DOSDATE, crc, shown,
                          shown, len(raw), len(extra)) + raw + extra for shown in forms)


def _central_header(name: str, size: int, crc: int, offset: int) -> bytes:
    fields = []
    if size > _LIMIT:
        fields += [size, size]
    if offset > _LIMIT:
        fields.append(offset)
    extra = struct.pack("<HH" + "Q" * len(fields), 1, 8 * len(fields), *fields) if fields else b""
    version = _VERSION64 if fields or name == PAYLOAD else _VERSION
    shown = 0xFFFFFFFF if size > _LIMIT else size
    raw = name.encode("ascii")
    return _CD.pack(zipfile.stringCentralDir, version, _UNIX, version, 0, 0, 0, _DOSTIME, _DOSDATE, crc,
                    shown, shown, len(raw), len(extra), 0, 0, 0, EXTERNAL_ATTR,
                    0xFFFFFFFF if offset > _LIMIT else offset) + raw + extra


def _end_records(count: int, cd_offset: int, cd_size: int) -> bytes:
    out = b""
    if count > 0xFFFF or cd_offset > _LIMIT or cd_size > _LIMIT:
        end64_at = cd_offset + cd_size
        out += _EOCD64.pack(zipfile.stringEndArchive64, 44, 45, 45, 0, 0, count, count, cd_size, cd_offset)
        out += _LOC64.pack(zipfile.stringEndArchive64Locator, 0, end64_at, 1)
    return out + _EOCD.pack(zipfile.stringEndArchive, 0, 0, min(count, 0xFFFF), min(count, 0xFFFF),
                            min(cd_size, 0xFFFFFFFF), min(cd_offset, 0xFFFFFFFF), 0)


def _diff(what: str, actual: bytes, expected: bytes, st: struct.Struct, names: tuple[str, ...]) -> str:
    head = st.size
    if len(actual) >= head:
        got, want = st.unpack(actual[:head]), st.unpack(expected[:head])
        for field, a, b in zip(names, got, want, strict=True):
            if a != b:
                return f"{what}: field '{field}' is {a!r}, expected {b!r}"
    if actual[head:] != expected[head:]:
        return f"{what}: name or extra field differs"
    return f"{what} differs"


# --- strict reading ----------------------------------------------------------------------


def _pread(fh: BinaryIO, offset: int, n: int) -> bytes:
    fh.seek(offset)
    data = fh.read(n)
    if len(data) != n:
        raise ContainerError(f"the file ends early (truncated at {offset + len(data)} bytes)")
    return data


def read_container(fh: BinaryIO, file_size: int) -> dict[str, Entry]:
    """Check the container and return its entries by name (data still to be checked)."""
    if file_size < _EOCD.size:
        raise ContainerError("not a ZIP file (too short)")
    eocd = _pread(fh, file_size - _EOCD.size, _EOCD.size)
    if eocd[:4] != zipfile.stringEndArchive:
        if _pread(fh, 0, 4) == zipfile.stringFileHeader:
            raise ContainerError("the end of the ZIP file is missing or has extra bytes after it "
                                 "(truncated or appended to)")
        raise ContainerError("not a ZIP file")
    (_sig, _disk, _cd_disk, count, _total, cd_size, cd_offset, _clen) = _EOCD.unpack(eocd)
    end_len = _EOCD.size
    if cd_offset == 0xFFFFFFFF or cd_size == 0xFFFFFFFF or count == 0xFFFF:
        loc_at = file_size - _EOCD.size - _LOC64.size
        if loc_at < 0:
            raise ContainerError("zip64 end records missing")
        loc = _LOC64.unpack(_pread(fh, loc_at, _LOC64.size))
        if loc[0] != zipfile.stringEndArchive64Locator or loc[2] != loc_at - _EOCD64.size:
            raise ContainerError("zip64 end-of-directory locator is damaged")
        rec = _EOCD64.unpack(_pread(fh, loc[2], _EOCD64.size))
        if rec[0] != zipfile.stringEndArchive64:
            raise ContainerError("zip64 end-of-directory record is damaged")
        count, cd_size, cd_offset = rec[6], rec[8], rec[9]
        end_len += _LOC64.size + _EOCD64.size
    if count > _MAX_ENTRIES:
        raise ContainerError(f"the bundle has {count} entries; a v1 bundle has exactly "
                             f"{len(ZIP_MEMBERS)} ({', '.join(ZIP_MEMBERS)})")
    if cd_size > MAX_CENTRAL_DIRECTORY_BYTES or cd_offset + cd_size + end_len != file_size:
        raise ContainerError("the central directory is not where the end record says "
                             "(bytes added, removed or damaged)")
    cd = _pread(fh, cd_offset, cd_size)
    entries: list[Entry] = []
    pos = 0
    for i in range(count):
        if pos + _CD.size > len(cd) or cd[pos:pos + 4] != zipfile.stringCentralDir:
            raise ContainerError(f"central directory entry {i + 1} is damaged")
        f = _CD.unpack(cd[pos:pos + _CD.size])
        name_len, extra_len, comment_len = f[12], f[13], f[14]
        end = pos + _CD.size + name_len + extra_len + comment_len
        if end > len(cd):
            raise ContainerError(f"central directory entry {i + 1} is damaged")
        raw_name = cd[pos + _CD.size: pos + _CD.size + name_len]
        extra = cd[pos + _CD.size + name_len: pos + _CD.size + name_len + extra_len]
        try:
            name = raw_name.decode("ascii")
        except UnicodeDecodeError:
            raise ContainerError(f"entry {i + 1} has an unexpected name {raw_name[:60]!r}") from None
        size, offset = f[11], f[18]
        if size == 0xFFFFFFFF or offset == 0xFFFFFFFF:
            size, offset = _zip64_values(extra, size, offset, name)
        entries.append(Entry(name, offset, 0, size, f[9]))
        pos = end
    if pos != len(cd):
        raise ContainerError("the central directory has extra bytes")
    _check_names([e.name for e in entries])
    # Rebuild what the writer would have produced and compare, header by header.
    checked: dict[str, Entry] = {}
    expected_offset = 0
    cd_expected = b""
    for e in entries:
        if e.offset != expected_offset:
            raise ContainerError(f"{e.name}: not where the v1 layout puts it (bytes inserted or removed)")
        forms = _local_headers(e.name, e.size, e.crc)
        lh = forms[0]
        actual = _pread(fh, e.offset, len(lh))
        if actual not in forms:
            raise ContainerError(_diff(f"local header of {e.name}", actual, forms[-1], _LH, _LH_FIELDS))
        data_offset = e.offset + len(lh)
        checked[e.name] = Entry(e.name, e.offset, data_offset, e.size, e.crc)
        cd_expected += _central_header(e.name, e.size, e.crc, e.offset)
        expected_offset = data_offset + e.size
    if expected_offset != cd_offset:
        raise ContainerError("bytes between the last entry and the central directory "
                             "(inserted, or an entry's size was changed)")
    if cd != cd_expected:
        pos = 0
        for e in entries:
            one = _central_header(e.name, e.size, e.crc, e.offset)
            if cd[pos:pos + len(one)] != one:
                raise ContainerError(_diff(f"central directory entry of {e.name}", cd[pos:pos + len(one)],
                                           one, _CD, _CD_FIELDS))
            pos += len(one)
        raise ContainerError("the central directory differs from the v1 layout")
    end_expected = _end_records(count, cd_offset, cd_size)
    if _pread(fh, cd_offset + cd_size, len(end_expected)) != end_expected:
        raise ContainerError("the end-of-directory record differs from the v1 layout")
    return checked


def _zip64_values(extra: bytes, size: int, offset: int, name: str) -> tuple[int, int]:
    if len(extra) < 4:
        raise ContainerError(f"{name}: zip64 extra field missing")
    tag, ln = struct.unpack("<HH", extra[:4])
    want = [size == 0xFFFFFFFF, size == 0xFFFFFFFF, offset == 0xFFFFFFFF]
    if tag != 1 or ln != 8 * sum(want) or len(extra) < 4 + ln:
        raise ContainerError(f"{name}: zip64 extra field damaged")
    values = list(struct.unpack("<" + "Q" * sum(want), extra[4:4 + ln]))
    if want[0]:
        size = values.pop(0)
        values.pop(0)
    if want[2]:
        offset = values.pop(0)
    return size, offset


def _check_names(names: list[str]) -> None:
    if names == list(ZIP_MEMBERS):
        return
    if not names:
        raise ContainerError("the ZIP file is empty")
    seen: set[str] = set()
    for n in names:
        if n in seen:
            raise ContainerError(f"the bundle holds {n} twice")
        seen.add(n)
    extra = [n for n in names if n not in ZIP_MEMBERS]
    missing = [n for n in ZIP_MEMBERS if n not in names]
    if extra:
        raise ContainerError(f"unexpected entry {extra[0]!r} in the bundle")
    if missing:
        raise ContainerError(f"{missing[0]} is missing from the bundle")
    raise ContainerError(f"entries are out of order ({', '.join(names)}); "
                         f"v1 order is {', '.join(ZIP_MEMBERS)}")


def read_member(fh: BinaryIO, entry: Entry, limit: int) -> bytes:
    """A small member's bytes, CRC-checked."""
    if entry.size > limit:
        raise ContainerError(f"{entry.name} is too large ({entry.size} bytes; at most {limit})")
    data = _pread(fh, entry.data_offset, entry.size)
    if zlib.crc32(data) != entry.crc:
        raise ContainerError(f"{entry.name}: CRC-32 does not match its contents (altered)")
    return data
