"""Hostile input: property-based tests and a corpus of broken files for every parser of
outside data this layer has: templates, answers to import, answers.json of a submission,
passphrase files, and a workspace whose database or blobs were tampered with.

The rule everywhere: only the documented clear errors (AttestError subclasses) escape;
nothing hangs (a watchdog ends the run with tracebacks if anything does; hypothesis
deadlines flag pathological slowness); nothing is written outside the target folder.
Bundles, the review workbook and key files: tests/test_hostile_bundles.py,
test_hostile_review.py, test_hostile_keys.py (shared pieces in tests/hostile_support.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import uuid
from pathlib import Path

import pytest
import yaml
from hypothesis import assume, given
from hypothesis import strategies as st

from cli.passphrase import MAX_PASSPHRASE_FILE, PassphraseUnavailable, read_passphrase_file
from questionnaire import (
    Answer,
    EvidenceInfo,
    Template,
    TemplateError,
    load_template_file,
    load_template_text,
)
from questionnaire.completeness import assess
from questionnaire.errors import AttestError
from questionnaire.submission import Submission, SubmissionError, from_document, load_submission_dir
from storage import EvidenceMeta, Workspace
from storage.integrity import check_workspace

from .conftest import FAST_KDF, FIXTURES, PASSPHRASE
from .hostile_support import FAST, SLOW, json_values, mutations_of, run_main, sandbox, watchdog

HOSTILE = FIXTURES / "hostile"
MINI = FIXTURES / "templates" / "mini.yaml"
__all__ = ["sandbox", "watchdog"]  # fixtures, used by name

# --- templates ---------------------------------------------------------------------------


EXPECTED_TO_LOAD = {"yaml11-booleans.yaml"}  # "yes" stays the string "yes" (YAML 1.2 booleans)


@pytest.mark.parametrize("path", sorted((HOSTILE / "templates").iterdir()), ids=lambda p: p.name)
def test_template_corpus(sandbox, path):
    if path.name in EXPECTED_TO_LOAD:
        t = load_template_file(path)
        assert t.item("AGR-01").expected == ("yes",)
        return
    with pytest.raises(TemplateError) as err:
        load_template_file(path)
    assert path.name in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize("text", [
    "".join("  " * i + "-\n" for i in range(2500)),        # deep block nesting
    "a: " + "{b: " * 3000 + "1" + "}" * 3000,                # deep flow mappings
    "schema: ccus-attest/template/v1\nid: " + "x" * (3 << 20),  # over the size cap
    MINI.read_text("utf-8").replace("sections:", "sections: &s") + "\nx: *s\n",  # an alias
], ids=["deep-block", "deep-flow-mapping", "too-large", "alias"])
def test_generated_hostile_templates(sandbox, text):
    with pytest.raises(TemplateError):
        load_template_text(text, "hostile.yaml")


def test_fast_yaml_parser_reads_templates_like_the_pure_python_one():
    """Templates are parsed with LibYAML for speed; it must read them exactly as PyYAML's
    pure-Python parser with the same rules (YAML 1.2 booleans) does, and refuse aliases."""
    from questionnaire.template import _StrictLoader

    class Pure(yaml.SafeLoader):
        pass

    Pure.yaml_implicit_resolvers = _StrictLoader.yaml_implicit_resolvers
    for path in [MINI, HOSTILE / "templates" / "yaml11-booleans.yaml",
                 Path(__file__).parent.parent / "questionnaire" / "templates" / "ccus-survey-v1.yaml"]:
        text = path.read_text("utf-8")
        assert yaml.load(text, Loader=_StrictLoader) == yaml.load(text, Loader=Pure), path.name  # noqa: S506
    with pytest.raises(TemplateError, match="aliases"):
        load_template_text("a: &x 1\nb: *x\n")


def _loads_or_refuses(text: str) -> Template | None:
    try:
        template = load_template_text(text, "fuzz.yaml")
    except TemplateError as exc:
        assert "\n" not in str(exc) or "fuzz.yaml" in str(exc)
        return None
    assess(template, {}, [])  # a template that loads must be usable
    return template


@FAST
@given(text=st.text(max_size=400))
def test_any_text_as_template(sandbox, text):
    _loads_or_refuses(text)


@FAST
@given(data=st.data())
def test_edited_template_text(sandbox, data):
    text = MINI.read_text("utf-8")
    for _ in range(data.draw(st.integers(1, 5))):
        i = data.draw(st.integers(0, len(text)))
        j = data.draw(st.integers(i, min(len(text), i + 40)))
        text = text[:i] + data.draw(st.sampled_from(["", "-", ":", " ", "\n", "[", "{", "&a", "*a", "!!",
                                                    "'", '"', "#", "\t", "yes", "AGR-01"])) + text[j:]
    _loads_or_refuses(text)


MINI_DATA = yaml.safe_load(MINI.read_text("utf-8"))


@FAST
@given(doc=mutations_of(MINI_DATA))
def test_structurally_mutated_template(sandbox, doc):
    _loads_or_refuses(yaml.safe_dump(doc, allow_unicode=True))


# --- answers imported into a workspace ------------------------------------------------------


@pytest.fixture
def closed_ws(tmp_path, mini_template, monkeypatch):
    path = tmp_path / "target" / "ws"
    path.parent.mkdir(exist_ok=True)
    Workspace.create(path, PASSPHRASE, template=mini_template, kdf=FAST_KDF).close()
    monkeypatch.setenv("CCUS_ATTEST_PASSPHRASE", PASSPHRASE)
    return path


def _answers_of(path: Path) -> dict:
    with Workspace.open(path, PASSPHRASE) as ws:
        return {k: (a.value, a.note) for k, a in ws.answers().items()}


@pytest.mark.parametrize("path", sorted((HOSTILE / "answers").iterdir()), ids=lambda p: p.name)
def test_import_answers_corpus(sandbox, closed_ws, path):
    before = _answers_of(closed_ws)
    code, _out, err = run_main("import-answers", str(closed_ws), str(path))
    if path.name == "duplicate-keys.json":  # JSON's rule: the last one wins
        assert code == 0 and _answers_of(closed_ws)["AGR-01"] == ("no", None)
        return
    assert code == 1, (code, err)
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert _answers_of(closed_ws) == before  # all or nothing


@SLOW
@given(data=st.dictionaries(st.sampled_from(["AGR-01", "CERT-01", "CERT-02", "CERT-03", "TEC-01",
                                             "TEC-03", "TEC-05", "NOPE-1", ""]), json_values, max_size=5))
def test_import_answers_any_json(sandbox, closed_ws, data):
    f = sandbox / "answers.json"
    f.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8", errors="surrogatepass")
    before = _answers_of(closed_ws)
    code, _out, err = run_main("import-answers", str(closed_ws), str(f))
    assert code in (0, 1), err
    if code == 1:
        assert len(err.strip().splitlines()) == 1
        assert _answers_of(closed_ws) == before


@pytest.fixture
def open_ws(mini_ws):
    return mini_ws


@FAST
@given(updates=st.dictionaries(
    st.text(max_size=8) | st.sampled_from(["AGR-01", "TEC-01", "TEC-03", "TEC-05"]),
    json_values | st.fixed_dictionaries({"value": json_values, "note": json_values}), max_size=4))
def test_set_answers_any_values(open_ws, updates):
    before = (open_ws.answers(), len(open_ws.activity()))
    try:
        open_ws.set_answers(updates)
    except AttestError as exc:
        assert "\n" not in str(exc)
        assert (open_ws.answers(), len(open_ws.activity())) == before
    for item_id, answer in open_ws.answers().items():  # what was stored is valid for its item
        from questionnaire.answers import is_valid_stored

        assert is_valid_stored(open_ws.template.item(item_id), answer.value)


# --- answers.json of a submission -----------------------------------------------------------


def _submission_dir(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "template.yaml").write_text(MINI.read_text("utf-8"), encoding="utf-8")
    (folder / "answers.json").write_text(text, encoding="utf-8", errors="surrogatepass")
    return folder


def _corpus_text(path: Path) -> str | bytes:
    data = path.read_bytes()
    digest = load_template_file(MINI).digest
    try:
        return data.decode("utf-8").replace("{{TEMPLATE_SHA256}}", digest)
    except UnicodeDecodeError:
        return data


@pytest.mark.parametrize("path", sorted((HOSTILE / "submissions").iterdir()), ids=lambda p: p.name)
def test_submission_corpus(sandbox, path):
    folder = sandbox / path.stem
    text = _corpus_text(path)
    if isinstance(text, bytes):
        _submission_dir(folder, "")
        (folder / "answers.json").write_bytes(text)
    else:
        _submission_dir(folder, text)
    if path.name == "valid.json":
        sub = load_submission_dir(folder)
        assert sub.evidence_path(sub.evidence[0]) == "evidence/CERT-02/ISMS登録証.pdf"
        return
    with pytest.raises(SubmissionError) as err:
        load_submission_dir(folder)
    assert "\n" not in str(err.value)


def _valid_document(template: Template) -> dict:
    infos = (EvidenceInfo(id="e1" * 16, item_id="CERT-02", kind="certificate", filename="ISMS登録証.pdf",
                          size=1234, sha256="ab" * 32, expires=dt.date(2027, 3, 31)),
             EvidenceInfo(id="e2" * 16, item_id="TEC-04", kind="policy", filename="報告書.pdf", size=9,
                          sha256="cd" * 32))
    sub = Submission(template=template, vendor="テスト株式会社",
                     answers={"AGR-01": Answer("yes"), "TEC-03": Answer(30), "TEC-04": Answer("no", "来期")},
                     evidence=infos, submission_id="s-1", created_at="2026-11-25T00:00:00.000Z")
    return sub.to_document()


MINI_TEMPLATE = load_template_file(MINI)
VALID_DOC = _valid_document(MINI_TEMPLATE)


def _check_accepted(sub: Submission) -> None:
    for info in sub.evidence:
        parts = sub.evidence_path(info).split("/")
        assert len(parts) == 3 and parts[0] == "evidence" and ".." not in parts, parts
    sub.assess(dt.date(2026, 11, 25))  # checklist/report compute this: it must not crash


@FAST
@given(doc=mutations_of(VALID_DOC))
def test_mutated_answers_json(doc):
    try:
        sub = from_document(doc, MINI_TEMPLATE)
    except SubmissionError as exc:
        assert "\n" not in str(exc)
        return
    _check_accepted(sub)


@FAST
@given(doc=json_values)
def test_any_json_as_answers_json(doc):
    with contextlib.suppress(SubmissionError):
        _check_accepted(from_document(doc, MINI_TEMPLATE))


# --- passphrase files --------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted((HOSTILE / "passphrases").iterdir()), ids=lambda p: p.name)
def test_passphrase_file_corpus(sandbox, closed_ws, monkeypatch, path):
    monkeypatch.delenv("CCUS_ATTEST_PASSPHRASE")
    code, _out, err = run_main("status", str(closed_ws), "--passphrase-file", str(path))
    if path.name == "crlf.txt":  # a Windows editor's line ending is not part of the passphrase
        assert code == 0, err
        return
    assert code == 1 and len(err.strip().splitlines()) == 1, (code, err)


def test_passphrase_file_too_large_or_not_a_file(sandbox, closed_ws, monkeypatch):
    monkeypatch.delenv("CCUS_ATTEST_PASSPHRASE")
    big = sandbox / "big.txt"
    big.write_bytes(b"x" * (MAX_PASSPHRASE_FILE + 1))
    for arg in (big, sandbox, sandbox / "missing.txt"):
        code, _out, err = run_main("status", str(closed_ws), "--passphrase-file", str(arg))
        assert code == 1 and len(err.strip().splitlines()) == 1, err


@FAST
@given(raw=st.binary(max_size=5000))
def test_any_bytes_as_passphrase_file(sandbox, raw):
    f = sandbox / "pass.txt"
    f.write_bytes(raw)
    try:
        value = read_passphrase_file(f)
    except PassphraseUnavailable as exc:
        assert "\n" not in str(exc)
        return
    assert value and "\n" not in value and len(value.encode()) <= MAX_PASSPHRASE_FILE


# --- a tampered workspace --------------------------------------------------------------------


@pytest.fixture(scope="module")
def pristine(tmp_path_factory, mini_template):
    """A closed workspace with answers, notes, two evidence files, a vendor, backups; and
    everything a user can see in it, to compare against."""
    root = tmp_path_factory.mktemp("pristine")
    ws = Workspace.create(root / "ws", PASSPHRASE, vendor="元のベンダー", template=mini_template,
                          kdf=FAST_KDF)
    ws.set_answers({"AGR-01": "はい", "CERT-01": "isms", "CERT-02": "IS 778899", "TEC-03": 30,
                    "TEC-04": {"value": "一部", "note": "是正計画あり"}})
    for name, content, item in (("登録証.pdf", b"%PDF cert " * 500, "CERT-02"),
                                ("報告書.pdf", os.urandom(70_000), "TEC-04")):
        (root / name).write_bytes(content)
        ws.add_evidence(item, root / name, EvidenceMeta("certificate", expires=dt.date(2027, 3, 31)))
    ws.close()
    return root / "ws", _visible_state(root / "ws")


def _visible_state(path: Path) -> dict:
    """Everything the app shows of a workspace; raises AttestError if any of it is damaged."""
    with Workspace.open(path, PASSPHRASE) as ws:
        contents = {}
        for e in ws.evidence():
            sink = hashlib.sha256()

            class W:
                def write(self, b, sink=sink):
                    sink.update(b)
                    return len(b)

            ws.read_evidence(e.id, W())
            contents[e.id] = sink.hexdigest()
        state = {
            "vendor": ws.vendor, "template": ws.template.digest,
            "answers": {k: (a.value, a.note) for k, a in ws.answers().items()},
            "evidence": [e.as_dict() for e in ws.evidence()], "contents": contents,
            "activity": [e.as_dict() for e in ws.activity()],
            "status": ws.assess(dt.date(2026, 11, 25)).as_dict(),
        }
        problems = ws.verify_activity()
    if problems:
        raise AttestError(problems[0])
    return state


def _interesting_offsets(db: Path) -> list[int]:
    """Byte offsets inside sealed records, plain columns and SQLite structures."""
    import sqlite3

    data = db.read_bytes()
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    values: list[bytes] = []
    for table, cols in (("answer", "item_id, sealed"), ("evidence", "id, item_id, blob_id, sealed"),
                        ("activity", "sealed"), ("keyslot", "kdf_params, salt, wrapped_key"),
                        ("workspace", "profile_sealed, log_head_sealed, blob_identity_sealed")):
        for row in con.execute(f"SELECT {cols} FROM {table}"):  # noqa: S608 - fixed names
            values += [v if isinstance(v, bytes) else str(v).encode() for v in row]
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    con.close()
    offsets = list(range(0, 100))  # the SQLite header
    offsets += [p * page_size + k for p in range(1, len(data) // page_size) for k in range(0, 12)]
    for v in values:
        at = data.find(v)
        if at >= 0:
            offsets += [at, at + len(v) // 2, at + len(v) - 1]
    return sorted({o for o in offsets if o < len(data)})


def _tampered_outcome(path: Path, expected: dict) -> str:
    """Open, read everything and check; only AttestError may escape, and a change that
    nothing reports must not have changed anything the user sees."""
    try:
        state = _visible_state(path)
    except AttestError:
        state = None
    try:
        report = check_workspace(path, PASSPHRASE)
    except AttestError:
        return "refused"
    if state is None:
        assert not report.ok, "the app saw damage the integrity check missed"
        return "detected"
    if not report.ok:
        return "detected by check"
    assert state == expected, "an undetected change altered what the user sees"
    return "harmless"


@SLOW
@given(data=st.data())
def test_flipped_bytes_in_the_database(pristine, tmp_path, data):
    source, expected = pristine
    target = tmp_path / f"ws-{uuid.uuid4().hex}"
    shutil.copytree(source, target)
    db = target / "attest.db"
    raw = bytearray(db.read_bytes())
    offsets = _interesting_offsets(db)
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.sampled_from(offsets) | st.integers(0, len(raw) - 1))
        raw[at] ^= data.draw(st.integers(1, 255))
    db.write_bytes(bytes(raw))
    _tampered_outcome(target, expected)
    shutil.rmtree(target)


@SLOW
@given(cut=st.floats(0, 1, exclude_max=True))
def test_truncated_database(pristine, tmp_path, cut):
    source, expected = pristine
    target = tmp_path / f"ws-{uuid.uuid4().hex}"
    shutil.copytree(source, target)
    db = target / "attest.db"
    data = db.read_bytes()
    kept = data[: int(len(data) * cut)]
    db.write_bytes(kept)
    outcome = _tampered_outcome(target, expected)  # asserts "undetected => unchanged"
    if outcome == "harmless":  # only zeros were cut (SQLite reads a short page as zero-filled)
        assert not data[len(kept):].strip(b"\x00"), "a truncation lost data unnoticed"
    shutil.rmtree(target)


@SLOW
@given(data=st.data())
def test_tampered_blobs(pristine, tmp_path, data):
    source, expected = pristine
    target = tmp_path / f"ws-{uuid.uuid4().hex}"
    shutil.copytree(source, target)
    blob = data.draw(st.sampled_from(sorted((target / "blobs").glob("*/*.age"))))
    raw = bytearray(blob.read_bytes())
    how = data.draw(st.sampled_from(["flip", "truncate", "append", "empty"]))
    if how == "flip":
        raw[data.draw(st.integers(0, len(raw) - 1))] ^= data.draw(st.integers(1, 255))
    elif how == "truncate":
        raw = raw[: data.draw(st.integers(0, len(raw) - 1))]
    elif how == "append":
        raw += data.draw(st.binary(min_size=1, max_size=100))
    else:
        raw = bytearray()
    blob.write_bytes(bytes(raw))
    assume(blob.read_bytes() != (source / blob.relative_to(target)).read_bytes())
    outcome = _tampered_outcome(target, expected)
    assert outcome == "detected", outcome  # age authenticates every byte of a blob
    report = check_workspace(target, PASSPHRASE)
    assert {f.code for f in report.damage} == {"evidence-damaged"}
    shutil.rmtree(target)


def test_a_hostile_template_in_the_database_is_refused(pristine, tmp_path):
    """The stored questionnaire text is a plain column: replacing it with a hostile one
    gives a clear error (it is not the text whose digest the profile sealed)."""
    import sqlite3

    source, _expected = pristine
    target = tmp_path / "ws"
    shutil.copytree(source, target)
    for text in ((HOSTILE / "templates" / "aliases.yaml").read_text(), "[" * 50000,
                 MINI.read_text("utf-8").replace("テスト用調査票", "改ざんされた調査票")):
        con = sqlite3.connect(target / "attest.db")
        con.execute("UPDATE workspace SET template_text = ?", (text,))
        con.commit()
        con.close()
        with pytest.raises(AttestError):
            Workspace.open(target, PASSPHRASE)
        assert not check_workspace(target, PASSPHRASE).ok
