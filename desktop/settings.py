"""The app's preferences: one typed front over QSettings with every key declared here.

Tests point it at a temporary INI file (``Settings(path)``); the app uses the
platform's native store. Nothing secret is ever stored here (no passphrases, no
answers): only paths, layout and preferences.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

T = TypeVar("T")

ORGANISATION = "CCUS Attest"
APPLICATION = "CCUS Attest"
MAX_RECENT = 8


@dataclass(frozen=True)
class Key(Generic[T]):
    name: str
    default: T

    def coerce(self, raw: Any) -> T:
        """QSettings returns strings from INI files; turn them back into the declared type."""
        default = self.default
        if raw is None:
            return default
        try:
            if isinstance(default, bool):
                return raw if isinstance(raw, bool) else str(raw).lower() in ("true", "1", "yes")
            if isinstance(default, int):
                return int(raw)
            if isinstance(default, list):
                if isinstance(raw, str):
                    return [raw] if raw else []
                return [str(v) for v in raw]
            if isinstance(default, QByteArray):
                return raw if isinstance(raw, QByteArray) else QByteArray(raw)
            return type(default)(raw)
        except (TypeError, ValueError):
            return default


# Every preference the app keeps.
LANGUAGE = Key[str]("ui/language", "")                  # "" until the first start decides
AUTO_LOCK_SECONDS = Key[int]("security/autoLockSeconds", 600)  # 0 = never
RECENT_WORKSPACES = Key[list]("workspaces/recent", [])
LAST_WORKSPACE = Key[str]("workspaces/last", "")
MAIN_GEOMETRY = Key[QByteArray]("window/mainGeometry", QByteArray())
MAIN_SPLITTER = Key[QByteArray]("window/mainSplitter", QByteArray())
WELCOME_GEOMETRY = Key[QByteArray]("window/welcomeGeometry", QByteArray())
LAST_FOLDER = Key[str]("dialogs/lastFolder", "")        # where file dialogs start
# Export: the signing key FILE (never its passphrase) and the auditors' public age1… keys.
EXPORT_SIGNING_KEY = Key[str]("export/signingKeyFile", "")
EXPORT_RECIPIENTS = Key[list]("export/recipients", [])
EXPORT_FOLDER = Key[str]("export/lastFolder", "")
# Auditor: the identity FILE's path, the reviewer's name, and the pinned vendor keys
# (JSON: vendor name -> public key; see desktop/signer_pins.py).
AUDITOR_IDENTITY = Key[str]("auditor/identityFile", "")
AUDITOR_REVIEWER = Key[str]("auditor/reviewerName", "")
AUDITOR_PINS = Key[str]("auditor/pinnedSigners", "")
AUDITOR_GEOMETRY = Key[QByteArray]("window/auditorGeometry", QByteArray())
# The auditor's register (登録簿): its database URL ("" = the app's own SQLite file; a
# PostgreSQL URL names no password: libpq reads ~/.pgpass).
REGISTER_DB = Key[str]("register/database", "")
REGISTER_GEOMETRY = Key[QByteArray]("window/registerGeometry", QByteArray())

ALL_KEYS: tuple[Key[Any], ...] = (
    LANGUAGE, AUTO_LOCK_SECONDS, RECENT_WORKSPACES, LAST_WORKSPACE, MAIN_GEOMETRY, MAIN_SPLITTER,
    WELCOME_GEOMETRY, LAST_FOLDER, EXPORT_SIGNING_KEY, EXPORT_RECIPIENTS, EXPORT_FOLDER,
    AUDITOR_IDENTITY, AUDITOR_REVIEWER, AUDITOR_PINS, AUDITOR_GEOMETRY, REGISTER_DB, REGISTER_GEOMETRY,
)
AUTO_LOCK_CHOICES_MIN = (0, 1, 5, 10, 15, 30, 60)  # offered in the settings dialog


class Settings:
    def __init__(self, path: str | Path | None = None) -> None:
        if path is None:
            self._qs = QSettings(QSettings.Format.NativeFormat, QSettings.Scope.UserScope,
                                 ORGANISATION, APPLICATION)
        else:
            self._qs = QSettings(str(path), QSettings.Format.IniFormat)

    def get(self, key: Key[T]) -> T:
        return key.coerce(self._qs.value(key.name))

    def set(self, key: Key[T], value: T) -> None:
        self._put(key, value)
        self._qs.sync()

    def _put(self, key: Key[T], value: T) -> None:
        if value == key.default and not isinstance(value, QByteArray):
            self._qs.remove(key.name)
        else:
            self._qs.setValue(key.name, value)

    @property
    def path(self) -> str:
        return self._qs.fileName()

    # --- conveniences over the declared keys ------------------------------------

    def recent_workspaces(self) -> list[str]:
        return self.get(RECENT_WORKSPACES)

    def remember_workspace(self, path: str | Path) -> None:
        path = str(Path(path).absolute())
        recent = [p for p in self.recent_workspaces() if p != path]
        # one write of the file for both (it runs as the main window opens: issue 10)
        self._put(RECENT_WORKSPACES, [path, *recent][:MAX_RECENT])
        self._put(LAST_WORKSPACE, path)
        self._qs.sync()

    def forget_workspace(self, path: str | Path) -> None:
        path = str(Path(path).absolute())
        self.set(RECENT_WORKSPACES, [p for p in self.recent_workspaces() if p != path])
        if self.get(LAST_WORKSPACE) == path:
            self.set(LAST_WORKSPACE, "")
