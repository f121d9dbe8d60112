"""Look at an xlsx file's ZIP structure before any XML parser sees it.

A workbook comes from outside (an auditor's e-mail); a few hundred bytes of ZIP can
claim gigabytes of XML. Every limit here is far above what a real checklist of
thousands of items needs.
"""

from __future__ import annotations

import io
import zipfile

from questionnaire.review import ReviewError

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_MEMBERS = 2_000
# A 1,000-item checklist with 3,000 evidence files is 0.7 MB zipped, 4.7 MB unzipped.
MAX_TOTAL_UNCOMPRESSED = 128 * 1024 * 1024
MAX_MEMBER_UNCOMPRESSED = 64 * 1024 * 1024
MAX_RATIO = 200            # uncompressed / compressed, for members big enough to matter
RATIO_FLOOR = 1024 * 1024  # small members may compress arbitrarily well
REQUIRED_MEMBERS = ("[Content_Types].xml", "xl/workbook.xml")


def check_xlsx(data: bytes, name: str = "workbook") -> None:
    """Raise ReviewError unless ``data`` is a plausible, bounded xlsx ZIP."""
    if len(data) > MAX_FILE_BYTES:
        raise ReviewError(f"{name} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
    if not data.startswith(b"PK\x03\x04"):
        raise ReviewError(f"{name} is not an Excel workbook (.xlsx)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise ReviewError(f"{name} is not a readable .xlsx file ({exc})") from None
    except NotImplementedError as exc:  # zipfile: "zip file version 8.4", unknown methods
        raise ReviewError(f"{name} uses a ZIP feature this app does not read ({exc})") from None
    if len(infos) > MAX_MEMBERS:
        raise ReviewError(f"{name} has {len(infos)} parts; at most {MAX_MEMBERS} are accepted")
    total = 0
    names = set()
    for info in infos:
        names.add(info.filename)
        if info.flag_bits & 0x1:
            raise ReviewError(f"{name} is encrypted or password-protected; save it without a password")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ReviewError(f"{name} uses an unsupported compression method")
        size = info.file_size
        if size > MAX_MEMBER_UNCOMPRESSED:
            raise ReviewError(f"{name}: part {info.filename!r} would expand to {size} bytes (refused)")
        if size > RATIO_FLOOR and size > MAX_RATIO * max(1, info.compress_size):
            ratio = size // max(1, info.compress_size)
            raise ReviewError(f"{name}: part {info.filename!r} is compressed {ratio}:1 — "
                              "refused as a possible ZIP bomb")
        total += size
        if total > MAX_TOTAL_UNCOMPRESSED:
            raise ReviewError(f"{name} would expand to more than "
                              f"{MAX_TOTAL_UNCOMPRESSED // (1024 * 1024)} MiB (refused)")
    missing = [m for m in REQUIRED_MEMBERS if m not in names]
    if missing:
        raise ReviewError(f"{name} is not an Excel workbook ({missing[0]} is missing)")
