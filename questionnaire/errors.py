"""Typed errors of the questionnaire core.

The core never formats messages for a particular UI: each error carries the
facts (file, item, problem) and ``str()`` gives a one-line English message for
the CLI; the desktop app maps the types to translated text.
"""

from __future__ import annotations


class AttestError(Exception):
    """Base of every error the app reports to the user as a clear message. ``ja``: the same line
    in Japanese, for errors worded where they are raised (questionnaire/error_text.py says it
    under --lang ja and in the desktop's details; typed errors are worded there from facts)."""

    def __init__(self, *args: object, ja: str | None = None) -> None:
        super().__init__(*args)
        if ja is not None:
            from .text import Text

            self.text = Text(ja, str(args[0]) if args else "")


class TemplateError(AttestError):
    """A template file is malformed; names the file, the place and the problem."""

    def __init__(self, source: str, where: str | None, problem: str) -> None:
        self.source = source
        self.where = where
        self.problem = problem
        place = f"{source}: {where}: " if where else f"{source}: "
        super().__init__(place + problem)


class UnknownItem(AttestError):
    def __init__(self, item_id: str) -> None:
        self.item_id = item_id
        super().__init__(f"unknown item ID {item_id!r}")


class InvalidAnswer(AttestError):
    """An answer does not fit its item's kind (wrong type, not a date, bad choice...)."""

    def __init__(self, item_id: str, problem: str) -> None:
        self.item_id = item_id
        self.problem = problem
        super().__init__(f"item {item_id}: {problem}")
