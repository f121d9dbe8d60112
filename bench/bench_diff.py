"""``diff`` of two 1,000-item bundles (issue 13: < 2 s).

    .venv/bin/python -m bench.run_all --only diff            # 1,000 items, 3,000 evidence files
    .venv/bin/python -m bench.run_all --only diff --quick    # 200 items, 300 files

Two real bundles of the scaled questionnaire (bench_workspace.scaled_template): year 1 every
item answered with 3,000 evidence files; year 2 the same workspace with 50 answers and 10
evidence files changed, exported again. Rows:

* diff of the two bundles, in-process: both verified with the auditor's identity (every
  check: signatures, hashes, the template, the recomputed conclusions, the log replay), then
  compared; target < 2 s. Baseline: verifying the two bundles alone, the part the comparison
  cannot skip — the ratio is what comparing adds.
* compare alone (the two submissions in memory): baseline ``assess`` of both, which the
  comparison runs once per side for the outcomes.
* the 変更点 workbook of that comparison; baseline: ``openpyxl`` writing the same number of
  cells as plain values, no styles.
* ``ccus-attest diff A B`` as a user runs it (a child process: start-up and imports included).
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .harness import ROOT, Row, best_of

KEY_PASS = "bench signing passphrase"
CHANGED_ANSWERS = 50
REPLACED_FILES = 10


def _years(root: Path, n_items: int, n_evidence: int):
    from exports import keys
    from exports.bundle import export_bundle
    from storage import EvidenceMeta, KdfParams, Workspace

    from .bench_workspace import PASSPHRASE, build, scaled_template

    fast = KdfParams(memory_kib=8 * 1024, iterations=1, lanes=1)
    template_file = root / "bench-template.yaml"
    template_file.write_text(scaled_template(n_items), encoding="utf-8")
    signing = keys.generate_signing_key(root / "vendor", KEY_PASS, opslimit=1 << 20, memlimit=1 << 25)
    key = keys.load_signing_key(signing.secret_path, KEY_PASS)
    auditor = keys.generate_recipient_key(root / "auditor")
    ws_path, _ = build(root, n_items, n_evidence, fast)
    rng = random.Random(13)
    with Workspace.open(ws_path, PASSPHRASE) as ws:
        export_bundle(ws, root / "2026.zip", signing_key=key, recipients=[auditor.recipient],
                      allow_incomplete=True)
        text_items = [i.id for i in ws.template.items if i.kind.value == "text"]
        changed = rng.sample(text_items, min(CHANGED_ANSWERS, len(text_items)))
        ws.set_answers({item_id: f"2027年度の回答 {n}" for n, item_id in enumerate(changed)})
        for n, info in enumerate(rng.sample(ws.evidence(), REPLACED_FILES)):
            src = root / f"renewed-{n}.pdf"
            src.write_bytes(rng.randbytes(4_000))
            ws.replace_evidence(info.id, src, EvidenceMeta(info.kind, title=info.title, issuer=info.issuer))
        export_bundle(ws, root / "2027.zip", signing_key=key, recipients=[auditor.recipient],
                      allow_incomplete=True)
    return (root / "2026.zip", root / "2027.zip", signing.public_path, auditor.identity_path, template_file,
            len(changed))


def run(quick: bool) -> list[Row]:
    from exports.bundle_verify import verify_bundle
    from exports.comparison_sources import load_bundle_side
    from exports.comparison_text import report_lines
    from exports.comparison_xlsx import write_comparison
    from questionnaire.comparison import compare

    n_items, n_evidence = (200, 300) if quick else (1000, 3000)
    scale = f"{n_items} items, {n_evidence} evidence files each"
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bench-diff-") as tmp:
        root = Path(tmp)
        t0 = time.perf_counter()
        a, b, signer, identity, template, n_changed = _years(root, n_items, n_evidence)
        setup = time.perf_counter() - t0
        from questionnaire.official_templates import load_supplied_templates

        # the auditor's accepted template file, read once for both bundles (as the CLI does)
        opts = {"signer": signer, "identity": identity,
                "templates": [j.template for j in load_supplied_templates([template])]}

        def verify_both():
            for path in (a, b):
                assert verify_bundle(path, **opts).ok

        found = {}

        def diff_both():
            cmp = compare(load_bundle_side(a, **opts), load_bundle_side(b, **opts))
            report_lines(cmp)
            found["cmp"] = cmp

        rows.append(Row(f"diff of two bundles ({scale})", best_of(diff_both, 3), best_of(verify_both, 3),
                        "verifying the two bundles alone", target_s=2.0,
                        note=f"both verified with the identity, then compared and rendered as text; "
                             f"setup (workspace, two exports) took {setup:.0f} s"))
        cmp = found["cmp"]
        counts = cmp.counts()
        assert counts["evidence"].get("replaced") == REPLACED_FILES, counts
        assert counts["answers"].get("changed") == n_changed, counts
        old, new = cmp.old, cmp.new
        rows.append(Row(f"compare alone ({n_items} items)", best_of(lambda: compare(old, new), 5),
                        best_of(lambda: (old.submission.assess(), new.submission.assess()), 5),
                        "assess() of both sides (the comparison's outcomes)",
                        note=f"{len(cmp.changed_items)} items changed, {len(cmp.evidence_changes)} files"))

        def plain_workbook():
            from openpyxl import Workbook

            wb = Workbook()
            ws = wb.active
            for c in cmp.changed_items:
                ws.append([c.item_id, c.item.text.ja, c.state.value, "", "", "", "", "", "", "", "", ""])
            wb.save(root / "plain.xlsx")

        rows.append(Row(f"変更点 workbook ({len(cmp.changed_items)} changed items)",
                        best_of(lambda: write_comparison(cmp, root / "changes.xlsx"), 3),
                        best_of(plain_workbook, 3), "openpyxl: the same rows as plain values, no styles"))

        argv = [sys.executable, str(ROOT / "main.py"), "diff", str(a), str(b), "--signer", str(signer),
                "--identity", str(identity), "--template", str(template), "--pins", str(root / "pins.json")]

        def cli():
            subprocess.run(argv, check=True, capture_output=True, cwd=ROOT)

        rows.append(Row(f"ccus-attest diff A B ({scale})", best_of(cli, 3), best_of(verify_both, 3),
                        "verifying the two bundles alone, in-process", target_s=2.0,
                        note="a child process: interpreter start-up and imports included"))
    return rows
