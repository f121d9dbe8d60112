"""Signed, encrypted submission bundles: the public API the CLI and the desktop app call.

    export_bundle(ws, out, *, signing_key, recipients, allow_incomplete=False, on=None,
                  progress=None, cancel=None, overwrite=False) -> ExportResult
    verify_bundle(path, *, signer, identity=None, progress=None, cancel=None, templates=()) -> VerifyReport
    open_bundle(path, out_dir, *, signer, identity, progress=None, cancel=None, templates=(),
                approve=None) -> VerifyReport

The format is described in docs/bundle-format.md; keys are in exports.keys. ``templates``: the
template files the auditor accepts for versions the app does not ship (questionnaire/
official_templates.py); the auditor's pins and sightings are exports/bundle_pins.py and
exports/bundle_seen.py; the report is exports/bundle_report.py.
"""

from __future__ import annotations

from .bundle_export import ExportResult, export_bundle, rendered_documents
from .bundle_format import FORMAT
from .bundle_report import Check, VerifyReport
from .bundle_verify import open_bundle, verify_bundle
from .errors import (
    BundleError,
    BundleIncomplete,
    BundleVerificationFailed,
    KeyFileError,
    OutputExists,
    UnsafeArchive,
    WrongSigningPassphrase,
)

__all__ = [
    "FORMAT", "BundleError", "BundleIncomplete", "BundleVerificationFailed", "Check",
    "ExportResult", "KeyFileError", "OutputExists", "UnsafeArchive", "VerifyReport", "WrongSigningPassphrase",
    "export_bundle", "open_bundle", "rendered_documents", "verify_bundle",
]
