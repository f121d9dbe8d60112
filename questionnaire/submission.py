"""A submission: everything a checklist, a report or a reviewer needs, from either side.

The vendor builds one from the open workspace; the auditor rebuilds the same thing
from ``answers.json`` and ``template.yaml`` of an opened bundle. ``answers.json`` is
outside data on the auditor's side, so ``from_document`` checks it strictly.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .answers import Answer
from .carryover import CarryMark
from .completeness import Assessment, assess
from .errors import AttestError
from .evidence import EvidenceInfo, is_safe_filename
from .template import Template, load_template_text
from .text import Text

ANSWERS_FORMAT = "ccus-attest/answers/v1"
ANSWERS_FILE = "answers.json"
TEMPLATE_FILE = "template.yaml"
MAX_ANSWERS_BYTES = 64 * 1024 * 1024
MAX_EVIDENCE_ENTRIES = 100_000


class SubmissionError(AttestError):
    """answers.json (or the folder holding it) is missing, malformed or inconsistent."""


@dataclass(frozen=True)
class Submission:
    template: Template
    vendor: str
    answers: dict[str, Answer]
    evidence: tuple[EvidenceInfo, ...]
    submission_id: str              # workspace ID for drafts; the bundle's own ID once exported
    created_at: str                 # ISO timestamp of the export (or of the snapshot)
    signer_key_id: str | None = None  # set when read from a verified bundle
    origin: str = "workspace"       # "workspace" | "bundle"
    extra: dict[str, Any] = field(default_factory=dict)
    # answers carried over from last year's workspace (questionnaire/carryover.py): an
    # unconfirmed one blocks, on both sides, so the vendor's and the auditor's checklists agree
    carried: dict[str, CarryMark] = field(default_factory=dict)
    # corrective actions (questionnaire/corrective.py): the vendor's workspace's, or the
    # bundle's corrective-actions.json as the auditor's app read and checked it
    corrective_actions: tuple[Any, ...] = ()
    # An opened bundle judged against a template file the auditor supplied (not one the app
    # ships): that file's path. Every output made from it says so (unofficial_notice).
    unofficial_template: str | None = None

    def unofficial_notice(self) -> Text | None:
        """The one wording of "judged against an unofficial template", for the CLI, the
        checklist, the report and the desktop; None when the template is the app's own."""
        if self.unofficial_template is None:
            return None
        t = self.template
        what = f"{t.id} {t.version}, SHA-256 {t.digest[:16]}…"
        return Text(
            f"非公式テンプレート: この内容は、本アプリが同梱する公式テンプレートではなく、監査人が指定した"
            f"ファイル {self.unofficial_template}（{t.id} 版 {t.version}、SHA-256 {t.digest[:16]}…）"
            "に照らして判定しています。",
            f"UNOFFICIAL TEMPLATE: judged against {self.unofficial_template} ({what}), which the auditor "
            "supplied; it is not a template this app ships.")

    def assess(self, on: dt.date | None = None) -> Assessment:
        return assess(self.template, self.answers, self.evidence, on, carried=self.carried)

    def evidence_path(self, info: EvidenceInfo) -> str:
        """Where the file sits inside a bundle: ``evidence/<ITEM_ID>/<file name>``.

        Two files of one item with the same name get ``name (2).ext`` and so on, in
        the order of ``self.evidence``.
        """
        return self._evidence_paths()[info.id]

    def _evidence_paths(self) -> dict[str, str]:
        cached = self.extra.get("_paths")
        if cached is None:
            cached, used = {}, set()
            for info in self.evidence:
                stem, dot, ext = info.filename.rpartition(".")
                if not dot or not stem:
                    stem, ext = info.filename, ""
                candidate, n = info.filename, 1
                while f"{info.item_id}/{candidate}".casefold() in used:
                    n += 1
                    candidate = f"{stem} ({n}).{ext}" if ext else f"{stem} ({n})"
                used.add(f"{info.item_id}/{candidate}".casefold())
                cached[info.id] = f"evidence/{info.item_id}/{candidate}"
            self.extra["_paths"] = cached
        return cached

    def to_document(self) -> dict[str, Any]:
        """The content of answers.json."""
        return {
            "format": ANSWERS_FORMAT,
            "submission_id": self.submission_id,
            "created_at": self.created_at,
            "vendor": self.vendor,
            "template": {"id": self.template.id, "version": self.template.version,
                         "sha256": self.template.digest},
            "answers": {k: {"value": a.value, "note": a.note, "updated_at": a.updated_at,
                            **self._carried_field(k)}
                        for k, a in sorted(self.answers.items())},
            "evidence": [{**e.as_dict(), "path": self.evidence_path(e)} for e in self.evidence],
        }


    def _carried_field(self, item_id: str) -> dict[str, Any]:
        """``"carried": {"confirmed": …, "changed_question": …}`` for a carried answer: what the
        outcome depends on. Last year's value itself stays in the vendor's workspace."""
        mark = self.carried.get(item_id)
        if mark is None:
            return {}
        return {"carried": {"confirmed": mark.confirmed, "changed_question": mark.changed_question}}


def _fail(problem: str) -> SubmissionError:
    return SubmissionError(f"{ANSWERS_FILE}: {problem}")


def _str(doc: dict, key: str, *, limit: int = 1000, optional: bool = False) -> str | None:
    value = doc.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str) or len(value) > limit:
        raise _fail(f"field {key!r} must be text of at most {limit} characters")
    return value


def from_document(doc: Any, template: Template, *, signer_key_id: str | None = None,
                  origin: str = "bundle") -> Submission:
    """Rebuild a Submission from answers.json; every field is checked, nothing is trusted."""
    if not isinstance(doc, dict) or doc.get("format") != ANSWERS_FORMAT:
        raise _fail(f"not a {ANSWERS_FORMAT} document")
    tpl = doc.get("template")
    if not isinstance(tpl, dict) or (tpl.get("id"), tpl.get("version"), tpl.get("sha256")) != (
        template.id, template.version, template.digest
    ):
        raise _fail("refers to a different template than the one supplied")
    answers_raw = doc.get("answers")
    if not isinstance(answers_raw, dict):
        raise _fail("'answers' must be an object")
    answers: dict[str, Answer] = {}
    carried: dict[str, CarryMark] = {}
    for item_id, raw in answers_raw.items():
        if not template.has_item(item_id):
            raise _fail(f"answer for unknown item {item_id!r}")
        if not isinstance(raw, dict) or set(raw) - {"value", "note", "updated_at", "carried"}:
            raise _fail(f"answer {item_id} is malformed")
        if "carried" in raw:
            mark = raw["carried"]
            if not (isinstance(mark, dict) and set(mark) == {"confirmed", "changed_question"}
                    and all(isinstance(v, bool) for v in mark.values())):
                raise _fail(f"answer {item_id} has a malformed 'carried' field")
            # the bundle says only whether it was confirmed: enough for the outcome
            carried[item_id] = CarryMark(None, None, mark["changed_question"],
                                         confirmed_at="confirmed" if mark["confirmed"] else None)
        value, note = raw.get("value"), raw.get("note")
        if not (value is None or (isinstance(value, (str, int, float)) and not isinstance(value, bool))
                or (isinstance(value, list) and all(isinstance(v, str) for v in value))):
            raise _fail(f"answer {item_id} has a value of an unexpected type")
        if note is not None and not isinstance(note, str):
            raise _fail(f"note of {item_id} must be text")
        updated = raw.get("updated_at")
        answers[item_id] = Answer(value, note, updated if isinstance(updated, str) else None)
    ev_raw = doc.get("evidence")
    if not isinstance(ev_raw, list) or len(ev_raw) > MAX_EVIDENCE_ENTRIES:
        raise _fail("'evidence' must be a list")
    evidence: list[EvidenceInfo] = []
    seen: set[str] = set()
    for i, raw in enumerate(ev_raw):
        try:
            info = EvidenceInfo.from_dict(raw)
            ok = (isinstance(info.id, str) and is_safe_filename(info.filename)
                  and isinstance(info.sha256, str) and len(info.sha256) == 64 and info.size >= 0
                  and template.has_item(info.item_id) and info.id not in seen)
        except (KeyError, TypeError, ValueError, AttributeError):
            ok = False
        if not ok:
            raise _fail(f"evidence entry {i + 1} is malformed")
        seen.add(info.id)
        evidence.append(info)
    sub = Submission(
        template=template, vendor=_str(doc, "vendor") or "", answers=answers,
        evidence=tuple(evidence), submission_id=_str(doc, "submission_id", limit=100),
        created_at=_str(doc, "created_at", limit=100), signer_key_id=signer_key_id, origin=origin,
        carried=carried,
    )
    for raw, info in zip(ev_raw, evidence, strict=True):
        if raw.get("path") != sub.evidence_path(info):
            raise _fail(f"evidence entry {info.id} has an unexpected path")
    return sub


def load_submission_dir(folder: str | Path, *, signer_key_id: str | None = None) -> Submission:
    """Read an opened bundle folder (answers.json + template.yaml). Verification is
    the bundle opener's job; this only parses, strictly and with size limits."""
    folder = Path(folder)
    try:
        with open(folder / TEMPLATE_FILE, "rb") as fh:
            template_text = fh.read(4 * 1024 * 1024).decode("utf-8")
        with open(folder / ANSWERS_FILE, "rb") as fh:
            raw = fh.read(MAX_ANSWERS_BYTES + 1)
    except FileNotFoundError as exc:
        raise SubmissionError(f"{folder} is not an opened submission: {Path(exc.filename).name} "
                              "is missing") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SubmissionError(f"{folder}: cannot read the submission ({exc})") from None
    if len(raw) > MAX_ANSWERS_BYTES:
        raise _fail("too large")
    try:
        doc = json.loads(raw)
    except (ValueError, RecursionError) as exc:  # also: nested too deeply, absurdly long numbers
        raise _fail(f"not valid JSON ({str(exc)[:200]})") from None
    template = load_template_text(template_text, TEMPLATE_FILE)
    return from_document(doc, template, signer_key_id=signer_key_id)
