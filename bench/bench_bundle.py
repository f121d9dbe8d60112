"""Bundle export / verify / open against the same work done by the standard tools.

    .venv/bin/python -m bench.run_all --only bundle            # 1 GiB of evidence
    .venv/bin/python -m bench.run_all --only bundle --quick    # 64 MiB

A workspace (default template) gets 16 evidence files of random bytes (incompressible,
like PDFs and scans). In the same run, for the same data and the same keys:

* export — ours: open the workspace, unlock the signing key, ``export_bundle`` (render the
  checklist and the PDF report, decrypt each blob, tar, age-encrypt, sign, ZIP, re-read to
  check and hash). Standard tools:
  ``sha256sum`` of the plaintext files, ``tar -c | age -r``, ``minisign -S`` (which unlocks
  the same key file).
* open — ours: ``open_bundle`` (verify both signatures, decrypt, check every hash, extract).
  Standard tools: ``age -d | tar -x``, then ``sha256sum -c SHA256SUMS``.
* verify — ours: ``verify_bundle`` with the identity (everything but the writing).
  Standard tools: ``minisign -Vm`` and ``age -d | tar -xO | sha256sum``.

Each of ours runs in a fresh child process, whose own peak RSS is reported. The workspace
uses the Argon2id floor (8 MiB) and the signing key light scrypt (32 MiB), so the memory
figure measures streaming; with the defaults, unlocking costs 256 MiB (workspace) and
128 MiB (signing key) once, before any data flows, and that memory is returned.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path

from .harness import Row, best_of, run_child

MIB = 1 << 20
FILES = 16
WS_PASS = "bench workspace passphrase"
KEY_PASS = "bench signing passphrase"
TOOLS = ("tar", "age", "minisign", "sha256sum")


def _write_random(path: Path, size: int) -> None:
    with open(path, "wb") as fh:
        left = size
        while left:
            n = min(left, 8 * MIB)
            fh.write(os.urandom(n))
            left -= n


def _sh(script: str, *, stdin: str | None = None) -> None:
    subprocess.run(["bash", "-c", "set -euo pipefail\n" + script], input=stdin, text=True, check=True,
                   capture_output=True)


def _setup(root: Path, total: int) -> dict[str, Path | str]:
    from exports import keys
    from storage import EvidenceMeta, KdfParams, Workspace

    src = root / "evidence"
    src.mkdir()
    for i in range(FILES):
        _write_random(src / f"evidence-{i:02d}.pdf", total // FILES)
    signing = keys.generate_signing_key(root / "vendor", KEY_PASS, opslimit=1 << 20, memlimit=1 << 25)
    auditor = keys.generate_recipient_key(root / "auditor")
    with Workspace.create(root / "ws", WS_PASS, vendor="ベンチマーク株式会社",
                          kdf=KdfParams(memory_kib=8 * 1024, iterations=1, lanes=1)) as ws:
        ws.set_answer("AGR-01", "はい")
        for f in sorted(src.iterdir()):
            ws.add_evidence("CERT-02", f, EvidenceMeta("certificate", title=f.stem))
    return {"root": root, "src": src, "ws": root / "ws", "key": signing.secret_path,
            "pub": signing.public_path, "identity": auditor.identity_path, "recipient": auditor.recipient}


def _child_env() -> dict[str, str]:
    return {"PYTHONPATH": str(Path(__file__).resolve().parent.parent)}


def _export_code(p: dict, out: Path) -> str:
    return (
        "from exports import keys\nfrom exports.bundle import export_bundle\nfrom storage import Workspace\n"
        f"key = keys.load_signing_key({str(p['key'])!r}, {KEY_PASS!r})\n"
        f"with Workspace.open({str(p['ws'])!r}, {WS_PASS!r}) as ws:\n"
        f"    export_bundle(ws, {str(out)!r}, signing_key=key, recipients=[{p['recipient']!r}],"
        " allow_incomplete=True)\n"
    )


def _verify_code(p: dict, bundle: Path) -> str:
    return (
        "from exports.bundle import verify_bundle\n"
        f"r = verify_bundle({str(bundle)!r}, signer={str(p['pub'])!r}, identity={str(p['identity'])!r})\n"
        "assert r.ok, r.first_problem()\n"
    )


def _open_code(p: dict, bundle: Path, dest: Path) -> str:
    return (
        "from exports.bundle import open_bundle\n"
        f"open_bundle({str(bundle)!r}, {str(dest)!r}, signer={str(p['pub'])!r},"
        f" identity={str(p['identity'])!r})\n"
    )


def _measure(ours, baseline, setup, repeat: int) -> tuple[float, float, float]:
    """Median times of ours and the baseline, alternating runs; and our largest peak RSS."""
    ours_t, base_t, peaks = [], [], []
    for _ in range(repeat):
        setup()
        elapsed, peak, _ = ours()
        ours_t.append(elapsed)
        peaks.append(peak)
        base_t.append(best_of(baseline, repeat=1, setup=setup))
    ours_t.sort()
    base_t.sort()
    return ours_t[len(ours_t) // 2], base_t[len(base_t) // 2], max(peaks)


def run(quick: bool) -> list[Row]:
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        raise RuntimeError(f"bench_bundle needs the standard tools: {', '.join(missing)}")
    total = (64 if quick else 1024) * MIB
    label = f"{total // MIB} MiB"
    repeat = 3
    with tempfile.TemporaryDirectory(prefix="bench-bundle-", dir=os.environ.get("BENCH_TMP")) as tmp:
        root = Path(tmp)
        p = _setup(root, total)
        q = {k: shlex.quote(str(v)) for k, v in p.items()}
        out = root / "ours.zip"
        tools = root / "tools"

        def clean_export() -> None:
            out.unlink(missing_ok=True)
            shutil.rmtree(tools, ignore_errors=True)
            tools.mkdir()

        def tools_export() -> None:
            _sh(f"cd {q['src']} && sha256sum * > {tools}/SHA256SUMS\n"
                f"tar -cf - -C {q['src']} . | age -r {q['recipient']} > {tools}/submission.tar.age\n"
                f"minisign -S -s {q['key']} -m {tools}/submission.tar.age\n", stdin=KEY_PASS + "\n")

        ex_ours, ex_base, ex_peak = _measure(lambda: run_child(_export_code(p, out), env=_child_env()),
                                             tools_export, clean_export, repeat)
        clean_export()
        run_child(_export_code(p, out), env=_child_env())
        # the standard tools work on our own bundle's payload
        payload = root / "payload"
        subprocess.run(["unzip", "-q", "-o", str(out), "-d", str(payload)], check=True)
        q["payload"] = shlex.quote(str(payload / "submission.tar.age"))
        opened, tools_opened = root / "opened", root / "tools-opened"

        def clean_open() -> None:
            shutil.rmtree(opened, ignore_errors=True)
            shutil.rmtree(tools_opened, ignore_errors=True)
            tools_opened.mkdir()

        def tools_open() -> None:
            _sh(f"age -d -i {q['identity']} {q['payload']} | tar -xf - -C {tools_opened}\n"
                f"cd {tools_opened} && sha256sum -c --quiet SHA256SUMS\n")

        def tools_verify() -> None:
            _sh(f"minisign -Vm {q['payload']} -p {q['pub']} -q\n"
                f"age -d -i {q['identity']} {q['payload']} | tar -xOf - | sha256sum > /dev/null\n")

        op_ours, op_base, op_peak = _measure(lambda: run_child(_open_code(p, out, opened), env=_child_env()),
                                             tools_open, clean_open, repeat)
        ve_ours, ve_base, ve_peak = _measure(lambda: run_child(_verify_code(p, out), env=_child_env()),
                                             tools_verify, clean_open, repeat)
        clean_open()
        size_note = f"bundle {out.stat().st_size / MIB:.0f} MiB; {FILES} evidence files; median of {repeat}"
    return [
        Row(f"bundle export ({label})", ex_ours, ex_base, "sha256sum + tar -c → age -r + minisign -S",
            target_ratio=1.2, peak_mib=ex_peak, target_mib=200, note=size_note),
        Row(f"bundle open ({label})", op_ours, op_base, "age -d → tar -x + sha256sum -c",
            target_ratio=1.2, peak_mib=op_peak, target_mib=200),
        Row(f"bundle verify with identity ({label})", ve_ours, ve_base,
            "minisign -Vm + age -d → tar -xO → sha256sum", peak_mib=ve_peak, target_mib=200),
    ]
