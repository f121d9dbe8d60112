"""Workspace benchmarks: open, status, attach, backup and integrity check at scale.

A questionnaire scaled to 1,000 items and a workspace holding 3,000 evidence files
(``--quick``: 200 items, 300 files), each figure next to a baseline measured in the
same run on the same data:

* open: ``Workspace.open`` (Argon2id at the floor, so the figure is the data, not the
  KDF) vs. loading the same rows, unencrypted, from a plain SQLite file into dicts;
  a second row shows the real default KDF (256 MiB, 3 passes) for what a user waits;
* template: loading and validating the 1,000-item questionnaire vs. ``yaml.safe_load``;
* status: ``Workspace.assess`` vs. a minimal count over plain dicts;
* attach: ``add_evidence`` of one large file vs. ``age -r`` encrypting the same file,
  plus our peak memory (streaming: it must stay flat);
* backup: the snapshot taken on close vs. copying the database file;
* check: ``check_workspace`` (decrypts and hashes every blob) vs. reading and hashing
  the same blob files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import shutil
import sqlite3
import subprocess
import tempfile
import time
from pathlib import Path

import yaml

from .harness import ROOT, Row, best_of, run_child

PASSPHRASE = "benchmark passphrase"
KINDS = ["status", "status", "status", "text", "date", "single", "multi", "number"]


def scaled_template(n_items: int) -> str:
    """A valid template with n_items items in 10 sections, every kind, conditions, evidence."""
    sections = []
    per = n_items // 10
    for s in range(10):
        sid = "S" + "ABCDEFGHIJ"[s] * 2
        items = []
        for i in range(per):
            kind = KINDS[i % len(KINDS)]
            item = {"id": f"{sid}-{i + 1:03d}", "kind": kind, "source": f"契約書 第{s + 1}条{i + 1}項",
                    "text": {"ja": f"第{s + 1}章 質問{i + 1}：個人情報の管理措置を講じていますか。",
                             "en": f"Chapter {s + 1} question {i + 1}: are measures in place?"}}
            if kind == "status":
                item["expected"] = ["yes"]
                item["evidence"] = {"kinds": ["certificate", "policy"],
                                    "hint": {"ja": "規程の写し", "en": "A copy of the policy"}}
            if kind in ("single", "multi"):
                item["choices"] = [{"value": v, "label": {"ja": v.upper(), "en": v}} for v in ("a", "b", "c")]
            if kind == "number":
                item["number"] = {"min": 0, "max": 10000, "integer": True}
            if kind == "text" and i > 0:
                item["required"] = False
                item["required_if"] = {"item": f"{sid}-{i:03d}", "equals": "no"} if KINDS[
                    (i - 1) % len(KINDS)] == "status" else None
                if item["required_if"] is None:
                    del item["required_if"]
            items.append(item)
        title = {"ja": f"第{s + 1}章", "en": f"Chapter {s + 1}"}
        sections.append({"id": sid, "title": title, "items": items})
    doc = {"schema": "ccus-attest/template/v1", "id": "bench-scaled", "version": "1.0",
           "title": {"ja": "ベンチマーク用調査票", "en": "Benchmark survey"},
           "evidence_kinds": [{"id": "certificate", "label": {"ja": "認証登録証", "en": "Certificate"}},
                              {"id": "policy", "label": {"ja": "規程", "en": "Policy"}}],
           "sections": sections}
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def _answer_for(item, rng: random.Random):
    from questionnaire import AnswerKind

    match item.kind:
        case AnswerKind.STATUS:
            return {"value": "yes"} if rng.random() < 0.8 else {"value": "partial", "note": "是正計画：来期"}
        case AnswerKind.TEXT:
            return "回答テキスト " * rng.randint(1, 5)
        case AnswerKind.DATE:
            return "2026-04-01"
        case AnswerKind.SINGLE:
            return "a"
        case AnswerKind.MULTI:
            return ["a", "c"]
        case AnswerKind.NUMBER:
            return rng.randint(0, 10000)
    raise AssertionError(item.kind)


def build(folder: Path, n_items: int, n_evidence: int, kdf) -> tuple[Path, Path]:
    """The workspace, and a plain SQLite file holding the same rows unencrypted."""
    from questionnaire import load_template_text
    from storage import EvidenceMeta, Workspace

    rng = random.Random(1000)
    template = load_template_text(scaled_template(n_items), "bench.yaml")
    ws_path = folder / "ws"
    ws = Workspace.create(ws_path, PASSPHRASE, vendor="ベンチマーク株式会社", template=template, kdf=kdf)
    ws.set_answers({item.id: _answer_for(item, rng) for item in template.items})
    src_dir = folder / "src"
    src_dir.mkdir()
    items = [i for i in template.items if i.evidence] or list(template.items)
    for n in range(n_evidence):
        src = src_dir / f"証跡-{n:05d}.pdf"
        src.write_bytes(rng.randbytes(rng.randint(2_000, 8_000)))
        ws.add_evidence(items[n % len(items)].id, src, EvidenceMeta(
            rng.choice(["certificate", "policy"]), title=f"証跡 {n}", issuer="審査機関",
            expires=dt.date(2027, 3, 31) if n % 3 else None))
        src.unlink()
    plain = folder / "plain.db"
    con = sqlite3.connect(plain)
    con.execute("CREATE TABLE answer (item_id TEXT PRIMARY KEY, data TEXT)")
    con.execute("CREATE TABLE evidence (id TEXT PRIMARY KEY, item_id TEXT, blob_id TEXT, data TEXT)")
    con.executemany("INSERT INTO answer VALUES (?, ?)",
                    [(k, json.dumps(a.as_dict(), ensure_ascii=False)) for k, a in ws.answers().items()])
    con.executemany("INSERT INTO evidence VALUES (?, ?, ?, ?)",
                    [(e.id, e.item_id, ws.blob_id_of(e.id), json.dumps(e.as_dict(), ensure_ascii=False))
                     for e in ws.evidence()])
    con.commit()
    con.close()
    ws.close()
    return ws_path, plain


def load_plain(plain: Path) -> tuple[dict, dict]:
    con = sqlite3.connect(plain)
    answers = {k: json.loads(v) for k, v in con.execute("SELECT item_id, data FROM answer")}
    evidence = {k: json.loads(v) for k, v in con.execute("SELECT id, data FROM evidence")}
    con.close()
    return answers, evidence


def naive_status(template, answers: dict, evidence: list) -> dict:
    """The minimal computation: required items answered, evidence present, per section."""
    by_item: dict[str, int] = {}
    for e in evidence:
        by_item[e.item_id] = by_item.get(e.item_id, 0) + 1
    out = {}
    for s in template.sections:
        done = sum(1 for i in s.items if i.id in answers and (not i.evidence or by_item.get(i.id)))
        out[s.id] = (done, len(s.items))
    return out


def run(quick: bool) -> list[Row]:
    from questionnaire import load_template_text
    from storage import KdfParams, Workspace
    from storage import backups as bk
    from storage.integrity import check_workspace

    n_items, n_evidence = (200, 300) if quick else (1000, 3000)
    big_mib = 32 if quick else 256
    fast = KdfParams(memory_kib=8 * 1024, iterations=1, lanes=1)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bench-ws-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        ws_path, plain = build(folder, n_items, n_evidence, fast)
        setup = time.perf_counter() - t0
        scale = f"{n_items} items, {n_evidence} evidence files"

        def open_close():
            Workspace.open(ws_path, PASSPHRASE).close()

        rows.append(Row(f"open + close workspace ({scale})", best_of(open_close, 5),
                        best_of(lambda: load_plain(plain), 5), "same rows from plain SQLite into dicts",
                        note=f"Argon2id at the floor (8 MiB) to time the data; setup took {setup:.0f} s"))

        text = scaled_template(n_items)
        fastest = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        template_s = best_of(lambda: load_template_text(text, "t.yaml"), 5)
        rows.append(Row(f"load + validate template ({n_items} items)", template_s,
                        best_of(lambda: yaml.load(text, Loader=fastest), 5),  # noqa: S506
                        "PyYAML's fastest plain parse (LibYAML) of the same text",
                        note="ours also refuses aliases, validates the JSON Schema and cross-references"))
        rows[0].note += f"; {template_s:.2f} s of it is loading the questionnaire (next row)"
        from .bench_checklist import scaled_template_text

        text11 = scaled_template_text(n_items)  # the default template's own items, cycled
        rows.append(Row(f"load + validate template v1.1 ({n_items} items with their basis)",
                        best_of(lambda: load_template_text(text11, "t.yaml"), 5),
                        best_of(lambda: yaml.load(text11, Loader=fastest), 5),  # noqa: S506
                        "PyYAML's fastest plain parse (LibYAML) of the same text",
                        note="the default template's items: every basis reference is also checked "
                             "against the contract, APPI and standards tables and rendered"))

        with Workspace.open(ws_path, PASSPHRASE) as ws:
            answers = {k: a for k, a in ws.answers().items()}
            infos = ws.evidence()
            rows.append(Row(f"status / completeness ({scale})", best_of(ws.assess, 5),
                            best_of(lambda: naive_status(ws.template, answers, infos), 5),
                            "minimal count over plain dicts",
                            note="ours also evaluates conditions, notes, expiry and lists every problem"))
            raw = ws._engine.raw_connection()
            backup_dir = folder / "bk"
            backup_dir.mkdir()
            try:
                ours = best_of(lambda: bk.snapshot(raw.driver_connection, backup_dir, "auto", 0), 3)
            finally:
                raw.close()
        copy_to = folder / "copy.db"
        db_mib = (ws_path / "attest.db").stat().st_size / (1 << 20)
        rows.append(Row(f"backup snapshot ({db_mib:.1f} MiB database)", ours,
                        best_of(lambda: shutil.copyfile(ws_path / "attest.db", copy_to), 3),
                        "copying the database file", note="ours: SQLite online backup API + fsync"))

        blob_files = sorted((ws_path / "blobs").glob("*/*.age"))

        def hash_blobs():
            for p in blob_files:
                hashlib.sha256(p.read_bytes()).hexdigest()

        rows.append(Row(f"integrity check ({scale})",
                        best_of(lambda: check_workspace(ws_path, PASSPHRASE), 3), best_of(hash_blobs, 3),
                        "reading + SHA-256 of the same blob files",
                        note="ours decrypts every blob, checks every record, the log and the backups"))

        # A user's real unlock: the default Argon2id parameters.
        real = folder / "real"
        Workspace.create(real, PASSPHRASE, template=load_template_text(text, "t.yaml")).close()
        rows.append(Row("open workspace, default Argon2id (256 MiB, 3 passes)",
                        best_of(lambda: Workspace.open(real, PASSPHRASE).close(), 3),
                        best_of(lambda: load_plain(plain), 5), "same rows from plain SQLite into dicts",
                        note="the memory-hard KDF dominates by design"))

        rows.append(_attach_row(folder, big_mib, fast))
    return rows


def _attach_row(folder: Path, mib: int, fast) -> Row:
    from storage import Workspace
    from storage.blobstore import BlobStore

    big = folder / "big.bin"
    with open(big, "wb") as fh:
        chunk = os.urandom(1 << 20)
        for i in range(mib):
            fh.write(chunk[i:] + chunk[:i])
    ws_path = folder / "attach-ws"
    Workspace.create(ws_path, PASSPHRASE, template=None, kdf=fast).close()
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
        "from storage import Workspace, EvidenceMeta\n"
        "import time\n"
        f"with Workspace.open({str(ws_path)!r}, {PASSPHRASE!r}) as ws:\n"
        "    t0 = time.perf_counter()\n"
        f"    info = ws.add_evidence('CERT-03', {str(big)!r}, EvidenceMeta('certificate'))\n"
        "    print(time.perf_counter() - t0)\n"
        "    ws.remove_evidence(info.id)\n"
    )
    times, peaks = [], []
    for _ in range(3):
        _elapsed, peak, out = run_child(code)
        times.append(float(out.strip().splitlines()[-1]))
        peaks.append(peak)
    ours = sorted(times)[1]
    recipient = BlobStore.new_identity()
    import pyrage

    pub = str(pyrage.x25519.Identity.from_str(recipient).to_public())
    if shutil.which("age"):
        out = folder / "big.age"
        argv = ["age", "-r", pub, "-o", str(out), str(big)]
        baseline = best_of(lambda: subprocess.run(argv, check=True), 3)
        base_note = "age -r on the same file"
    else:
        baseline, base_note = None, "age not installed"
    return Row(f"attach a {mib} MiB file", ours, baseline, base_note, peak_mib=max(peaks), target_mib=200,
               note="ours also computes SHA-256 and the HMAC name, fsyncs, and commits; "
                    f"{mib / ours:.0f} MiB/s")
