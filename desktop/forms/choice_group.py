"""One focusable control for picking one of a few answers: はい / 一部 / いいえ / 該当なし, or the
auditor's verdicts (issue 18).

The options look like a segmented row, but the row is ONE tab stop, as a radio group is:

* Tab lands on the group whatever is chosen; ←/→ (↑/↓) move the choice, Home/End go to the ends;
* the digits 1–n and each option's letter (Y/P/N/A for the status answer) choose at once;
* a choice made by the arrow keys is shown and announced at once but *stored* when the user
  settles on it — Space or Enter, leaving the control, or any shortcut (Ctrl+Z, Alt+↓…) — so
  passing いいえ on the way to 該当なし neither makes an undo step nor flickers the items that
  depend on it; a click, a digit or a letter stores at once;
* Delete takes the choice back where that is allowed (the auditor's verdict).

For assistive technology the group is what Qt uses for radio groups (a ``QGroupBox``: role
Grouping, named with the question, described with its help and problems) and each option is a
real ``QRadioButton`` child (role RadioButton, checked or not). The radio buttons take no focus
themselves; the group reports the checked one as its focused child, the way item views report
their current cell, so a screen reader says "いいえ, radio button, checked, 3 of 4".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAccessible, QAccessibleEvent, QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QGridLayout, QGroupBox, QRadioButton, QSizePolicy, QWidget

_PREVIOUS = (Qt.Key.Key_Left, Qt.Key.Key_Up)
_NEXT = (Qt.Key.Key_Right, Qt.Key.Key_Down)
_CONFIRM = (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter)
_CLEAR = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
_DIGITS = (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4, Qt.Key.Key_5, Qt.Key.Key_6,
           Qt.Key.Key_7, Qt.Key.Key_8, Qt.Key.Key_9)


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    letter: str = ""          # a letter key that chooses it ("Y" for はい); "" = digits only
    style: tuple[str, str] = ("", "")  # a dynamic property for the style sheet, e.g. ("answer", "yes")


class ChoiceGroup(QGroupBox):
    """A row of options, one focus stop. ``committed`` is the user's settled choice."""

    committed = Signal()

    def __init__(self, options: Sequence[Option], parent: QWidget | None = None, *, name: str = "choice",
                 allow_clear: bool = False, columns: int = 0) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFlat(True)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.allow_clear = allow_clear
        self.options = list(options)
        self.read_only = False
        self._value: str | None = None
        self._stored: str | None = None  # what the last commit (or load) said
        self.buttons: dict[str, QRadioButton] = {}
        # One row, or ``columns`` per row where the control sits in a narrow panel.
        layout = QGridLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(0)
        per_row = columns or len(self.options)
        last = len(self.options) - 1 if not columns else -1  # a grid has no rounded ends
        for i, option in enumerate(self.options):
            button = QRadioButton(option.label, self)
            button.setObjectName(f"{name}_{option.value}")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the group is the one tab stop
            # Auto-exclusive, so that Qt reports it as a radio button (a non-exclusive one is a
            # check box to assistive technology); "nothing chosen" is handled in _sync.
            button.setAutoExclusive(True)
            button.setProperty("segment", "first" if i == 0 and not columns else "last" if i == last
                               else "middle")
            if option.style[0]:
                button.setProperty(option.style[0], option.style[1])
            keys = [str(i + 1)] + ([option.letter] if option.letter else [])
            button.setToolTip(self.tr("キー: {keys}").format(keys=" / ".join(keys)))
            button.clicked.connect(lambda _checked=False, v=option.value: self._clicked(v))
            layout.addWidget(button, i // per_row, i % per_row)
            self.buttons[option.value] = button

    # --- value ----------------------------------------------------------------------------

    def value(self) -> Any:
        return self._value

    def set_value(self, value: Any) -> None:
        """Show a stored value (no signal)."""
        self._value = value if value in self.buttons else None
        self._stored = self._value
        self._sync()

    @property
    def pending(self) -> bool:
        """A choice shown (by the arrow keys) but not yet committed."""
        return self._value != self._stored

    def commit(self) -> None:
        if self.pending and not self.read_only:
            self._stored = self._value
            self.committed.emit()

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.setEnabled(not read_only)

    def _sync(self) -> None:
        if self._value is None:  # unanswered: an exclusive radio button refuses to uncheck itself
            for button in self.buttons.values():
                if button.isChecked():
                    button.setAutoExclusive(False)
                    button.setChecked(False)
                    button.setAutoExclusive(True)
        else:
            self.buttons[self._value].setChecked(True)  # unchecks the others
        self._announce()

    def _select(self, value: str | None, *, commit: bool) -> None:
        if self.read_only:
            return
        if value != self._value:
            self._value = value
            self._sync()
        if commit:
            self.commit()

    def _index(self) -> int:
        values = [o.value for o in self.options]
        return values.index(self._value) if self._value in values else -1

    # --- mouse and keyboard -------------------------------------------------------------

    def _clicked(self, value: str) -> None:
        if self.allow_clear and value == self._stored and value == self._value:
            self._select(None, commit=True)  # clicking the chosen option again takes it back
        else:
            self._select(value, commit=True)
        self._sync()  # a click toggles the radio button itself: show what was decided
        if self.isEnabled():
            self.setFocus(Qt.FocusReason.MouseFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        plain = not (mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                             | Qt.KeyboardModifier.MetaModifier))
        n = len(self.options)
        if not plain or self.read_only or not n:
            super().keyPressEvent(event)
            return
        index = self._index()
        if key in _PREVIOUS:
            self._select(self.options[(index - 1) % n if index >= 0 else n - 1].value, commit=False)
        elif key in _NEXT:
            self._select(self.options[(index + 1) % n].value, commit=False)
        elif key == Qt.Key.Key_Home:
            self._select(self.options[0].value, commit=False)
        elif key == Qt.Key.Key_End:
            self._select(self.options[-1].value, commit=False)
        elif key in _CONFIRM:
            self._select(self._value if self._value is not None else self.options[0].value, commit=True)
        elif key in _CLEAR and self.allow_clear:
            self._select(None, commit=True)
        elif key in _DIGITS[:n]:
            self._select(self.options[_DIGITS.index(key)].value, commit=True)
        elif (chosen := self._by_letter(event.text())) is not None:
            self._select(chosen, commit=True)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def _by_letter(self, text: str) -> str | None:
        letter = text.strip().upper()
        if not letter:
            return None
        return next((o.value for o in self.options if o.letter and o.letter.upper() == letter), None)

    def event(self, event: QEvent) -> bool:
        # A shortcut (undo, next item, next section, export…) acts on what is stored: settle
        # the choice first. Plain keys are this control's own and are not shortcuts here.
        if event.type() == QEvent.Type.ShortcutOverride and self.pending:
            mods = event.modifiers()
            if mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier) or \
                    Qt.Key.Key_F1 <= event.key() <= Qt.Key.Key_F12:
                self.commit()
        return super().event(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self._announce()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.commit()

    # --- assistive technology ---------------------------------------------------------------

    def _announce(self) -> None:
        """Report the chosen option as the focused child (as an item view reports its cell)."""
        if not self.hasFocus() or not QAccessible.isActive():
            return
        button = self.buttons.get(self._value) if self._value is not None else None
        group = QAccessible.queryAccessibleInterface(self)
        if button is None or group is None:
            return
        child = group.indexOfChild(QAccessible.queryAccessibleInterface(button))
        if child >= 0:
            focus = QAccessibleEvent(self, QAccessible.Event.Focus)
            focus.setChild(child)
            QAccessible.updateAccessibility(focus)
