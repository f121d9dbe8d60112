"""The desktop app's view of the auditor's pinned vendor keys (exports/bundle_pins.py).

The pins live in one file shared with the CLI (``<user data dir>/auditor/pins.json``), so a
scripted auditor and the desktop app protect each other: a key pinned in one is known to the
other. Pins that earlier versions of the app kept in the settings (``AUDITOR_PINS``) are
moved into that file the first time the auditor's side opens.

Nothing here decides on its own: a changed key or a key under another vendor name is shown
to the auditor (desktop/ui/auditor_open.py), who must accept it explicitly.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from exports.bundle_pins import Pin, PinStatus, PinStore, PinVerdict, vendor_label
from questionnaire.errors import AttestError

from .settings import AUDITOR_PINS

if TYPE_CHECKING:
    from .settings import Settings

__all__ = ["Pin", "PinStatus", "PinVerdict", "SignerPins", "vendor_label"]


class SignerPins(PinStore):
    """``error``: the pins file could not be read (it is never overwritten then; opening a
    bundle is refused with that error until the auditor moves the file away)."""

    def __init__(self, settings: Settings, path=None) -> None:
        super().__init__(path)
        self.settings = settings
        self.error: AttestError | None = None
        try:
            self._migrate()
            self._load()
        except AttestError as exc:
            self.error = exc

    def all(self) -> list[Pin]:
        return [] if self.error is not None else super().all()

    def _migrate(self) -> None:
        raw = self.settings.get(AUDITOR_PINS)
        if not raw:
            return
        try:
            doc = json.loads(raw)
        except ValueError:
            doc = {}
        old = []
        for value in doc.values() if isinstance(doc, dict) else ():
            try:
                old.append(Pin(**{k: str(value[k]) for k in Pin.__dataclass_fields__}))
            except (KeyError, TypeError):
                continue
        self.merge(old)
        self.settings.set(AUDITOR_PINS, "")
