"""What the user says about an evidence file: kind, title, issuer, number, issue and expiry dates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from .. import i18n
from .date_field import DateField

if TYPE_CHECKING:
    from questionnaire import EvidenceInfo, Item, Template
    from storage import EvidenceMeta


class EvidenceMetaDialog(QDialog):
    def __init__(self, parent: QWidget | None, template: Template, item: Item, filename: str,
                 current: EvidenceInfo | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evidenceMetaDialog")
        self.setWindowTitle(self.tr("証跡の情報"))
        self.setMinimumWidth(520)
        lang = i18n.current()
        layout = QVBoxLayout(self)
        header = QLabel(self.tr("{item}: {file}").format(item=item.id, file=filename), self)
        header.setStyleSheet("font-weight: bold;")
        header.setWordWrap(True)
        layout.addWidget(header)
        if item.evidence and item.evidence.hint:
            hint = QLabel(item.evidence.hint.get(lang), self)
            hint.setWordWrap(True)
            hint.setStyleSheet("color: #4a5868;")
            layout.addWidget(hint)

        form = QFormLayout()
        self.kind = QComboBox(self)
        self.kind.setObjectName("kindCombo")
        preferred = item.evidence.kinds if item.evidence else ()
        def order(kind) -> tuple[bool, int]:  # the item's accepted kinds first, in its order
            return (kind.id not in preferred, preferred.index(kind.id) if kind.id in preferred else 0)

        kinds = sorted(template.evidence_kinds, key=order)
        for kind in kinds:
            self.kind.addItem(kind.label.get(lang), kind.id)
        form.addRow(self.tr("種類"), self.kind)
        self.title = QLineEdit(self)
        self.title.setObjectName("titleEdit")
        self.title.setPlaceholderText(self.tr("例: ISMS 認証登録証"))
        form.addRow(self.tr("名称"), self.title)
        self.issuer = QLineEdit(self)
        self.issuer.setObjectName("issuerEdit")
        self.issuer.setPlaceholderText(self.tr("例: 一般財団法人日本品質保証機構"))
        form.addRow(self.tr("発行者"), self.issuer)
        self.number = QLineEdit(self)
        self.number.setObjectName("numberEdit")
        form.addRow(self.tr("番号"), self.number)
        self.issued = DateField("issued", self)
        form.addRow(self.tr("発行日"), self.issued)
        self.issued.set_accessible_name(self.tr("発行日"))
        self.expires = DateField("expires", self)
        form.addRow(self.tr("有効期限"), self.expires)
        self.expires.set_accessible_name(self.tr("有効期限"))
        layout.addLayout(form)
        self.problem = QLabel(self)
        self.problem.setObjectName("metaProblem")
        self.problem.setStyleSheet("color: #9b1c1c;")
        layout.addWidget(self.problem)

        ok_cancel = QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        buttons = QDialogButtonBox(ok_cancel, self)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setObjectName("metaOk")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for w in (self.issued, self.expires):
            w.date_edited.connect(self._check)

        if current is not None:
            self.kind.setCurrentIndex(max(0, self.kind.findData(current.kind)))
            self.title.setText(current.title)
            self.issuer.setText(current.issuer)
            self.number.setText(current.number)
            self.issued.set_value(current.issued)
            self.expires.set_value(current.expires)
        self._check()

    def _check(self) -> None:
        issued, expires = self.issued.value(), self.expires.value()
        if not self.issued.valid():
            problem = self.tr("発行日を日付として読めません（例: 2026-04-01、2026/4/1、2026年4月1日）。")
        elif not self.expires.valid():
            problem = self.tr("有効期限を日付として読めません（例: 2027-03-31、2027/3/31、2027年3月31日）。")
        elif issued is not None and expires is not None and expires < issued:
            problem = self.tr("有効期限が発行日より前になっています。")
        else:
            problem = ""
        self.problem.setText(problem)
        self.ok.setEnabled(not problem)

    def meta(self) -> EvidenceMeta:
        from storage import EvidenceMeta

        return EvidenceMeta(kind=self.kind.currentData(), title=self.title.text().strip(),
                            issuer=self.issuer.text().strip(), number=self.number.text().strip(),
                            issued=self.issued.value(), expires=self.expires.value())

    @classmethod
    def ask(cls, parent: QWidget | None, template: Template, item: Item, filename: str,
            current: EvidenceInfo | None = None) -> EvidenceMeta | None:
        dialog = cls(parent, template, item, filename, current)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        return dialog.meta() if dialog.exec() == QDialog.DialogCode.Accepted else None
