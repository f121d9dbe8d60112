"""The committed fixture bundles (tests/fixtures/bundles/README.md): files made by an earlier
build must keep verifying, and each broken one must keep failing for its reason."""

from __future__ import annotations

import pytest

from exports import bundle_report as R
from exports import keys
from exports.bundle import BundleVerificationFailed, open_bundle, verify_bundle
from questionnaire.submission import load_submission_dir

from .bundle_support import MINI
from .conftest import FIXTURES

HERE = FIXTURES / "bundles"
# The fixture signing key's passphrase (also in tests/fixtures/bundles/README.md).
SIGNING_PASSPHRASE = "fixture signing passphrase"
VENDOR = HERE / "vendor.pub"
AUDITOR = HERE / "auditor.age-identity"


def test_fixture_keys():
    key = keys.load_signing_key(HERE / "vendor.key", SIGNING_PASSPHRASE)
    assert key.public == keys.load_public_key(VENDOR)
    recipient = (HERE / "auditor.age-recipient").read_text().strip()
    assert str(keys.load_identities(AUDITOR)[0].to_public()) == recipient


def test_valid_fixture_verifies_and_opens(tmp_path):
    report = verify_bundle(HERE / "valid.zip", signer=VENDOR, identity=AUDITOR, templates=MINI)
    assert report.ok, report.first_problem()
    assert report.manifest["vendor"] == "フィクスチャ建設株式会社" and report.manifest["complete"] is True
    open_bundle(HERE / "valid.zip", tmp_path / "o", signer=VENDOR, identity=AUDITOR, templates=MINI)
    sub = load_submission_dir(tmp_path / "o", signer_key_id=report.signer_key_id)
    assert sub.template.id == "mini-test" and len(sub.evidence) == 2
    assert sub.answers["CERT-02"].value == "IS 123456"


BROKEN = {
    "flipped-payload.zip": (R.OUTER_SIGNATURE, "contents were altered"),
    "truncated.zip": (R.ZIP, "ZIP"),
    "swapped-readme.zip": (R.README, "differs from the one that was signed"),
    "extra-entry.zip": (R.ZIP, "unexpected entry 'run-me.exe'"),
    "wrong-signer.zip": (R.OUTER_SIGNATURE, "not by the expected key"),
    "traversal.zip": (R.ARCHIVE, "'..' component"),
    "tampered-log.zip": (R.ACTIVITY_LOG, "content was edited (hash mismatch)"),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_fixtures_fail_for_their_reason(name, tmp_path):
    check, fragment = BROKEN[name]
    report = verify_bundle(HERE / name, signer=VENDOR, identity=AUDITOR, templates=MINI)
    assert not report.ok
    assert report.problems[0].name == check, report.first_problem()
    assert fragment in report.problems[0].detail
    with pytest.raises(BundleVerificationFailed):
        open_bundle(HERE / name, tmp_path / "o", signer=VENDOR, identity=AUDITOR, templates=MINI)
    assert not (tmp_path / "o").exists() and not (tmp_path / "escaped.txt").exists()
