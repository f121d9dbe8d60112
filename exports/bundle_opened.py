"""An opened bundle folder, read for the auditor: judged against the auditor's own template.

``open`` (CLI and desktop) verifies a bundle and extracts it; the checklist, the report and
the desktop's read-only view are then made from the folder. They read answers.json against
the app's own copy of the template version it names — never the folder's template.yaml,
which is the vendor's — and refuse texts past the limits, invalid answers and unsafe names
as verification does (questionnaire/submission_rules.py), so every renderer works on
bounded input even when the folder was edited after it was opened.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from pathlib import Path

from questionnaire.official_templates import (
    JudgingTemplate,
    judging_template,
    load_supplied_templates,
    official_templates,
)
from questionnaire.submission import (
    ANSWERS_FILE,
    MAX_ANSWERS_BYTES,
    Submission,
    SubmissionError,
    from_document,
)
from questionnaire.submission_rules import first_breaches, limit_breaches, name_breaches, value_breaches
from questionnaire.template import Template


def load_opened_submission(folder: str | Path, *, templates: Sequence[str | Path | Template] = (),
                           signer_key_id: str | None = None) -> tuple[Submission, JudgingTemplate]:
    """The submission of an opened bundle folder and the template it is judged against.
    ``templates``: files the auditor accepts for versions the app does not ship."""
    folder = Path(folder)
    path = folder / ANSWERS_FILE
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_ANSWERS_BYTES + 1)
    except FileNotFoundError:
        raise SubmissionError(f"{folder} is not an opened submission: {ANSWERS_FILE} is missing") from None
    except OSError as exc:
        raise SubmissionError(f"{folder}: cannot read the submission ({exc.strerror or exc})") from None
    if len(raw) > MAX_ANSWERS_BYTES:
        raise SubmissionError(f"{ANSWERS_FILE}: too large")
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError) as exc:
        raise SubmissionError(f"{ANSWERS_FILE}: not valid JSON ({str(exc)[:200]})") from None
    named = doc.get("template") if isinstance(doc, dict) else None
    if not isinstance(named, dict) or not all(isinstance(named.get(k), str) for k in ("id", "version")):
        raise SubmissionError(f"{ANSWERS_FILE}: names no template")
    judging = judging_template(named["id"], named["version"], load_supplied_templates(templates))
    if judging is None:
        raise SubmissionError(f"{ANSWERS_FILE} is for template {named['id'][:64]} {named['version'][:32]}, "
                              f"which this app does not ship ({official_templates().describe()}); supply the "
                              "template file you trust with --template FILE")
    # Read against the auditor's copy of that version (official-template names any difference
    # when the bundle is verified).
    doc = {**doc, "template": {**named, "sha256": judging.template.digest}}
    sub = from_document(doc, judging.template, signer_key_id=signer_key_id)
    found = limit_breaches(sub) + value_breaches(sub) + name_breaches(sub)
    if found:
        raise SubmissionError(f"{ANSWERS_FILE}: {first_breaches(found, 1)}")
    if not judging.official:
        sub = dataclasses.replace(sub, unofficial_template=judging.source)
    return _with_actions(folder, sub), judging


def _with_actions(folder: Path, sub: Submission) -> Submission:
    """The folder's corrective-actions.json, read as strictly as verification reads it."""
    from dataclasses import replace

    from questionnaire.corrective import ACTIONS_FILE
    from questionnaire.corrective import from_document as actions_from

    path = folder / ACTIONS_FILE
    if not path.is_file():
        return sub
    with open(path, "rb") as fh:
        raw = fh.read((32 << 20) + 1)
    if len(raw) > 32 << 20:
        raise SubmissionError(f"{ACTIONS_FILE}: too large")
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError) as exc:
        raise SubmissionError(f"{ACTIONS_FILE}: not valid JSON ({str(exc)[:200]})") from None
    return replace(sub, corrective_actions=actions_from(doc, sub.template, [e.id for e in sub.evidence]))
