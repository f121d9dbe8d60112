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
    QSpinBox,
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
    # next year's workspace from last year's (storage/cycle.py): None for an empty one
    origin: Path | None = None
    origin_passphrase: str = ""
    period: int | None = None


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


class CarryForwardDialog(CreateWorkspaceDialog):
    """「前年度のワークスペースから作成…」: last year's folder and passphrase (it is opened
    read-only and nothing in it changes), the new audit period, then the new workspace as in
    the plain dialog. Every carried answer starts as 前年から引継ぎ・要確認."""

    def __init__(self, parent: QWidget | None, default_folder: Path, origin: Path | None = None) -> None:
        super().__init__(parent, default_folder)
        self.setObjectName("carryForwardDialog")
        self.setWindowTitle(self.tr("前年度のワークスペースから作成"))
        self.create_button.setText(self.tr("引き継いで作成"))
        box = QFrame(self)
        box.setObjectName("originBox")
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        intro = QLabel(self.tr(
            "前年度のワークスペースの回答・備考・証跡を、新しいワークスペースに引き継ぎます。前年度の"
            "ワークスペースは読み取り専用で開かれ、何も変更されません。引き継いだ回答は「前年から引継ぎ・"
            "要確認」となり、確認するまで完了に数えられません。"), box)
        intro.setWordWrap(True)
        form.addRow(intro)
        self.origin = path_row(form, self.tr("前年度のワークスペース"), box, self._browse_origin,
                               edit_name="originEdit", button_name="browseOrigin",
                               text=str(origin) if origin else "")
        self.origin_passphrase = QLineEdit(box)
        self.origin_passphrase.setObjectName("originPassphrase")
        self.origin_passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.origin_passphrase.setAccessibleName(self.tr("前年度のワークスペースのパスフレーズ"))
        form.addRow(self.tr("前年度のパスフレーズ"), self.origin_passphrase)
        self.period = QSpinBox(box)
        self.period.setObjectName("periodSpin")
        self.period.setRange(0, 2999)
        self.period.setSpecialValueText(self.tr("自動（前年度の翌年度）"))
        self.period.setValue(0)
        self.period.setAccessibleName(self.tr("新しい監査期間（年度）"))
        form.addRow(self.tr("監査期間（年度）"), self.period)
        self.vendor.setPlaceholderText(self.tr("空欄: 前年度と同じ事業者名"))
        self.layout().insertWidget(1, box)
        self.origin.textChanged.connect(self._update)
        self.origin_passphrase.textChanged.connect(self._update)
        self._update()

    def _browse_origin(self) -> None:
        chosen = FolderDialog.ask(self, self.tr("前年度のワークスペースのフォルダー"), self.origin.text())
        if chosen is not None:
            self.origin.setText(str(chosen))

    def _update(self) -> None:
        super()._update()
        if hasattr(self, "origin_passphrase"):
            self.create_button.setEnabled(self.create_button.isEnabled() and bool(self.origin.text().strip())
                                          and bool(self.origin_passphrase.text()))

    def request(self) -> CreateRequest:
        base = super().request()
        return CreateRequest(base.folder, base.vendor, base.passphrase,
                             origin=Path(self.origin.text().strip()).expanduser(),
                             origin_passphrase=self.origin_passphrase.text(),
                             period=self.period.value() or None)

    @classmethod
    def ask(cls, parent: QWidget | None, default_folder: Path, origin: Path | None = None  # type: ignore[override]
            ) -> CreateRequest | None:
        dialog = cls(parent, default_folder, origin)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        return dialog.request() if dialog.exec() == QDialog.DialogCode.Accepted else None
