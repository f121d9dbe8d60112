"""What issue 13's two-year scenario does, shared by its CLI run (tests/test_two_years.py) and its
desktop run (tests/test_two_years_desktop.py): year 1's answers and certificate, the auditor's
three findings, the five answers year 2 changes, the renewed certificate, and the byte-for-byte
fingerprint of a workspace folder."""

from __future__ import annotations

import hashlib
from pathlib import Path

VENDOR = "株式会社サンプル"
# Year 1 (2026): every shown item of the mini template, as typed on the command line.
YEAR_ONE = {"AGR-01": "yes", "CERT-01": "isms", "CERT-02": "IS 123456", "CERT-03": "2027-03-31",
            "TEC-01": "own,cloud", "TEC-03": "365", "TEC-04": "yes"}
# The ISMS certificate of year 1: expired by year 2's check date, so year 2 replaces it.
CERT = ("isms-2024.pdf", b"%PDF ISMS certificate 2024", "2027-02-01")
RENEWED = ("isms-2027.pdf", b"%PDF ISMS certificate 2027", "2030-02-01")
# The auditor's three findings (verdict value, finding) and one conforming item.
FINDINGS = {"CERT-02": ("nonconforming", "登録証の写しが旧版"),
            "TEC-01": ("needs_check", "クラウドの所在を確認"),
            "TEC-04": ("nonconforming", "診断規程が未改訂")}
VERDICT_WORDS = {"nonconforming": "不適合", "needs_check": "要確認", "conforms": "適合"}
REVIEWER = "監査 一郎"
# The two actions the vendor closes with evidence, and the one left open.
CLOSED, LEFT_OPEN = ("CERT-02", "TEC-04"), "TEC-01"
# Year 2 (2027): the five answers that change.
YEAR_TWO_CHANGES = {"CERT-02": "IS 654321", "CERT-03": "2028-03-31", "TEC-01": "own", "TEC-03": "180",
                    "CERT-01": "pmark"}
CHANGED = sorted(YEAR_TWO_CHANGES)


def hashes(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` by its SHA-256 (to show a folder was left byte for byte)."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}
