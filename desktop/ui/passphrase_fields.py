"""A new passphrase entered twice, with a strength meter (workspace and signing-key creation)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QProgressBar, QVBoxLayout, QWidget

MIN_CHARS = 8  # the core's floor (storage.crypto.MIN_PASSPHRASE_CHARS); checked again there


def strength(passphrase: str, user_inputs: list[str]) -> int:
    """0 (very weak) to 4 (strong), by zxcvbn, which knows common words, names and patterns."""
    if not passphrase:
        return 0
    from zxcvbn import zxcvbn  # imported on first use: its dictionaries take a moment to load

    return int(zxcvbn(passphrase[:100], user_inputs=[u for u in user_inputs if u])["score"])


class PassphraseFields(QObject):
    """Adds 「パスフレーズ」, 「強度」, 「パスフレーズ（確認）」 rows to a form layout."""

    changed = Signal()

    def __init__(self, form: QFormLayout, parent: QWidget, name: str = "passphrase",
                 user_inputs: Callable[[], list[str]] = list) -> None:
        super().__init__(parent)
        self._user_inputs = user_inputs
        self.passphrase = QLineEdit(parent)
        self.passphrase.setObjectName(f"{name}Edit")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("パスフレーズ"), self.passphrase)
        self.meter = QProgressBar(parent)
        self.meter.setObjectName("strengthMeter")
        self.meter.setAccessibleName(self.tr("パスフレーズの強度"))
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(False)
        self.meter.setFixedHeight(8)
        self.meter_label = QLabel(parent)
        self.meter_label.setObjectName("strengthLabel")
        meter_box = QVBoxLayout()
        meter_box.setSpacing(2)
        meter_box.addWidget(self.meter)
        meter_box.addWidget(self.meter_label)
        form.addRow(self.tr("強度"), meter_box)
        self.confirm = QLineEdit(parent)
        self.confirm.setObjectName(f"{name}ConfirmEdit" if name != "passphrase" else "confirmEdit")
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("パスフレーズ（確認）"), self.confirm)
        self.mismatch = QLabel(parent)
        self.mismatch.setObjectName("mismatchLabel")
        self.mismatch.setStyleSheet("color: #9b1c1c;")
        form.addRow("", self.mismatch)
        self.passphrase.textChanged.connect(self.update)
        self.confirm.textChanged.connect(self.update)
        self.update()

    def update(self) -> None:
        pw = self.passphrase.text()
        score = strength(pw, self._user_inputs()) if len(pw) >= MIN_CHARS else 0
        self.meter.setValue(score if pw else 0)
        labels = [self.tr("とても弱い"), self.tr("弱い"), self.tr("普通"), self.tr("強い"),
                  self.tr("とても強い")]
        colours = ["#c0392b", "#d35400", "#c98a00", "#2e8b57", "#1e6b43"]
        if not pw:
            self.meter_label.setText(
                self.tr("{n}文字以上。複数の単語を組み合わせると覚えやすく強くなります。").format(n=MIN_CHARS))
        elif len(pw) < MIN_CHARS:
            self.meter_label.setText(self.tr("短すぎます（{n}文字以上必要です）").format(n=MIN_CHARS))
        else:
            self.meter_label.setText(labels[score])
        # read aloud as these words, not as "2" of 0–4 (accessibility.py); shown in the label beside
        self.meter.setFormat(self.meter_label.text())
        self.meter.setStyleSheet(f"QProgressBar::chunk {{ background: {colours[score]}; }}")
        mismatch = bool(self.confirm.text()) and self.confirm.text() != pw
        self.mismatch.setText(self.tr("確認用のパスフレーズが一致しません。") if mismatch else "")
        self.changed.emit()

    def acceptable(self) -> bool:
        pw = self.passphrase.text()
        return len(pw) >= MIN_CHARS and pw == self.confirm.text()

    def value(self) -> str:
        return self.passphrase.text()

    def clear(self) -> None:
        self.passphrase.clear()
        self.confirm.clear()
