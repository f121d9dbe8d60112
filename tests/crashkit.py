"""Crash-safety harness: run workspace operations in a child process, SIGKILL it at random
moments, then check that nothing reported as saved is lost and nothing is half-done.

The child (``python -m tests.crashkit WORKSPACE SCENARIO SEED SCRATCH``) opens the
workspace, runs a few operations, closes it, and starts over, until it is killed. It
prints one JSON line per event and flushes each, so the parent knows exactly what had
been reported as done when the kill came:

    {"ev": "opening"}   {"ev": "ready"}   {"ev": "start", "op": {...}}
    {"ev": "ok", "op": {...}, "result": {...}}   {"ev": "closing"}   {"ev": "closed"}

The parent (``CrashRun``) keeps a model of what must be in the workspace: everything
reported ``ok``, plus possibly the one operation that had started but not reported
(it may have committed just before the kill). After each kill it reopens the
workspace and checks: it opens with the passphrase (the old or the new one when a
passphrase change was in flight, never neither); the records equal the model with or
without the in-flight operation, never anything in between; every evidence file
decrypts and matches its SHA-256; the activity log chain holds; no temporary or
partial file is left where a user would see it; the integrity check finds no damage,
and after ``repair`` nothing at all. Outcomes are counted for the summary.

Extension points: a scenario is a ``_make_op`` / ``_run_op`` pair in the child plus
``Model.apply`` in the parent. The ``export`` scenario exports bundles (``export_bundle``)
between answer changes; its "ok" carries the bundle's file name and SHA-256, and
``CrashRun._check_exports`` checks the output folder after each kill: every bundle that
was reported, or that the activity log records, is there, unchanged and verifies with
the pinned key and the test identity; the one in flight is either complete or absent;
the only other thing the folder may hold is the hidden temporary file of the killed
export, which the next export into the folder removes (storage/fsutil.py).

``open`` is a scenario of its own (``OpenCrashRun``, no workspace): the child opens one
bundle into new or empty folders with ``open_bundle``; after each kill every reported
folder is complete and the one in flight is as it was (only a hidden staging folder
may be left, which the next open into it removes) or complete.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# The bundles are made with the mini test template, which the auditor's side judges only
# when it is accepted explicitly (an unofficial template).
MINI = (ROOT / "tests" / "fixtures" / "templates" / "mini.yaml",)
SCENARIOS = ("answer", "batch", "attach-small", "attach-large", "remove", "passphrase", "restore", "export",
             "open")

# Items of tests/fixtures/templates/mini.yaml and values already in their stored form,
# so the model can compare exactly.
_ITEMS = {
    "AGR-01": "status", "CERT-01": "single", "CERT-02": "text", "CERT-03": "date",
    "TEC-01": "multi", "TEC-02": "status", "TEC-03": "number", "TEC-04": "status", "TEC-05": "text",
}
_TEXT = ["登録番号", "認証", "是正計画", "多要素認証", "ログ", "保存", "abc", "XYZ", "0123456789"]
RESULTS: dict[str, Stats] = {}  # filled by the tests, printed by conftest's terminal summary
KNOWN_TOP_LEVEL = {"attest.db", "attest.db-wal", "attest.db-shm", "blobs", "backups", "workspace.lock",
                   "README.txt"}


# --- the child -------------------------------------------------------------------------


def _value(rng: random.Random, kind: str) -> Any:
    if kind == "status":
        return rng.choice(["yes", "partial", "no", "na"])
    if kind == "single":
        return rng.choice(["isms", "pmark", "none"])
    if kind == "text":
        return " ".join(rng.choice(_TEXT) for _ in range(rng.randint(1, 4)))[:40].strip()
    if kind == "date":
        return f"20{rng.randint(20, 35)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if kind == "multi":
        chosen = [c for c in ("own", "cloud", "overseas") if rng.random() < 0.5]
        return chosen or ["cloud"]
    if kind == "number":
        return rng.randint(0, 3650)
    raise AssertionError(kind)


def _answer_op(rng: random.Random) -> dict:
    item = rng.choice(sorted(_ITEMS))
    if rng.random() < 0.1:
        return {"kind": "answer", "item": item, "value": None, "note": None}
    note = f"メモ {rng.randint(0, 10**6)}" if rng.random() < 0.4 else None
    return {"kind": "answer", "item": item, "value": _value(rng, _ITEMS[item]), "note": note}


def _attach_op(rng: random.Random, scratch: Path, n: int, size: int) -> dict:
    data = rng.randbytes(size)
    name = f"証跡-{n}-{rng.randint(0, 10**9)}.pdf"
    src = scratch / name
    src.write_bytes(data)
    return {"kind": "attach", "item": rng.choice(sorted(_ITEMS)), "filename": name, "src": str(src),
            "size": size, "sha256": hashlib.sha256(data).hexdigest()}


def _make_op(scenario: str, rng: random.Random, ws, scratch: Path, n: int, passphrase: str) -> dict:
    evidence = ws.evidence()
    if scenario == "answer":
        return _answer_op(rng)
    if scenario == "batch":
        items = rng.sample(sorted(_ITEMS), rng.randint(2, 8))
        updates = {}
        for item in items:
            op = _answer_op(rng)
            updates[item] = {"value": _value(rng, _ITEMS[item]) if op["value"] is not None else None,
                             "note": op["note"]}
        return {"kind": "batch", "updates": updates}
    if scenario in ("attach-small", "attach-large"):
        cap = 20 if scenario == "attach-small" else 4
        if len(evidence) >= cap:
            return {"kind": "remove", "evidence": rng.choice(evidence).id}
        size = rng.randint(1, 300_000) if scenario == "attach-small" else rng.randint(2 << 20, 8 << 20)
        return _attach_op(rng, scratch, n, size)
    if scenario == "remove":
        if len(evidence) < 3 or rng.random() < 0.35:
            return _attach_op(rng, scratch, n, rng.randint(1, 200_000))
        return {"kind": "remove", "evidence": rng.choice(evidence).id}
    if scenario == "passphrase":
        if rng.random() < 0.5:
            return _answer_op(rng)
        return {"kind": "passphrase", "from": passphrase, "to": f"pass {rng.randint(0, 10**12)} パス"}
    if scenario == "restore":
        from storage import backups as bk

        kept = bk.list_backups(ws.path)
        if not kept or rng.random() < 0.6:
            if rng.random() < 0.7:
                return _answer_op(rng)
            if len(evidence) < 3 or rng.random() < 0.5:
                return _attach_op(rng, scratch, n, rng.randint(1, 100_000))
            return {"kind": "remove", "evidence": rng.choice(evidence).id}
        return {"kind": "restore"}  # the child closes the workspace, then picks the backup
    if scenario == "export":
        if rng.random() < 0.25:
            return _answer_op(rng)
        return {"kind": "export", "file": f"bundle-{rng.getrandbits(48):012x}.zip"}
    raise AssertionError(scenario)


_SIGNING_KEY = None


def _signing_key():
    """The test signing key, unlocked once per child (before the workspace is opened)."""
    global _SIGNING_KEY
    if _SIGNING_KEY is None:
        from exports.keys import load_signing_key

        _SIGNING_KEY = load_signing_key(os.environ["CRASH_SIGNING_KEY"], os.environ["CRASH_SIGNING_PASS"])
    return _SIGNING_KEY


def _restore_op(keys, backup) -> dict:
    """What restoring ``backup`` must bring back, read from it with the workspace's key."""
    from storage import backups as bk
    from storage.integrity import inspect_database

    engine = bk.ro_engine(backup.path)
    try:
        facts, _found = inspect_database(engine, keys)
    finally:
        engine.dispose()
    return {"kind": "restore", "backup": backup.name,
            "answers": {k: [a.value, a.note] for k, a in facts.answers.items()},
            "evidence": {i: [e.item_id, e.filename, e.sha256, e.size]
                         for i, (e, _blob) in facts.evidence.items()}}


def _run_op(ws, op: dict) -> dict:
    from storage import EvidenceMeta

    kind = op["kind"]
    if kind == "restore":  # the workspace was closed first
        from storage.restore import restore_backup

        restore_backup(ws.path, op["backup"], os.environ["CRASH_PASSPHRASE_NOW"])
        return {}
    if kind == "answer":
        ws.set_answer(op["item"], op["value"], note=op["note"])
    elif kind == "batch":
        ws.set_answers(op["updates"])
    elif kind == "attach":
        info = ws.add_evidence(op["item"], op["src"], EvidenceMeta("policy"), filename=op["filename"])
        return {"id": info.id}
    elif kind == "remove":
        ws.remove_evidence(op["evidence"])
    elif kind == "passphrase":
        ws.change_passphrase(op["from"], op["to"])
    elif kind == "export":
        from exports.bundle import export_bundle

        res = export_bundle(ws, Path(os.environ["CRASH_OUT"]) / op["file"], signing_key=_signing_key(),
                            recipients=[os.environ["CRASH_RECIPIENT"]], allow_incomplete=True)
        return {"sha256": res.sha256, "submission_id": res.submission_id}
    return {}


def child_main(argv: list[str]) -> None:
    from storage import Workspace

    path, scenario, seed, scratch = Path(argv[0]), argv[1], int(argv[2]), Path(argv[3])
    rng = random.Random(seed)
    if scenario == "open":
        open_child_main(path, rng, scratch)
        return
    passphrase = os.environ["CRASH_PASSPHRASE"]
    if scenario == "export":
        _signing_key()

    n = 0
    while True:
        emit(ev="opening")
        ws = Workspace.open(path, passphrase)
        emit(ev="ready")
        for _ in range(rng.randint(1, 6)):
            n += 1
            op = _make_op(scenario, rng, ws, scratch, n, passphrase)
            if op["kind"] == "restore":
                from storage import backups as bk

                keys = ws.keys
                emit(ev="closing")
                ws.close()  # may rotate backups out: choose after it
                emit(ev="closed")
                op = _restore_op(keys, rng.choice(bk.list_backups(path)))
            emit(ev="start", op=op)
            os.environ["CRASH_PASSPHRASE_NOW"] = passphrase
            result = _run_op(ws, op)
            if op["kind"] == "passphrase":
                passphrase = op["to"]
            emit(ev="ok", op=op, result=result)
            if op["kind"] == "restore":
                emit(ev="opening")
                ws = Workspace.open(path, passphrase)
                emit(ev="ready")
        emit(ev="closing")
        ws.close()
        emit(ev="closed")


def emit(**event: Any) -> None:
    sys.stdout.write(json.dumps(event, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def open_child_main(bundle: Path, rng: random.Random, area: Path) -> None:
    """Open ``bundle`` again and again into folders of ``area``: new ones, empty ones, and
    first the folders the parent lists in ``area/pending.json`` (left by killed opens)."""
    from exports.bundle import open_bundle

    signer, identity = os.environ["CRASH_SIGNER"], os.environ["CRASH_IDENTITY"]
    pending_file = area / "pending.json"
    pending = json.loads(pending_file.read_text("utf-8")) if pending_file.exists() else []
    emit(ev="ready")
    while True:
        if pending and rng.random() < 0.7:
            op = {"kind": "open", "dest": pending.pop(0), "state": "interrupted"}
        else:
            state = rng.choice(["new", "empty"])
            op = {"kind": "open", "dest": f"opened-{rng.getrandbits(48):012x}", "state": state}
        emit(ev="start", op=op)
        dest = area / op["dest"]
        if op["state"] == "empty":
            dest.mkdir()
        report = open_bundle(bundle, dest, signer=signer, identity=identity, templates=MINI)
        emit(ev="ok", op=op, result={"ok": report.ok})


# --- the parent ----------------------------------------------------------------------------


@dataclass
class Model:
    passphrase: str
    answers: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    # evidence id -> (item, file name, sha256, size)
    evidence: dict[str, tuple[str, str, str, int]] = field(default_factory=dict)
    # bundle file name -> its SHA-256, for every export the activity log must record
    exports: dict[str, str] = field(default_factory=dict)

    def copy(self) -> Model:
        return Model(self.passphrase, dict(self.answers), dict(self.evidence), dict(self.exports))

    def apply(self, op: dict, result: dict | None) -> None:
        kind = op["kind"]
        if kind == "answer":
            self._answer(op["item"], op["value"], op["note"])
        elif kind == "batch":
            for item, upd in op["updates"].items():
                self._answer(item, upd["value"], upd["note"])
        elif kind == "attach":
            ev_id = (result or {}).get("id", "?")
            self.evidence[ev_id] = (op["item"], op["filename"], op["sha256"], op["size"])
        elif kind == "remove":
            self.evidence.pop(op["evidence"], None)
        elif kind == "passphrase":
            self.passphrase = op["to"]
        elif kind == "restore":
            self.answers = {k: tuple(v) for k, v in op["answers"].items()}
            self.evidence = {k: tuple(v) for k, v in op["evidence"].items()}
        elif kind == "export":
            self.exports[op["file"]] = (result or {}).get("sha256", "?")

    def _answer(self, item: str, value: Any, note: Any) -> None:
        if value is None and note is None:
            self.answers.pop(item, None)
        else:
            self.answers[item] = (value, note)


@dataclass
class Stats:
    kills: int = 0
    phases: Counter = field(default_factory=Counter)      # where the kill landed
    inflight: Counter = field(default_factory=Counter)    # committed / rolled back, per op kind
    leftovers: Counter = field(default_factory=Counter)   # integrity leftovers before repair
    outputs: Counter = field(default_factory=Counter)     # export / open: what the kill left
    reported_ok: int = 0
    failures: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"kill_points": self.kills, "phases": dict(self.phases), "in_flight": dict(self.inflight),
                "leftovers_repaired": dict(self.leftovers), "outputs": dict(self.outputs),
                "operations_reported_ok": self.reported_ok, "failures": self.failures}


class CrashRun:
    """One scenario: ``kills`` child processes, each SIGKILLed after a random delay."""

    def __init__(self, workspace: Path, scratch: Path, scenario: str, model: Model, seed: int,
                 window: float, *, env: dict[str, str] | None = None, out: Path | None = None,
                 pinned: tuple[Path, Path] | None = None, siblings: set[str] = frozenset()) -> None:
        self.path = workspace
        self.scratch = scratch
        self.scenario = scenario
        self.model = model
        self.rng = random.Random(seed)
        self.window = window
        self.stats = Stats()
        self.env = env or {}
        self.out = out                       # export: the folder bundles are written to
        self.pinned = pinned                 # export: (signer public key, auditor identity)
        self.siblings = {workspace.name, scratch.name, *siblings}
        self.checked: dict[str, tuple[int, int]] = {}   # bundle -> (size, mtime) once verified
        self.removed: set[str] = set()       # checked bundles, removed to save space
        self.unlogged: set[str] = set()      # complete bundles whose export was killed before logging
        self.abandoned: dict[str, int] = {}  # export killed while writing -> at which kill
        self.must_be_gone: set[str] = set()  # ...whose temporary file a later export swept
        self.kill_no = 0

    def run(self, kills: int) -> Stats:
        for i in range(kills):
            self.kill_no = i + 1
            events = self._kill_once(self.rng.randrange(1 << 30), self.rng.uniform(0, self.window))
            try:
                self._verify(events)
            except AssertionError as exc:
                self.stats.failures.append(f"kill {i + 1}: {exc}")
                break
        return self.stats

    def _kill_once(self, seed: int, delay: float) -> list[dict]:
        env = {**os.environ, "CRASH_PASSPHRASE": self.model.passphrase, "PYTHONIOENCODING": "utf-8",
               **self.env}
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.crashkit", str(self.path), self.scenario, str(seed),
             str(self.scratch)], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        lines: list[str] = []
        opening = threading.Event()

        def reader() -> None:
            for raw in proc.stdout:
                lines.append(raw.decode("utf-8", "replace"))
                opening.set()

        t = threading.Thread(target=reader, daemon=True)
        t.start()
        if not opening.wait(60):
            proc.kill()
            raise AssertionError("child did not start: " + proc.stderr.read().decode()[-2000:])
        time.sleep(delay)
        with contextlib.suppress(ProcessLookupError):
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        t.join(10)
        err = proc.stderr.read().decode("utf-8", "replace")
        if proc.returncode != -signal.SIGKILL:
            raise AssertionError(f"child ended by itself ({proc.returncode}) before the kill: {err[-2000:]}")
        self.stats.kills += 1
        events = []
        for line in lines:
            with contextlib.suppress(json.JSONDecodeError):
                events.append(json.loads(line))  # a line cut by the kill is not an event
        return events

    def _verify(self, events: list[dict]) -> None:
        from storage import Workspace, WrongPassphrase
        from storage.integrity import check_workspace

        inflight = None
        for e in events:
            if e["ev"] == "start":
                inflight = e["op"]
            elif e["ev"] == "ok":
                self.model.apply(e["op"], e.get("result"))
                self.stats.reported_ok += 1
                if e["op"]["kind"] == "export":
                    # it swept the folder before writing: what earlier kills left must be gone
                    self.must_be_gone |= {f for f, k in self.abandoned.items() if k < self.kill_no}
                inflight = None
        last = events[-1]["ev"] if events else "none"
        phase = {"opening": "opening", "ready": "between operations", "start": "during an operation",
                 "ok": "between operations", "closing": "closing", "closed": "between sessions"}[last]
        self.stats.phases[phase] += 1

        # 1. opens with the passphrase: the old one, or the new one if the change was in flight
        candidates = [self.model.passphrase]
        if inflight and inflight["kind"] == "passphrase":
            candidates.append(inflight["to"])
        opened, used = None, None
        for p in candidates:
            try:
                opened, used = Workspace.open(self.path, p), p
                break
            except WrongPassphrase:
                continue
        assert opened is not None, f"opens with none of the passphrases after a kill {phase}"
        with opened as ws:
            # 2. exactly the reported state, with or without the in-flight operation
            answers = {k: (a.value, a.note) for k, a in ws.answers().items()}
            evidence = {e.id: (e.item_id, e.filename, e.sha256, e.size) for e in ws.evidence()}
            logged = {e.detail.get("file"): e.detail.get("sha256") for e in ws.activity()
                      if e.action == "bundle.exported"}
            without = self.model.copy()
            states = [("rolled back", without)]
            if inflight is not None:
                with_op = self.model.copy()
                new_ids = set(evidence) - set(with_op.evidence)
                result = {"id": next(iter(new_ids))} if len(new_ids) == 1 else None
                if inflight["kind"] == "export":
                    result = {"sha256": logged.get(inflight["file"])}
                with_op.apply(inflight, result)
                states.append(("committed", with_op))
            match = [name for name, m in states
                     if m.answers == answers and m.evidence == evidence and m.passphrase == used
                     and m.exports == logged]
            assert match, (f"after a kill {phase} (in flight: {inflight and inflight['kind']}), the "
                           f"workspace holds neither the reported state nor it plus the in-flight "
                           f"operation: answers {answers} vs {without.answers}; evidence "
                           f"{sorted(evidence)} vs {sorted(without.evidence)}; exports logged "
                           f"{sorted(logged)} vs {sorted(without.exports)}")
            if inflight is not None:
                self.stats.inflight[f"{inflight['kind']} {match[0]}"] += 1
            self.model = dict(states)[match[0]]
            # 3. every listed evidence file decrypts to what was attached
            for ev_id, (_item, name, sha, _size) in evidence.items():
                sink = hashlib.sha256()

                class W:
                    def write(self, b, sink=sink) -> int:
                        sink.update(b)
                        return len(b)

                ws.read_evidence(ev_id, W())
                assert sink.hexdigest() == sha, f"evidence {name} does not decrypt to what was attached"
            assert ws.verify_activity() == [], ws.verify_activity()
            # 4. nothing partial where a user would look
            tmp = self.path / "blobs" / "tmp"
            assert not tmp.exists() or not any(tmp.iterdir()), "partial blob left after open"
        top = {p.name for p in self.path.iterdir()}
        assert top <= KNOWN_TOP_LEVEL, f"unexpected files in the workspace folder: {top - KNOWN_TOP_LEVEL}"
        assert not {"attest.db-wal", "attest.db-shm"} & top, "WAL files left after a clean close"
        siblings = {p.name for p in self.path.parent.iterdir()}
        assert siblings == self.siblings, f"files left beside the workspace: {siblings - self.siblings}"
        if self.out is not None:
            self._check_exports(inflight if inflight and inflight["kind"] == "export" else None)
        # 5. the integrity check: no damage; leftovers are harmless and repair clears them
        report = check_workspace(self.path, used)
        assert report.ok, f"integrity check after a kill {phase}: {[str(f) for f in report.damage]}"
        for f in report.leftovers:
            self.stats.leftovers[f.code] += 1
        if report.leftovers:
            check_workspace(self.path, used, repair=True)
            again = check_workspace(self.path, used)
            assert again.clean, f"still not clean after repair: {[str(f) for f in again.findings]}"
        # the scratch sources of finished attaches are not needed any more
        for p in self.scratch.iterdir():
            with contextlib.suppress(OSError):
                p.unlink()


    def _check_exports(self, inflight: dict | None) -> None:
        """The output folder after a kill: see the module docstring."""
        from exports.bundle import verify_bundle
        from storage.fsutil import is_temp_name

        names = {p.name for p in self.out.iterdir()}
        temps = {n for n in names if is_temp_name(n)}
        visible = {n for n in names if not n.startswith(".")}
        assert names == temps | visible, f"unexpected files in the output folder: {names - temps - visible}"

        def check(name: str) -> None:
            st = (self.out / name).stat()
            if self.checked.get(name) == (st.st_size, st.st_mtime_ns):
                return
            report = verify_bundle(self.out / name, signer=self.pinned[0], identity=self.pinned[1],
                                   templates=MINI)
            assert report.ok, f"{name} does not verify: {report.first_problem()}"
            self.checked[name] = (st.st_size, st.st_mtime_ns)

        for name, sha in self.model.exports.items():  # reported, or recorded in the log
            if name in self.removed:
                continue
            assert name in visible, f"the exported bundle {name} is missing"
            if name not in self.checked:
                assert _sha256(self.out / name) == sha, f"{name} is not the bundle the log records"
            check(name)
        extra = visible - set(self.model.exports) - self.unlogged
        current = inflight["file"] if inflight else None
        assert extra <= {current}, f"bundles nobody exported: {extra}"
        if current is not None:
            temp = [n for n in temps if n.startswith(f".{current}.")]
            if current in self.model.exports:
                outcome = "complete, logged"
            elif current in visible:
                # killed between the rename and the log's commit: complete, not yet logged
                outcome = "complete, not logged"
                self.unlogged.add(current)
            elif temp:
                outcome = "hidden temporary file left (swept by the next export)"
                self.abandoned[current] = self.kill_no
            else:
                outcome = "no output"
            if current in visible:
                check(current)
            self.stats.outputs[outcome] += 1
        for name in temps:
            owner = name[1:name.rindex(".ccus-attest-")]
            assert owner in self.abandoned, f"a temporary file of an export that was not killed: {name}"
            assert owner not in self.must_be_gone, f"a later export did not remove {name}"
        swept = [f for f in list(self.abandoned) if not any(n.startswith(f".{f}.") for n in temps)]
        for f in swept:
            del self.abandoned[f]
            self.must_be_gone.discard(f)
            self.stats.outputs["temporary file swept by a later export"] += 1
        # checked bundles have served their purpose: make room (hundreds are written per run)
        for name in visible & set(self.checked):
            (self.out / name).unlink()
            self.removed.add(name)


class OpenCrashRun(CrashRun):
    """The ``open`` scenario: the child opens ``bundle`` into folders of ``area`` until killed.

    ``expected``: every file of a completely opened folder (relative path -> SHA-256)."""

    def __init__(self, bundle: Path, area: Path, expected: dict[str, str], seed: int, window: float,
                 env: dict[str, str]) -> None:
        super().__init__(bundle, area, "open", Model(""), seed, window, env=env)
        self.area = area
        self.expected = expected
        self.complete: set[str] = set()            # reported (or found) complete, checked, removed
        self.interrupted: list[str] = []           # left with a staging folder: to open again
        self.started: set[str] = set()

    def run(self, kills: int) -> Stats:
        from exports.bundle import open_bundle

        for i in range(kills):
            self.kill_no = i + 1
            (self.area / "pending.json").write_text(json.dumps(self.interrupted), "utf-8")
            events = self._kill_once(self.rng.randrange(1 << 30), self.rng.uniform(0, self.window))
            try:
                self._verify(events)
            except AssertionError as exc:
                self.stats.failures.append(f"kill {i + 1}: {exc}")
                return self.stats
        # what the last kills left: the next open into the folder cleans up and succeeds
        for name in list(self.interrupted):
            try:
                open_bundle(self.path, self.area / name, signer=self.env["CRASH_SIGNER"],
                            identity=self.env["CRASH_IDENTITY"], templates=MINI)
                self._check_complete(name)
            except Exception as exc:
                self.stats.failures.append(f"opening {name} again after the kills: {exc}")
                return self.stats
            self.stats.outputs["left by a kill, opened again by the parent"] += 1
        return self.stats

    def _check_complete(self, name: str, *, staging_left: bool = False) -> None:
        from exports.safe_extract import STAGING_PREFIX

        root = self.area / name
        files = {str(p.relative_to(root)): p for p in root.rglob("*") if p.is_file()}
        if staging_left:
            files = {k: v for k, v in files.items() if not k.startswith(STAGING_PREFIX)}
        assert set(files) == set(self.expected), (
            f"{name}: not the opened bundle: missing {sorted(set(self.expected) - set(files))}, "
            f"extra {sorted(set(files) - set(self.expected))}")
        for rel, p in files.items():
            assert _sha256(p) == self.expected[rel], f"{name}/{rel} differs from the bundle's"
        self.complete.add(name)
        if name in self.interrupted:
            self.interrupted.remove(name)
        shutil.rmtree(root)  # checked: make room (hundreds of folders are opened per run)

    def _verify(self, events: list[dict]) -> None:
        from exports.safe_extract import STAGING_PREFIX, Staging

        inflight = None
        for e in events:
            if e["ev"] == "start":
                inflight = e["op"]
                self.started.add(inflight["dest"])
            elif e["ev"] == "ok":
                self.stats.reported_ok += 1
                if e["op"]["state"] == "interrupted":
                    self.stats.outputs["left by a kill, opened again by the child"] += 1
                self._check_complete(e["op"]["dest"])
                inflight = None
        last = events[-1]["ev"] if events else "none"
        self.stats.phases[{"ready": "between operations", "start": "during an operation",
                           "ok": "between operations", "none": "starting"}[last]] += 1
        top = {p.name for p in self.area.iterdir()}
        assert top <= self.started | {"pending.json"}, f"written outside the folders: {top - self.started}"
        if inflight is None:
            return
        name = inflight["dest"]
        root = self.area / name
        state = inflight["state"]
        self.stats.inflight[f"open into {'an' if state[0] in 'aeiou' else 'a'} {state} folder"] += 1
        if not root.exists():
            assert inflight["state"] != "interrupted", f"{name} disappeared"
            self.stats.outputs["as it was: no folder"] += 1
            return
        entries = {p.name for p in root.iterdir()}
        hidden = {n for n in entries if n.startswith(".")}
        visible = entries - hidden
        assert all(n.startswith(STAGING_PREFIX) and (root / n).is_dir() for n in hidden), (
            f"{name}: unexpected hidden entries {hidden}")
        if not visible:
            self.stats.outputs["as it was" + (" + hidden staging folder" if hidden else "")] += 1
            if hidden and name not in self.interrupted:
                self.interrupted.append(name)
            return
        if "manifest.json" in visible:
            self._check_complete(name, staging_left=bool(hidden))  # complete: manifest.json is moved last
            if hidden:  # killed after the last move, before the staging folder was removed
                self.stats.outputs["complete + empty hidden staging folder"] += 1
            else:
                self.stats.outputs["complete"] += 1
            return
        # killed in the middle of moving the entries into place: recognisably unfinished
        journals = [root / h / Staging.JOURNAL for h in hidden]
        assert any(j.exists() for j in journals), f"{name}: partial contents without a commit journal"
        self.stats.outputs["interrupted move (no manifest.json)"] += 1
        if name not in self.interrupted:
            self.interrupted.append(name)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def format_summary(results: dict[str, Stats], seed: int) -> str:
    lines = [f"crash-safety harness (seed {seed}): kill points per operation and outcomes"]
    for scenario, st in results.items():
        inflight = ", ".join(f"{k}: {v}" for k, v in sorted(st.inflight.items())) or "none"
        phases = ", ".join(f"{k}: {v}" for k, v in sorted(st.phases.items()))
        left = ", ".join(f"{k}: {v}" for k, v in sorted(st.leftovers.items())) or "none"
        verdict = "PASS" if not st.failures else f"FAIL ({st.failures[0]})"
        lines.append(f"  {scenario:<13} {st.kills:>3} kills, {st.reported_ok:>4} ops reported saved, "
                     f"all present: {verdict}")
        lines.append(f"      killed {phases}")
        lines.append(f"      in-flight operation {inflight}; leftovers repaired: {left}")
        if st.outputs:
            outputs = ", ".join(f"{k}: {v}" for k, v in sorted(st.outputs.items()))
            lines.append(f"      what the kills left: {outputs}")
    return "\n".join(lines)


if __name__ == "__main__":
    child_main(sys.argv[1:])
