"""A chain of submissions (issue 13 §2): each bundle names the one it follows (ID and the
SHA-256 of its signed manifest), across a carry-forward too; ``verify --previous`` checks the
link and the signing key, with real keys, real bundles and the real CLI."""

from __future__ import annotations

import hashlib
import json

import pytest

from exports.bundle import export_bundle, verify_bundle
from exports.bundle_chain import CHAIN_LINK, CHAIN_ORDER, CHAIN_SIGNER, check_chain
from storage import Workspace
from storage.cycle import carry_forward

from .bundle_support import MINI, decrypt_payload, tar_entries
from .conftest import FAST_KDF, PASSPHRASE, run_cli

NEW = "a passphrase for next year"


def manifest_and_sha(bundle, auditor):
    entries = {e.info.name: e.data for e in tar_entries(decrypt_payload(bundle, auditor.identity_path))}
    raw = entries["manifest.json"]
    return json.loads(raw), hashlib.sha256(raw).hexdigest()


def verified(bundle, signer, auditor):
    report = verify_bundle(bundle, signer=signer.public_path, identity=auditor.identity_path, templates=MINI)
    assert report.ok, report.first_problem()
    return report


@pytest.fixture
def chain(complete_ws, tmp_path, signer, auditor):
    """Year 1 exported twice, then year 2 carried forward, confirmed and exported."""
    out = tmp_path / "bundles"
    out.mkdir()
    keys = {"signing_key": signer.key, "recipients": [auditor.recipient]}
    first = export_bundle(complete_ws, out / "y1a.zip", **keys)
    second = export_bundle(complete_ws, out / "y1b.zip", **keys)
    complete_ws.close()
    new, _report = carry_forward(complete_ws.path, PASSPHRASE, tmp_path / "y2", NEW, kdf=FAST_KDF)
    new.confirm_carried(new.unconfirmed(), "all")
    third = export_bundle(new, out / "y2.zip", signing_key=signer.key, recipients=[auditor.recipient])
    yield new, first, second, third
    new.close()


def test_each_bundle_names_the_one_it_follows_also_across_a_carry_forward(chain, auditor, signer):
    new, first, second, third = chain
    m1, sha1 = manifest_and_sha(first.path, auditor)
    m2, sha2 = manifest_and_sha(second.path, auditor)
    m3, _ = manifest_and_sha(third.path, auditor)
    assert "previous_submission" not in m1  # the workspace never exported before
    assert m2["previous_submission"] == {"submission_id": first.submission_id, "manifest_sha256": sha1,
                                         "signer_key_id": signer.key_id, "exported_from": "workspace"}
    assert m3["previous_submission"] == {"submission_id": second.submission_id, "manifest_sha256": sha2,
                                         "signer_key_id": signer.key_id, "exported_from": "origin"}
    # the export's log entry keeps the digest the next one links to
    last = [e for e in new.activity() if e.action == "bundle.exported"][-1]
    assert last.detail["manifest_sha256"] == manifest_and_sha(third.path, auditor)[1]
    assert last.detail["previous_submission"] == second.submission_id

    r1, r2, r3 = (verified(b.path, signer, auditor) for b in (first, second, third))
    assert r1.manifest_sha256 == sha1
    result = check_chain(r3, r2)
    assert result.ok and not result.key_changed
    assert {c.name for c in result.checks} == {CHAIN_LINK, CHAIN_ORDER, CHAIN_SIGNER}
    # the wrong predecessor, or the right one backwards, does not hold
    wrong = check_chain(r3, r1)
    assert not wrong.ok and "follows" in next(c for c in wrong.checks if c.name == CHAIN_LINK).detail
    assert not check_chain(r1, r3).ok


def test_a_changed_signing_key_fails_until_accepted(chain, tmp_path, signer, other_signer, auditor):
    new, _first, _second, third = chain
    fourth = export_bundle(new, tmp_path / "bundles" / "y2-newkey.zip", signing_key=other_signer.key,
                           recipients=[auditor.recipient])
    old, rotated = verified(third.path, signer, auditor), verified(fourth.path, other_signer, auditor)
    result = check_chain(rotated, old)
    assert result.key_changed and not result.ok
    signer_check = next(c for c in result.checks if c.name == CHAIN_SIGNER)
    assert "SIGNING KEY CHANGED" in signer_check.detail and signer.key_id in signer_check.detail
    accepted = check_chain(rotated, old, accept_key_change=True)
    assert accepted.ok and "SIGNING KEY CHANGED" in next(c for c in accepted.checks
                                                         if c.name == CHAIN_SIGNER).detail


def test_verify_previous_from_the_command_line(chain, tmp_path, signer, other_signer, auditor):
    _new, first, second, third = chain
    base = ["--signer", str(signer.public_path), "--identity", str(auditor.identity_path),
            "--template", str(MINI[0])]
    r = run_cli("verify", str(third.path), *base, "--previous", str(second.path), passphrase=None)
    assert r.code == 0, r.err
    assert "OK   chain-link" in r.out and "OK   chain-signer" in r.out
    r = run_cli("verify", str(third.path), *base, "--previous", str(first.path), "--json", passphrase=None)
    assert r.code != 0
    report = json.loads(r.out)
    assert not next(c for c in report["checks"] if c["name"] == "chain-link")["ok"]
    # needs the contents of both
    r = run_cli("verify", str(third.path), "--signer", str(signer.public_path), "--previous",
                str(second.path), passphrase=None)
    assert r.code != 0 and r.err.count("\n") == 1 and "--identity" in r.err
    # a key change: the old bundle's key is given separately; loud on stderr; refused until accepted
    rotated = tmp_path / "bundles" / "rotated.zip"
    export_bundle(_new, rotated, signing_key=other_signer.key, recipients=[auditor.recipient])
    other = ["--signer", str(other_signer.public_path), "--identity", str(auditor.identity_path),
             "--template", str(MINI[0]), "--accept-signer", "--previous", str(third.path),
             "--previous-signer", str(signer.public_path)]
    r = run_cli("verify", str(rotated), *other, passphrase=None)
    assert r.code != 0 and "SIGNING KEY CHANGED" in r.err and "FAIL chain-signer" in r.out
    r = run_cli("verify", str(rotated), *other, "--accept-key-change", passphrase=None)
    assert r.code == 0, r.out + r.err
    assert "SIGNING KEY CHANGED" in r.err and "accepted by the auditor" in r.out
    # without the old key, the old bundle cannot be verified: said, with the way out
    r = run_cli("verify", str(rotated), *other[:-2], "--accept-key-change", passphrase=None)
    assert r.code != 0 and "--previous-signer" in r.out


def test_a_forged_link_field_is_refused_as_a_malformed_manifest():
    from exports.bundle_chain import manifest_problem

    assert manifest_problem(None) is None
    assert manifest_problem({"submission_id": "x/..", "manifest_sha256": "0" * 64, "signer_key_id": "",
                             "exported_from": "workspace"}) == (
        "previous_submission.submission_id is malformed")
    assert "manifest_sha256" in manifest_problem({"submission_id": "6f1c5b0e-3c1d-4a57-9a59-3f1f1f1f1f1f",
                                                  "manifest_sha256": "zz", "signer_key_id": "",
                                                  "exported_from": "workspace"})


def test_a_workspace_that_never_exported_names_none(tmp_path, mini_template):
    from exports.bundle_chain import previous_submission

    with Workspace.create(tmp_path / "ws", PASSPHRASE, template=mini_template, kdf=FAST_KDF) as ws:
        assert previous_submission(ws.activity(), ws.origin) is None
