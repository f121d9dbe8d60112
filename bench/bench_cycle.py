"""Next year's workspace from this year's (issue 13 §1): ``init --from`` with 1,000 answers and
3,000 evidence files against what it cannot avoid, measured in the same run: a plain copy of the
workspace folder plus the re-encryption of every blob under a new age identity (pyrage, the
same primitive) — target ≤ 2×."""

from __future__ import annotations

import io
import shutil
import tempfile
import time
from pathlib import Path

from .bench_workspace import PASSPHRASE, build
from .harness import Row

NEW_PASSPHRASE = "bench next year's passphrase"


def run(quick: bool) -> list[Row]:
    import pyrage

    from storage import KdfParams, Workspace
    from storage.cycle import carry_forward

    n_items, n_evidence = (200, 300) if quick else (1000, 3000)
    fast = KdfParams(memory_kib=8 * 1024, iterations=1, lanes=1)
    with tempfile.TemporaryDirectory(prefix="bench-cycle-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        old, _plain = build(folder, n_items, n_evidence, fast)
        setup = time.perf_counter() - t0
        with Workspace.open(old, PASSPHRASE) as ws:
            blobs = [ws.blob_id_of(e.id) for e in ws.evidence()]
            store = ws._blobs  # the baseline decrypts with the store's own identity
        identity = store._identity
        new_recipient = pyrage.x25519.Identity.generate().to_public()

        def baseline(n: int) -> float:
            dest = folder / f"copy-{n}"
            t = time.perf_counter()
            shutil.copytree(old, dest)
            for blob_id in blobs:
                path = dest / store.path_of(blob_id).relative_to(old)
                with open(path, "rb") as fh:
                    plain = io.BytesIO()
                    pyrage.decrypt_io(fh, plain, [identity])
                encrypted = pyrage.encrypt(plain.getvalue(), [new_recipient])
                path.write_bytes(encrypted)
            return time.perf_counter() - t

        def ours(n: int) -> float:
            t = time.perf_counter()
            new, _report = carry_forward(old, PASSPHRASE, folder / f"next-{n}", NEW_PASSPHRASE, kdf=fast)
            new.close()
            return time.perf_counter() - t

        # interleaved, median of three each: the machine is shared
        base_times, our_times = [], []
        for n in range(3):
            base_times.append(baseline(n))
            our_times.append(ours(n))
        base_times.sort()
        our_times.sort()
    name = f"init --from ({n_items} answers, {n_evidence} evidence files)"
    return [Row(name, our_times[1], base_times[1],
                "copy of the folder + re-encryption of every blob (pyrage)", target_ratio=2.0,
                note=f"Argon2id at the floor (8 MiB) on both workspaces; building last year's took "
                     f"{setup:.0f} s; interleaved runs: ours min {our_times[0]:.2f} s / median "
                     f"{our_times[1]:.2f} s, baseline min {base_times[0]:.2f} s / median "
                     f"{base_times[1]:.2f} s")]
