"""The auditor's pinned vendor keys (like SSH's known_hosts), for the CLI and the desktop alike.

A vendor is named by the ``vendor`` field of a bundle's *signed* manifest, read only after
the bundle verified against the key the auditor chose. The first successful verification
pins that key for that vendor name. After that, two things are loud warnings that need an
explicit decision — never a silent re-pin:

* ``KEY_CHANGED`` — the vendor name is pinned to another key (a new key, or an impostor);
* ``NAME_CHANGED`` — the key is pinned under another vendor name (a renamed company, or a
  key holder posing as someone else: 株式会社サンプル's key signing as 株式会社ビー).

The desktop asks (desktop/ui/auditor_open.py); the CLI fails the ``signer-pin`` check unless
``--accept-signer`` is given. Both use the same file, ``<user data dir>/auditor/pins.json``
(``--pins FILE`` for another), written atomically under a lock. Names are compared after NFKC
and case folding, so 「株式会社ＡＢＣ」 and 「株式会社ABC」 are one vendor; a manifest without a
vendor name is pinned under its key ID. Pins are public keys, not secrets.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from dataclasses import asdict, dataclass
from enum import Enum
from pathlib import Path

import filelock

from questionnaire.safe_names import shown
from storage.fsutil import atomic_write

from . import bundle_report as R
from .bundle_report import Check, VerifyReport

PINS_FORMAT = "ccus-attest/pins/v1"
MAX_NAME = 200
MAX_PINS_BYTES = 16 * 1024 * 1024


def default_pins_path() -> Path:
    from storage.paths import data_dir

    return data_dir() / "auditor" / "pins.json"


class PinStatus(Enum):
    NEW = "new"                    # neither the name nor the key is pinned
    SAME = "same"                  # the pinned key of this vendor signed it
    KEY_CHANGED = "key-changed"    # another key is pinned for this vendor name
    NAME_CHANGED = "name-changed"  # this key is pinned under another vendor name


@dataclass(frozen=True)
class Pin:
    vendor: str          # as shown (the manifest's spelling when pinned)
    public_key: str      # minisign base64 public key (RW…)
    key_id: str          # 16 upper-case hex digits
    pinned_at: str       # ISO date


def vendor_label(vendor: str, key_id: str) -> str:
    """The name a pin is kept under: the vendor's name, or its key ID when it gave none."""
    name = " ".join(vendor.split())[:MAX_NAME]
    return name or f"[{key_id}]"


def fold(name: str) -> str:
    return unicodedata.normalize("NFKC", name).casefold().strip()


@dataclass(frozen=True)
class PinVerdict:
    vendor: str                     # vendor_label of the bundle
    public_key: str
    key_id: str
    for_vendor: Pin | None          # the pin under this vendor name
    other_names: tuple[Pin, ...]    # pins of this very key under other vendor names

    @property
    def statuses(self) -> frozenset[PinStatus]:
        out = set()
        if self.for_vendor is not None and self.for_vendor.public_key != self.public_key:
            out.add(PinStatus.KEY_CHANGED)
        same_key = self.for_vendor is not None and self.for_vendor.public_key == self.public_key
        if self.other_names and not same_key:
            out.add(PinStatus.NAME_CHANGED)
        if not out:
            out.add(PinStatus.SAME if self.for_vendor is not None else PinStatus.NEW)
        return frozenset(out)

    @property
    def conflict(self) -> bool:
        return bool(self.statuses & {PinStatus.KEY_CHANGED, PinStatus.NAME_CHANGED})

    def describe_ja(self) -> str:
        """The same line in Japanese."""
        parts = []
        if PinStatus.KEY_CHANGED in self.statuses:
            p = self.for_vendor
            parts.append(f"「{shown(self.vendor)}」は鍵 {p.key_id} で登録済みです（{p.pinned_at} から）が、"
                         f"この提出バンドルは鍵 {self.key_id} で署名されています")
        if PinStatus.NAME_CHANGED in self.statuses:
            names = "、".join(f"「{shown(p.vendor)}」" for p in self.other_names[:3])
            parts.append(f"鍵 {self.key_id} は {names} の鍵として登録済みですが、この提出バンドルの提出者名は"
                         f"「{shown(self.vendor)}」です")
        if parts:
            return "。".join(parts)
        if PinStatus.SAME in self.statuses:
            return (f"鍵 {self.key_id} は「{shown(self.vendor)}」の登録済みの鍵です"
                    f"（{self.for_vendor.pinned_at} から）")
        return (f"「{shown(self.vendor)}」からの最初の提出バンドルです: "
                f"鍵 {self.key_id} はまだ登録されていません")

    def describe(self) -> str:
        """One English line for the CLI and the logs."""
        parts = []
        if PinStatus.KEY_CHANGED in self.statuses:
            p = self.for_vendor
            parts.append(f"{shown(self.vendor)!r} is pinned to key {p.key_id} (since {p.pinned_at}), but "
                         f"this bundle is signed by key {self.key_id}")
        if PinStatus.NAME_CHANGED in self.statuses:
            names = ", ".join(f"{shown(p.vendor)!r}" for p in self.other_names[:3])
            parts.append(f"key {self.key_id} is pinned for {names}, but this bundle calls its vendor "
                         f"{shown(self.vendor)!r}")
        if parts:
            return "; ".join(parts)
        if PinStatus.SAME in self.statuses:
            since = self.for_vendor.pinned_at
            return f"key {self.key_id} is the one pinned for {shown(self.vendor)!r} (since {since})"
        return f"first bundle of {shown(self.vendor)!r}: key {self.key_id} is not pinned yet"


class PinStore:
    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_pins_path()

    def _lock(self) -> filelock.FileLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        return filelock.FileLock(str(self.path) + ".lock", timeout=10)

    def _load(self) -> list[Pin]:
        try:
            with open(self.path, "rb") as fh:
                raw = fh.read(MAX_PINS_BYTES + 1)
        except FileNotFoundError:
            return []
        try:
            doc = json.loads(raw.decode("utf-8")) if len(raw) <= MAX_PINS_BYTES else None
        except (ValueError, UnicodeDecodeError):
            doc = None
        if not (isinstance(doc, dict) and doc.get("format") == PINS_FORMAT
                and isinstance(doc.get("pins"), list)):
            from questionnaire.errors import AttestError

            raise AttestError(f"{self.path} is not a pins file of this app; move it away to start afresh")
        pins = []
        for value in doc["pins"]:
            try:
                pins.append(Pin(**{k: str(value[k]) for k in Pin.__dataclass_fields__}))
            except (KeyError, TypeError):
                continue
        return pins

    def _store(self, pins: list[Pin]) -> None:
        doc = {"format": PINS_FORMAT, "pins": [asdict(p) for p in sorted(pins, key=lambda p: fold(p.vendor))]}
        with atomic_write(self.path, overwrite=True) as fh:
            fh.write((json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))

    def all(self) -> list[Pin]:
        return sorted(self._load(), key=lambda p: fold(p.vendor))

    def get(self, vendor: str) -> Pin | None:
        key = fold(vendor)
        return next((p for p in self._load() if fold(p.vendor) == key), None)

    def for_key(self, public_key: str) -> list[Pin]:
        return [p for p in self.all() if p.public_key == public_key]

    def evaluate(self, vendor: str, public_key: str, key_id: str) -> PinVerdict:
        label = vendor_label(vendor, key_id)
        pins = self._load()
        key = fold(label)
        mine = next((p for p in pins if fold(p.vendor) == key), None)
        others = tuple(p for p in pins if p.public_key == public_key and fold(p.vendor) != key)
        return PinVerdict(label, public_key, key_id, mine, others)

    def pin(self, vendor: str, public_key: str, key_id: str) -> Pin:
        """Pin a vendor's key — the first time, or after the auditor *explicitly* accepted a
        changed key or name. Other names of the same key stay pinned to it."""
        pin = Pin(vendor_label(vendor, key_id), public_key, key_id, dt.date.today().isoformat())
        with self._lock():
            pins = [p for p in self._load() if fold(p.vendor) != fold(pin.vendor)]
            self._store([*pins, pin])
        return pin

    def forget(self, vendor: str) -> None:
        with self._lock():
            self._store([p for p in self._load() if fold(p.vendor) != fold(vendor)])

    def merge(self, pins: list[Pin]) -> int:
        """Add pins kept elsewhere (the desktop's settings of earlier versions) under names not
        pinned here yet. Returns how many were added."""
        with self._lock():
            have = self._load()
            names = {fold(p.vendor) for p in have}
            new = [p for p in pins if fold(p.vendor) not in names]
            if new:
                self._store(have + new)
        return len(new)


def apply_pins(report: VerifyReport, store: PinStore, *, accept: bool = False) -> PinVerdict | None:
    """The CLI's use: add a ``signer-pin`` check to a verified report; pin a new vendor, and a
    changed one only with ``accept`` (the auditor's explicit decision). Returns the verdict
    (None when the vendor is unknown: only the outer layer was checked)."""
    if report.manifest is None or report.signer_key_id is None or report.vendor is None:
        return None
    public_key = report.signer_public_key or ""
    verdict = store.evaluate(report.vendor, public_key, report.signer_key_id)
    everything_else_ok = report.ok
    if verdict.conflict and not accept:
        report.add(Check(R.SIGNER_PIN, False, verdict.describe() + "; confirm the key ID with the vendor by "
                                              "another channel, then repeat with --accept-signer to pin it",
                         verdict.describe_ja() + "。鍵 ID を別の経路で提出者に確かめてから、"
                         "--accept-signer を付けてやり直すと登録されます"))
        return verdict
    new = PinStatus.NEW in verdict.statuses
    if verdict.conflict:
        detail = f"ACCEPTED by you: {verdict.describe()}; now pinned"
        ja = f"あなたが承認しました: {verdict.describe_ja()}。登録しました"
    else:
        detail = verdict.describe() + ("; pinned now" if new else "")
        ja = verdict.describe_ja() + ("。登録しました" if new else "")
    report.add(Check(R.SIGNER_PIN, True, detail, ja))
    if everything_else_ok and (verdict.conflict or PinStatus.NEW in verdict.statuses):
        store.pin(report.vendor, public_key, report.signer_key_id)
    return verdict
