"""What the auditor's app judges itself: a signature proves who sent a bundle, not that its
content is honest.

Once the content is known to be what the vendor signed (bundle_checks.py), everything the
auditor is shown is computed here from answers.json and the evidence, against the auditor's
*own* copy of the template version the bundle names — never the vendor's template, claims
or documents:

=====================  ====================================================================
``limits``             every text within the limits of the template and the vendor app
``answer-values``      every answer is what the vendor app's parser would have stored
``names``              vendor and evidence names display as what they are
``conclusions``        complete / blockers / counts / expiry recomputed; a manifest claim that
                       differs is named; judged on a date no earlier than the export
``export-time``        the signed export time and the manifest's agree; not in the future
``activity-events``    \\
``activity-times``      > the activity log beyond its chain (bundle_log.py)
``activity-replay``    /
``vendor-documents``   the bundled checklist.xlsx holds no formulas, links, macros, DDE, and
                       is bound to this submission (bundle_documents.py)
=====================  ====================================================================
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Any

from questionnaire.submission_rules import (
    MAX_META_CHARS,
    MAX_TIMESTAMP_CHARS,
    Breach,
    first_breaches,
    limit_breaches,
    name_breaches,
    value_breaches,
)
from storage.errors import Cancelled

from . import bundle_format as bf
from . import bundle_report as R
from .bundle_claims import assessed_on, conclusions, disagreements
from .bundle_documents import workbook_problems
from .bundle_log import MAX_LINE_BYTES, check_log, parse_app_time

if TYPE_CHECKING:
    from questionnaire.official_templates import JudgingTemplate
    from questionnaire.submission import Submission

    from .bundle_report import VerifyReport

log = logging.getLogger("ccus_attest.verify")
# The signed export time (outer signature) and the manifest's created_at are taken a moment
# apart by the exporter; further apart, one of them was written by hand.
EXPORT_SKEW = dt.timedelta(minutes=2)
# An export "in the future" by more than this, by the auditor's clock, is refused.
FUTURE_TOLERANCE = dt.timedelta(minutes=15)
_MANIFEST_TEXTS = {"created_at": MAX_TIMESTAMP_CHARS, "vendor": MAX_META_CHARS, "workspace_id": 64,
                   "signer_key_id": 16, "assessed_on": 10}
MAX_RECIPIENTS = 64


class JudgementChecks:
    report: VerifyReport
    log_line_bytes: int = 0

    def add(self, name: str, ok: bool, detail: str, ja: str = "") -> bool:
        raise NotImplementedError

    def _tick(self) -> None:
        raise NotImplementedError

    def _data(self, name: str) -> bytes | None:
        raise NotImplementedError

    def _judge(self, manifest: dict[str, Any], judging: JudgingTemplate | None, sub: Submission | None,
               entries: list[dict[str, Any]] | None) -> None:
        why = ("no template to judge against" if judging is None else
               f"{bf.ANSWERS} is unusable" if sub is None else "")
        guarded = self._guarded
        guarded(R.LIMITS, lambda: self._check_limits(manifest, sub, why))
        guarded(R.ANSWER_VALUES, lambda: self._check_rules(
            R.ANSWER_VALUES, sub, why, value_breaches,
            "every answer is valid for the template (the vendor app's own parser)",
            "すべての回答がテンプレートに照らして有効です（提出者側アプリと同じ解析）"))
        guarded(R.NAMES, lambda: self._check_rules(
            R.NAMES, sub, why, name_breaches,
            "vendor and evidence names hold no bidi, format or control characters and no "
            "Windows-reserved names",
            "提出者名・証跡の名前に、表示を偽る制御文字や Windows の予約名はありません"))
        guarded(R.CONCLUSIONS, lambda: self._check_conclusions(manifest, sub, why))
        exported = self.report.exported_at or parse_app_time(manifest.get("created_at"))
        guarded(R.EXPORT_TIME, lambda: self._check_export_time(manifest))
        guarded(R.ACTIVITY_EVENTS, lambda: self._check_log(entries, judging, sub, exported))
        guarded(R.VENDOR_DOCUMENTS, lambda: self._check_documents(manifest, judging))

    def _guarded(self, name: str, check) -> None:
        """Run one check; hostile content that breaks it fails it (never an "ok", never a crash
        of the auditor's tool). Cancel is honoured between checks."""
        self._tick()
        try:
            check()
        except (Cancelled, MemoryError, RecursionError):
            raise
        except Exception as exc:
            log.exception("check %s could not run", name)
            self.add(name, False, f"could not be checked ({type(exc).__name__}); the bundle is not accepted",
                     f"確認できませんでした（{type(exc).__name__}）。この提出バンドルは受け付けられません")

    # --- texts ----------------------------------------------------------------------------

    def _check_limits(self, manifest: dict[str, Any], sub: Submission | None, why: str) -> None:
        found: list[Breach] = []
        for key, limit in _MANIFEST_TEXTS.items():
            value = manifest.get(key)
            if isinstance(value, str) and len(value) > limit:
                found.append(Breach("manifest-text-too-long", f"{bf.MANIFEST} {key}",
                                    f"{len(value)} characters long; at most {limit}"))
        recipients = manifest.get("recipients")
        if isinstance(recipients, list) and (len(recipients) > MAX_RECIPIENTS or any(
                not isinstance(r, str) or len(r) > 100 for r in recipients)):
            found.append(Breach("manifest-text-too-long", f"{bf.MANIFEST} recipients",
                                f"more than {MAX_RECIPIENTS} or not age recipients"))
        if self.log_line_bytes > MAX_LINE_BYTES:
            found.append(Breach("log-entry-too-long", bf.ACTIVITY_LOG,
                                f"an entry is {self.log_line_bytes} bytes long; at most {MAX_LINE_BYTES}"))
        if sub is not None:
            found.extend(limit_breaches(sub))
        if found:
            self.add(R.LIMITS, False, first_breaches(found), breaches_ja(found))
        elif sub is None:
            self.add(R.LIMITS, False, f"the answers cannot be checked: {why}",
                     "回答を確認できません（前の確認が不合格のため）")
        else:
            self.add(R.LIMITS, True, "every text is within the template's and the vendor app's limits "
                                     "(notes 8,000 characters, names 500)",
                     "すべての文字列がテンプレートと提出者側アプリの上限内です"
                     "（備考 8,000 文字、名前 500 文字）")

    def _check_rules(self, name: str, sub: Submission | None, why: str, rules, ok_detail: str,
                     ok_ja: str = "") -> None:
        if sub is None:
            self.add(name, False, f"cannot be checked: {why}", "確認できません（前の確認が不合格のため）")
            return
        found = rules(sub)
        self.add(name, not found, first_breaches(found) if found else ok_detail,
                 breaches_ja(found) if found else ok_ja)

    # --- conclusions -----------------------------------------------------------------------

    def _check_conclusions(self, manifest: dict[str, Any], sub: Submission | None, why: str) -> None:
        if sub is None:
            self.add(R.CONCLUSIONS, False, f"not recomputed: {why}; nothing the manifest claims is confirmed",
                     "再計算できません（前の確認が不合格のため）。マニフェストの主張は何も確認されていません")
            return
        problems: list[str] = []
        on = assessed_on(manifest)
        exported = self.report.exported_at
        export_day = exported.date() if exported is not None else None
        if on is None:
            problems.append(f"assessed_on {str(manifest.get('assessed_on'))[:20]!r} is not a date")
            on = exported.astimezone(R.JST).date() if exported is not None else dt.date.today()
        elif export_day is not None and on < export_day - dt.timedelta(days=1):
            problems.append(f"the claims were judged on {on}, before the export ({format_day(exported)}): "
                            "evidence that had expired by the export would not show as expired")
        assessment = sub.assess(on)
        self.report.assessment = assessment
        problems.extend(disagreements(manifest, conclusions(assessment)))
        if problems:
            self.add(R.CONCLUSIONS, False, "; ".join(problems[:3]),
                     f"マニフェストの主張が再計算の結果と {len(problems)} 点で食い違います（{problems[0]}）")
        else:
            self.add(R.CONCLUSIONS, True, "the manifest's claims equal the recomputation: "
                                          + " ".join(self.report.conclusion_lines("en")),
                     "マニフェストの主張は再計算の結果と一致します: "
                     + " ".join(self.report.conclusion_lines("ja")))

    def _check_export_time(self, manifest: dict[str, Any]) -> None:
        signed = self.report.exported_at
        created = parse_app_time(manifest.get("created_at"))
        problem: tuple[str, str] | None = None
        if created is None:
            problem = (f"{bf.MANIFEST} created_at is not an app timestamp",
                       f"{bf.MANIFEST} の created_at が本アプリの日時の形式ではありません")
        elif signed is not None and abs(created - signed) > EXPORT_SKEW:
            problem = (f"{bf.MANIFEST} says it was made at {created:%Y-%m-%d %H:%M:%S} UTC, the signature at "
                       f"{signed:%Y-%m-%d %H:%M:%S} UTC",
                       f"{bf.MANIFEST} の作成日時は {R.format_jst(created, 'ja')}、署名の日時は "
                       f"{R.format_jst(signed, 'ja')} で、食い違っています")
        when = signed or created
        if problem is None and when is not None and when > dt.datetime.now(dt.UTC) + FUTURE_TOLERANCE:
            problem = R.future_export(when)
        if problem:
            self.add(R.EXPORT_TIME, False, *problem)
        else:
            self.add(R.EXPORT_TIME, True, *R.exported_on_vendor_clock(when))

    # --- the activity log beyond the chain ------------------------------------------------------

    def _check_log(self, entries: list[dict[str, Any]] | None, judging: JudgingTemplate | None,
                   sub: Submission | None, exported: dt.datetime | None) -> None:
        names = (R.ACTIVITY_EVENTS, R.ACTIVITY_TIMES, R.ACTIVITY_REPLAY)
        if entries is None:
            for name in names:
                self.add(name, False, f"cannot be checked: {bf.ACTIVITY_LOG} is unreadable",
                         f"{bf.ACTIVITY_LOG} を読めないため確認できません")
            return
        found = check_log(entries, template=judging.template if judging else None, sub=sub,
                          exported_at=exported, tick=self._tick)
        kinds = ", ".join(f"{n} {a}" for a, n in sorted(found.counts.items(), key=lambda kv: -kv[1])[:4])
        self.add(R.ACTIVITY_EVENTS, not found.events, "; ".join(found.events[:3]) if found.events else
                 f"only event types the app writes ({kinds})",
                 f"本アプリが書かない種類の記録があります（{found.events[0]}）" if found.events else
                 f"本アプリが書く種類の記録だけです（{len(found.counts)} 種類）")
        span = (f"{found.first_at:%Y-%m-%d %H:%M} – {found.last_at:%Y-%m-%d %H:%M} UTC"
                if found.first_at and found.last_at else "")
        span_ja = (f"{R.format_jst(found.first_at, 'ja')} ～ {R.format_jst(found.last_at, 'ja')}"
                   if found.first_at and found.last_at else "")
        self.add(R.ACTIVITY_TIMES, not found.times, "; ".join(found.times) if found.times else
                 f"in order, between the workspace's creation and the export ({span}; the vendor's clock)",
                 f"記録の日時に矛盾があります（{found.times[0]}）" if found.times else
                 f"日時は順に並び、ワークスペースの作成から書き出しまでの間にあります（{span_ja}、提出者の時計）")
        self.add(R.ACTIVITY_REPLAY, not found.replay, "; ".join(found.replay) if found.replay else
                 "replaying the log gives exactly the answers and evidence in the bundle",
                 f"{bf.ANSWERS} を読めないため、記録と照合できません" if found.replay and sub is None else
                 f"記録を再生した結果が提出内容と一致しません（{found.replay[0]}）" if found.replay else
                 "記録を再生すると、提出バンドルの回答と証跡がちょうど得られます")

    # --- the vendor's documents ------------------------------------------------------------------

    def _check_documents(self, manifest: dict[str, Any], judging: JudgingTemplate | None) -> None:
        data = self._data(bf.CHECKLIST)
        report_note = (f"; {bf.REPORT} is hashed only and never opened by the app"
                       if any(isinstance(m, dict) and m.get("path") == bf.REPORT for m in manifest["members"])
                       else "")
        if data is None:
            self.add(R.VENDOR_DOCUMENTS, True, f"no {bf.CHECKLIST} in the bundle{report_note}",
                     f"{bf.CHECKLIST} は同梱されていません")
            return
        problems = workbook_problems(data, submission_id=manifest["submission_id"],
                                     template=judging.template if judging else None,
                                     signer_key_id=self.report.signer_key_id, tick=self._tick)
        if problems:
            more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
            self.add(R.VENDOR_DOCUMENTS, False, f"{bf.CHECKLIST}: " + "; ".join(problems[:3]) + more,
                     f"{bf.CHECKLIST} に数式・外部リンク・マクロ・DDE 又は別の提出への結び付けがあります"
                     f"（{len(problems)} 件。最初: {problems[0]}）")
        else:
            self.add(R.VENDOR_DOCUMENTS, True,
                     f"{bf.CHECKLIST} holds no formulas, links, macros or DDE and is bound to this "
                     f"submission{report_note}; both are the vendor's renderings — the app renders its own",
                     f"{bf.CHECKLIST} に数式・リンク・マクロ・DDE はなく、この提出に結び付いています。"
                     "同梱の書類は提出者が作成したもので、本アプリは検証済みのデータから自ら作成します")


def breaches_ja(found) -> str:
    """The Japanese line of failed rules: how many, and the rules' stable names."""
    rules = "、".join(sorted({b.rule for b in found}))
    return f"規則に反するものが {len(found)} 件あります（規則: {rules}。最初: {found[0].where}）"


def format_day(when: dt.datetime | None) -> str:
    return when.astimezone(R.JST).date().isoformat() if when is not None else "?"
