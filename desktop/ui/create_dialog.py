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
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .common import FolderDialog

MIN_CHARS = 8  # the core's floor (storage.crypto.MIN_PASSPHRASE_CHARS); checked again there


@dataclass(frozen=True)
class CreateRequest:
    folder: Path
    vendor: str
    passphrase: str


def strength(passphrase: str, user_inputs: list[str]) -> int:
    """0 (very weak) to 4 (strong), by zxcvbn, which knows common words, names and patterns."""
    if not passphrase:
        return 0
    from zxcvbn import zxcvbn  # imported on first use: its dictionaries take a moment to load

    return int(zxcvbn(passphrase[:100], user_inputs=[u for u in user_inputs if u])["score"])


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
        folder_row = QHBoxLayout()
        self.folder = QLineEdit(str(default_folder), self)
        self.folder.setObjectName("folderEdit")
        browse = QPushButton(self.tr("参照…"), self)
        browse.setObjectName("browseFolder")
        browse.clicked.connect(self._browse)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        form.addRow(self.tr("保存先フォルダー"), folder_row)
        self.vendor = QLineEdit(self)
        self.vendor.setObjectName("vendorEdit")
        self.vendor.setPlaceholderText(self.tr("例: 株式会社サンプルシステム"))
        form.addRow(self.tr("事業者名"), self.vendor)
        self.passphrase = QLineEdit(self)
        self.passphrase.setObjectName("passphraseEdit")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("パスフレーズ"), self.passphrase)
        self.meter = QProgressBar(self)
        self.meter.setObjectName("strengthMeter")
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(False)
        self.meter.setFixedHeight(8)
        self.meter_label = QLabel(self)
        self.meter_label.setObjectName("strengthLabel")
        meter_box = QVBoxLayout()
        meter_box.setSpacing(2)
        meter_box.addWidget(self.meter)
        meter_box.addWidget(self.meter_label)
        form.addRow(self.tr("強度"), meter_box)
        self.confirm = QLineEdit(self)
        self.confirm.setObjectName("confirmEdit")
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("パスフレーズ（確認）"), self.confirm)
        self.mismatch = QLabel(self)
        self.mismatch.setObjectName("mismatchLabel")
        self.mismatch.setStyleSheet("color: #9b1c1c;")
        form.addRow("", self.mismatch)
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

        for edit in (self.folder, self.vendor, self.passphrase, self.confirm):
            edit.textChanged.connect(self._update)
        self.understood.toggled.connect(self._update)
        self._update()

    def _browse(self) -> None:
        chosen = FolderDialog.ask(self, self.tr("ワークスペースを作成するフォルダー"), self.folder.text())
        if chosen is not None:
            self.folder.setText(str(chosen))

    def _update(self) -> None:
        pw = self.passphrase.text()
        score = strength(pw, [self.vendor.text()]) if len(pw) >= MIN_CHARS else 0
        self.meter.setValue(score if pw else 0)
        labels = [self.tr("とても弱い"), self.tr("弱い"), self.tr("普通"), self.tr("強い"),
                  self.tr("とても強い")]
        colours = ["#c0392b", "#d35400", "#c98a00", "#2e8b57", "#1e6b43"]
        if not pw:
            self.meter_label.setText(self.tr("{n}文字以上。複数の単語を組み合わせると覚えやすく強くなります。")
                                     .format(n=MIN_CHARS))
        elif len(pw) < MIN_CHARS:
            self.meter_label.setText(self.tr("短すぎます（{n}文字以上必要です）").format(n=MIN_CHARS))
        else:
            self.meter_label.setText(labels[score])
        self.meter.setStyleSheet(f"QProgressBar::chunk {{ background: {colours[score]}; }}")
        mismatch = bool(self.confirm.text()) and self.confirm.text() != pw
        self.mismatch.setText(self.tr("確認用のパスフレーズが一致しません。") if mismatch else "")
        self.create_button.setEnabled(
            bool(self.folder.text().strip()) and len(pw) >= MIN_CHARS and pw == self.confirm.text()
            and self.understood.isChecked())

    def request(self) -> CreateRequest:
        return CreateRequest(Path(self.folder.text().strip()).expanduser(), self.vendor.text().strip(),
                             self.passphrase.text())

    @classmethod
    def ask(cls, parent: QWidget | None, default_folder: Path) -> CreateRequest | None:
        dialog = cls(parent, default_folder)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        return dialog.request() if dialog.exec() == QDialog.DialogCode.Accepted else None
