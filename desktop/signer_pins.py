"""The auditor's trust store: each vendor's pinned minisign public key (like SSH's known_hosts).

A vendor is named by the ``vendor`` field of a bundle's *signed* manifest, read only after
the bundle verified against the key the auditor chose. The first successful verification
pins that key for the vendor; a later bundle of the same vendor signed by another key is
a CHANGED key, which the app never re-pins on its own (the auditor must accept it
explicitly, after confirming the new key ID with the vendor by another channel).

Names are compared after NFKC and case folding, so 「株式会社ＡＢＣ」 and 「株式会社ABC」 are one
vendor. A manifest without a vendor name is pinned under its key ID. Pins are public keys,
not secrets; they live in the settings file (``AUDITOR_PINS``, one JSON document).
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from dataclasses import asdict, dataclass
from enum import Enum
from typing import TYPE_CHECKING

from .settings import AUDITOR_PINS

if TYPE_CHECKING:
    from .settings import Settings

MAX_NAME = 200


class PinStatus(Enum):
    NEW = "new"          # no key pinned for this vendor yet
    SAME = "same"        # the pinned key signed it
    CHANGED = "changed"  # another key is pinned for this vendor: warn loudly


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


def _fold(name: str) -> str:
    return unicodedata.normalize("NFKC", name).casefold().strip()


class SignerPins:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def _load(self) -> dict[str, Pin]:
        raw = self.settings.get(AUDITOR_PINS)
        try:
            doc = json.loads(raw) if raw else {}
        except ValueError:
            doc = {}
        pins: dict[str, Pin] = {}
        if isinstance(doc, dict):
            for value in doc.values():
                try:
                    pin = Pin(**{k: str(value[k]) for k in ("vendor", "public_key", "key_id", "pinned_at")})
                except (KeyError, TypeError):
                    continue
                pins[_fold(pin.vendor)] = pin
        return pins

    def _store(self, pins: dict[str, Pin]) -> None:
        doc = {key: asdict(pin) for key, pin in sorted(pins.items())}
        self.settings.set(AUDITOR_PINS, json.dumps(doc, ensure_ascii=False) if doc else "")

    def all(self) -> list[Pin]:
        return sorted(self._load().values(), key=lambda p: _fold(p.vendor))

    def get(self, vendor: str) -> Pin | None:
        return self._load().get(_fold(vendor))

    def for_key(self, public_key: str) -> list[Pin]:
        return [p for p in self.all() if p.public_key == public_key]

    def check(self, vendor: str, public_key: str) -> tuple[PinStatus, Pin | None]:
        pinned = self.get(vendor)
        if pinned is None:
            return PinStatus.NEW, None
        return (PinStatus.SAME if pinned.public_key == public_key else PinStatus.CHANGED), pinned

    def pin(self, vendor: str, public_key: str, key_id: str) -> Pin:
        """Pin (or, after the auditor accepted a change, re-pin) a vendor's key."""
        pins = self._load()
        pin = Pin(vendor, public_key, key_id, dt.date.today().isoformat())
        pins[_fold(vendor)] = pin
        self._store(pins)
        return pin

    def forget(self, vendor: str) -> None:
        pins = self._load()
        pins.pop(_fold(vendor), None)
        self._store(pins)
