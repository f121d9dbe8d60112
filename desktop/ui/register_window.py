"""「登録簿」, the auditor's home: every vendor in the register, filtered and sorted, drill-down
to a vendor's submissions, and the stored bundle opened in the read-only bundle view.

The register is read in a worker (desktop/tasks.py); the tables are Qt models
(register_models.py) behind a QSortFilterProxyModel, so sorting and filtering never touch
the database. The register's location is the setting ``REGISTER_DB`` (a URL; empty: the app's
own SQLite file), changed with 「登録簿の場所…」. Verdicts are recorded with ``register
verdict`` for now; the bundle view keeps its own review file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..i18n import tr
from ..settings import REGISTER_DB, REGISTER_GEOMETRY
from ..tasks import Task
from .common import fit_to_screen
from .register_models import (
    EXPIRY_WARNING_DAYS,
    SORT_ROLE,
    SubmissionColumn,
    SubmissionModel,
    VendorColumn,
    VendorFilter,
    VendorModel,
)

if TYPE_CHECKING:
    from register.queries import SubmissionRow

    from ..controller import AppController


class RegisterUrlDialog:
    @classmethod
    def ask(cls, parent: QWidget | None, current: str) -> str | None:
        text, ok = QInputDialog.getText(
            parent, tr("登録簿の場所"),
            tr("データベースの URL（例: postgresql+psycopg://tanaka@db.example/register）。"
               "空欄にするとこのコンピューターの登録簿（SQLite）を使います。"),
            QLineEdit.EchoMode.Normal, current)
        return text.strip() if ok else None


def _table(parent: QWidget, name: str, accessible: str) -> QTableView:
    view = QTableView(parent)
    view.setObjectName(name)
    view.setAccessibleName(accessible)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSortingEnabled(True)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.setTabKeyNavigation(False)  # Tab leaves the table (arrows move inside it)
    # Widths are fitted once per load (fit_columns), not live: ResizeToContents measures every
    # row again at each filter keystroke (230 ms at 500 vendors).
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setResizeContentsPrecision(200)
    header.setStretchLastSection(True)
    return view


class RegisterWindow(QMainWindow):
    def __init__(self, controller: AppController) -> None:
        super().__init__()
        self.controller = controller
        self.settings = controller.settings
        self.task: Task | None = None
        self.rows: list[SubmissionRow] = []
        self.store_root: Path | None = None
        self._fit_submissions = True
        self.setObjectName("registerWindow")
        self.setWindowTitle(tr("登録簿 — CCUS Attest"))
        # 1366x768 at 150 % scaling is 911x512 logical pixels, a title bar and a taskbar less
        self.setMinimumSize(720, 420)

        central = QWidget(self)
        layout = QVBoxLayout(central)
        top = QHBoxLayout()
        self.where = QLabel(central)
        self.where.setObjectName("registerWhere")
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top.addWidget(self.where, 1)
        self.choose = QPushButton(tr("登録簿の場所…"), central)
        self.choose.setObjectName("registerChoose")
        self.choose.clicked.connect(self._choose)
        self.refresh = QPushButton(tr("再読み込み (F5)"), central)
        self.refresh.setObjectName("registerRefresh")
        self.refresh.clicked.connect(self.load)
        top.addWidget(self.choose)
        top.addWidget(self.refresh)
        layout.addLayout(top)

        # The dashboard across vendors: numbers in words, never a colour alone.
        self.summary = QLabel(central)
        self.summary.setObjectName("registerSummary")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.summary)

        filters = QHBoxLayout()
        self.search = QLineEdit(central)
        self.search.setObjectName("registerSearch")
        self.search.setPlaceholderText(tr("提出者名で絞り込み  Ctrl+F"))
        self.search.setAccessibleName(tr("提出者名で絞り込み"))
        self.search.setClearButtonEnabled(True)
        self.year = QComboBox(central)
        self.year.setObjectName("registerYear")
        self.year.setAccessibleName(tr("年度"))
        self.year.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.state = QComboBox(central)
        self.state.setObjectName("registerState")
        self.state.setAccessibleName(tr("審査状況"))
        self.state.addItem(tr("すべての審査状況"), None)
        for code, label in (("unreviewed", tr("未着手")), ("in_progress", tr("審査中")),
                            ("reviewed", tr("審査済"))):
            self.state.addItem(label, code)
        self.expiring = QCheckBox(tr("有効期限が{days}日以内").format(days=EXPIRY_WARNING_DAYS), central)
        self.expiring.setObjectName("registerExpiring")
        self.overdue = QCheckBox(tr("期限超過の是正あり"), central)
        self.overdue.setObjectName("registerOverdue")
        filters.addWidget(self.search, 2)
        filters.addWidget(self.year)
        filters.addWidget(self.state)
        filters.addWidget(self.expiring)
        filters.addWidget(self.overdue)
        layout.addLayout(filters)

        self.vendors = VendorModel(self)
        self.proxy = VendorFilter(self)
        self.proxy.setSourceModel(self.vendors)
        self.vendor_view = _table(central, "registerVendors", tr("提出者の一覧"))
        self.vendor_view.setModel(self.proxy)
        self.vendor_view.sortByColumn(VendorColumn.VENDOR, Qt.SortOrder.AscendingOrder)
        self.vendor_view.selectionModel().currentRowChanged.connect(lambda _c, _p: self._vendor_chosen())

        self.submissions = SubmissionModel(self)
        self.sub_proxy = QSortFilterProxyModel(self)  # sorting only
        self.sub_proxy.setSourceModel(self.submissions)
        self.sub_proxy.setSortRole(SORT_ROLE)
        lower = QWidget(central)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        self.sub_title = QLabel(lower)
        self.sub_title.setObjectName("registerSubmissionsTitle")
        lower_layout.addWidget(self.sub_title)
        self.sub_view = _table(lower, "registerSubmissions", tr("選んだ提出者の提出一覧"))
        self.sub_view.setModel(self.sub_proxy)
        self.sub_view.sortByColumn(SubmissionColumn.EXPORTED, Qt.SortOrder.DescendingOrder)
        # The 32-digit ID is the widest cell: elided in the middle (its start and end are what
        # people compare), so the dates and states stay visible at 1366 px.
        self.sub_view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.sub_view.setColumnWidth(SubmissionColumn.ID, 150)
        self.sub_view.activated.connect(lambda _i: self.open_selected())
        lower_layout.addWidget(self.sub_view, 1)
        buttons = QHBoxLayout()
        self.open_button = QPushButton(tr("バンドルを開く（読み取り専用）…"), lower)
        self.open_button.setObjectName("registerOpenBundle")
        self.open_button.setToolTip(tr("登録簿に保管した提出バンドルを、監査人の秘密鍵で検証して開きます。"))
        self.open_button.clicked.connect(self.open_selected)
        self.open_button.setEnabled(False)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        lower_layout.addLayout(buttons)
        self.sub_view.selectionModel().currentRowChanged.connect(
            lambda c, _p: self.open_button.setEnabled(c.isValid()))

        split = QSplitter(Qt.Orientation.Vertical, central)
        split.setObjectName("registerSplitter")
        split.addWidget(self.vendor_view)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout.addWidget(split, 1)
        self.setCentralWidget(central)

        self.search.textChanged.connect(lambda t: self.proxy.set_filters(text=t))
        self.year.currentIndexChanged.connect(lambda _i: self.proxy.set_filters(year=self.year.currentData()))
        self.state.currentIndexChanged.connect(
            lambda _i: self.proxy.set_filters(state=self.state.currentData()))
        self.expiring.toggled.connect(lambda on: self.proxy.set_filters(expiring=on))
        self.overdue.toggled.connect(lambda on: self.proxy.set_filters(overdue=on))
        self.proxy.rowsInserted.connect(self._count_shown)
        self.proxy.rowsRemoved.connect(self._count_shown)
        self.proxy.modelReset.connect(self._count_shown)
        self.proxy.layoutChanged.connect(self._count_shown)
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self._focus_search)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, activated=self.load)
        QShortcut(QKeySequence.StandardKey.Close, self, activated=self.close)
        self.setTabOrder(self.search, self.year)
        self.setTabOrder(self.year, self.state)
        self.setTabOrder(self.state, self.expiring)
        self.setTabOrder(self.expiring, self.overdue)
        self.setTabOrder(self.overdue, self.vendor_view)
        self.setTabOrder(self.vendor_view, self.sub_view)
        self.setTabOrder(self.sub_view, self.open_button)

        geometry = self.settings.get(REGISTER_GEOMETRY)
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            fit_to_screen(self, 1180, 680, maximize=True)
        self.load()

    # --- loading -------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return self.settings.get(REGISTER_DB)

    def load(self) -> None:
        if self.task is not None:
            return
        url = self.url or None

        def work(_progress, _cancel):
            from register.db import describe, open_register
            from register.queries import list_submissions

            with open_register(url) as reg:
                return describe(reg.url), reg.store.root, list_submissions(reg)

        self.where.setText(tr("読み込み中…"))
        self.refresh.setEnabled(False)
        self.task = Task(work)
        self.task.succeeded.connect(self._loaded)
        self.task.failed.connect(self._failed)
        self.task.start()

    def _loaded(self, result) -> None:
        where, store, rows = result
        self.task = None
        self.refresh.setEnabled(True)
        self.store_root = store
        self.rows = rows
        self.where.setText(tr("登録簿: {where}　保管フォルダー: {store}").format(where=where, store=store))
        years = sorted({r.fiscal_year for r in rows}, reverse=True)
        chosen = self.year.currentData()
        self.year.blockSignals(True)
        self.year.clear()
        self.year.addItem(tr("すべての年度"), None)
        for y in years:
            self.year.addItem(tr("{year}年度").format(year=y), y)
        self.year.setCurrentIndex(max(0, self.year.findData(chosen)) if chosen in years else 0)
        self.year.blockSignals(False)
        self.proxy.set_filters(year=self.year.currentData())
        self.vendors.set_rows(rows)
        self.vendor_view.resizeColumnsToContents()
        self._summary()
        self._fit_submissions = True
        if self.proxy.rowCount():
            self.vendor_view.setCurrentIndex(self.proxy.index(0, 0))

    def _failed(self, exc: BaseException) -> None:
        from register.errors import NotInitialised

        from ..errors import explain

        self.task = None
        self.refresh.setEnabled(True)
        self.vendors.set_rows([])
        self.submissions.set_rows([])
        if isinstance(exc, NotInitialised):
            self.where.setText(tr("登録簿がまだありません。コマンド ccus-attest register init で作成し、"
                                  "register add で提出バンドルを追加してください。"))
        else:
            explanation = explain(exc)
            self.where.setText(f"{explanation.title}: {explanation.what}")
        self.summary.setText("")

    def _summary(self) -> None:
        vendors = self.vendors.rows
        expiring = sum(1 for v in vendors if v.latest.next_expiry is not None
                       and (v.latest.next_expiry - self.vendors.today).days <= EXPIRY_WARNING_DAYS)
        overdue = sum(1 for v in vendors if v.overdue)
        open_reviews = sum(1 for v in vendors if v.latest.review_state != "reviewed")
        self.summary.setText(tr("提出者 {vendors} 社・提出 {subs} 件　｜　審査が終わっていない最新提出: "
                                "{open} 社　｜　有効期限が{days}日以内（期限切れを含む）: {expiring} 社"
                                "　｜　期限超過の是正がある: {overdue} 社").format(
            vendors=len(vendors), subs=len(self.rows), open=open_reviews, days=EXPIRY_WARNING_DAYS,
            expiring=expiring, overdue=overdue))

    def _count_shown(self, *_args) -> None:
        self.vendor_view.setAccessibleDescription(tr("{shown} / {total} 社を表示").format(
            shown=self.proxy.rowCount(), total=self.vendors.rowCount()))

    # --- drill-down -------------------------------------------------------------------------------

    def _vendor_chosen(self) -> None:
        index = self.vendor_view.currentIndex()
        if not index.isValid():
            self.submissions.set_rows([])
            self.sub_title.setText("")
            return
        vendor = self.vendors.rows[self.proxy.mapToSource(index).row()]
        self.submissions.set_rows(vendor.submissions)
        self.sub_title.setText(tr("「{vendor}」の提出（{n} 件、新しい順）").format(
            vendor=vendor.vendor, n=len(vendor.submissions)))
        if self._fit_submissions and self.sub_proxy.rowCount():
            self._fit_submissions = False  # once per load: the columns keep their widths after
            self.sub_view.resizeColumnsToContents()
            self.sub_view.setColumnWidth(SubmissionColumn.ID, 150)
        if self.sub_proxy.rowCount():
            self.sub_view.setCurrentIndex(self.sub_proxy.index(0, 0))

    def selected_submission(self) -> SubmissionRow | None:
        index: QModelIndex = self.sub_view.currentIndex()
        if not index.isValid():
            return None
        return self.submissions.rows[self.sub_proxy.mapToSource(index).row()]

    def open_selected(self) -> None:
        """The stored bundle in the existing open dialog (it verifies again, with the identity)."""
        row = self.selected_submission()
        if row is None or self.store_root is None:
            return
        from register.store import BundleStore

        bundle = BundleStore(self.store_root).path_of(row.bundle_sha256)
        window = self.controller.open_bundle(self, bundle=bundle)
        if window is not None and window.session.submission.submission_id == row.id:
            self.bind(window, row.id)

    def bind(self, window, submission_id: str) -> None:
        """Verdicts of the opened bundle go to the register (register_binding.py)."""
        from ..errors import ErrorDialog
        from ..register_binding import RegisterBinding

        try:
            binding = RegisterBinding(self.url or None, submission_id)
        except Exception as exc:
            ErrorDialog.show_error(window, exc)
            return
        session = window.session
        session.bind_register(binding)

        def refreshed(item_id: str) -> None:
            if window.review.item_id == item_id:
                window.review.show_item(item_id)

        session.review_changed.connect(refreshed)
        session.review_saved.connect(self.load)  # the tables' review counts
        window.review.show_item(window.review.item_id)

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _choose(self) -> None:
        chosen = RegisterUrlDialog.ask(self, self.url)
        if chosen is None or chosen == self.url:
            return
        self.settings.set(REGISTER_DB, chosen)
        self.load()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.set(REGISTER_GEOMETRY, self.saveGeometry())
        super().closeEvent(event)
        self.controller.register_closed(self)
