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

Extension point: a scenario is a ``make_op(rng, ws, state)`` in the child plus an
``apply`` for the model; the bundle export (issue 3) adds one whose "ok" carries the
bundle path, and whose check is that the output folder holds either the complete,
verifiable bundle or nothing (no ``.part``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
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
SCENARIOS = ("answer", "batch", "attach-small", "attach-large", "remove", "passphrase", "restore")

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
    raise AssertionError(scenario)


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
    return {}


def child_main(argv: list[str]) -> None:
    from storage import Workspace

    path, scenario, seed, scratch = Path(argv[0]), argv[1], int(argv[2]), Path(argv[3])
    passphrase = os.environ["CRASH_PASSPHRASE"]
    rng = random.Random(seed)

    def emit(**event: Any) -> None:
        sys.stdout.write(json.dumps(event, ensure_ascii=False) + "\n")
        sys.stdout.flush()

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


# --- the parent ----------------------------------------------------------------------------


@dataclass
class Model:
    passphrase: str
    answers: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    # evidence id -> (item, file name, sha256, size)
    evidence: dict[str, tuple[str, str, str, int]] = field(default_factory=dict)

    def copy(self) -> Model:
        return Model(self.passphrase, dict(self.answers), dict(self.evidence))

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
    reported_ok: int = 0
    failures: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"kill_points": self.kills, "phases": dict(self.phases), "in_flight": dict(self.inflight),
                "leftovers_repaired": dict(self.leftovers), "operations_reported_ok": self.reported_ok,
                "failures": self.failures}


class CrashRun:
    """One scenario: ``kills`` child processes, each SIGKILLed after a random delay."""

    def __init__(self, workspace: Path, scratch: Path, scenario: str, model: Model, seed: int,
                 window: float) -> None:
        self.path = workspace
        self.scratch = scratch
        self.scenario = scenario
        self.model = model
        self.rng = random.Random(seed)
        self.window = window
        self.stats = Stats()

    def run(self, kills: int) -> Stats:
        for i in range(kills):
            events = self._kill_once(self.rng.randrange(1 << 30), self.rng.uniform(0, self.window))
            try:
                self._verify(events)
            except AssertionError as exc:
                self.stats.failures.append(f"kill {i + 1}: {exc}")
                break
        return self.stats

    def _kill_once(self, seed: int, delay: float) -> list[dict]:
        env = {**os.environ, "CRASH_PASSPHRASE": self.model.passphrase, "PYTHONIOENCODING": "utf-8"}
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
            without = self.model.copy()
            states = [("rolled back", without)]
            if inflight is not None:
                with_op = self.model.copy()
                new_ids = set(evidence) - set(with_op.evidence)
                with_op.apply(inflight, {"id": next(iter(new_ids))} if len(new_ids) == 1 else None)
                states.append(("committed", with_op))
            match = [name for name, m in states
                     if m.answers == answers and m.evidence == evidence and m.passphrase == used]
            assert match, (f"after a kill {phase} (in flight: {inflight and inflight['kind']}), the "
                           f"workspace holds neither the reported state nor it plus the in-flight "
                           f"operation: answers {answers} vs {without.answers}; evidence "
                           f"{sorted(evidence)} vs {sorted(without.evidence)}")
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
        assert siblings == {self.path.name, self.scratch.name}, f"files left beside the workspace: {siblings}"
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
    return "\n".join(lines)


if __name__ == "__main__":
    child_main(sys.argv[1:])
