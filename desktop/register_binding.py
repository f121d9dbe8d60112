"""Verdicts of a bundle opened from the 登録簿, saved in the register.

The bundle view (AuditorSession) keeps its findings in review.json beside the opened files;
bound to the register, each verdict is first saved in the register with the version the
auditor last saw (register/verdicts.py): if another auditor saved that item meanwhile, the
register refuses, nothing is saved anywhere, and the view shows their value while the error
dialog names both. The register's current verdicts replace review.json's when bound.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from questionnaire.review import Finding, Verdict
    from register.verdicts import VerdictValue


class RegisterBinding:
    def __init__(self, url: str | None, submission_id: str) -> None:
        self.url = url
        self.submission_id = submission_id
        self.values: dict[str, VerdictValue] = {}
        self.reload()

    def _open(self):
        from register.db import open_register

        return open_register(self.url)

    def reload(self) -> None:
        from register.queries import submission_detail
        from register.verdicts import VerdictValue

        with self._open() as reg:
            detail = submission_detail(reg, self.submission_id)
        self.values = {i.item_id: VerdictValue.of(i) for i in detail.items}

    def findings(self) -> dict[str, Finding]:
        from questionnaire.review import Finding, Verdict

        out = {}
        for item_id, v in self.values.items():
            if v.verdict is None and not v.comment:
                continue
            on = v.at.astimezone(dt.timezone(dt.timedelta(hours=9))).date() if v.at else None
            out[item_id] = Finding(item_id, Verdict(v.verdict) if v.verdict else None, v.comment,
                                   v.reviewer or "", on)
        return out

    def save(self, item_id: str, verdict: Verdict | None, comment: str) -> None:
        """Save in the register based on the version last seen; VerdictConflict leaves
        ``values`` at the other auditor's value."""
        from register.errors import VerdictConflict
        from register.verdicts import set_verdict

        seen = self.values.get(item_id)
        with self._open() as reg:
            try:
                _before, after = set_verdict(reg, self.submission_id, item_id, verdict, comment,
                                             expected_version=seen.version if seen else None)
            except VerdictConflict as conflict:
                self.values[item_id] = conflict.theirs
                raise
        self.values[item_id] = after
