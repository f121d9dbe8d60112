"""The export wizard's input pages: the signing key, the recipients, the output file.

Each page checks what it is given as soon as it is given (a key file is read, a pasted
``age1…`` key is parsed) and says what is wrong in the user's language. The signing key
is unlocked with its passphrase in the worker when the user leaves the key page (scrypt
takes a moment); the passphrase is never stored or logged, and the field is cleared.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from ..settings import EXPORT_FOLDER, EXPORT_RECIPIENTS, EXPORT_SIGNING_KEY
from ..tasks import Task
from .common import OpenFileDialog, OutputFileDialog, confirm_replace, path_row
from .document_export import safe_file_name
from .signing_key_dialog import SigningKeyDialog, default_key_prefix

if TYPE_CHECKING:
    from .export_wizard import ExportWizard

ERROR_STYLE = "color: #9b1c1c;"
NOTE_STYLE = "color: #4a5868;"


def scroll_body(page: QWizardPage) -> QVBoxLayout:
    """The page's layout, inside a scroll area: a page taller than a small screen (1366×768 at
    150 %, or a larger font) scrolls instead of pushing the wizard's buttons off the screen."""
    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 0, 0, 0)
    area = QScrollArea(page)
    area.setObjectName(f"{page.objectName() or 'page'}Scroll")
    area.setProperty("bare", True)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its fields are the tab stops
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    body = QWidget(area)
    body.setObjectName("wizardBody")
    area.setWidget(body)
    outer.addWidget(area)
    return QVBoxLayout(body)


class _EnterAdds(QObject):
    """Enter in the recipient field adds the key; it must not also press the wizard's 次へ."""

    def __init__(self, field: QLineEdit, add) -> None:
        super().__init__(field)
        self.add = add
        field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and watched.text().strip():  # an empty field: Enter goes on to the next page
            self.add()
            return True
        return False


def _label(text: str, parent, name: str = "", style: str = NOTE_STYLE) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet(style)
    if name:
        label.setObjectName(name)
    return label


class SigningKeyPage(QWizardPage):
    def __init__(self, wizard: ExportWizard) -> None:
        super().__init__(wizard)
        self.w = wizard
        self.setObjectName("signingKeyPage")
        self.setTitle(self.tr("署名鍵"))
        self.setSubTitle(self.tr("提出バンドルに署名する鍵（minisign 形式の秘密鍵 .key）を選ぶか、新しく"
                                 "作成します。監査側は対応する公開鍵（.pub）で、提出者と内容が正しいことを"
                                 "確かめます。"))
        self._unlocked_for: tuple[str, str] | None = None
        self.task: Task | None = None
        layout = scroll_body(self)
        form = QFormLayout()
        # Made in the order they are read (Tab follows creation): key file, passphrase, then
        # 新しい署名鍵を作成… below them.
        self.path = path_row(form, self.tr("秘密鍵"), self, self._browse, edit_name="signingKeyPath",
                             button_name="browseSigningKey")
        self.path.setPlaceholderText(self.tr("秘密鍵ファイル（.key）"))
        self.info = _label("", self, "signingKeyInfo")
        form.addRow("", self.info)
        self.passphrase = QLineEdit(self)
        self.passphrase.setObjectName("signingPassphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText(self.tr("署名鍵のパスフレーズ（ワークスペースのものとは別）"))
        form.addRow(self.tr("パスフレーズ"), self.passphrase)
        layout.addLayout(form)
        self.create_button = QPushButton(self.tr("新しい署名鍵を作成…"), self)
        self.create_button.setObjectName("createSigningKey")
        self.create_button.clicked.connect(self._create)
        layout.addWidget(self.create_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.status = _label("", self, "signingKeyStatus", ERROR_STYLE)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.path.textChanged.connect(self._path_changed)
        self.passphrase.textChanged.connect(lambda _t: self.status.setText(""))
        self.path.setText(wizard.settings.get(EXPORT_SIGNING_KEY))

    def _browse(self) -> None:
        start = self.path.text() or str(default_key_prefix(self.w.session.vendor).parent)
        chosen = OpenFileDialog.ask(self, self.tr("署名鍵（秘密鍵）を選択"), start,
                                    self.tr("minisign 秘密鍵 (*.key);;すべてのファイル (*)"))
        if chosen is not None:
            self.path.setText(str(chosen))
            self.passphrase.setFocus()

    def _create(self) -> None:
        made = SigningKeyDialog.ask(self, default_key_prefix(self.w.session.vendor), self.w.session.vendor)
        if made is None:
            return
        key, passphrase = made
        self.path.setText(str(key.secret_path))
        self.passphrase.setText(passphrase)
        # Everything is filled in: focus 次へ, so Enter goes on (and does not make another key).
        self.w.button(QWizard.WizardButton.NextButton).setFocus(Qt.FocusReason.OtherFocusReason)

    def _path_changed(self) -> None:
        """Read the chosen file at once (no passphrase needed) and say what it is."""
        from exports.errors import KeyFileError
        from exports.keys import load_public_key, read_secret_key

        self.status.setText("")
        self.info.setText("")
        text = self.path.text().strip()
        if text:
            path = Path(text).expanduser()
            try:
                read_secret_key(path)
            except KeyFileError as exc:
                self.status.setText(self.tr("この鍵ファイルは使えません: {detail}").format(detail=exc))
            else:
                public = path.with_suffix(".pub")
                try:
                    key_id = load_public_key(public).key_id if public.is_file() else ""
                except KeyFileError:
                    key_id = ""
                found = self.tr("公開鍵 {name}・鍵 ID {key_id}").format(name=public.name, key_id=key_id)
                missing = self.tr("対応する公開鍵（.pub）が同じフォルダーにありません。")
                self.info.setText(found if key_id else missing)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.path.text().strip()) and not self.status.text() and self.task is None

    def validatePage(self) -> bool:
        """Unlock the key in the worker; the wizard moves on when it worked."""
        wanted = (self.path.text().strip(), self.passphrase.text())
        if self.w.signing_key is not None and self._unlocked_for == wanted:
            return True
        from exports.keys import read_secret_key

        path, passphrase = Path(wanted[0]).expanduser(), wanted[1]
        self.w.forget_key()
        self.task = Task(lambda _p, _c: read_secret_key(path).unlock(passphrase or None))
        self.task.succeeded.connect(lambda key: self._unlocked(key, wanted))
        self.task.failed.connect(self._failed)
        self.info.setText(self.tr("署名鍵を確認しています…"))
        self.completeChanged.emit()
        self.task.start()
        return False

    def _unlocked(self, key, wanted: tuple[str, str]) -> None:
        self.task = None
        self.w.signing_key = key
        if self.w.closing:
            self.w.finish_closing()  # Cancel was pressed meanwhile: the key is wiped as it closes
            return
        self.w.key_path = Path(wanted[0]).expanduser()
        self._unlocked_for = wanted
        self.info.setText(self.tr("鍵 ID {key_id} で署名します。").format(key_id=key.key_id))
        self.completeChanged.emit()
        if self.w.currentPage() is self:
            self.w.next()

    def _failed(self, exc: BaseException) -> None:
        from ..errors import explain

        self.task = None
        if self.w.closing:
            self.w.finish_closing()
            return
        self.info.setText("")
        explanation = explain(exc)
        self.passphrase.clear()  # (clears the status too: set it after)
        self.passphrase.setFocus()
        self.status.setText(f"{explanation.title}: {explanation.what}")
        self.status.setToolTip(explanation.detail)
        self.completeChanged.emit()


class RecipientsPage(QWizardPage):
    def __init__(self, wizard: ExportWizard) -> None:
        super().__init__(wizard)
        self.w = wizard
        self.setObjectName("recipientsPage")
        self.setTitle(self.tr("受取人（監査側）"))
        self.setSubTitle(self.tr("提出バンドルを開ける人の公開鍵を追加します。age1… で始まる鍵を貼り付ける"
                                 "か、受取人ファイル（.age-recipient）を選んでください。複数追加できます。"))
        layout = scroll_body(self)
        row = QHBoxLayout()
        self.paste = QLineEdit(self)
        self.paste.setObjectName("recipientEdit")
        self.paste.setAccessibleName(self.tr("受取人の公開鍵（age1…）"))
        self.paste.setPlaceholderText("age1…")
        self._enter_adds = _EnterAdds(self.paste, self.add_pasted)
        self.add_button = QPushButton(self.tr("追加"), self)
        self.add_button.setObjectName("addRecipient")
        self.add_button.clicked.connect(self.add_pasted)
        from_file = QPushButton(self.tr("ファイルから…"), self)
        from_file.setObjectName("recipientFromFile")
        from_file.clicked.connect(self._from_file)
        row.addWidget(self.paste, 1)
        row.addWidget(self.add_button)
        row.addWidget(from_file)
        layout.addLayout(row)
        self.problem = _label("", self, "recipientProblem", ERROR_STYLE)
        layout.addWidget(self.problem)
        self.list = QListWidget(self)
        self.list.setObjectName("recipientList")
        self.list.setAccessibleName(self.tr("追加した受取人"))
        layout.addWidget(self.list, 1)
        remove = QPushButton(self.tr("選んだ受取人を削除"), self)
        remove.setObjectName("removeRecipient")
        remove.clicked.connect(self._remove)
        layout.addWidget(remove, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(_label(self.tr("受取人の公開鍵は秘密ではありません。鍵は監査側から直接受け取り、"
                                        "可能なら電話などで内容を確かめてください。"), self))
        for known in wizard.settings.get(EXPORT_RECIPIENTS):
            self.add(known, quiet=True)

    def recipients(self) -> list[str]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())]

    def add_pasted(self) -> None:
        if self.add(self.paste.text().strip()):
            self.paste.clear()

    def add(self, text: str, *, source: str = "", quiet: bool = False) -> bool:
        """Check one ``age1…`` key and list it; says at once what is wrong with it."""
        problem = self._problem(text)
        if problem is None and text in self.recipients():
            problem = self.tr("この受取人はすでに追加されています。")
        if problem is not None:
            if not quiet:
                self.problem.setText(problem)
            return False
        short = f"{text[:14]}…{text[-8:]}"
        item = QListWidgetItem(f"{short}    {source}" if source else short)
        item.setData(Qt.ItemDataRole.UserRole, text)
        item.setToolTip(text)
        self.list.addItem(item)
        self.problem.setText("")
        self.completeChanged.emit()
        return True

    def _problem(self, text: str) -> str | None:
        from exports.errors import KeyFileError
        from exports.keys import parse_recipient

        if not text:
            return self.tr("鍵を貼り付けてから「追加」を押してください。")
        if text.startswith("AGE-SECRET-KEY-"):
            return self.tr("これは秘密鍵です。受取人の公開鍵（age1… で始まる方）を入力してください。"
                           "秘密鍵は誰にも渡さないでください。")
        if text.startswith(("ssh-", "ecdsa-")):
            return self.tr("SSH の鍵には対応していません。age1… で始まる age の公開鍵を入力してください。")
        if not text.startswith("age1"):
            return self.tr("age の公開鍵ではありません。age1… で始まる文字列を入力してください。")
        try:
            parse_recipient(text)
        except KeyFileError:
            return self.tr("age1… の鍵として正しくありません。途中で切れているか、文字が違っていないか"
                           "確かめてください。")
        return None

    def _from_file(self) -> None:
        from exports.errors import KeyFileError
        from exports.keys import parse_recipient

        chosen = OpenFileDialog.ask(self, self.tr("受取人の公開鍵ファイルを選択"), str(Path.home()),
                                    self.tr("age 受取人 (*.age-recipient *.txt *.pub);;すべてのファイル (*)"))
        if chosen is None:
            return
        try:
            found = [str(r) for r in parse_recipient(chosen)]
        except KeyFileError as exc:
            self.problem.setText(self.tr("このファイルから受取人を読み取れません: {detail}").format(
                detail=exc))
            return
        for text in found:
            self.add(text, source=chosen.name)

    def _remove(self) -> None:
        for item in self.list.selectedItems():
            self.list.takeItem(self.list.row(item))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.list.count() > 0

    def validatePage(self) -> bool:
        self.w.recipients = self.recipients()
        return True


class OutputPage(QWizardPage):
    def __init__(self, wizard: ExportWizard) -> None:
        super().__init__(wizard)
        self.w = wizard
        self.setObjectName("outputPage")
        self.setTitle(self.tr("保存先"))
        self.setSubTitle(self.tr("提出バンドル（.zip）を保存するファイルを指定します。既存のファイルは確認なしに"
                                 "上書きしません。"))
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("書き出す"))
        layout = scroll_body(self)
        row = QHBoxLayout()
        self.path = QLineEdit(self)
        self.path.setObjectName("outputPath")
        self.path.setAccessibleName(self.tr("保存先のファイル"))
        browse = QPushButton(self.tr("参照…"), self)
        browse.setObjectName("browseOutput")
        browse.clicked.connect(self._browse)
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        layout.addLayout(row)
        self.problem = _label("", self, "outputProblem", ERROR_STYLE)
        layout.addWidget(self.problem)
        self.plan = _label("", self, "exportPlan")
        layout.addWidget(self.plan)
        layout.addStretch(1)
        self.path.textChanged.connect(lambda _t: (self.problem.setText(""), self.completeChanged.emit()))
        folder = Path(wizard.settings.get(EXPORT_FOLDER) or Path.home())
        label = self.tr("提出バンドル")
        base = f"{safe_file_name(wizard.session.title)}_{label}_{dt.date.today():%Y%m%d}"
        path, n = folder / f"{base}.zip", 2
        while path.exists():
            path, n = folder / f"{base}-{n}.zip", n + 1
        self.path.setText(str(path))

    def initializePage(self) -> None:
        w = self.w
        key_id = w.signing_key.key_id if w.signing_key else "—"
        lines = [self.tr("署名: 鍵 ID {key_id}").format(key_id=key_id),
                 self.tr("受取人: {n} 名").format(n=len(w.recipients))]
        if w.allow_incomplete:
            lines.append(self.tr("未完成のまま書き出します（問題の一覧が提出データに記録されます）。"))
        self.plan.setText("\n".join(lines))

    def _browse(self) -> None:
        chosen = OutputFileDialog.ask(self, self.tr("提出バンドルの保存先"), self.path.text(),
                                      self.tr("提出バンドル (*.zip)"))
        if chosen is not None:
            self.path.setText(str(chosen if chosen.suffix.lower() == ".zip" else chosen.with_name(
                chosen.name + ".zip")))

    def isComplete(self) -> bool:
        return bool(self.path.text().strip())

    def validatePage(self) -> bool:
        path = Path(self.path.text().strip()).expanduser().absolute()
        if path.is_dir():
            self.problem.setText(self.tr("フォルダーではなく、ファイル名を指定してください。"))
            return False
        if not path.parent.is_dir():
            self.problem.setText(self.tr("フォルダー {folder} がありません。").format(folder=path.parent))
            return False
        overwrite = path.exists()
        if overwrite and not confirm_replace(self, path):
            return False
        self.w.output, self.w.overwrite = path, overwrite
        return True
