"""What verification found: one ``Check`` per property, and the auditor's own conclusions.

``VerifyReport`` is the structured result the CLI, the desktop app and later tools (an
auditor's register, a submission chain) build on: the checks by stable name, the signer key
ID, the submission ID and export time, the template the content was judged against (and how
the bundle's copy differs from it), and the assessment *recomputed* from answers.json and
the evidence — never the vendor's own claims.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from questionnaire.text import counted

if TYPE_CHECKING:
    from questionnaire.completeness import Assessment
    from questionnaire.official_templates import JudgingTemplate
    from questionnaire.submission import Submission
    from questionnaire.template_diff import TemplateDiff


@dataclass(frozen=True, slots=True)
class Check:
    """``name`` is stable (for programs and translations); ``detail`` is one English line (the
    JSON's, language-neutral), ``ja`` the same line in Japanese (empty: not worded yet)."""

    name: str
    ok: bool
    detail: str = ""
    ja: str = ""

    def line(self, lang: str) -> str:
        """The check as the CLI prints it: "OK  export-time: …" / "合格　書き出し日時: …"."""
        if lang == "en":
            return f"{'OK  ' if self.ok else 'FAIL'} {self.name}: {self.detail}"
        return f"{'合格  ' if self.ok else '不合格'} {check_label(self.name)}: {self.ja or self.detail}"

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "ok": self.ok, "detail": self.detail}


# Stable check names. Per-member checks are named "member:<path>".
ZIP = "zip"
SIGNER_PUB = "signer-pub"
OUTER_SIGNATURE = "outer-signature"
README = "readme"
DECRYPT = "decrypt"
ARCHIVE = "archive"
INNER_SIGNATURE = "inner-signature"
CHECKSUMS = "checksums"
MANIFEST = "manifest"
SIGNER_KEY_ID = "signer-key-id"
MEMBERS = "members"
TEMPLATE = "template"
ANSWERS = "answers"
EVIDENCE = "evidence"
ACTIVITY_LOG = "activity-log"
MEMBER_PREFIX = "member:"
CORRECTIVE_ACTIONS = "corrective-actions"    # read strictly; agrees with the activity log
# What the auditor's app judges itself (docs/bundle-format.md §5, "What verification proves"):
OFFICIAL_TEMPLATE = "official-template"     # the bundle's template is the official text of its version
LIMITS = "limits"                           # every text within the template's and the vendor app's limits
ANSWER_VALUES = "answer-values"             # every answer valid for the official template
NAMES = "names"                             # vendor and evidence names display as what they are
CONCLUSIONS = "conclusions"                 # the manifest's claims equal the recomputation
EXPORT_TIME = "export-time"                 # signed export time = the manifest's; not in the future
ACTIVITY_EVENTS = "activity-events"         # only event types the app writes
ACTIVITY_TIMES = "activity-times"           # timestamps in order, between creation and export
ACTIVITY_REPLAY = "activity-replay"         # the replayed log equals answers.json and the evidence
VENDOR_DOCUMENTS = "vendor-documents"       # checklist.xlsx: no formulas, links, macros, DDE; bound here
SIGNER_PIN = "signer-pin"                   # (CLI) the key and the vendor name agree with the pins

JST = dt.timezone(dt.timedelta(hours=9), "JST")

# The checks' names in Japanese (docs/bundle-format.md §5 lists them).
CHECK_LABELS_JA = {
    ZIP: "ZIP の構造", SIGNER_PUB: "同梱の公開鍵", OUTER_SIGNATURE: "外側の署名", README: "同梱の説明書",
    DECRYPT: "復号", ARCHIVE: "アーカイブ", INNER_SIGNATURE: "内側の署名", CHECKSUMS: "チェックサム",
    MANIFEST: "マニフェスト", SIGNER_KEY_ID: "署名鍵 ID", MEMBERS: "ファイルの一覧", TEMPLATE: "テンプレート",
    ANSWERS: "回答", EVIDENCE: "証跡", ACTIVITY_LOG: "操作履歴", OFFICIAL_TEMPLATE: "公式テンプレート",
    LIMITS: "文字数などの上限", ANSWER_VALUES: "回答の値", NAMES: "名前の表示", CONCLUSIONS: "結論の再計算",
    EXPORT_TIME: "書き出し日時", ACTIVITY_EVENTS: "操作履歴の種類", ACTIVITY_TIMES: "操作履歴の日時",
    ACTIVITY_REPLAY: "操作履歴の再生", VENDOR_DOCUMENTS: "提出者の書類", SIGNER_PIN: "登録済みの鍵",
}


def check_label(name: str) -> str:
    if name.startswith(MEMBER_PREFIX):
        return f"ファイル {name[len(MEMBER_PREFIX):]}"
    return CHECK_LABELS_JA.get(name, name)


def future_export(when: dt.datetime) -> tuple[str, str]:
    """(en, ja) of a failed export-time check: the export is dated in the future."""
    return (f"exported at {format_jst(when, 'en')}, in the future by this computer's clock",
            f"書き出し日時が {format_jst(when, 'ja')} で、このコンピューターの時計では未来です")


def exported_on_vendor_clock(when: dt.datetime) -> tuple[str, str]:
    return (f"exported {format_jst(when, 'en')} (the vendor's clock)",
            f"{format_jst(when, 'ja')} に書き出し（提出者の時計）")


def format_jst(when: dt.datetime | None, lang: str = "ja") -> str:
    """Japan time, as the auditor reads it: 2026年12月1日 14:03 JST (en: 2026-12-01 14:03 JST)."""
    if when is None:
        return "不明" if lang == "ja" else "unknown"
    local = when.astimezone(JST)
    if lang == "ja":
        return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M} JST"
    return f"{local:%Y-%m-%d %H:%M} JST"


@dataclass
class VerifyReport:
    ok: bool
    signer_key_id: str | None
    checks: list[Check] = field(default_factory=list)
    manifest: dict[str, Any] | None = None
    path: Path | None = None
    decrypted: bool = False     # False: only the outer signature could be checked
    submission_id: str | None = None          # from the signed comment of submission.tar.age
    exported_at: dt.datetime | None = None    # the signed export time (UTC)
    payload_digest: str | None = None         # BLAKE2b-512 of submission.tar.age: the signed payload
    signer_public_key: str | None = None      # the trusted key (base64) that verified the outer signature
    vendor: str | None = None                 # the signed manifest's vendor name
    judged_with: JudgingTemplate | None = None   # the auditor's own template the content is judged against
    template_diff: TemplateDiff | None = None    # how the bundle's template.yaml differs from it
    submission: Submission | None = None      # answers.json + evidence, read against judged_with
    assessment: Assessment | None = None      # recomputed by the auditor's app
    notes: list[str] = field(default_factory=list)  # what the caller added: pins, earlier sightings
    replay_suspected: bool = False            # (caller) this ID was seen before with another payload
    manifest_sha256: str | None = None        # of manifest.json, as SHA256SUMS (signed) lists it

    @property
    def problems(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    @property
    def official_template(self) -> bool:
        """Judged against a template the app ships (False: one the auditor supplied, or none)."""
        return self.judged_with is not None and self.judged_with.official

    def check(self, name: str) -> Check | None:
        return next((c for c in self.checks if c.name == name), None)

    def add(self, check: Check) -> None:
        """A check made by the caller (e.g. the signer pins); ``ok`` follows."""
        self.checks.append(check)
        self.ok = self.ok and check.ok

    def first_problem(self, lang: str = "en") -> str:
        bad = self.problems
        if lang != "en":
            if not bad:
                return "問題は見つかりませんでした"
            more = f"（ほか {len(bad) - 1} 件）" if len(bad) > 1 else ""
            return f"{check_label(bad[0].name)}: {bad[0].ja or bad[0].detail}{more}"
        if not bad:
            return "no problem found"
        more = f" (and {counted(len(bad) - 1, 'more problem')})" if len(bad) > 1 else ""
        return f"{bad[0].name}: {bad[0].detail}{more}"

    def conclusion_lines(self, lang: str = "en") -> list[str]:
        """The auditor's own conclusion, recomputed: completeness, counts, expiry."""
        a = self.assessment
        if a is None:
            return []
        expired, expiring = len(a.expired_evidence()), len(a.expiring_evidence())
        state = ("提出可" if lang == "ja" else "complete") if a.can_submit else \
            ("提出不可" if lang == "ja" else "INCOMPLETE")
        if lang == "ja":
            return [f"再計算の結果（{a.on.isoformat()} 時点）: {state} — 必須 {a.required} 項目中 "
                    f"{a.complete} 項目完了、要対応 {len(a.blockers)} 件、警告 {len(a.warnings)} 件、"
                    f"証跡の期限切れ {expired} 件・期限間近 {expiring} 件"]
        return [f"recomputed on {a.on.isoformat()}: {state} — {a.complete} of {a.required} required items "
                f"complete, {counted(len(a.blockers), 'blocking problem')}, "
                f"{counted(len(a.warnings), 'warning')}, "
                f"{expired} expired and {counted(expiring, 'expiring evidence file')}"]

    def as_dict(self) -> dict[str, Any]:
        from .bundle_claims import conclusions

        judged = self.judged_with
        return {
            "ok": self.ok, "path": str(self.path) if self.path else None,
            "signer_key_id": self.signer_key_id, "signer_public_key": self.signer_public_key,
            "decrypted": self.decrypted,
            "submission_id": self.submission_id,
            "exported_at": self.exported_at.isoformat().replace("+00:00", "Z") if self.exported_at else None,
            "exported_at_jst": format_jst(self.exported_at) if self.exported_at else None,
            "vendor": self.vendor, "payload_blake2b": self.payload_digest,
            "template": None if judged is None else {
                "id": judged.template.id, "version": judged.template.version,
                "sha256": judged.template.digest, "official": judged.official, "source": judged.source},
            "template_diff": self.template_diff.as_dict() if self.template_diff is not None else None,
            "conclusions": conclusions(self.assessment) if self.assessment is not None else None,
            "checks": [c.as_dict() for c in self.checks], "notes": list(self.notes),
            "replay_suspected": self.replay_suspected,
            "manifest": self.manifest, "manifest_sha256": self.manifest_sha256,
        }
