"""The main window's actions and menus, with their shortcuts (kept apart from the layout code)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu

from .. import i18n
from ..i18n import tr

if TYPE_CHECKING:
    from .main_window import MainWindow


class MainActions:
    """Every command of the main window. ``export_menu`` is where export actions go."""

    def __init__(self, w: MainWindow) -> None:
        self.w = w

        stack = w.session.undo_stack

        def action(name: str, text: str, slot, shortcut=None) -> QAction:
            a = QAction(text, w)
            a.setObjectName(name)
            if shortcut is not None:
                a.setShortcuts(shortcut if isinstance(shortcut, list) else [shortcut])
            a.triggered.connect(lambda _checked=False: slot())
            w.addAction(a)
            return a

        self.lock = action("actionLock", tr("ロック"), w.lock, QKeySequence("Ctrl+L"))
        self.close_workspace = action("actionCloseWorkspace", tr("ワークスペースを閉じる"), w.close_workspace,
                                      QKeySequence.StandardKey.Close)
        self.settings = action("actionSettings", tr("設定…"), w.edit_settings, QKeySequence("Ctrl+,"))
        self.quit = action("actionQuit", tr("終了"), w.quit, QKeySequence("Ctrl+Q"))
        self.undo = stack.createUndoAction(w, tr("元に戻す"))
        self.undo.setObjectName("actionUndo")
        self.undo.setShortcuts([QKeySequence.StandardKey.Undo])
        self.redo = stack.createRedoAction(w, tr("やり直す"))
        self.redo.setObjectName("actionRedo")
        self.redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        w.addAction(self.undo)
        w.addAction(self.redo)
        self.find = action("actionFind", tr("検索"), w.focus_search, QKeySequence.StandardKey.Find)
        self.dashboard = action("actionDashboard", tr("ダッシュボード"), w.show_dashboard,
                                QKeySequence("Ctrl+D"))
        self.next_section = action("actionNextSection", tr("次のセクション"), lambda: w.step_section(1),
                                   QKeySequence("Ctrl+PgDown"))
        self.prev_section = action("actionPrevSection", tr("前のセクション"), lambda: w.step_section(-1),
                                   QKeySequence("Ctrl+PgUp"))
        # Alt+↓ / Alt+↑ inside a combo box or a date field open its list instead (forms/combo.py).
        self.next_item = action("actionNextItem", tr("次の設問"), lambda: w.step_item(1),
                                QKeySequence("Alt+Down"))
        self.prev_item = action("actionPrevItem", tr("前の設問"), lambda: w.step_item(-1),
                                QKeySequence("Alt+Up"))
        self.next_unanswered = action("actionNextUnanswered", tr("次の未回答の設問"),
                                      lambda: w.next_unanswered(1), QKeySequence("F8"))
        self.prev_unanswered = action("actionPrevUnanswered", tr("前の未回答の設問"),
                                      lambda: w.next_unanswered(-1), QKeySequence("Shift+F8"))
        self.next_pane = action("actionNextPane", tr("次の領域へ"), lambda: w.next_pane(True),
                                QKeySequence("F6"))
        self.prev_pane = action("actionPrevPane", tr("前の領域へ"), lambda: w.next_pane(False),
                                QKeySequence("Shift+F6"))
        self.add_evidence = action("actionAddEvidence", tr("証跡を追加…"), w.add_evidence,
                                   QKeySequence("Ctrl+Shift+A"))
        self.preview = action("actionPreview", tr("証跡をプレビュー"), w.evidence.preview_selected,
                              QKeySequence("Ctrl+P"))
        self.check = action("actionCheckWorkspace", tr("ワークスペースを検査…"), w.check_integrity)
        self.compare_origin = action("actionCompareOrigin", tr("前年度のワークスペースと比較…"),
                                     w.origin_comparison.start, QKeySequence("Ctrl+Shift+D"))
        self.clear_comparison = action("actionClearComparison", tr("前年度との比較をやめる"),
                                       w.origin_comparison.clear)
        self.clear_comparison.setEnabled(False)
        self.activity = action("actionActivity", tr("操作履歴…"), w.show_activity, QKeySequence("Ctrl+H"))
        self.about = action("actionAbout", tr("CCUS Attest について"), w.about)
        self.keyboard = action("actionKeyboardHelp", tr("キーボード操作"), w.show_keyboard_help,
                               QKeySequence.StandardKey.HelpContents)
        self.languages = QActionGroup(w)
        self.language_actions: dict[str, QAction] = {}
        for code in i18n.LANGUAGES:
            a = QAction(i18n.NAMES[code], w)
            a.setObjectName(f"actionLanguage_{code}")
            a.setCheckable(True)
            a.setChecked(code == i18n.current())
            a.triggered.connect(lambda _c=False, c=code: w.controller.set_language(c))
            self.languages.addAction(a)
            self.language_actions[code] = a

        bar = w.menuBar()
        file_menu = bar.addMenu(tr("ファイル(&F)"))
        file_menu.setObjectName("menuFile")
        # Bundle, checklist and report exports are added here by the export features.
        self.export_menu: QMenu = file_menu.addMenu(tr("書き出し"))
        self.export_menu.setObjectName("menuExport")
        self.export_menu.menuAction().setVisible(False)  # shown once it holds an action
        file_menu.addSeparator()
        for a in (self.compare_origin, self.clear_comparison, None, self.lock, self.close_workspace, None,
                  self.check, self.settings, None, self.quit):
            file_menu.addSeparator() if a is None else file_menu.addAction(a)
        edit_menu = self.edit_menu = bar.addMenu(tr("編集(&E)"))
        for a in (self.undo, self.redo, None, self.find):
            edit_menu.addSeparator() if a is None else edit_menu.addAction(a)
        view_menu = bar.addMenu(tr("表示(&V)"))
        for a in (self.dashboard, self.activity, None, self.next_section, self.prev_section, None,
                  self.next_item, self.prev_item, self.next_unanswered, self.prev_unanswered, None,
                  self.next_pane, self.prev_pane):
            view_menu.addSeparator() if a is None else view_menu.addAction(a)
        view_menu.addSeparator()
        language_menu = view_menu.addMenu(tr("表示言語"))
        for a in self.language_actions.values():
            language_menu.addAction(a)
        evidence_menu = bar.addMenu(tr("証跡(&D)"))
        evidence_menu.addAction(self.add_evidence)
        evidence_menu.addAction(self.preview)
        help_menu = bar.addMenu(tr("ヘルプ(&H)"))
        help_menu.addAction(self.keyboard)
        help_menu.addSeparator()
        help_menu.addAction(self.about)

        self.workspace_only = [self.undo, self.redo, self.find, self.dashboard, self.activity, self.check,
                               self.next_section, self.prev_section, self.next_item, self.prev_item,
                               self.next_unanswered, self.prev_unanswered, self.add_evidence, self.preview,
                               self.lock, self.export_menu.menuAction(), self.compare_origin]

    def add_export_action(self, action: QAction) -> None:
        """Extension point for the export wizard and the checklist/report exports."""
        self.export_menu.addAction(action)
        self.export_menu.menuAction().setVisible(True)
        self.workspace_only.append(action)

    def all_actions(self) -> list[QAction]:
        """Every action with a shortcut, in menu order (the keyboard help lists them)."""
        found: list[QAction] = []
        for menu_action in self.w.menuBar().actions():
            found += _with_shortcuts(menu_action.menu())
        return found

    def disable_writes(self, actions: list[QAction]) -> None:
        """A read-only workspace: these stay disabled, locked or not."""
        self.writes_disabled = [*getattr(self, "writes_disabled", []), *actions]
        for a in actions:
            a.setEnabled(False)

    def set_locked(self, locked: bool) -> None:
        disabled = getattr(self, "writes_disabled", [])
        for a in self.workspace_only:
            a.setEnabled(not locked and a not in disabled)


def _with_shortcuts(menu: QMenu | None) -> list[QAction]:
    if menu is None:
        return []
    found: list[QAction] = []
    for a in menu.actions():
        if a.menu() is not None:
            found += _with_shortcuts(a.menu())
        elif not a.isSeparator() and not a.shortcut().isEmpty():
            found.append(a)
    return found
