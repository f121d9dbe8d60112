"""Open a submission bundle as the auditor: bundle, identity, the vendor's pinned key, folder.

Verification runs in the worker with a progress bar (auditor_session.py: verify, then
extract); Cancel stops it at any stage. A failure is a red banner naming every failed check,
and nothing is written. Two things stop the opening with a loud warning the auditor must
accept explicitly (after confirming with the vendor by another channel) — never a silent
re-pin: a vendor whose name is pinned to ANOTHER key, and a pinned key that signs under
ANOTHER vendor name. The content is judged against the app's own copy of the template
version the bundle names; a version the app does not ship is judged only against a template
file the auditor chooses here, and the banner then says so.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ..errors import ErrorDialog
from ..settings import AUDITOR_IDENTITY, LAST_FOLDER
from ..signer_pins import Pin, PinStatus, SignerPins, vendor_label
from ..tasks import Task
from .common import FolderDialog, OpenFileDialog, path_row
from .screen_fit import grow_to_content
from .verify_banner import VerifyBanner

if TYPE_CHECKING:
    from exports.bundle import VerifyReport

    from ..auditor_session import Opened, OpenRequest
    from ..settings import Settings

FROM_FILE = "file"


class KeyChangedDialog(QMessageBox):
    """The loud warning: this vendor's bundles used to be signed by another key."""

    def __init__(self, parent: QWidget | None, vendor: str, pinned: Pin, new_key_id: str) -> None:
        super().__init__(QMessageBox.Icon.Critical, self.tr("警告: 署名鍵が変わっています"), "",
                         QMessageBox.StandardButton.NoButton, parent)
        self.setObjectName("keyChangedDialog")
        self.setText(self.tr("<b>「{vendor}」の提出バンドルが、記憶している鍵とは別の鍵で署名されています。</b>")
                     .format(vendor=vendor))
        self.setInformativeText(self.tr(
            "記憶している鍵 ID: {old}（{date} に登録）\nこのバンドルの鍵 ID: {new}\n\n"
            "提出者が鍵を作り直したことを、メール以外の経路（電話など）で鍵 ID まで確認できていない場合は、"
            "開かないでください。なりすましや改ざんの可能性があります。").format(
                old=pinned.key_id, date=pinned.pinned_at, new=new_key_id))
        self.confirmed = QCheckBox(self.tr("提出者に新しい鍵 ID を確認しました"), self)
        self.confirmed.setObjectName("keyChangeConfirmed")
        self.setCheckBox(self.confirmed)
        self.accept_button = self.addButton(self.tr("新しい鍵を受け入れて開く"),
                                            QMessageBox.ButtonRole.DestructiveRole)
        self.accept_button.setObjectName("acceptNewKey")
        self.accept_button.setEnabled(False)
        self.confirmed.toggled.connect(self.accept_button.setEnabled)
        keep = self.addButton(self.tr("開かない"), QMessageBox.ButtonRole.RejectRole)
        keep.setObjectName("keepOldKey")
        self.setDefaultButton(keep)
        self.setEscapeButton(keep)

    @classmethod
    def ask(cls, parent: QWidget | None, vendor: str, pinned: Pin, new_key_id: str) -> bool:
        box = cls(parent, vendor, pinned, new_key_id)
        box.exec()
        return box.clickedButton() is box.accept_button and box.confirmed.isChecked()


class VendorNameChangedDialog(QMessageBox):
    """The loud warning: a key pinned for one vendor signs a bundle that names another."""

    def __init__(self, parent: QWidget | None, vendor: str, pinned: list[Pin], key_id: str) -> None:
        super().__init__(QMessageBox.Icon.Critical, self.tr("警告: 提出者名が変わっています"), "",
                         QMessageBox.StandardButton.NoButton, parent)
        self.setObjectName("vendorChangedDialog")
        names = "、".join(f"「{p.vendor}」" for p in pinned[:3])
        self.setText(self.tr("<b>鍵 ID {key_id} は {names} の鍵として記憶していますが、"
                             "このバンドルの提出者名は「{vendor}」です。</b>").format(
                                 key_id=key_id, names=html_escape(names), vendor=html_escape(vendor)))
        self.setInformativeText(self.tr(
            "同じ鍵で別の提出者を名乗るバンドルです。社名の変更などを、メール以外の経路（電話など）で提出者に"
            "確認できていない場合は、開かないでください。なりすましの可能性があります。"))
        self.confirmed = QCheckBox(self.tr("提出者に提出者名の変更を確認しました"), self)
        self.confirmed.setObjectName("vendorChangeConfirmed")
        self.setCheckBox(self.confirmed)
        self.accept_button = self.addButton(self.tr("この提出者名でも記憶して開く"),
                                            QMessageBox.ButtonRole.DestructiveRole)
        self.accept_button.setObjectName("acceptNewVendor")
        self.accept_button.setEnabled(False)
        self.confirmed.toggled.connect(self.accept_button.setEnabled)
        keep = self.addButton(self.tr("開かない"), QMessageBox.ButtonRole.RejectRole)
        keep.setObjectName("keepOldVendor")
        self.setDefaultButton(keep)
        self.setEscapeButton(keep)

    @classmethod
    def ask(cls, parent: QWidget | None, vendor: str, pinned: list[Pin], key_id: str) -> bool:
        box = cls(parent, vendor, pinned, key_id)
        box.exec()
        return box.clickedButton() is box.accept_button and box.confirmed.isChecked()


def html_escape(text: str) -> str:
    import html

    return html.escape(text)


class OpenBundleDialog(QDialog):
    def __init__(self, parent: QWidget | None, settings: Settings) -> None:
        super().__init__(parent)
        self.setObjectName("openBundleDialog")
        self.setWindowTitle(self.tr("監査: 提出バンドルを開く"))
        self.setMinimumWidth(720)
        self.settings = settings
        self.pins = SignerPins(settings)
        self.task: Task | None = None
        self.closing = False
        self.request: OpenRequest | None = None
        self.opened: Opened | None = None
        self.note = ""
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr(
            "提出バンドルの署名と全ファイルのハッシュを確かめてから、読み取り専用で開きます。提出者の"
            "公開鍵は、バンドルとは別の経路で受け取り、鍵 ID を確認したものを指定してください。"), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.bundle = self._path_row(form, "bundlePath", self.tr("提出バンドル"), self._browse_bundle)
        self.identity = self._path_row(form, "identityPath", self.tr("自分の秘密鍵（age）"),
                                       self._browse_identity)
        self.identity.setText(settings.get(AUDITOR_IDENTITY))
        self.signer = QComboBox(self)
        self.signer.setObjectName("signerCombo")
        self.signer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        form.addRow(self.tr("提出者の公開鍵"), self.signer)
        self.signer_file = self._path_row(form, "signerPath", "", self._browse_signer)
        self.signer_file.setPlaceholderText(self.tr("提出者から受け取った公開鍵ファイル（.pub）"))
        self.signer_file.setAccessibleName(self.tr("提出者の公開鍵ファイル"))
        self.hint = QLabel(self)
        self.hint.setObjectName("signerHint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #4a5868;")
        # The hint takes the whole width (a narrow wrapped label is hard to read), outside the
        # form: QFormLayout gives a spanning word-wrapped row the height of one line, so a
        # two-line hint was drawn under the 展開先 row (seen at 1366x768).
        layout.addLayout(form)
        layout.addWidget(self.hint)
        first_form, form = form, QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.folder = self._path_row(form, "folderPath", self.tr("展開先"), self._browse_folder)
        from ..auditor_session import opened_root

        self.folder.setPlaceholderText(self.tr("自動（{folder} の下）").format(folder=opened_root()))
        self.template = self._path_row(form, "templatePath", self.tr("非公式テンプレート"),
                                       self._browse_template)
        self.template.setPlaceholderText(self.tr("通常は空欄（アプリが同梱する公式テンプレートで判定します）"))
        self.template.setToolTip(self.tr(
            "アプリが同梱していない版のテンプレートで作られたバンドルを、信頼できるテンプレートファイルで判定する"
            "ときだけ指定します。判定結果には「非公式テンプレート」と表示されます。"))
        layout.addLayout(form)
        # one label column for both forms, as if they were one
        labels = [f.itemAt(row, QFormLayout.ItemRole.LabelRole) for f in (first_form, form)
                  for row in range(f.rowCount())]
        labels = [item.widget() for item in labels if item is not None and item.widget() is not None]
        column = max(label.sizeHint().width() for label in labels)
        for label in labels:
            label.setMinimumWidth(column)
        note = QLabel(self.tr("展開先のフォルダーには復号した証跡がそのまま保存されます。確認が終わったら、"
                              "組織の規程に従って削除してください。"), self)
        note.setWordWrap(True)
        note.setStyleSheet("color: #7a5200;")
        layout.addWidget(note)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("openProgress")
        self.progress.setAccessibleName(self.tr("検証と展開の進み具合"))
        self.progress.setRange(0, 1000)
        self.progress.hide()
        self.status = QLabel(self)
        self.status.setObjectName("openStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        self.banner = VerifyBanner(self)
        layout.addWidget(self.banner)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.open_button = self.buttons.addButton(self.tr("検証して開く"),
                                                  QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.setObjectName("verifyAndOpen")
        self.open_button.setDefault(True)
        self.open_button.clicked.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._fill_signers()
        self.signer.currentIndexChanged.connect(lambda _i: self._update())
        for edit in (self.bundle, self.identity, self.signer_file):
            edit.textChanged.connect(lambda _t: self._update())
        self.bundle.textChanged.connect(lambda _t: self._bundle_changed())
        self._update()

    def prefill(self, bundle: Path) -> None:
        """A bundle opened with the app (a double click, ``ccus-attest-gui BUNDLE``): filled in,
        the keyboard focus on the first field still empty."""
        self.bundle.setText(str(bundle))
        empty = next((e for e in (self.identity, self.signer_file) if e.isEnabled() and not e.text().strip()),
                     None)
        (empty or self.open_button).setFocus()

    def _path_row(self, form: QFormLayout, name: str, label: str, browse) -> QLineEdit:
        return path_row(form, label, self, browse, edit_name=name, button_name=f"{name}Browse")

    def _fill_signers(self) -> None:
        self.signer.clear()
        for pin in self.pins.all():
            self.signer.addItem(self.tr("{vendor} — 鍵 ID {key_id}（{date} に登録）").format(
                vendor=pin.vendor, key_id=pin.key_id, date=pin.pinned_at), pin.public_key)
        self.signer.addItem(self.tr("公開鍵ファイルを指定する…"), FROM_FILE)

    # --- choosing ----------------------------------------------------------------------------

    def _start_folder(self, current: str) -> str:
        return str(Path(current).parent) if current else (self.settings.get(LAST_FOLDER) or str(Path.home()))

    def _browse_bundle(self) -> None:
        chosen = OpenFileDialog.ask(self, self.tr("提出バンドルを選択"),
                                    self._start_folder(self.bundle.text()),
                                    self.tr("提出バンドル (*.zip);;すべてのファイル (*)"))
        if chosen is not None:
            self.settings.set(LAST_FOLDER, str(chosen.parent))
            self.bundle.setText(str(chosen))

    def _browse_identity(self) -> None:
        chosen = OpenFileDialog.ask(self, self.tr("age の秘密鍵ファイルを選択"),
                                    self._start_folder(self.identity.text()),
                                    self.tr("age 秘密鍵 (*.age-identity *.txt *.key);;すべてのファイル (*)"))
        if chosen is not None:
            self.identity.setText(str(chosen))

    def _browse_signer(self) -> None:
        chosen = OpenFileDialog.ask(self, self.tr("提出者の公開鍵を選択"),
                                    self._start_folder(self.signer_file.text()),
                                    self.tr("minisign 公開鍵 (*.pub);;すべてのファイル (*)"))
        if chosen is not None:
            self.signer.setCurrentIndex(self.signer.findData(FROM_FILE))
            self.signer_file.setText(str(chosen))

    def _browse_template(self) -> None:
        chosen = OpenFileDialog.ask(self, self.tr("判定に使うテンプレートファイルを選択"),
                                    self._start_folder(self.template.text()),
                                    self.tr("テンプレート (*.yaml *.yml);;すべてのファイル (*)"))
        if chosen is not None:
            self.template.setText(str(chosen))

    def _browse_folder(self) -> None:
        chosen = FolderDialog.ask(self, self.tr("展開先のフォルダー（新しいか空のもの）"),
                                  self._start_folder(self.folder.text()))
        if chosen is not None:
            self.folder.setText(str(chosen))

    def _bundle_changed(self) -> None:
        """Read the key ID the bundle claims (a hint: trust comes from the pinned key)."""
        claimed = _claimed_key(Path(self.bundle.text().strip()))
        if claimed is None:
            self.hint.setText("")
            return
        key_id, b64 = claimed
        pinned = self.pins.for_key(b64)
        if pinned:
            self.signer.setCurrentIndex(max(0, self.signer.findData(b64)))
            self.hint.setText(self.tr("バンドルに同梱の鍵 ID {key_id} は「{vendor}」として記憶している"
                                      "鍵です（検証で確かめます）。").format(key_id=key_id,
                                                                     vendor=pinned[0].vendor))
        else:
            self.hint.setText(self.tr("バンドルに同梱の鍵 ID は {key_id} です（未検証）。提出者から別の"
                                      "経路で受け取った公開鍵と同じ鍵 ID か確かめてください。").format(
                key_id=key_id))
        grow_to_content(self)

    def _update(self) -> None:
        from_file = self.signer.currentData() == FROM_FILE
        self.signer_file.setEnabled(from_file)
        ready = all(e.text().strip() for e in (self.bundle, self.identity)) and (
            not from_file or bool(self.signer_file.text().strip()))
        self.open_button.setEnabled(ready and self.task is None)

    # --- verifying and opening -----------------------------------------------------------------

    def _signer_key(self) -> tuple[str, str]:
        """(base64, key ID) of the key the auditor trusts for this bundle."""
        from exports.keys import load_public_key

        spec = self.signer.currentData()
        if spec == FROM_FILE:
            spec = Path(self.signer_file.text().strip()).expanduser()
        key = load_public_key(spec)
        return key.base64, key.key_id

    def start(self) -> None:
        from ..auditor_session import OpenRequest, verify

        if not self.open_button.isEnabled():
            return
        if self.pins.error is not None:  # without the pins, a changed key would go unnoticed
            ErrorDialog.show_error(self, self.pins.error)
            return
        try:
            b64, _key_id = self._signer_key()
        except Exception as exc:
            ErrorDialog.show_error(self, exc)
            return
        folder = self.folder.text().strip()
        template = self.template.text().strip()
        self.request = request = OpenRequest(Path(self.bundle.text().strip()).expanduser(),
                                             Path(self.identity.text().strip()).expanduser(), b64,
                                             Path(folder).expanduser() if folder else None,
                                             (Path(template).expanduser(),) if template else ())
        self.settings.set(AUDITOR_IDENTITY, str(request.identity))
        self.banner.hide()
        self._run(Task(lambda p, c: verify(request, p, c)), self.tr("署名とファイルを検証しています…"), 0,
                  self._verified)

    def _run(self, task: Task, text: str, base: int, done) -> None:
        self.task = task
        self.status.setText(text)
        self.progress.show()
        self.progress.setValue(base)
        task.progressed.connect(
            lambda d, t: self.progress.setValue(base + int(500 * d / t)) if t > 0 else None)
        task.succeeded.connect(done)
        task.failed.connect(self._failed)
        self._update()
        task.start()

    def _verified(self, report: VerifyReport) -> None:
        from ..auditor_session import extract, seen_before

        self.task = None
        if self.closing:
            super().reject()
            return
        report.notes.extend(seen_before(report, self.request.bundle))
        if not report.ok:
            self._stop(self.tr("検証に失敗したため、開きませんでした。"))
            self.banner.show_report(report)
            return
        if not self._pins_accepted(report):
            return
        request = self.request
        self._run(Task(lambda p, c: extract(request, report, p, c)), self.tr("展開しています…"), 500,
                  self._opened)

    def _pins_accepted(self, report: VerifyReport) -> bool:
        """The vendor name and the key against the pins: a change of either needs the auditor's
        explicit decision (never a silent re-pin). False when the auditor declined."""
        vendor = vendor_label(str(report.vendor or ""), report.signer_key_id or "")
        key_id = report.signer_key_id or ""
        verdict = self.pins.evaluate(vendor, self.request.signer, key_id)
        statuses = verdict.statuses
        notes = []
        if PinStatus.KEY_CHANGED in statuses:
            if not KeyChangedDialog.ask(self, vendor, verdict.for_vendor, key_id):
                self._refused(self.tr("開きませんでした — 署名鍵が変わっています"), self.tr(
                    "「{vendor}」の鍵として記憶している鍵 ID は {old} ですが、"
                    "このバンドルは {new} で署名されています。提出者に確認してください。").format(
                        vendor=vendor, old=verdict.for_vendor.key_id, new=key_id))
                return False
            notes.append(self.tr("「{vendor}」の鍵を {key_id} に更新しました（確認済みとして受け入れ）。")
                         .format(vendor=vendor, key_id=key_id))
        if PinStatus.NAME_CHANGED in statuses:
            others = list(verdict.other_names)
            if not VendorNameChangedDialog.ask(self, vendor, others, key_id):
                self._refused(self.tr("開きませんでした — 提出者名が変わっています"), self.tr(
                    "鍵 ID {key_id} は「{old}」の鍵として記憶していますが、"
                    "このバンドルの提出者名は「{vendor}」です。提出者に確認してください。").format(
                        key_id=key_id, old=others[0].vendor, vendor=vendor))
                return False
            notes.append(self.tr("鍵 ID {key_id} を「{vendor}」の鍵としても記憶しました"
                                 "（確認済みとして受け入れ）。").format(key_id=key_id, vendor=vendor))
        if PinStatus.NEW in statuses:
            notes.append(self.tr("この鍵を「{vendor}」の鍵として記憶しました。次回からは自動で照合します。").format(
                vendor=vendor))
        elif PinStatus.SAME in statuses:
            notes.append(self.tr("「{vendor}」の記憶している鍵と一致しました。").format(vendor=vendor))
        if statuses - {PinStatus.SAME}:
            self.pins.pin(vendor, self.request.signer, key_id)
        self.note = " ".join(notes)
        return True

    def _refused(self, title: str, text: str) -> None:
        self._stop("")
        self.banner.show_refused(title, text)
        grow_to_content(self)

    def _opened(self, opened: Opened) -> None:
        self.task = None
        self.opened = opened
        if opened.reused:
            self.note += " " + self.tr("前回開いたフォルダーを使います（記録済みの判定を引き継ぎます）。")
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        from exports.errors import BundleVerificationFailed

        self.task = None
        if self.closing:
            super().reject()
            return
        self._stop(self.tr("開けませんでした。"))
        if isinstance(exc, BundleVerificationFailed):
            self.banner.show_report(exc.report)
            grow_to_content(self)
        else:
            ErrorDialog.show_error(self, exc)

    def _stop(self, text: str) -> None:
        self.progress.hide()
        self.status.setText(text)
        self._update()

    def reject(self) -> None:
        if self.task is not None:
            self.status.setText(self.tr("中止しています…"))
            self.closing = True
            self.task.cancel()  # the worker removes whatever it had extracted
            return
        super().reject()

    @classmethod
    def ask(cls, parent: QWidget | None, settings: Settings, *,
            bundle: Path | None = None) -> tuple[Opened, str] | None:
        dialog = cls(parent, settings)
        if bundle is not None:
            dialog.prefill(bundle)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.opened is None:
            return None
        return dialog.opened, dialog.note


def _claimed_key(path: Path) -> tuple[str, str] | None:
    """The signer.pub inside the bundle (unverified), or None."""
    if not path.is_file():
        return None
    from exports import bundle_format as bf
    from exports.bundle_zip import ContainerError, read_container, read_member
    from exports.errors import KeyFileError
    from exports.keys import PublicSigningKey

    try:
        with path.open("rb") as fh:
            entries = read_container(fh, path.stat().st_size)
            data = read_member(fh, entries[bf.SIGNER_PUB], bf.MAX_SIGNER_PUB_BYTES)
        key = PublicSigningKey.from_file_bytes(data)
    except (OSError, ContainerError, KeyFileError, KeyError):
        return None
    return key.key_id, key.base64
