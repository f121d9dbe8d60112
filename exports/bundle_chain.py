"""A chain of submissions (issue 13 §2): a bundle's manifest names the submission it follows,
by ID and by the SHA-256 of that bundle's manifest.json (which SHA256SUMS lists and the vendor's
key signs), and the auditor checks the link against the earlier bundle they hold.

On export: the previous submission is the workspace's last export (its "bundle.exported" log
entry records the manifest's SHA-256), else, in a workspace carried forward from last year's,
the last export of that one (kept in the origin). A workspace that never exported, and whose
origin never did, names none: the manifest then has no ``previous_submission``.

On verification (``verify --previous OLD``): both bundles are verified in full; the link holds
when the new manifest names OLD's submission ID and the SHA-256 of OLD's manifest, OLD was
exported before, and both are signed by the same key. A key change is a failed check (the
auditor cannot tell a rotated key from a stranger's) until the auditor accepts it, having
verified OLD with its own key; it is then said in capitals in the report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import bundle_format as bf
from .bundle_report import Check, VerifyReport

EXPORT_ACTION = "bundle.exported"
# Check names (bundle_report's vocabulary; only added by --previous)
CHAIN_LINK = "chain-link"
CHAIN_SIGNER = "chain-signer"
CHAIN_ORDER = "chain-order"


def previous_submission(entries, origin) -> dict[str, Any] | None:
    """The manifest field naming the submission this one follows, or None. ``entries``: the
    workspace's activity log (oldest first); ``origin``: its storage.origin.Origin or None."""
    found = _last_linkable(e.detail for e in reversed(entries) if e.action == EXPORT_ACTION)
    source = "workspace"
    if found is None and origin is not None and origin.previous_export:
        found = _last_linkable([origin.previous_export])
        source = "origin"
    if found is None:
        return None
    return {"submission_id": found["submission_id"], "manifest_sha256": found["manifest_sha256"],
            "signer_key_id": found.get("signer_key_id", ""), "exported_from": source}


def _last_linkable(details) -> dict[str, Any] | None:
    for detail in details:
        if not isinstance(detail, dict):
            continue
        sid, sha = detail.get("submission_id"), detail.get("manifest_sha256")
        if bf.valid_submission_id(sid) and bf.valid_sha256(sha):
            return detail
        # An export made before the app recorded manifest digests cannot be linked; an older
        # one that can would name the wrong predecessor, so the search stops here.
        return None
    return None


def manifest_problem(value: Any) -> str | None:
    """Shape of the optional ``previous_submission`` field of a manifest."""
    if value is None:
        return None
    if not isinstance(value, dict):
        return "previous_submission is not an object"
    if not bf.valid_submission_id(value.get("submission_id")):
        return "previous_submission.submission_id is malformed"
    if not bf.valid_sha256(value.get("manifest_sha256")):
        return "previous_submission.manifest_sha256 is malformed"
    if not isinstance(value.get("signer_key_id"), str) or len(value["signer_key_id"]) > 64:
        return "previous_submission.signer_key_id is malformed"
    if value.get("exported_from") not in ("workspace", "origin"):
        return "previous_submission.exported_from is malformed"
    return None


@dataclass(frozen=True)
class ChainResult:
    checks: tuple[Check, ...]
    key_changed: bool

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)


def check_chain(new: VerifyReport, old: VerifyReport, *, accept_key_change: bool = False) -> ChainResult:
    """Checks that ``new`` follows ``old``. Both must be fully verified (decrypted) reports;
    nothing the vendor wrote is taken beyond what the signatures cover."""
    checks: list[Check] = []
    if not (new.ok and new.decrypted and new.manifest is not None):
        checks.append(Check(CHAIN_LINK, False,
                            "the new bundle did not verify in full; no link can be checked"))
        return ChainResult(tuple(checks), False)
    if not (old.ok and old.decrypted and old.manifest is not None and old.manifest_sha256):
        checks.append(Check(CHAIN_LINK, False, "the previous bundle did not verify in full "
                                               "(signature, decryption or contents); no link can be checked"))
        return ChainResult(tuple(checks), False)
    link = new.manifest.get("previous_submission")
    if link is None:
        checks.append(Check(CHAIN_LINK, False, f"submission {new.submission_id} names no previous submission "
                                               f"(expected {old.submission_id})"))
    elif link["submission_id"] != old.submission_id:
        checks.append(Check(CHAIN_LINK, False, f"submission {new.submission_id} follows "
                                               f"{link['submission_id']}, not {old.submission_id}"))
    elif link["manifest_sha256"] != old.manifest_sha256:
        checks.append(Check(CHAIN_LINK, False, f"submission {new.submission_id} names {old.submission_id} "
                                               "but another manifest (SHA-256 differs): not this bundle"))
    else:
        checks.append(Check(CHAIN_LINK, True, f"submission {new.submission_id} follows {old.submission_id} "
                                              f"(manifest SHA-256 {old.manifest_sha256[:16]}…)"))
    if new.exported_at is not None and old.exported_at is not None:
        # signed times are whole seconds: two exports in one second are in order
        if old.exported_at <= new.exported_at:
            checks.append(Check(CHAIN_ORDER, True, "the previous bundle was not exported after this one"))
        else:
            checks.append(Check(CHAIN_ORDER, False, "the previous bundle was exported after this one"))
    changed = new.signer_key_id != old.signer_key_id
    if not changed:
        checks.append(Check(CHAIN_SIGNER, True, f"both signed by key {new.signer_key_id}"))
    elif accept_key_change:
        checks.append(Check(CHAIN_SIGNER, True, f"SIGNING KEY CHANGED: {old.signer_key_id} → "
                                                f"{new.signer_key_id} (accepted by the auditor)"))
    else:
        checks.append(Check(CHAIN_SIGNER, False, f"SIGNING KEY CHANGED: the previous submission is signed by "
                                                 f"{old.signer_key_id}, this one by {new.signer_key_id}; "
                                                 "confirm the new key with the vendor by another channel, "
                                                 "then give --accept-key-change"))
    return ChainResult(tuple(checks), changed)
