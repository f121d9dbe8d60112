"""Create a minisign signing key: where, a passphrase twice with its strength, and a warning.

The key pair is written by ``exports.keys.generate_signing_key`` in the worker (scrypt
takes a moment): the secret key owner-only (0600), never over an existing file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ..tasks import Task
from .common import OutputFileDialog, path_row
from .passphrase_fields import PassphraseFields

if TYPE_CHECKING:
    from exports.keys import GeneratedSigningKey


def default_key_prefix(vendor: str) -> Path:
    import datetime as dt

    from storage.paths import data_dir

    from .document_export import safe_file_name

    name = safe_file_name(vendor).replace(" ", "_") if vendor else "signing"
    return data_dir() / "keys" / f"{name}-{dt.date.today().year}"


class SigningKeyDialog(QDialog):
    scrypt: ClassVar[dict[str, Any]] = {}  # tests may lighten scrypt; the app uses the library default

    def __init__(self, parent: QWidget | None, prefix: Path, vendor: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("signingKeyDialog")
        self.setWindowTitle(self.tr("新しい署名鍵を作成"))
        self.setMinimumWidth(600)
        self.created: GeneratedSigningKey | None = None
        self.passphrase_used = ""
        self.task: Task | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr(
            "提出バンドルに署名する鍵（minisign 形式）を作成します。秘密鍵（.key）はパスフレーズで"
            "暗号化して保存され、公開鍵（.pub）は監査側に渡すためのものです。"), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.prefix = path_row(form, self.tr("保存先（拡張子なし）"), self, self._browse,
                               edit_name="keyPrefixEdit", button_name="browseKeyPrefix", text=str(prefix))
        self.files = QLabel(self)
        self.files.setObjectName("keyFilesLabel")
        self.files.setStyleSheet("color: #5b6b7b;")
        self.files.setWordWrap(True)
        form.addRow(self.files)  # the whole width: a narrow wrapped label is hard to read
        self.pair = PassphraseFields(form, self, "keyPassphrase", user_inputs=lambda: [vendor])
        layout.addLayout(form)

        warning = QFrame(self)
        warning.setObjectName("warningBox")
        box = QVBoxLayout(warning)
        text = QLabel(self.tr(
            "このパスフレーズを忘れると、この鍵では二度と署名できません（新しい鍵を作り、監査側に新しい"
            "公開鍵を届け直すことになります）。秘密鍵ファイルは誰にも渡さず、バックアップを安全な場所に"
            "保管してください。"), warning)
        text.setWordWrap(True)
        box.addWidget(text)
        layout.addWidget(warning)
        self.status = QLabel(self)
        self.status.setObjectName("keyStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.create_button = self.buttons.addButton(self.tr("作成"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.create_button.setObjectName("createKeyButton")
        self.create_button.clicked.connect(self._create)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.prefix.textChanged.connect(self._update)
        self.pair.changed.connect(self._update)
        self._update()

    def _paths(self) -> tuple[Path, Path]:
        prefix = Path(self.prefix.text().strip()).expanduser()
        if prefix.suffix in (".key", ".pub"):
            prefix = prefix.with_suffix("")
        return prefix.with_name(prefix.name + ".key"), prefix.with_name(prefix.name + ".pub")

    def _browse(self) -> None:
        secret, _public = self._paths()
        chosen = OutputFileDialog.ask(self, self.tr("署名鍵の保存先"), str(secret),
                                      self.tr("minisign 秘密鍵 (*.key)"))
        if chosen is not None:
            self.prefix.setText(str(chosen.with_suffix("") if chosen.suffix == ".key" else chosen))

    def _update(self) -> None:
        has_name = bool(self.prefix.text().strip())
        if has_name:
            secret, public = self._paths()
            taken = [p.name for p in (secret, public) if p.exists()]
            if taken:
                self.files.setText(self.tr("{names} はすでにあります。鍵ファイルは上書きしません。別の名前に"
                                           "してください。").format(names="、".join(taken)))
                self.files.setStyleSheet("color: #9b1c1c;")
            else:
                self.files.setText(self.tr("作成するファイル: {secret}（秘密鍵）、{public}（公開鍵）").format(
                    secret=secret.name, public=public.name))
                self.files.setStyleSheet("color: #5b6b7b;")
            has_name = not taken
        self.create_button.setEnabled(has_name and self.pair.acceptable() and self.task is None)

    def _create(self) -> None:
        if not self.create_button.isEnabled():
            return
        from exports.keys import generate_signing_key

        secret, _public = self._paths()
        prefix = secret.with_suffix("")
        passphrase = self.pair.value()
        scrypt = dict(self.scrypt)
        if prefix.parent == default_key_prefix("").parent:
            prefix.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # the app's own key folder
        self.task = Task(lambda _p, _c: generate_signing_key(prefix, passphrase, **scrypt))
        self.task.succeeded.connect(lambda made: self._created(made, passphrase))
        self.task.failed.connect(self._failed)
        self.status.setText(self.tr("鍵を作成しています…"))
        self._update()
        self.task.start()

    def _created(self, made: GeneratedSigningKey, passphrase: str) -> None:
        self.task = None
        self.created = made
        self.passphrase_used = passphrase
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        from ..errors import explain

        self.task = None
        explanation = explain(exc)
        self.status.setText(f"<b>{explanation.title}</b><br>{explanation.what}")
        self.status.setToolTip(explanation.detail)
        self._update()

    def reject(self) -> None:
        if self.task is None:  # the key is being written: let it finish (it takes a second)
            super().reject()

    @classmethod
    def ask(cls, parent: QWidget | None, prefix: Path,
            vendor: str = "") -> tuple[GeneratedSigningKey, str] | None:
        """The created key and the passphrase it was made with (kept in memory only)."""
        dialog = cls(parent, prefix, vendor)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.created is None:
            return None
        return dialog.created, dialog.passphrase_used
