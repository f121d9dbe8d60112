"""The main window's commands of the yearly cycle: confirming answers carried over from last
year (the current item, a section, all), the contract date, replacing an evidence file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from ..errors import ErrorDialog
from ..i18n import tr
from .common import Confirm

if TYPE_CHECKING:
    from .main_window import MainWindow


class CycleCommands:
    def __init__(self, w: MainWindow) -> None:
        self.w = w

        def action(name: str, text: str, slot, shortcut=None) -> QAction:
            a = QAction(text, w)
            a.setObjectName(name)
            if shortcut is not None:
                a.setShortcut(shortcut)
            a.triggered.connect(lambda _checked=False: slot())
            w.addAction(a)
            return a

        self.confirm_item = action("actionConfirmItem", tr("この引継ぎ回答を確認済みにする"),
                                   self.confirm_current_item, QKeySequence("Ctrl+K"))
        self.confirm_section_action = action("actionConfirmSection",
                                             tr("このセクションの引継ぎ回答をまとめて確認"),
                                             lambda: self.confirm_section(None))
        self.confirm_all_action = action("actionConfirmAll", tr("引継ぎ回答をすべて確認…"), self.confirm_all)
        self.actions_action = action("actionCorrectiveActions", tr("是正処置…"), self.show_actions,
                                     QKeySequence("Ctrl+Shift+K"))
        menu = w.actions_.edit_menu
        menu.addSeparator()
        for a in (self.confirm_item, self.confirm_section_action, self.confirm_all_action, None,
                  self.actions_action):
            if a is None:
                menu.addSeparator()
                continue
            menu.addAction(a)
            w.actions_.workspace_only.append(a)
        w.form.confirm_section_requested.connect(self.confirm_section)

    def show_actions(self):
        """The 是正処置 view (list + editor), modal to the window."""
        from .actions_view import ActionsDialog

        if self.w.session.locked:
            return None
        dialog = ActionsDialog(self.w.session, self.w, settings=self.w.settings)
        dialog.jump_to_item.connect(lambda item_id: (dialog.accept(), self.w.go_to_item(item_id)))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.open()
        return dialog

    def _status(self, text: str) -> None:
        self.w.statusBar().showMessage(text, 6000)

    def _confirm(self, item_ids: list[str], by: str) -> list[str]:
        self.w.form.commit_pending()
        try:
            return self.w.session.confirm_carried(item_ids, by)
        except Exception as exc:
            ErrorDialog.show_error(self.w, exc)
            return []

    def confirm_current_item(self) -> list[str]:
        item_id = self.w.form.current_item
        if item_id is None or self.w.session.locked:
            return []
        if not self.w.session.unconfirmed([item_id]):
            self._status(tr("{item} には確認を待つ前年からの回答はありません。").format(item=item_id))
            return []
        done = self._confirm([item_id], "item")
        if done:
            self._status(tr("{item} の前年からの回答を確認済みにしました（Ctrl+Z で取り消せます）。").format(
                item=item_id))
        return done

    def confirm_section(self, section_id: str | None) -> list[str]:
        session = self.w.session
        if session.locked:
            return []
        section_id = section_id or (self.w.form.section.id if self.w.form.section else None)
        if section_id is None:
            return []
        ids = [i.id for i in session.template.section(section_id).items]
        todo = session.unconfirmed(ids, include_changed=False)
        if not todo:
            self._status(
                tr("{section} にまとめて確認できる前年からの回答はありません。").format(section=section_id))
            return []
        done = self._confirm(todo, "section")
        self._status(tr("{section} の前年からの回答 {n} 件を確認済みにしました（Ctrl+Z で取り消せます）。"
                        ).format(
            section=section_id, n=len(done)))
        return done

    def confirm_all(self) -> list[str]:
        session = self.w.session
        if session.locked:
            return []
        todo = session.unconfirmed(include_changed=False)
        changed = len(session.unconfirmed()) - len(todo)
        if not todo:
            self._status(tr("まとめて確認できる前年からの回答はありません。"))
            return []
        text = tr("前年から引き継いだ回答 {n} 件を、内容を確かめたものとして今年度の回答にします。"
                  "確かめていない回答を確認済みにすると、提出内容が実態と違うおそれがあります。").format(n=len(todo))
        if changed:
            text += "\n\n" + tr("設問の文言・規則が変わった {m} 件は含まれません。1件ずつ確認してください。"
                                ).format(
                m=changed)
        button = tr("{n} 件を確認済みにする").format(n=len(todo))
        if not Confirm.ask(self.w, tr("引継ぎ回答をすべて確認"), text, button):
            return []
        done = self._confirm(todo, "all")
        self._status(
            tr("前年からの回答 {n} 件を確認済みにしました（Ctrl+Z で取り消せます）。").format(n=len(done)))
        return done
