"""Sign a release's SHA256SUMS with minisign, the signature format of our submission bundles.

    .venv/bin/python packaging/sign_release.py DIST/SHA256SUMS --key release.key
        [--signing-passphrase-file FILE]      (default: $CCUS_ATTEST_SIGNING_PASSPHRASE, else a prompt)

Writes DIST/SHA256SUMS.minisig: a prehashed (``ED``) minisign signature made with
exports/keys.py (py-minisign; nothing hand-rolled), its trusted comment in minisign's own
layout plus the release it belongs to. The signature is checked against the key's public
half before this returns. Users check a download with the standard tool:

    minisign -Vm SHA256SUMS -P RW…(the release public key)   then   sha256sum -c SHA256SUMS

The release key is an ordinary minisign key (``minisign -G`` or ``ccus-attest keygen
signing``); its secret half never leaves the maintainer's machine.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from the checkout
    sys.path.insert(0, str(ROOT))


def sign(sums: Path, key_file: Path, passphrase: str | None, release: str) -> str:
    """Write ``sums``.minisig; returns the signer's key ID."""
    from exports.keys import parse_signature, read_secret_key, verify_bytes
    from storage.fsutil import atomic_write

    data = sums.read_bytes()
    comment = f"timestamp:{int(time.time())}\tfile:{sums.name}\thashed\trelease:{release}"
    with read_secret_key(key_file).unlock(passphrase) as key:
        signature = key.sign_bytes(data, trusted_comment=comment,
                                   untrusted_comment=f"signature of {sums.name} for {release}")
        public = key.public
    problem = verify_bytes(public, data, parse_signature(signature))
    if problem:
        raise SystemExit(f"sign_release: the new signature does not verify: {problem}")
    with atomic_write(sums.with_name(sums.name + ".minisig"), overwrite=True) as fh:
        fh.write(signature)
    return public.key_id


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sign_release.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("sums", type=Path, metavar="SHA256SUMS")
    parser.add_argument("--key", required=True, type=Path, metavar="KEYFILE",
                        help="the release's minisign secret key")
    parser.add_argument("--signing-passphrase-file", metavar="FILE")
    parser.add_argument("--release", default="", help="what is released (default: ccus-attest-<version>)")
    args = parser.parse_args(argv)

    from cli.passphrase import get_passphrase
    from cli.version import app_version
    from exports.keys import read_secret_key
    from questionnaire.errors import AttestError

    try:
        encrypted = read_secret_key(args.key).encrypted
        passphrase = (get_passphrase(args.signing_passphrase_file, env="CCUS_ATTEST_SIGNING_PASSPHRASE",
                                     prompt="Release key passphrase: ") if encrypted else None)
        key_id = sign(args.sums, args.key, passphrase, args.release or f"ccus-attest-{app_version()}")
    except (AttestError, OSError) as exc:
        sys.stderr.write(f"sign_release: error: {exc}\n")
        return 1
    print(f"signed {args.sums} with key {key_id} -> {args.sums}.minisig")
    return 0


if __name__ == "__main__":
    sys.exit(main())
