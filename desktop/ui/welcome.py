"""The first window: recent workspaces, open with the passphrase, create a new one."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .. import i18n
from ..errors import ErrorDialog
from ..settings import LAST_FOLDER, LAST_WORKSPACE, WELCOME_GEOMETRY
from . import screen_fit
from .common import FolderDialog
from .create_dialog import CarryForwardDialog, CreateWorkspaceDialog
from .unlock import UnlockPanel

if TYPE_CHECKING:
    from ..controller import AppController
    from ..tasks import Task


class WelcomeWindow(QWidget):
    def __init__(self, controller: AppController) -> None:
        super().__init__()
        self.controller = controller
        self.settings = controller.settings
        self.task: Task | None = None
        self.setObjectName("welcomeWindow")
        self.setWindowTitle("CCUS Attest")

        title = QLabel("CCUS Attest", self)
        title.setObjectName("welcomeTitle")
        subtitle = QLabel(self.tr("建設キャリアアップシステム 標準API連携認定 — 調査票と証跡の準備"), self)
        subtitle.setObjectName("welcomeSubtitle")
        subtitle.setWordWrap(True)
        self.language = QComboBox(self)
        self.language.setObjectName("languageCombo")
        self.language.setAccessibleName(self.tr("表示言語"))
        for code in i18n.LANGUAGES:
            self.language.addItem(i18n.NAMES[code], code)
        self.language.setCurrentIndex(i18n.LANGUAGES.index(i18n.current()))
        self.language.activated.connect(lambda i: controller.set_language(self.language.itemData(i)))
        top = QHBoxLayout()
        heading = QVBoxLayout()
        heading.addWidget(title)
        heading.addWidget(subtitle)
        top.addLayout(heading, 1)
        top.addWidget(QLabel(self.tr("表示言語"), self), 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.language, 0, Qt.AlignmentFlag.AlignTop)

        left = QVBoxLayout()
        recent_label = QLabel(self.tr("最近使ったワークスペース"), self)
        left.addWidget(recent_label)
        self.recent = QListWidget(self)
        self.recent.setObjectName("recentList")
        self.recent.setAccessibleName(recent_label.text())
        recent_label.setBuddy(self.recent)
        self.recent.setMinimumWidth(300)
        self.recent.currentItemChanged.connect(self._selected)
        self.recent.itemActivated.connect(lambda _item: self.unlock.passphrase.setFocus())
        left.addWidget(self.recent, 1)

        right_frame = QFrame(self)
        right_frame.setFrameShape(QFrame.Shape.StyledPanel)
        right = QVBoxLayout(right_frame)
        self.open_heading = QLabel(self.tr("ワークスペースを開く"), right_frame)
        self.open_heading.setObjectName("openHeading")
        self.unlock = UnlockPanel(self.tr("開く"), right_frame)
        self.unlock.submitted.connect(self._open)
        self.hint = QLabel(right_frame)
        self.hint.setObjectName("welcomeHint")
        self.hint.setWordWrap(True)
        right.addWidget(self.open_heading)
        right.addWidget(self.unlock)
        right.addWidget(self.hint)
        right.addStretch(1)
        self.create_button = QPushButton(self.tr("新しいワークスペースを作成…"), right_frame)
        self.create_button.setObjectName("createWorkspace")
        self.create_button.clicked.connect(self._create)
        self.browse_button = QPushButton(self.tr("フォルダーを選んで開く…"), right_frame)
        self.browse_button.setObjectName("browseWorkspace")
        self.browse_button.clicked.connect(self._browse)
        self.carry_button = QPushButton(self.tr("前年度のワークスペースから作成…"), right_frame)
        self.carry_button.setObjectName("carryForward")
        self.carry_button.setToolTip(self.tr("前年度の回答・備考・証跡を引き継いで、新しい監査期間のワークスペースを"
                                             "作成します。前年度のワークスペースは変更されません。"))
        self.carry_button.clicked.connect(lambda: self._create(carry=True))
        right.addWidget(self.create_button)
        right.addWidget(self.carry_button)
        right.addWidget(self.browse_button)
        # Tab in the order the buttons are laid out (the carry-forward button was made last)
        QWidget.setTabOrder(self.create_button, self.carry_button)
        QWidget.setTabOrder(self.carry_button, self.browse_button)
        self.audit_button = QPushButton(self.tr("監査: 提出バンドルを開く…"), right_frame)
        self.audit_button.setObjectName("openBundle")
        self.audit_button.setToolTip(self.tr("提出者から届いた提出バンドルを検証し、読み取り専用で開きます。"))
        self.audit_button.clicked.connect(lambda: controller.open_bundle(self))
        self.register_button = QPushButton(self.tr("監査: 登録簿（全提出者の提出）…"), right_frame)
        self.register_button.setObjectName("openRegister")
        self.register_button.setToolTip(self.tr("監査人の登録簿を開きます。提出者ごとの提出、審査状況、"
                                                "有効期限、期限超過の是正を一覧できます。"))
        self.register_button.clicked.connect(controller.open_register)
        right.addSpacing(10)
        right.addWidget(self.audit_button)
        right.addWidget(self.register_button)

        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addWidget(right_frame, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(14)
        layout.addLayout(top)
        layout.addLayout(body, 1)
        QShortcut(QKeySequence.StandardKey.Open, self, activated=self._browse)
        QShortcut(QKeySequence.StandardKey.New, self, activated=self._create)

        self._fill_recent()
        # The default workspace needs storage.paths, which loads the whole storage package:
        # look for it once the window is on screen, not before.
        QTimer.singleShot(250, self._add_default_workspace)
        geometry = self.settings.get(WELCOME_GEOMETRY)
        screen_fit.fit(self, QSize(860, 520), QSize(560, 400))
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
            screen_fit.keep_on_screen(self)

    # --- recent list ----------------------------------------------------------------------

    def _add_default_workspace(self) -> None:
        from storage.paths import default_workspace

        default = default_workspace()
        known = {self.recent.item(r).data(Qt.ItemDataRole.UserRole) for r in range(self.recent.count())}
        if str(default) not in known and (default / "attest.db").is_file():
            self.recent.addItem(self._entry(str(default)))
            if self.recent.currentItem() is None:
                self.recent.setCurrentRow(0)

    def _entry(self, path: str) -> QListWidgetItem:
        item = QListWidgetItem(f"{Path(path).name}\n{path}")
        item.setData(Qt.ItemDataRole.UserRole, path)
        item.setToolTip(path)
        if not Path(path).is_dir():  # said in words in the row, not only by its grey colour
            item.setText(self.tr("{name}（見つかりません）\n{path}").format(name=Path(path).name, path=path))
            item.setForeground(Qt.GlobalColor.darkGray)
            item.setToolTip(self.tr("フォルダーが見つかりません: {path}").format(path=path))
        return item

    def _fill_recent(self) -> None:
        paths = list(self.settings.recent_workspaces())
        self.recent.clear()
        for path in paths:
            self.recent.addItem(self._entry(path))
        last = self.settings.get(LAST_WORKSPACE)
        row = next((i for i, p in enumerate(paths) if p == last), 0)
        if paths:
            self.recent.setCurrentRow(row)
            self.unlock.passphrase.setFocus()
        else:  # nothing to open yet: focus where one starts
            self.create_button.setFocus()
        self._selected(self.recent.currentItem())

    def selected_path(self) -> Path | None:
        item = self.recent.currentItem()
        return Path(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def _selected(self, item: QListWidgetItem | None, _previous=None) -> None:
        has = item is not None
        self.unlock.setEnabled(has)
        self.unlock.path_label.setText(item.data(Qt.ItemDataRole.UserRole) if has else "")
        self.hint.setText(self.tr(
            "パスフレーズを入力して「開く」を押してください。回答と証跡はこのコンピューターの中で暗号化"
            "されたまま保存され、一定時間操作がないと自動的にロックされます。") if has else self.tr(
            "まだワークスペースがありません。「新しいワークスペースを作成…」から始めてください。"
            "既存のワークスペースは「フォルダーを選んで開く…」で開けます。"))

    def add_recent(self, path: Path) -> None:
        path_text = str(path.absolute())
        for row in range(self.recent.count()):
            if self.recent.item(row).data(Qt.ItemDataRole.UserRole) == path_text:
                self.recent.setCurrentRow(row)
                return
        self.recent.insertItem(0, self._entry(path_text))
        self.recent.setCurrentRow(0)

    # --- actions ------------------------------------------------------------------------------

    def _browse(self) -> None:
        start = self.settings.get(LAST_FOLDER) or str(Path.home())
        chosen = FolderDialog.ask(self, self.tr("ワークスペースのフォルダーを選択"), start)
        if chosen is None:
            return
        self.settings.set(LAST_FOLDER, str(chosen.parent))
        self.add_recent(chosen)
        self.unlock.passphrase.setFocus()

    def _open(self, passphrase: str) -> None:
        path = self.selected_path()
        if path is None or self.task is not None:
            return
        self.unlock.set_busy(True)
        self.task = self.controller.open_task(path, passphrase)
        self._run(self.task)

    def _create(self, carry: bool = False) -> None:
        if self.task is not None:
            return
        from storage.paths import default_workspace

        folder = default_workspace()
        n = 2
        while folder.exists() and any(folder.iterdir()):
            folder = default_workspace().with_name(f"{default_workspace().name}-{n}")
            n += 1
        if carry:
            request = CarryForwardDialog.ask(self, folder, self.selected_path())
        else:
            request = CreateWorkspaceDialog.ask(self, folder)
        if request is None:
            return
        self.unlock.set_busy(True)
        self.unlock.status.setText(self.tr("前年度のワークスペースから引き継いでいます…") if carry
                                   else self.tr("ワークスペースを作成しています…"))
        self.create_button.setEnabled(False)
        self.carry_button.setEnabled(False)
        self.task = self.controller.create_task(request)
        self._run(self.task)

    def _run(self, task: Task) -> None:
        task.succeeded.connect(self._opened)
        task.failed.connect(self._failed)
        task.start()

    def _opened(self, ws) -> None:
        self.task = None
        self.unlock.reset()
        self.controller.workspace_opened(ws)

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        self.unlock.reset()
        self.create_button.setEnabled(True)
        self.carry_button.setEnabled(True)
        ErrorDialog.show_error(self, exc)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.set(WELCOME_GEOMETRY, self.saveGeometry())
        super().closeEvent(event)
