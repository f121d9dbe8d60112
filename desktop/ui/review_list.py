"""The auditor's findings of the review the vendor acts on, as a list on the dashboard: one row
per reviewed item with its verdict and finding, marked when the item changed after it was
reviewed. Activating a row goes to the item (the review panel beside it shows the whole)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QLabel, QListView, QVBoxLayout, QWidget

from .. import i18n
from ..forms.models import ROLE_ITEM

if TYPE_CHECKING:
    from questionnaire.review import Finding, Review

    from ..session import FormSource


def verdict_colours(verdict) -> tuple[QColor, QColor]:
    """(background, text) of a verdict: the documents' tones; its name is always written too."""
    from exports.rows import VERDICT_TONES
    from exports.tones import TONE_HEX

    fill, text = TONE_HEX[VERDICT_TONES[verdict]]
    return QColor(f"#{fill}"), QColor(f"#{text}")


def changed_items(source: FormSource, findings: dict[str, Finding]) -> set[str]:
    """Items whose answer, note or evidence differ from what the reviewer saw."""
    from exports.rows import content_fingerprint

    states = source.assessment().items
    out = set()
    for item_id, finding in findings.items():
        state = states.get(item_id)
        if state is not None and finding.fingerprint and finding.fingerprint != content_fingerprint(
                item_id, state.answer, state.evidence):
            out.add(item_id)
    return out


class ReviewModel(QAbstractListModel):
    def __init__(self, source: FormSource, parent=None) -> None:
        super().__init__(parent)
        self.source = source
        self.rows: list[Finding] = []
        self.changed: set[str] = set()

    def set_review(self, review: Review | None) -> None:
        self.beginResetModel()
        findings = review.findings_by_item() if review is not None else {}
        order = {item.id: n for n, item in enumerate(self.source.template.items)}
        self.rows = sorted(findings.values(), key=lambda f: order.get(f.item_id, len(order)))
        self.changed = changed_items(self.source, findings) if findings and not self.source.locked else set()
        self.endResetModel()

    def refresh_changed(self) -> None:
        if self.rows and not self.source.locked:
            self.changed = changed_items(self.source, {f.item_id: f for f in self.rows})
            self.dataChanged.emit(self.index(0), self.index(len(self.rows) - 1))

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def text(self, finding: Finding) -> str:
        lang = i18n.current()
        verdict = finding.verdict.label.get(lang) if finding.verdict else self.tr("（判定なし）")
        comment = " ".join(finding.comment.split()) or self.tr("（指摘事項なし）")
        short = comment if len(comment) <= 70 else comment[:68] + "…"
        line = f"{finding.item_id}　{verdict} — {short}"
        if finding.item_id in self.changed:
            line += "\n    " + self.tr("確認後に回答・証跡を変更しました（再確認が必要）")
        return line

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        finding = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.text(finding)
        if role == Qt.ItemDataRole.ToolTipRole:
            who = ", ".join(x for x in (finding.reviewer, finding.reviewed_on.isoformat()
                                        if finding.reviewed_on else "") if x)
            return "\n".join(x for x in (finding.comment, who) if x) or None
        if role == ROLE_ITEM:
            return finding.item_id
        if finding.verdict is not None and role in (Qt.ItemDataRole.BackgroundRole,
                                                    Qt.ItemDataRole.ForegroundRole):
            bg, fg = verdict_colours(finding.verdict)
            return QBrush(bg if role == Qt.ItemDataRole.BackgroundRole else fg)
        return None


class ReviewList(QWidget):
    """Heading + list; hidden while there is no imported review."""

    jump_to_item = Signal(str)

    def __init__(self, source: FormSource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardReview")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel(self)
        self.heading.setObjectName("reviewListHeading")
        self.heading.setStyleSheet("font-weight: bold;")
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.model = ReviewModel(source, self)
        self.view = QListView(self)
        self.view.setObjectName("reviewList")
        self.view.setAccessibleName(self.tr("監査側の判定・指摘事項の一覧"))
        self.view.setModel(self.model)
        self.view.setSpacing(2)
        self.view.setMinimumHeight(120)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.activated.connect(self._activated)
        self.view.clicked.connect(self._activated)
        layout.addWidget(self.view)
        self.heading.setBuddy(self.view)
        self.review: Review | None = None
        self.show_review(None)

    def show_review(self, review: Review | None) -> None:
        self.review = review
        self.model.set_review(review)
        if review is None or not review.findings:
            self.hide()
            return
        from questionnaire.review import VERDICT_LABELS, Verdict

        counts = review.counts()
        lang = i18n.current()
        summary = ("、" if lang == "ja" else ", ").join(
            f"{VERDICT_LABELS[v].get(lang)} {counts[v.value]}" for v in Verdict if counts[v.value])
        self.heading.setText(self.tr("監査側の確認結果 — 指摘 {n} 件（{summary}）").format(
            n=len(review.findings), summary=summary or "—"))
        self.view.setFixedHeight(min(260, 12 + 46 * len(review.findings)))
        self.show()

    def refresh(self) -> None:
        self.model.refresh_changed()

    def _activated(self, index: QModelIndex) -> None:
        item_id = index.data(ROLE_ITEM)
        if item_id:
            self.jump_to_item.emit(item_id)
