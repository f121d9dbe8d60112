"""The submission snapshot and answers.json: round trip, and strict reading of hostile documents."""

from __future__ import annotations

import copy
import json

import pytest

from questionnaire.submission import (
    ANSWERS_FILE,
    TEMPLATE_FILE,
    SubmissionError,
    from_document,
    load_submission_dir,
)
from storage import EvidenceMeta


@pytest.fixture
def sub(mini_ws, tmp_path):
    mini_ws.set_answers({"AGR-01": "はい", "CERT-01": "isms", "TEC-01": "own,overseas",
                         "TEC-03": 90, "TEC-04": {"value": "一部", "note": "計画中"}})
    for n, name in enumerate(["cert.pdf", "cert.pdf", "policy"]):
        f = tmp_path / f"src{n}"
        f.mkdir()
        (f / name).write_bytes(f"content {n}".encode())
        mini_ws.add_evidence("CERT-02" if n < 2 else "TEC-04", f / name,
                             EvidenceMeta("certificate" if n < 2 else "policy"))
    return mini_ws.submission("sub-1", "2026-11-25T00:00:00Z")


def test_round_trip_through_a_folder(sub, tmp_path):
    folder = tmp_path / "opened"
    folder.mkdir()
    (folder / ANSWERS_FILE).write_text(json.dumps(sub.to_document(), ensure_ascii=False), "utf-8")
    (folder / TEMPLATE_FILE).write_text(sub.template.source_text, "utf-8")
    again = load_submission_dir(folder, signer_key_id="ABCD")
    assert again.answers == sub.answers
    assert again.evidence == sub.evidence
    assert (again.vendor, again.submission_id, again.signer_key_id, again.origin) == (
        sub.vendor, "sub-1", "ABCD", "bundle")
    assert again.assess().as_dict() == sub.assess().as_dict()


def test_same_names_get_distinct_paths(sub):
    paths = [sub.evidence_path(e) for e in sub.evidence]
    assert paths == ["evidence/CERT-02/cert.pdf", "evidence/CERT-02/cert (2).pdf",
                     "evidence/TEC-04/policy"]


BREAKERS = {
    "format": lambda d: d.update(format="other"),
    "template": lambda d: d["template"].update(version="9"),
    "unknown item": lambda d: d["answers"].update({"ZZZ-01": {"value": "yes"}}),
    "value type": lambda d: d["answers"].update({"AGR-01": {"value": {"x": 1}}}),
    "bool value": lambda d: d["answers"].update({"AGR-01": {"value": True}}),
    "note type": lambda d: d["answers"].update({"AGR-01": {"value": "yes", "note": 3}}),
    "extra field": lambda d: d["answers"]["AGR-01"].update(eval="x"),
    "evidence list": lambda d: d.update(evidence={"a": 1}),
    "evidence entry": lambda d: d["evidence"][0].update(size="big"),
    "evidence hash": lambda d: d["evidence"][0].update(sha256="abc"),
    "evidence item": lambda d: d["evidence"][0].update(item_id="ZZZ-01"),
    "duplicate id": lambda d: d["evidence"][1].update(id=d["evidence"][0]["id"]),
    "path": lambda d: d["evidence"][0].update(path="../../etc/passwd"),
    "vendor": lambda d: d.update(vendor=["x"]),
}


@pytest.mark.parametrize("case", sorted(BREAKERS))
def test_hostile_documents_are_refused(sub, case):
    doc = copy.deepcopy(sub.to_document())
    BREAKERS[case](doc)
    with pytest.raises(SubmissionError, match="^answers.json: "):
        from_document(doc, sub.template)
    with pytest.raises(SubmissionError, match="^answers.json: "):
        from_document([doc], sub.template)


def test_missing_folder_parts(tmp_path):
    with pytest.raises(SubmissionError, match="template.yaml is missing"):
        load_submission_dir(tmp_path)
