"""The auditor's register at scale (issue 16): 500 vendors × 5 年度 × the default template.

The rows are synthesised directly through the ORM in bulk (no bundles: 2,500 real exports
would take an hour): 2,500 submissions, one ``item_review`` row per template item of each
(~290,000), 6 evidence records each (15,000), corrective actions (some overdue) and a share
of reviewed items with their trail. Then, on SQLite and on PostgreSQL (a throw-away cluster,
as in the tests):

* ``register list`` with each filter, as the CLI runs it (``list_submissions``), against a
  baseline of the same engine: the DBAPI's own ``SELECT * FROM submission``, all rows fetched;
* ``register export --xlsx`` (全社一覧) against openpyxl writing the same cells unstyled;
* ``register add`` of N real bundles (the app's exports) against ``verify`` of the same files.

    .venv/bin/python -m bench.bench_register [--quick]
"""

from __future__ import annotations

import datetime as dt
import glob
import hashlib
import io
import os
import pwd
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .harness import Row, best_of

FULL = (500, 5, 100)     # vendors, years, bundles for the add row
QUICK = (50, 2, 10)
ON = dt.date(2026, 12, 1)
EVIDENCE_PER_SUBMISSION = 6


# --- a throw-away PostgreSQL (the same recipe as tests/register_support.py) -------------------


class Cluster:
    def __init__(self) -> None:
        bindir = next((Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
                       if Path(p, "initdb").is_file()), None)
        if bindir is None:
            raise RuntimeError("PostgreSQL server binaries not installed (apt-get install postgresql)")
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="ccus-bench-pg-"))
        self.prefix: list[str] = []
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chmod(self.root, 0o755)  # noqa: S103 - the server's own user must enter its folder
            os.chown(self.root, user.pw_uid, user.pw_gid)
            self.prefix = ["runuser", "-u", "postgres", "--"]
        self.port = 55433
        self._run("initdb", "-D", str(self.root / "data"), "-U", "bench", "--auth=trust", "-E", "UTF8",
                  "--locale=C", "--no-sync")
        # Durable settings as shipped (fsync on): the figures are what a team server gives.
        self._run("pg_ctl", "-D", str(self.root / "data"), "-l", str(self.root / "log"), "-w", "-o",
                  f"-c listen_addresses='' -k {self.root} -p {self.port}", "start")
        import psycopg

        with psycopg.connect(host=str(self.root), port=self.port, user="bench", dbname="postgres",
                             autocommit=True) as conn:
            conn.execute("CREATE DATABASE register")

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run([*self.prefix, str(self.bindir / tool), *args], check=True, capture_output=True,
                       cwd=self.root, env={**os.environ, "LC_ALL": "C"})

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://bench@/register?host={self.root}&port={self.port}"

    def stop(self) -> None:
        subprocess.run([*self.prefix, str(self.bindir / "pg_ctl"), "-D", str(self.root / "data"), "-m",
                        "fast", "-w", "stop"], capture_output=True, check=False, cwd=self.root)
        shutil.rmtree(self.root, ignore_errors=True)


# --- synthesis ----------------------------------------------------------------------------------


def synthesise(reg, vendors: int, years: int) -> dict[str, int]:
    """Fill the register through the ORM in bulk; returns row counts."""
    from sqlalchemy import insert, select

    from questionnaire import default_template
    from questionnaire.completeness import Outcome
    from register.models import (
        CorrectiveAction,
        Evidence,
        ItemReview,
        SigningKey,
        StoredBundle,
        Submission,
        Vendor,
        VerdictEvent,
    )

    rnd = random.Random(16)
    template = default_template()
    items = template.items
    now = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    outcomes = [str(Outcome.CONFORMING)] * 8 + [str(Outcome.NEEDS_IMPROVEMENT), str(Outcome.NON_CONFORMING)]
    counts = dict.fromkeys(("submission", "item_review", "evidence", "corrective_action", "verdict_event"), 0)
    # No explicit IDs: PostgreSQL's sequences must stay ahead of the rows (a later add inserts).
    with reg.unit() as s:
        names = [f"株式会社ベンチ{v + 1:04d}" for v in range(vendors)]
        s.execute(insert(Vendor), [{"name": n, "name_key": n, "created_at": now} for n in names])
        vendor_ids = dict(s.execute(select(Vendor.name_key, Vendor.id)).all())
        ids = [vendor_ids[f"株式会社ベンチ{v + 1:04d}"] for v in range(vendors)]
        s.execute(insert(SigningKey), [{"vendor_id": ids[v], "public_key": f"RW{v:060d}",
                                        "key_id": f"{v:016X}", "pinned_at": now, "pinned_by": "bench",
                                        "how": "trusted-new"} for v in range(vendors)])
        key_ids = dict(s.execute(select(SigningKey.vendor_id, SigningKey.id)).all())
    for v in range(vendors):
        subs, reviews, evidence, actions, events, bundles = [], [], [], [], [], []
        previous = None
        for y in range(years):
            year = 2026 - years + 1 + y
            sid = hashlib.sha256(f"{v}-{y}".encode()).hexdigest()[:32]
            sha = hashlib.sha256(f"bundle-{v}-{y}".encode()).hexdigest()
            exported = dt.datetime(year, 6, 1, tzinfo=dt.UTC) + dt.timedelta(hours=rnd.randrange(24 * 200))
            reviewed = 0 if y == years - 1 and v % 3 else len(items) if y < years - 1 else len(items) // 2
            opened = 0
            for n, item in enumerate(items):
                verdict = None
                if n < reviewed:
                    verdict = "nonconforming" if rnd.random() < 0.03 else "conforms"
                    opened += verdict == "nonconforming"
                    events.append({"submission_id": sid, "item_id": item.id, "version": 2, "verdict": verdict,
                                   "comment": "", "reviewer": "bench", "os_user": "bench", "at": now})
                reviews.append({"submission_id": sid, "item_id": item.id, "position": n,
                                "section_id": item.section_id, "outcome": rnd.choice(outcomes),
                                "verdict": verdict, "comment": "", "reviewer": "bench" if verdict else None,
                                "reviewed_at": now if verdict else None, "version": 2 if verdict else 1})
            expiries = []
            for e in range(EVIDENCE_PER_SUBMISSION):
                expires = ON + dt.timedelta(days=rnd.randrange(-30, 1000))
                expiries.append(expires)
                evidence.append({"submission_id": sid, "position": e, "item_id": items[e * 7].id,
                                 "kind": "certificate", "title": f"ISMS 登録証 {e}",
                                 "filename": f"cert-{e}.pdf", "issuer": "JQA", "number": f"IS {v:05d}{e}",
                                 "issued": ON - dt.timedelta(days=300),
                                 "expires": expires, "size": 123456, "sha256": sha})
            if rnd.random() < 0.2:
                actions.append({"submission_id": sid, "item_id": items[3].id, "description": "是正計画",
                                "due": ON + dt.timedelta(days=rnd.randrange(-60, 120)), "done_on": None,
                                "verified_at": None, "verified_by": None})
            bundles.append({"sha256": sha, "size": 2_000_000, "original_name": f"{sid}.zip",
                            "stored_at": now})
            subs.append({
                "id": sid, "vendor_id": ids[v], "signing_key_id": key_ids[ids[v]],
                "signer_key_id": f"{v:016X}",
                "exported_at": exported, "fiscal_year": year, "template_id": template.id,
                "template_version": template.version, "template_sha256": template.digest,
                "template_official": True, "template_source": "ccus-survey-v1.1.yaml",
                "previous_id": previous, "claimed_previous_id": None, "bundle_sha256": sha,
                "payload_blake2b": sha * 2, "verified": True,
                "checks_json": "[]", "assessed_on": exported.date(), "can_submit": rnd.random() < 0.8,
                "required": len(items), "complete": len(items) - 2, "conforming": 100,
                "needs_improvement": 10, "non_conforming": 4, "unanswered": 2, "blockers": 6, "warnings": 1,
                "next_expiry": min(expiries),
                "review_state": ("unreviewed" if reviewed == 0 else "reviewed" if reviewed == len(items)
                                 else "in_progress"), "review_items": len(items), "reviewed_items": reviewed,
                "open_findings": opened, "added_at": now, "added_by": "bench"})
            previous = sid
        with reg.unit() as s:
            s.execute(insert(StoredBundle), bundles)
            s.execute(insert(Submission), subs)
            s.execute(insert(ItemReview), reviews)
            s.execute(insert(Evidence), evidence)
            if actions:
                s.execute(insert(CorrectiveAction), actions)
            if events:
                s.execute(insert(VerdictEvent), events)
        for k, rows in (("submission", subs), ("item_review", reviews), ("evidence", evidence),
                        ("corrective_action", actions), ("verdict_event", events)):
            counts[k] += len(rows)
    if reg.engine.dialect.name == "postgresql":
        with reg.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    else:
        with reg.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
    return counts


# --- measurements --------------------------------------------------------------------------------


def _filters(years: int):
    from register.queries import Filters

    return [
        ("no filter", Filters(on=ON)),
        ("--vendor ベンチ0123", Filters(vendor="ベンチ0123", on=ON)),
        (f"--year {2026 - years + 1}", Filters(year=2026 - years + 1, on=ON)),
        ("--review-state in_progress", Filters(review_state="in_progress", on=ON)),
        ("--expiring-within 90", Filters(expiring_within=90, on=ON)),
        ("--overdue-actions", Filters(overdue_actions=True, on=ON)),
        ("--latest", Filters(latest_only=True, on=ON)),
    ]


def _raw_select(reg) -> float:
    """Baseline: the DBAPI alone, every submission row fetched (no ORM, no filters)."""
    raw = reg.engine.raw_connection()
    try:
        def go():
            cur = raw.cursor()
            cur.execute("SELECT * FROM submission")
            cur.fetchall()
            cur.close()
        return best_of(go, repeat=5)
    finally:
        raw.close()


def engine_rows(reg, label: str, vendors: int, years: int, counts: dict[str, int], synth_s: float,
                tmp: Path) -> list[Row]:
    from openpyxl import Workbook

    from register.export_xlsx import COLUMNS, write_overview
    from register.queries import list_submissions

    size = f"{vendors} vendors × {years} years, {counts['item_review']:,} item rows, {label}"
    baseline = _raw_select(reg)
    rows = []
    for name, filters in _filters(years):
        found = len(list_submissions(reg, filters))
        t = best_of(lambda f=filters: list_submissions(reg, f), repeat=5)
        note = f"{found} submissions listed"
        if name == "no filter":
            note += f"; rows synthesised via the ORM in {synth_s:.0f} s: " + ", ".join(
                f"{k} {v:,}" for k, v in counts.items())
        rows.append(Row(f"register list {name} ({size})", t, baseline,
                        "DBAPI SELECT * FROM submission, all rows fetched", target_s=0.1, note=note))
    out = tmp / f"overview-{label}.xlsx"
    n = write_overview(reg, out, on=ON)
    t = best_of(lambda: write_overview(reg, out, on=ON), repeat=3)

    def plain():
        wb = Workbook()
        ws = wb.active
        for r in range(n):
            ws.append([f"cell {r} {c}" for c in range(len(COLUMNS))])
        wb.save(io.BytesIO())

    rows.append(Row(f"register export --xlsx 全社一覧 ({size})", t, best_of(plain, repeat=3),
                    "openpyxl, the same number of cells unstyled", target_s=5.0,
                    note=f"{n} vendor-year rows, {out.stat().st_size / 1024:.0f} KiB"))
    return rows


def add_rows(reg, label: str, bundles: list[Path], auditor_identity: Path) -> Row:
    from exports.bundle import verify_bundle
    from register.add import ADDED, add_bundles, claimed_key

    ticks = []
    t0 = time.perf_counter()
    results = add_bundles(reg, bundles, identity=auditor_identity, trust_new_signer=True,
                          progress=lambda n, c, p, d, t: ticks.append(n))
    ours = time.perf_counter() - t0
    assert all(getattr(r, "status", None) == ADDED for r in results), results[:1]
    t0 = time.perf_counter()
    for b in bundles:
        assert verify_bundle(b, signer=claimed_key(b), identity=auditor_identity).ok
    base = time.perf_counter() - t0
    return Row(f"register add of {len(bundles)} bundles ({label})", ours, base,
               "verify of the same bundles (--identity), one after another",
               note=f"{len(set(ticks))} bundles reported progress ({len(ticks)} progress calls); "
                    f"{sum(b.stat().st_size for b in bundles) / 1e6:.1f} MB")


def make_bundles(folder: Path, count: int) -> tuple[list[Path], Path]:
    from exports import keys
    from exports.bundle import export_bundle
    from questionnaire.official_templates import official_templates
    from storage import KdfParams, Workspace

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.bundle_support import fill_conforming  # the tests' conforming filler, any template

    folder.mkdir(parents=True, exist_ok=True)
    made = keys.generate_signing_key(folder / "vendor", "bench passphrase", opslimit=1 << 20,
                                     memlimit=1 << 25)
    signing = keys.load_signing_key(made.secret_path, "bench passphrase")
    auditor = keys.generate_recipient_key(folder / "auditor")
    template = next(iter(official_templates())).template
    out = []
    with Workspace.create(folder / "ws", "correct horse battery", vendor="株式会社ベンチ追加",
                          template=template, kdf=KdfParams(memory_kib=8 * 1024, iterations=1, lanes=1)) as ws:
        fill_conforming(ws, folder / "src")
        for n in range(count):
            out.append(folder / f"b{n:03d}.zip")
            export_bundle(ws, out[-1], signing_key=signing, recipients=[auditor.recipient])
    return out, auditor.identity_path


def run(quick: bool = False) -> list[Row]:
    from register.db import init_register

    vendors, years, n_bundles = QUICK if quick else FULL
    tmp = Path(tempfile.mkdtemp(prefix="ccus-bench-register-"))
    rows: list[Row] = []
    cluster = None
    try:
        bundles, identity = make_bundles(tmp / "bundles", n_bundles)
        cluster = Cluster()
        for label, url in (("SQLite", f"sqlite:///{tmp / 'register.db'}"), ("PostgreSQL", cluster.url)):
            with init_register(url, tmp / f"store-{label}") as reg:
                t0 = time.perf_counter()
                counts = synthesise(reg, vendors, years)
                synth = time.perf_counter() - t0
                rows += engine_rows(reg, label, vendors, years, counts, synth, tmp)
            with init_register(url) as reg:  # into the filled register
                rows.append(add_rows(reg, label, bundles, identity))
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return rows


if __name__ == "__main__":
    from .run_all import render

    print(render(run(quick="--quick" in sys.argv), quick="--quick" in sys.argv))
