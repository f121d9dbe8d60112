"""A malicious vendor with a real signing key, building bundles by hand with the standard tools.

Everything a signature covers is genuine: the vendor's own minisign key signs (``minisign -S``),
``age -e`` encrypts to the auditor, GNU ``tar`` packs, ``sha256sum`` lists the hashes, and the
canonical ZIP is written as docs/bundle-format.md describes. What the vendor controls is the
*content*: the template, answers.json, the manifest's claims, the activity log, the enclosed
checklist, the names. The auditor's checks behind the signatures are what meets it.

    kit = VendorKit(tmp_path, signer, auditor)
    content = kit.take_apart(real_bundle)           # what the vendor's app exported
    content.files["answers.json"] = ...             # any change
    bundle = kit.build(content)                     # signed, encrypted, zipped by the tools
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from exports import bundle_format as bf
from storage.activity import GENESIS, LogEntry, canonical

from .bundle_support import (
    SIGNING_PASSPHRASE,
    AuditorFiles,
    SignerFiles,
    decrypt_payload,
    tar_entries,
    write_zip,
)

TOOLS = ("minisign", "age", "tar", "sha256sum")


def _run(argv: list[str], cwd: Path, stdin: str | None = None) -> str:
    proc = subprocess.run(argv, cwd=cwd, input=stdin, capture_output=True, text=True, timeout=120,
                          check=False)
    assert proc.returncode == 0, (argv, proc.stdout, proc.stderr)
    return proc.stdout


@dataclass
class Content:
    """The tar's members in order (trailer excluded) and the manifest the vendor will sign."""

    files: dict[str, bytes]
    manifest: dict[str, Any]

    def json(self, name: str) -> Any:
        return json.loads(self.files[name])

    def put_json(self, name: str, doc: Any) -> None:
        self.files[name] = (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

    @property
    def log(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.files[bf.ACTIVITY_LOG].decode("utf-8").splitlines()]

    def put_log(self, entries: list[dict[str, Any]], *, rechain: bool = True) -> None:
        """Write the activity log; ``rechain``: recompute seq/prev/hash as anyone can (no key)."""
        if rechain:
            prev, out = GENESIS, []
            for n, e in enumerate(entries, 1):
                body = {"seq": n, "at": e["at"], "action": e["action"], "item": e.get("item"),
                        "detail": e.get("detail") or {}, "prev": prev}
                digest = LogEntry.compute_hash(body)
                out.append({**body, "hash": digest})
                prev = digest
            entries = out
            self.manifest["activity_log"] = {
                "path": bf.ACTIVITY_LOG, "entries": len(out),
                "head": {"seq": out[-1]["seq"], "hash": out[-1]["hash"]} if out else None}
        self.files[bf.ACTIVITY_LOG] = b"".join(canonical(e) + b"\n" for e in entries)

    def rename_member(self, old: str, new: str) -> None:
        self.files = {(new if k == old else k): v for k, v in self.files.items()}

    def sync_answers(self, **fields: Any) -> None:
        """Set fields in both answers.json and the manifest (they must agree)."""
        doc = self.json(bf.ANSWERS)
        doc.update(fields)
        self.put_json(bf.ANSWERS, doc)
        self.manifest.update({k: v for k, v in fields.items() if k in self.manifest})


@dataclass
class VendorKit:
    work: Path
    signer: SignerFiles
    auditor: AuditorFiles
    built: int = field(default=0)

    def take_apart(self, bundle: Path) -> Content:
        entries = tar_entries(decrypt_payload(bundle, self.auditor.identity_path))
        files = {e.info.name: e.data for e in entries if e.info.name not in bf.TRAILER}
        manifest = json.loads(next(e.data for e in entries if e.info.name == bf.MANIFEST))
        return Content(files, manifest)

    def build(self, content: Content, *, signed_at: int | None = None, manifest_edit=None) -> Path:
        """Sign, pack, encrypt and zip ``content`` with the real tools; returns the bundle file.
        ``signed_at``: the signed export time (default: the manifest's created_at)."""
        self.built += 1
        root = self.work / f"forge-{self.built}"
        tree = root / "tree"
        shutil.rmtree(root, ignore_errors=True)
        tree.mkdir(parents=True)
        names = list(content.files)
        for name, data in content.files.items():
            path = tree / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        manifest = copy.deepcopy(content.manifest)
        manifest["members"] = [{"path": n, "size": len(d), "sha256": hashlib.sha256(d).hexdigest()}
                               for n, d in content.files.items()]
        if manifest_edit is not None:
            manifest_edit(manifest)
        (tree / bf.MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", "utf-8")
        sid = manifest["submission_id"]
        if signed_at is None:
            created = dt.datetime.fromisoformat(manifest["created_at"].replace("Z", "+00:00"))
            signed_at = int(created.timestamp())
        # SHA256SUMS by sha256sum itself, signed by minisign itself
        (tree / bf.SUMS).write_text(_run(["sha256sum", "--", *names, bf.MANIFEST], tree), "utf-8")
        self._sign(tree, bf.SUMS, bf.sums_trusted_comment(signed_at, sid), bf.SUMS_SIG_COMMENT)
        listing = root / "members.txt"
        listing.write_text("".join(f"{n}\n" for n in [*names, *bf.TRAILER]), "utf-8")
        _run(["tar", "--format=pax", "--no-recursion", "--owner=0", "--group=0", "--numeric-owner",
              f"--mtime=@{signed_at}", "--mode=0644", "-C", str(tree), "-cf", str(root / "submission.tar"),
              "-T", str(listing)], root)
        _run(["age", "-e", "-r", self.auditor.recipient, "-o", str(root / bf.PAYLOAD),
              str(root / "submission.tar")], root)
        readme = bf.readme_text(submission_id=sid, created_at=manifest["created_at"],
                                vendor=manifest["vendor"], signer_key_id=self.signer.key_id,
                                signer_pub_b64=self.signer.key.public.base64).encode("utf-8")
        self._sign(root, bf.PAYLOAD, bf.payload_trusted_comment(signed_at, sid, readme),
                   bf.PAYLOAD_SIG_COMMENT)
        out = root / "bundle.zip"
        write_zip(out, [(bf.README, readme), (bf.SIGNER_PUB, self.signer.key.public.file_bytes()),
                        (bf.PAYLOAD, (root / bf.PAYLOAD).read_bytes()),
                        (bf.PAYLOAD_SIG, (root / f"{bf.PAYLOAD}.minisig").read_bytes())])
        return out

    def _sign(self, folder: Path, name: str, trusted: str, untrusted: str) -> None:
        _run(["minisign", "-S", "-s", str(self.signer.secret_path), "-m", name, "-t", trusted,
              "-c", untrusted], folder, stdin=SIGNING_PASSPHRASE + "\n")
