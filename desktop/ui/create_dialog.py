"""Create a workspace: folder, vendor name, passphrase twice with a strength meter and a warning."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from .common import FolderDialog, path_row
from .passphrase_fields import PassphraseFields


@dataclass(frozen=True)
class CreateRequest:
    folder: Path
    vendor: str
    passphrase: str


class CreateWorkspaceDialog(QDialog):
    def __init__(self, parent: QWidget | None, default_folder: Path) -> None:
        super().__init__(parent)
        self.setObjectName("createDialog")
        self.setWindowTitle(self.tr("新しいワークスペースを作成"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("回答と証跡は、ここで決めるパスフレーズで暗号化して保存されます。"), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.folder = path_row(form, self.tr("保存先フォルダー"), self, self._browse, edit_name="folderEdit",
                               button_name="browseFolder", text=str(default_folder))
        self.vendor = QLineEdit(self)
        self.vendor.setObjectName("vendorEdit")
        self.vendor.setPlaceholderText(self.tr("例: 株式会社サンプルシステム"))
        form.addRow(self.tr("事業者名"), self.vendor)
        self.pair = PassphraseFields(form, self, user_inputs=lambda: [self.vendor.text()])
        # The fields by their old names (tests and the rest of the dialog use them).
        self.passphrase, self.confirm = self.pair.passphrase, self.pair.confirm
        self.meter, self.meter_label = self.pair.meter, self.pair.meter_label
        self.mismatch = self.pair.mismatch
        layout.addLayout(form)

        warning = QFrame(self)
        warning.setObjectName("warningBox")
        box = QVBoxLayout(warning)
        text = QLabel(self.tr(
            "パスフレーズを忘れると、ワークスペースの回答と証跡は誰にも復元できません（開発元にも"
            "できません）。パスフレーズを保存する仕組みはありません。紙に書いて鍵のかかる場所に"
            "保管するなど、確実に控えてください。"), warning)
        text.setWordWrap(True)
        self.understood = QCheckBox(self.tr("理解しました。パスフレーズは自分で確実に保管します。"), warning)
        self.understood.setObjectName("understoodCheck")
        box.addWidget(text)
        box.addWidget(self.understood)
        layout.addWidget(warning)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.create_button = self.buttons.addButton(self.tr("作成"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.create_button.setObjectName("createButton")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        for edit in (self.folder, self.vendor):
            edit.textChanged.connect(self._update)
        self.vendor.textChanged.connect(self.pair.update)
        self.pair.changed.connect(self._update)
        self.understood.toggled.connect(self._update)
        self._update()

    def _browse(self) -> None:
        chosen = FolderDialog.ask(self, self.tr("ワークスペースを作成するフォルダー"), self.folder.text())
        if chosen is not None:
            self.folder.setText(str(chosen))

    def _update(self) -> None:
        self.create_button.setEnabled(bool(self.folder.text().strip()) and self.pair.acceptable()
                                      and self.understood.isChecked())

    def request(self) -> CreateRequest:
        return CreateRequest(Path(self.folder.text().strip()).expanduser(), self.vendor.text().strip(),
                             self.passphrase.text())

    @classmethod
    def ask(cls, parent: QWidget | None, default_folder: Path) -> CreateRequest | None:
        dialog = cls(parent, default_folder)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        return dialog.request() if dialog.exec() == QDialog.DialogCode.Accepted else None
