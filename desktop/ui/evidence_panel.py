"""The right-hand panel: the selected item's evidence, with add / edit / replace / preview / save /
remove. 差し替え puts a new file in place of the selected one (a renewed certificate), keeping its
ID and offering its details as the starting point (issue 13 §1)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from .. import i18n
from ..errors import ErrorDialog
from ..forms.item_widget import local_files
from ..forms.models import EvidenceColumn, EvidenceModel
from ..settings import LAST_FOLDER
from ..tasks import Task, run_with_progress
from .common import Confirm, OpenFileDialog, OpenFilesDialog, SaveFileDialog, evidence_file_filters
from .evidence_dialog import EvidenceMetaDialog
from .preview import PreviewDialog

if TYPE_CHECKING:
    from questionnaire import EvidenceInfo

    from ..session import FormSource
    from ..settings import Settings


class EvidencePanel(QWidget):
    busy_changed = Signal(bool)

    def __init__(self, source: FormSource, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evidencePanel")
        self.source = source
        self.settings = settings
        self.item_id: str | None = None
        self.tasks: list[Task] = []
        self.previews: list[PreviewDialog] = []
        self.setAcceptDrops(not source.read_only)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 26)

        self.heading = QLabel(self.tr("証跡"), self)
        self.heading.setObjectName("evidenceHeading")
        self.heading.setWordWrap(True)
        self.model = EvidenceModel(source, self)
        self.table = QTableView(self)
        self.table.setObjectName("evidenceTable")
        self.table.setAccessibleName(self.tr("証跡の一覧"))
        self.table.setTabKeyNavigation(False)  # Tab leaves the table for its buttons (no trap)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(EvidenceColumn.TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(EvidenceColumn.EXPIRES, QHeaderView.ResizeMode.ResizeToContents)
        # Kind labels can be long ("Policy or rule document"): a fixed, elided width keeps titles readable.
        header.setSectionResizeMode(EvidenceColumn.KIND, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(EvidenceColumn.KIND, self.fontMetrics().height() * 6 + 12)  # ~6 kanji
        # The panel is narrow: the size is in each row's tooltip instead of a column.
        self.table.setColumnHidden(EvidenceColumn.SIZE, True)
        # A narrow panel (a small screen, a large font) scrolls sideways rather than cut a column off.
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.doubleClicked.connect(lambda _i: self.preview_selected())
        self.empty = QLabel(self)
        self.empty.setObjectName("evidenceEmpty")
        self.empty.setWordWrap(True)

        self.add_button = self._button("addEvidence", self.tr("追加…"), self.add_from_dialog)
        self.edit_button = self._button("editEvidence", self.tr("情報を編集…"), self.edit_selected)
        self.replace_button = self._button("replaceEvidence", self.tr("差し替え…"), self.replace_selected)
        self.replace_button.setAccessibleName(self.tr("選択中の証跡を新しいファイルに差し替える"))
        self.preview_button = self._button("previewEvidence", self.tr("プレビュー"), self.preview_selected)
        self.save_button = self._button("saveEvidenceCopy", self.tr("コピーを保存…"), self.save_selected)
        self.remove_button = self._button("removeEvidence", self.tr("削除…"), self.remove_selected)
        buttons = QGridLayout()
        buttons.addWidget(self.add_button, 0, 0)
        buttons.addWidget(self.edit_button, 0, 1)
        buttons.addWidget(self.preview_button, 1, 0)
        buttons.addWidget(self.save_button, 1, 1)
        buttons.addWidget(self.replace_button, 2, 0)
        buttons.addWidget(self.remove_button, 2, 1)
        for button in (self.add_button, self.edit_button, self.replace_button, self.remove_button):
            button.setVisible(not source.read_only)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 12, 12, 12)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self.set_item(None)

    def _button(self, name: str, text: str, slot) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    # --- state ---------------------------------------------------------------------------

    def set_item(self, item_id: str | None) -> None:
        self.item_id = item_id
        self.model.set_item(item_id)
        if item_id is None:
            self.heading.setText(self.tr("証跡"))
            self.table.setAccessibleName(self.tr("証跡の一覧"))
        else:
            self.heading.setText(self.tr("{item} の証跡").format(item=item_id))
            self.table.setAccessibleName(self.tr("{item} の証跡の一覧").format(item=item_id))
        self._update_buttons()

    def selected(self) -> EvidenceInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.evidence_at(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        has_item = self.item_id is not None and not self.source.locked
        takes = has_item and self.source.template.item(self.item_id).evidence is not None
        chosen = self.selected() is not None
        self.add_button.setEnabled(has_item)
        for button in (self.edit_button, self.replace_button, self.preview_button, self.save_button,
                       self.remove_button):
            button.setEnabled(chosen)
        if not has_item:
            text = self.tr("設問を選ぶと、その設問の証跡がここに表示されます。")
        elif self.model.rowCount():
            text = ""
        elif self.source.read_only:
            text = self.tr("この設問には証跡が添付されていません。")
        elif takes:
            text = self.tr("証跡はまだありません。「追加…」を押すか、ファイルをここにドラッグしてください。")
        else:
            text = self.tr("この設問には証跡の指定はありませんが、必要に応じて添付できます。")
        self.empty.setText(text)
        self.empty.setVisible(bool(text))

    # --- adding ------------------------------------------------------------------------------

    def add_from_dialog(self) -> None:
        if self.item_id is None:
            return
        start = self.settings.get(LAST_FOLDER) or str(Path.home())
        files = OpenFilesDialog.ask(self, self.tr("証跡ファイルを選択"), start)
        if files:
            self.settings.set(LAST_FOLDER, str(files[0].parent))
            self.add_files(self.item_id, files)

    def add_files(self, item_id: str, files: list[Path]) -> None:
        """Ask for each file's details, then encrypt it in the background with progress."""
        item = self.source.template.item(item_id)
        for path in files:
            meta = EvidenceMetaDialog.ask(self, self.source.template, item, path.name)
            if meta is None:
                continue
            self._encrypt(item_id, path, meta)

    def _encrypt(self, item_id: str, path: Path, meta) -> Task:
        session = self.source
        task = Task(lambda progress, cancel: session.add_evidence(item_id, path, meta, progress=progress,
                                                                  cancel=cancel))
        task.succeeded.connect(lambda _info: session.evidence_stored(item_id))
        # A full disk or a drive gone: 再試行 encrypts the same file with the details typed.
        task.failed.connect(lambda exc: ErrorDialog.show_error(
            self, exc, retry=lambda: self._encrypt(item_id, path, meta)))
        task.finished.connect(lambda: self._task_done(task))
        self.tasks.append(task)
        self.busy_changed.emit(True)
        run_with_progress(self, self.tr("{name} を暗号化しています…").format(name=path.name), task)
        return task

    def _task_done(self, task: Task) -> None:
        if task in self.tasks:
            self.tasks.remove(task)
        self.busy_changed.emit(bool(self.tasks))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if local_files(event) and self.item_id is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = local_files(event)
        if files and self.item_id is not None:
            event.acceptProposedAction()
            self.add_files(self.item_id, files)

    # --- the selected file -----------------------------------------------------------------------

    def edit_selected(self) -> None:
        info = self.selected()
        if info is None:
            return
        item = self.source.template.item(info.item_id)
        meta = EvidenceMetaDialog.ask(self, self.source.template, item, info.filename, info)
        if meta is None:
            return
        self._update(info.id, meta)

    def replace_selected(self) -> Task | None:
        """A new file in place of the selected one; its details start as the old file's."""
        info = self.selected()
        if info is None or self.source.read_only:
            return None
        start = self.settings.get(LAST_FOLDER) or str(Path.home())
        path = OpenFileDialog.ask(self, self.tr("差し替えるファイルを選択（{name} の代わり）").format(
            name=info.filename), start, evidence_file_filters())
        if path is None:
            return None
        self.settings.set(LAST_FOLDER, str(path.parent))
        item = self.source.template.item(info.item_id)
        meta = EvidenceMetaDialog.ask(self, self.source.template, item, path.name, info)
        if meta is None:
            return None
        return self._replace(info.id, info.item_id, path, meta)

    def _replace(self, evidence_id: str, item_id: str, path: Path, meta) -> Task:
        session = self.source
        task = Task(lambda progress, cancel: session.replace_evidence(evidence_id, path, meta,
                                                                      progress=progress, cancel=cancel))
        task.succeeded.connect(lambda _info: session.evidence_stored(item_id))
        task.failed.connect(lambda exc: ErrorDialog.show_error(
            self, exc, retry=lambda: self._replace(evidence_id, item_id, path, meta)))
        task.finished.connect(lambda: self._task_done(task))
        self.tasks.append(task)
        self.busy_changed.emit(True)
        run_with_progress(self, self.tr("{name} を暗号化しています…").format(name=path.name), task)
        return task

    def _update(self, evidence_id: str, meta) -> None:
        try:
            self.source.update_evidence(evidence_id, meta)
        except Exception as exc:
            ErrorDialog.show_error(self, exc, retry=lambda: self._update(evidence_id, meta))

    def preview_selected(self) -> PreviewDialog | None:
        info = self.selected()
        if info is None:
            return None
        dialog = PreviewDialog(self.window(), self.source, info)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda: self.previews.remove(dialog) if dialog in self.previews else None)
        self.previews.append(dialog)
        return dialog.start()

    def save_selected(self) -> Task | None:
        info = self.selected()
        if info is None:
            return None
        start = Path(self.settings.get(LAST_FOLDER) or Path.home()) / info.filename
        dest = SaveFileDialog.ask(self, self.tr("復号したコピーの保存先"), str(start))
        if dest is None:
            return None
        self.settings.set(LAST_FOLDER, str(dest.parent))
        source = self.source
        task = Task(lambda progress, cancel: source.save_evidence_copy(info.id, dest, progress=progress,
                                                                       cancel=cancel))
        task.failed.connect(lambda exc: ErrorDialog.show_error(self, exc))
        task.succeeded.connect(lambda path: self.window().statusBar().showMessage(
            self.tr("復号したコピーを保存しました: {path}").format(path=path), 8000)
            if hasattr(self.window(), "statusBar") else None)
        task.finished.connect(lambda: self._task_done(task))
        self.tasks.append(task)
        run_with_progress(self, self.tr("{name} を復号して保存しています…").format(name=info.filename), task)
        return task

    def remove_selected(self) -> bool:
        info = self.selected()
        if info is None:
            return False
        if not Confirm.ask(self, self.tr("証跡の削除"),
                           self.tr("「{name}」を {item} から削除しますか？\n暗号化して保存されたファイルも"
                                   "ワークスペースから消え、元に戻せません。").format(
                               name=info.display_title, item=info.item_id),
                           self.tr("削除")):
            return False
        try:
            self.source.remove_evidence(info.id)
        except Exception as exc:
            ErrorDialog.show_error(self, exc)
            return False
        return True

    def kind_label(self, kind: str) -> str:
        found = self.source.template.evidence_kind(kind)
        return found.label.get(i18n.current()) if found else kind
