"""Which submissions this auditor's app has seen before: when, where, and which payload.

A vendor with a real key can re-sign an old payload under its own submission ID; the bundle
verifies exactly like a fresh one. So the app remembers every submission ID it verified or
opened (``<user data dir>/auditor/seen.json``, shared by the CLI and the desktop), with the
time, the file, and the BLAKE2b-512 of the signed payload. Seeing an ID again is reported
with when and where it was seen — as the same payload (the auditor looking again), or as a
*different* payload under the same ID (re-signed or replayed: no export of the app ever
reuses an ID).

Only submission IDs whose outer signature verified are recorded (an unsigned ID says
nothing). The file is bounded: the last ``MAX_SIGHTINGS`` sightings of each of the last
``MAX_SUBMISSIONS`` submissions.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import filelock

from questionnaire.errors import AttestError
from storage.fsutil import atomic_write

from .bundle_report import VerifyReport, format_jst

SEEN_FORMAT = "ccus-attest/seen/v1"
MAX_SIGHTINGS = 20
MAX_SUBMISSIONS = 10_000
MAX_SEEN_BYTES = 64 * 1024 * 1024


def default_seen_path() -> Path:
    from storage.paths import data_dir

    return data_dir() / "auditor" / "seen.json"


@dataclass(frozen=True)
class Sighting:
    at: str                 # when this app saw it (ISO, UTC)
    action: str             # "verify" | "open" | "desktop"
    where: str              # the bundle file (and for open, the folder)
    payload: str            # BLAKE2b-512 of submission.tar.age (hex)
    signer_key_id: str
    vendor: str
    ok: bool                # every check held

    @property
    def when(self) -> dt.datetime | None:
        try:
            return dt.datetime.fromisoformat(self.at.replace("Z", "+00:00"))
        except ValueError:
            return None

    def describe(self, payload: str | None, lang: str = "en") -> str:
        same = payload is not None and payload == self.payload
        if lang == "ja":
            what = ("同じ署名済みデータ" if same else
                    "別の署名済みデータ（同じ提出IDで再署名・再送された可能性）")
            action = _ACTIONS_JA.get(self.action, self.action)
            return f"{format_jst(self.when, 'ja')} に {self.where} で確認済み（{action}、{what}）"
        what = ("the same signed payload" if same else
                "a DIFFERENT signed payload under the same submission ID: re-signed or replayed")
        return f"seen {format_jst(self.when, 'en')}: {self.action} of {self.where} ({what})"


# What the auditor did when the submission was seen (the CLI's commands, the desktop's actions).
_ACTIONS_JA = {"verify": "検証", "open": "展開", "desktop": "デスクトップで展開"}


class SeenStore:
    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_seen_path()

    def _load(self) -> dict[str, list[Sighting]]:
        try:
            with open(self.path, "rb") as fh:
                raw = fh.read(MAX_SEEN_BYTES + 1)
        except FileNotFoundError:
            return {}
        try:
            doc = json.loads(raw.decode("utf-8")) if len(raw) <= MAX_SEEN_BYTES else None
        except (ValueError, UnicodeDecodeError):
            doc = None
        if not (isinstance(doc, dict) and doc.get("format") == SEEN_FORMAT
                and isinstance(doc.get("submissions"), dict)):
            raise AttestError(f"{self.path} is not a file of submissions seen by this app; move it away to "
                              "start afresh")
        out: dict[str, list[Sighting]] = {}
        for sid, rows in doc["submissions"].items():
            if not isinstance(rows, list):
                continue
            kept = []
            for row in rows:
                try:
                    kept.append(Sighting(**{k: row[k] for k in Sighting.__dataclass_fields__}))
                except (KeyError, TypeError):
                    continue
            out[sid] = kept
        return out

    def earlier(self, submission_id: str) -> list[Sighting]:
        return list(self._load().get(submission_id, []))

    def record(self, report: VerifyReport, action: str, where: str | Path) -> list[Sighting]:
        """Remember this sighting; return the earlier ones of the same submission (oldest first).
        Nothing is recorded for a bundle whose outer signature did not verify."""
        sid = report.submission_id
        if sid is None or report.payload_digest is None:
            return []
        sighting = Sighting(
            at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z"), action=action,
            where=str(where), payload=report.payload_digest, signer_key_id=report.signer_key_id or "",
            vendor=report.vendor or "", ok=report.ok)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with filelock.FileLock(str(self.path) + ".lock", timeout=10):
            seen = self._load()
            before = seen.pop(sid, [])
            seen[sid] = [*before, sighting][-MAX_SIGHTINGS:]   # most recent last (dicts keep order)
            while len(seen) > MAX_SUBMISSIONS:
                del seen[next(iter(seen))]
            doc = {"format": SEEN_FORMAT, "submissions": {k: [asdict(s) for s in v] for k, v in seen.items()}}
            with atomic_write(self.path, overwrite=True) as fh:
                fh.write(json.dumps(doc, ensure_ascii=False).encode("utf-8"))
        report.replay_suspected = different_payload(report, before)
        return before


def different_payload(report: VerifyReport, earlier: list[Sighting]) -> bool:
    """Whether an earlier sighting of this submission ID had another signed payload."""
    return any(s.payload != report.payload_digest for s in earlier)


def sighting_notes(report: VerifyReport, earlier: list[Sighting], lang: str = "en") -> list[str]:
    """What to tell the auditor about earlier sightings (the most recent three, newest first)."""
    if not earlier:
        return []
    lines = [s.describe(report.payload_digest, lang) for s in reversed(earlier[-3:])]
    different = different_payload(report, earlier)
    if lang == "ja":
        head = ("注意: この提出IDは以前に別の内容で確認されています（再送・再署名の可能性）" if different
                else "この提出IDは以前にも確認しています")
    else:
        head = ("WARNING: this submission ID was seen before with DIFFERENT content (replayed or re-signed)"
                if different else "this submission ID was seen before")
    return [head, *lines]
