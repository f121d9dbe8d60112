"""What a decrypted bundle holds, checked against its signed manifest and signatures.

``ContentChecks`` is mixed into the verifier (exports/bundle_verify.py), which streams the
archive, collects every member's size and SHA-256 (and the small metadata files' bytes)
in ``members`` / ``order``, and then calls ``_check_contents``: first that the content is
what was signed (this module), then what the auditor's app judges itself against its own
template (bundle_judgement.py). Every step is linear in the number of members and checks
for a cancel between steps and every few thousand members.
"""

from __future__ import annotations

import json
from typing import Any

from questionnaire.errors import AttestError
from questionnaire.official_templates import JudgingTemplate, judging_template, official_templates
from questionnaire.safe_names import shown
from questionnaire.submission import Submission, from_document
from questionnaire.template import Template, load_template_text
from questionnaire.template_diff import diff_templates
from questionnaire.text import counted
from storage.activity import verify_chain

from . import bundle_format as bf
from . import bundle_report as R
from .bundle_judgement import JudgementChecks
from .bundle_report import VerifyReport
from .errors import KeyFileError
from .keys import PublicSigningKey, SignatureInfo, parse_signature, verify_bytes

TICK_EVERY = 4096   # members between two looks at the cancel flag


class Member:
    __slots__ = ("data", "name", "sha256", "size")

    def __init__(self, name: str, size: int, sha256: str, data: bytes | None) -> None:
        self.name, self.size, self.sha256, self.data = name, size, sha256, data


class ContentChecks(JudgementChecks):
    """Needs ``pk``, ``members``, ``order``, ``report``, ``supplied`` (the templates the auditor
    accepts), ``add(name, ok, detail)`` and ``_tick()`` (raises Cancelled)."""

    pk: PublicSigningKey
    members: dict[str, Member]
    order: list[str]
    report: VerifyReport
    supplied: list[JudgingTemplate]

    def add(self, name: str, ok: bool, detail: str, ja: str = "") -> bool:
        raise NotImplementedError

    def _tick(self) -> None:
        raise NotImplementedError

    def _check_contents(self, outer: SignatureInfo | None) -> None:
        outer_sub = outer.trusted_fields().get("submission") if outer else None
        sums = self._check_inner_signature(outer_sub)
        self._tick()
        self._check_sums(sums)
        self._tick()
        manifest = self._check_manifest(outer_sub)
        if manifest is None:
            return
        self.report.manifest = manifest
        self.report.vendor = manifest["vendor"]
        sums_ok = self.report.check(R.CHECKSUMS)
        if sums_ok is not None and sums_ok.ok:  # the digest the signature covers (a chain's link)
            self.report.manifest_sha256 = self.members[bf.MANIFEST].sha256
        self._check_members(manifest)
        self._tick()
        bundled = self._check_template(manifest)
        judging = self._check_official_template(manifest, bundled)
        sub = self._check_answers(manifest, judging)
        self._tick()
        self._check_evidence(manifest)
        self._tick()
        entries = self._check_activity_log(manifest)
        self._tick()
        sub = self._check_corrective_actions(sub, entries)
        self._tick()
        self._judge(manifest, judging, sub, entries)

    def _data(self, name: str) -> bytes | None:
        m = self.members.get(name)
        return m.data if m is not None else None

    def _release(self, name: str) -> None:
        """A metadata file is parsed: its bytes are not needed any more (big bundles)."""
        m = self.members.get(name)
        if m is not None:
            m.data = None

    def _check_inner_signature(self, outer_sub: str | None) -> bytes | None:
        sums, sig_data = self._data(bf.SUMS), self._data(bf.SUMS_SIG)
        if sums is None or sig_data is None:
            missing = bf.SUMS if sums is None else bf.SUMS_SIG
            self.add(R.INNER_SIGNATURE, False, f"{missing} is missing from the archive",
                     f"{missing} がアーカイブにありません")
            return None
        try:
            sig = parse_signature(sig_data, bf.SUMS_SIG)
        except KeyFileError as exc:
            self.add(R.INNER_SIGNATURE, False, str(exc), f"{bf.SUMS_SIG} を読めません（{exc}）")
            return None
        problem = verify_bytes(self.pk, sums, sig)
        fields = sig.trusted_fields()
        if problem is None and fields.get("file") != bf.SUMS:
            problem = f"the signature is for {fields.get('file')!r}, not {bf.SUMS}"
        if problem is None and outer_sub is not None and fields.get("submission") != outer_sub:
            problem = "it belongs to another submission than the outer signature (members swapped)"
        if problem:
            self.add(R.INNER_SIGNATURE, False, f"{bf.SUMS}: {problem}",
                     f"{bf.SUMS} の署名が正しくありません（{problem}）")
            return None
        self.add(R.INNER_SIGNATURE, True, f"{bf.SUMS} signed by key {sig.key_id}",
                 f"{bf.SUMS} は鍵 {sig.key_id} で署名されています")
        return sums

    def _check_sums(self, sums: bytes | None) -> None:
        if sums is None:
            return
        try:
            listed = bf.parse_sums(sums)
        except ValueError as exc:
            self.add(R.CHECKSUMS, False, f"{bf.SUMS}: {exc}", f"{bf.SUMS} を読めません（{exc}）")
            return
        covered = [n for n in self.order if n not in (bf.SUMS, bf.SUMS_SIG)]
        names = [p for p, _ in listed]
        named = set(names)  # once: looked up for every member below
        problem = None
        if len(named) != len(names):
            problem = "lists a file twice"
        elif missing := next((n for n in names if n not in self.members), None):
            problem = f"lists {missing!r}, which is not in the archive"
        elif unlisted := next((n for n in covered if n not in named), None):
            problem = f"does not list {unlisted!r}, which is in the archive"
        else:
            bad = [p for p, d in listed if self.members[p].sha256 != d]
            if bad:
                problem = f"{bad[0]!r}: SHA-256 differs from the signed checksum"
        if problem:
            self.add(R.CHECKSUMS, False, f"{bf.SUMS} {problem}",
                     f"{bf.SUMS} がアーカイブと一致しません（{problem}）")
        else:
            self.add(R.CHECKSUMS, True, f"{len(listed)} files match {bf.SUMS}",
                     f"{len(listed)} 個のファイルが {bf.SUMS} と一致します")

    def _check_manifest(self, outer_sub: str | None) -> dict[str, Any] | None:
        raw = self._data(bf.MANIFEST)
        if raw is None:
            self.add(R.MANIFEST, False, f"{bf.MANIFEST} is missing from the archive",
                     f"{bf.MANIFEST} がアーカイブにありません")
            return None
        try:
            doc = _json(raw)
        except ValueError as exc:
            self.add(R.MANIFEST, False, f"{bf.MANIFEST} is not valid JSON ({exc})",
                     f"{bf.MANIFEST} が正しい JSON ではありません（{exc}）")
            return None
        del raw
        self._release(bf.MANIFEST)
        problem = _manifest_problem(doc)
        if problem is None and outer_sub is not None and doc["submission_id"] != outer_sub:
            problem = "names another submission than the outer signature (members swapped)"
        if problem:
            self.add(R.MANIFEST, False, f"{bf.MANIFEST}: {problem}",
                     f"{bf.MANIFEST} に問題があります（{problem}）")
            return None
        # The vendor's claims (complete, blockers) are not repeated here: the auditor's app
        # recomputes them (conclusions).
        self.add(R.MANIFEST, True, f"submission {doc['submission_id']} of "
                                   f"{shown(doc['vendor'], 80) or '(no vendor)'}",
                 f"{shown(doc['vendor'], 80) or '（提出者名なし）'} の提出 {doc['submission_id']}")
        if doc["signer_key_id"] != self.pk.key_id:
            self.add(R.SIGNER_KEY_ID, False, f"{bf.MANIFEST} names signer key {doc['signer_key_id']}, "
                                             f"but the bundle is signed with {self.pk.key_id}",
                     f"{bf.MANIFEST} には署名鍵 {doc['signer_key_id']} とありますが、"
                     f"署名は鍵 {self.pk.key_id} によるものです")
        else:
            self.add(R.SIGNER_KEY_ID, True, f"{bf.MANIFEST} names the signer key {self.pk.key_id}",
                     f"{bf.MANIFEST} の署名鍵は {self.pk.key_id} で、署名と一致します")
        return doc

    def _check_members(self, manifest: dict[str, Any]) -> None:
        listed = {m["path"]: m for m in manifest["members"]}
        content = [n for n in self.order if n not in bf.TRAILER]
        missing = [p for p in listed if p not in self.members]
        extra = [n for n in content if n not in listed]
        for p in missing:
            self.add(R.MEMBER_PREFIX + p, False,
                     f"{p} is listed in {bf.MANIFEST} but missing from the archive",
                     f"{p} は {bf.MANIFEST} に記載されていますが、アーカイブにありません")
        for n in extra:
            self.add(R.MEMBER_PREFIX + n, False, f"{n} is in the archive but not in the signed {bf.MANIFEST}",
                     f"{n} はアーカイブにありますが、署名された {bf.MANIFEST} に記載がありません")
        for n, name in enumerate(content, 1):
            if n % TICK_EVERY == 0:
                self._tick()
            if name not in listed:
                continue
            want, got = listed[name], self.members[name]
            if want["size"] != got.size:
                self.add(R.MEMBER_PREFIX + name, False, f"{name}: size {got.size} bytes, the manifest says "
                                                        f"{want['size']}",
                         f"{name}: 大きさが {got.size} バイトで、{bf.MANIFEST} の "
                         f"{want['size']} バイトと違います")
            elif want["sha256"] != got.sha256:
                self.add(R.MEMBER_PREFIX + name, False, f"{name}: SHA-256 differs from the manifest",
                         f"{name}: SHA-256 が {bf.MANIFEST} と違います")
            else:
                self.add(R.MEMBER_PREFIX + name, True, f"{name}: {got.size} bytes, SHA-256 matches")
        required = [n for n in bf.REQUIRED_CONTENT if n not in listed]
        if required or missing or extra:
            what = (f"{required[0]} is missing" if required else
                    f"{len(missing)} missing, {counted(len(extra), 'unlisted member')}")
            what_ja = (f"{required[0]} がありません" if required else
                       f"欠けているもの {len(missing)} 個、記載のないもの {len(extra)} 個")
            self.add(R.MEMBERS, False, f"the archive does not match {bf.MANIFEST}: {what}",
                     f"アーカイブが {bf.MANIFEST} と一致しません: {what_ja}")
        else:
            self.add(R.MEMBERS, True, f"exactly the {len(listed)} members of {bf.MANIFEST}",
                     f"{bf.MANIFEST} に記載の {len(listed)} 個のファイルがちょうど揃っています")

    def _check_template(self, manifest: dict[str, Any]) -> Template | None:
        """template.yaml parses, and is the one the manifest names. Returns the parsed
        bundle copy (for the comparison with the official text) even when it is not."""
        raw = self._data(bf.TEMPLATE)
        want = manifest["template"]
        if raw is None:
            self.add(R.TEMPLATE, False, f"{bf.TEMPLATE} is missing", f"{bf.TEMPLATE} がありません")
            return None
        digest = bf.sha256_hex(raw)
        named = (want.get("id"), want.get("version"))
        known = judging_template(*named, self.supplied) if all(isinstance(v, str) for v in named) else None
        if known is not None and known.template.digest == digest:
            # the very text of the auditor's own copy, parsed already: the same bytes parse the same
            # (a 1,000-item template takes seconds to parse and validate again)
            template = known.template
        else:
            try:
                template = load_template_text(raw.decode("utf-8"), bf.TEMPLATE)
            except (AttestError, UnicodeDecodeError) as exc:
                self.add(R.TEMPLATE, False, f"{bf.TEMPLATE} is not a valid template ({exc})",
                         f"{bf.TEMPLATE} はテンプレートとして読めません（{exc}）")
                return None
        got = {"id": template.id, "version": template.version, "sha256": digest}
        if got != {k: want.get(k) for k in got}:
            diff = next(k for k in got if got[k] != want.get(k))
            self.add(R.TEMPLATE, False, f"{bf.TEMPLATE}: {diff} is {got[diff]!r} but {bf.MANIFEST} says "
                                        f"{want.get(diff)!r}",
                     f"{bf.TEMPLATE} の {diff} は {got[diff]!r} ですが、"
                     f"{bf.MANIFEST} では {want.get(diff)!r} です")
        else:
            self.add(R.TEMPLATE, True, f"{bf.TEMPLATE} is {template.id} version {template.version}, as "
                                       f"{bf.MANIFEST} says",
                     f"{bf.TEMPLATE} は {bf.MANIFEST} の記載どおり {template.id} 版 {template.version} です")
        return template

    def _check_official_template(self, manifest: dict[str, Any],
                                 bundled: Template | None) -> JudgingTemplate | None:
        """The auditor's own copy of the version the manifest names — what everything below is
        judged against — and whether the bundle's template.yaml is exactly its text."""
        named = manifest["template"]
        tid, version = named["id"], named["version"]
        judging = judging_template(tid, version, self.supplied)
        self.report.judged_with = judging
        if judging is None:
            self.add(R.OFFICIAL_TEMPLATE, False,
                     f"{tid[:64]} version {version[:32]} is not a template this app ships "
                     f"({official_templates().describe()}); nothing in the bundle can be judged. To judge it "
                     "against a template file you trust, supply that file (--template FILE)",
                     f"{tid[:64]} 版 {version[:32]} は本アプリが同梱するテンプレートではないため、内容を判定"
                     "できません。信頼できるテンプレートのファイルで判定するには、そのファイルを "
                     "--template FILE で指定してください")
            return None
        raw = self._data(bf.TEMPLATE)
        whose = "official" if judging.official else "supplied (UNOFFICIAL)"
        whose_ja = "公式" if judging.official else "監査人が指定した（非公式）"
        if raw is not None and bf.sha256_hex(raw) == judging.template.digest:
            self.add(R.OFFICIAL_TEMPLATE, True, f"{bf.TEMPLATE} is the {judging.describe()}",
                     f"{bf.TEMPLATE} は{whose_ja}テンプレート {tid} 版 {version} の本文と同一です"
                     f"（SHA-256 {judging.template.digest[:16]}…）")
            return judging
        if bundled is None:
            self.add(R.OFFICIAL_TEMPLATE, False, f"{bf.TEMPLATE} is not the {whose} text of {tid} {version} "
                                                 "(it cannot even be read); the bundle is judged against the "
                                                 f"{whose} text",
                     f"{bf.TEMPLATE} は{whose_ja}テンプレート {tid} 版 {version} の本文ではありません"
                     "（読めません）。"
                     f"内容は{whose_ja}本文に照らして判定します")
            return judging
        diff = diff_templates(judging.template, bundled)
        self.report.template_diff = diff
        self.add(R.OFFICIAL_TEMPLATE, False,
                 f"{bf.TEMPLATE} differs from the {whose} text of {tid} {version}: {diff.summary()}; "
                 f"the bundle is judged against the {whose} text",
                 f"{bf.TEMPLATE} は{whose_ja}テンプレート {tid} 版 {version} の本文と違います"
                 f"（{diff.summary()}）。内容は{whose_ja}本文に照らして判定します")
        return judging

    def _check_answers(self, manifest: dict[str, Any], judging: JudgingTemplate | None) -> Submission | None:
        """answers.json parses strictly against the auditor's template and agrees with the
        manifest. Returns the submission everything is recomputed from."""
        raw = self._data(bf.ANSWERS)
        if raw is None or judging is None:
            why = " (missing)" if raw is None else " without a template to judge it by"
            why_ja = "ファイルがありません" if raw is None else "判定に使うテンプレートがありません"
            self.add(R.ANSWERS, False, f"{bf.ANSWERS} cannot be checked{why}",
                     f"{bf.ANSWERS} を確認できません（{why_ja}）")
            return None
        try:
            doc = _json(raw)
        except ValueError as exc:
            self.add(R.ANSWERS, False, f"{bf.ANSWERS} is not valid JSON ({exc})",
                     f"{bf.ANSWERS} が正しい JSON ではありません（{exc}）")
            return None
        del raw
        self._release(bf.ANSWERS)
        named = doc.get("template") if isinstance(doc, dict) else None
        if not isinstance(named, dict) or {k: named.get(k) for k in ("id", "version", "sha256")} != {
                k: manifest["template"][k] for k in ("id", "version", "sha256")}:
            self.add(R.ANSWERS, False, f"{bf.ANSWERS} names another template than {bf.MANIFEST}",
                     f"{bf.ANSWERS} のテンプレートが {bf.MANIFEST} と違います")
            return None
        # The answers are read against the auditor's copy of that version: its digest stands
        # in for the bundle's (whose difference, if any, official-template reports).
        doc = {**doc, "template": {**named, "sha256": judging.template.digest}}
        try:
            sub = from_document(doc, judging.template, signer_key_id=self.pk.key_id)
        except AttestError as exc:
            self.add(R.ANSWERS, False, str(exc), f"{bf.ANSWERS} を読めません（{exc}）")
            return None
        for key in ("submission_id", "created_at", "vendor"):
            if getattr(sub, key) != manifest[key]:
                self.add(R.ANSWERS, False, f"{bf.ANSWERS}: {key} differs from {bf.MANIFEST}",
                         f"{bf.ANSWERS} の {key} が {bf.MANIFEST} と違います")
                return None
        if doc.get("evidence") != manifest["evidence"]:
            self.add(R.ANSWERS, False, f"{bf.ANSWERS}: the evidence list differs from {bf.MANIFEST}",
                     f"{bf.ANSWERS} の証跡の一覧が {bf.MANIFEST} と違います")
            return None
        self.add(R.ANSWERS, True, f"{counted(len(sub.answers), 'answer')}, "
                                  f"{counted(len(sub.evidence), 'evidence file')}, read "
                                  f"against the {'official' if judging.official else 'supplied'} template",
                 f"回答 {len(sub.answers)} 件・証跡 {len(sub.evidence)} 件を"
                 f"{'公式' if judging.official else '監査人が指定した'}テンプレートに照らして読みました")
        self.report.submission = sub
        return sub

    def _check_corrective_actions(self, sub: Submission | None, entries) -> Submission | None:
        """corrective-actions.json read strictly against the auditor's template and the bundle's
        own evidence, and compared with what the activity log recorded of each action (its
        status, due date, grade and evidence at its last change). Absent: no check, unless the
        log records actions (then the file was left out)."""
        from dataclasses import replace

        from questionnaire.corrective import from_document

        raw = self._data(bf.CORRECTIVE_ACTIONS)
        logged: dict[str, dict[str, Any]] = {}
        for e in entries or ():
            detail = e.get("detail") if isinstance(e, dict) else None
            if e.get("action") in ("action.created", "action.updated") and isinstance(detail, dict):
                logged[str(detail.get("action_id"))] = detail
        if raw is None:
            if logged:
                self.add(R.CORRECTIVE_ACTIONS, False, f"the activity log records corrective actions but "
                                                      f"{bf.CORRECTIVE_ACTIONS} is missing")
            return sub
        if sub is None:
            self.add(R.CORRECTIVE_ACTIONS, False,
                     f"{bf.CORRECTIVE_ACTIONS} cannot be checked without answers")
            return None
        try:
            doc = _json(raw)
            self._release(bf.CORRECTIVE_ACTIONS)
            found = from_document(doc, sub.template, [e.id for e in sub.evidence])
        except (ValueError, AttestError) as exc:
            self.add(R.CORRECTIVE_ACTIONS, False, str(exc)[:500])
            return sub
        if entries is not None:
            for a in found:
                last = logged.get(a.id)
                if last is None:
                    self.add(R.CORRECTIVE_ACTIONS, False, f"{a.id} is not in the activity log")
                    return sub
                recorded = (last.get("status"), last.get("due"), last.get("grade"), last.get("evidence"))
                if recorded != (a.status.value, a.due.isoformat() if a.due else None, a.grade,
                                list(a.evidence_ids)):
                    self.add(R.CORRECTIVE_ACTIONS, False, f"{a.id}: status, due date, grade or evidence "
                                                          "differ from the activity log's last record")
                    return sub
            stray = sorted(set(logged) - {a.id for a in found})
            if stray:
                self.add(R.CORRECTIVE_ACTIONS, False, f"the activity log records {stray[0]}, which "
                                                      f"{bf.CORRECTIVE_ACTIONS} does not hold")
                return sub
        closed = sum(a.status.closed for a in found)
        self.add(R.CORRECTIVE_ACTIONS, True, f"{counted(len(found), 'corrective action')}, {closed} closed; "
                                             "fields, references and the activity log agree",
                 f"是正処置 {len(found)} 件（完了 {closed} 件）。項目・参照・操作履歴は一致しています")
        sub = replace(sub, corrective_actions=found)
        self.report.submission = sub
        return sub

    def _log_entries(self, lines: list[str]) -> list[Any] | None:
        entries = _log_lines_as_array(lines)
        if entries is not None:
            return entries
        entries = []
        for n, line in enumerate(lines, 1):
            if n % TICK_EVERY == 0:
                self._tick()
            try:
                entries.append(_json(line))
            except ValueError:
                self.add(R.ACTIVITY_LOG, False, f"{bf.ACTIVITY_LOG}: line {n} is not JSON",
                         f"{bf.ACTIVITY_LOG} の {n} 行目が JSON ではありません")
                return None
        return entries

    def _check_evidence(self, manifest: dict[str, Any]) -> None:
        described = {}
        for n, e in enumerate(manifest["evidence"], 1):
            if n % TICK_EVERY == 0:
                self._tick()
            path = e.get("path") if isinstance(e, dict) else None
            if not isinstance(path, str) or path in described:
                self.add(R.EVIDENCE, False, f"{bf.MANIFEST}: an evidence entry has no or a repeated path",
                         f"{bf.MANIFEST} の証跡の記載に、パスがないもの又は重複したものがあります")
                return
            described[path] = e
        for path, e in described.items():
            m = self.members.get(path)
            if m is None:
                self.add(R.EVIDENCE, False, f"evidence {path} is described but missing",
                         f"証跡 {path} は記載されていますが、ファイルがありません")
                return
            if (m.size, m.sha256) != (e.get("size"), e.get("sha256")):
                self.add(R.EVIDENCE, False, f"evidence {path} does not match its recorded size and SHA-256",
                         f"証跡 {path} の大きさ又は SHA-256 が記録と一致しません")
                return
        stray = [n for n in self.order if n.startswith(bf.EVIDENCE_DIR + "/") and n not in described]
        if stray:
            self.add(R.EVIDENCE, False, f"{stray[0]} is not described as evidence in {bf.MANIFEST}",
                     f"{stray[0]} は {bf.MANIFEST} に証跡として記載されていません")
            return
        self.add(R.EVIDENCE, True, f"{counted(len(described), 'evidence file')} match their metadata",
                 f"証跡 {len(described)} 件が記録（大きさと SHA-256）と一致します")

    def _check_activity_log(self, manifest: dict[str, Any]) -> list[dict[str, Any]] | None:
        """The hash chain (which proves only that the log was not edited after it was chained;
        the vendor can rebuild it). Returns the entries for the checks beyond the chain."""
        raw = self._data(bf.ACTIVITY_LOG)
        info = manifest.get("activity_log")
        if raw is None or not isinstance(info, dict):
            self.add(R.ACTIVITY_LOG, False, f"{bf.ACTIVITY_LOG} or its description is missing",
                     f"{bf.ACTIVITY_LOG} 又はその記載がありません")
            return None
        try:
            lines = raw.decode("utf-8").splitlines()
        except UnicodeDecodeError:
            self.add(R.ACTIVITY_LOG, False, f"{bf.ACTIVITY_LOG} is not UTF-8 text",
                     f"{bf.ACTIVITY_LOG} が UTF-8 のテキストではありません")
            return None
        del raw
        self._release(bf.ACTIVITY_LOG)
        self.log_line_bytes = max((len(line) for line in lines), default=0)
        entries = self._log_entries(lines)
        if entries is None:
            return None
        head = info.get("head")
        expected = (head["seq"], head["hash"]) if isinstance(head, dict) and {"seq", "hash"} <= set(head) \
            else None
        if not all(isinstance(e, dict) for e in entries):
            self.add(R.ACTIVITY_LOG, False, f"{bf.ACTIVITY_LOG}: an entry is not a JSON object",
                     f"{bf.ACTIVITY_LOG} に JSON オブジェクトでない記録があります")
            return None
        problems: list[Any] = verify_chain(entries, expected)
        if not problems and info.get("entries") != len(entries):
            problems = [f"holds {len(entries)} entries, the manifest says {info.get('entries')}"]
        if problems:
            self.add(R.ACTIVITY_LOG, False, f"{bf.ACTIVITY_LOG}: {problems[0]}",
                     f"{bf.ACTIVITY_LOG} のハッシュ連鎖が壊れています（{problems[0]}）")
        else:
            self.add(R.ACTIVITY_LOG, True, f"{len(entries)} entries, hash chain intact (the vendor's own "
                                           "record: the chain proves no edits after chaining, not its dates)",
                     f"{len(entries)} 件、ハッシュ連鎖は正常（提出者自身の記録です。連鎖が示すのは連鎖後に"
                     "書き換えられていないことだけで、日時の正しさは示しません）")
        return entries


def _log_lines_as_array(lines: list[str]) -> list[Any] | None:
    """Every line at once, as one JSON array: one parse instead of one per entry (50,000
    entries). None when that fails (a line is not JSON, or two lines run into one): the
    caller then parses line by line to name the bad one."""
    if any(not line.strip() for line in lines):
        return None
    try:
        out = json.loads("[" + ",".join(lines) + "]")
    except (ValueError, RecursionError):
        return None
    return out if len(out) == len(lines) else None


def _json(raw: bytes | str) -> Any:
    """Parse JSON from a bundle. Raises ValueError (one line) for anything unusable: not
    UTF-8, not JSON, nested too deeply, integers longer than Python converts."""
    try:
        return json.loads(raw.decode("utf-8") if isinstance(raw, bytes) else raw)
    except RecursionError:
        raise ValueError("nested too deeply") from None
    except ValueError as exc:
        raise ValueError(" ".join(str(exc).split())[:200]) from None


def _manifest_problem(doc: Any) -> str | None:
    if not isinstance(doc, dict):
        return "not a JSON object"
    fmt = doc.get("format")
    if fmt != bf.FORMAT:
        if isinstance(fmt, str) and fmt.startswith(bf.FORMAT_PREFIX):
            return f"format {fmt!r} is newer than this app understands ({bf.FORMAT})"
        return "not a CCUS Attest bundle manifest"
    if not bf.valid_submission_id(doc.get("submission_id")):
        return "submission_id is missing or malformed"
    for key in ("created_at", "vendor", "signer_key_id"):
        if not isinstance(doc.get(key), str):
            return f"{key} is missing"
    if not isinstance(doc.get("complete"), bool) or not isinstance(doc.get("blockers"), list):
        return "complete / blockers are missing"
    if not all(isinstance(b, dict) and isinstance(b.get("code"), str) and isinstance(b.get("item_id"), str)
               for b in doc["blockers"]) or doc["complete"] != (not doc["blockers"]):
        return "complete / blockers disagree or are malformed"
    tpl = doc.get("template")
    if not isinstance(tpl, dict) or not all(isinstance(tpl.get(k), str) and len(tpl[k]) <= 100
                                            for k in ("id", "version", "sha256")):
        return "template is missing or malformed"
    members = doc.get("members")
    if not isinstance(members, list) or len(members) > bf.MAX_MEMBERS:
        return "members is missing"
    seen = set()
    for m in members:
        if not (isinstance(m, dict) and isinstance(m.get("path"), str) and isinstance(m.get("size"), int)
                and not isinstance(m.get("size"), bool) and bf.valid_sha256(m.get("sha256"))):
            return "a members entry is malformed"
        if m["path"] in seen or m["path"] in bf.TRAILER:
            return f"members lists {m['path']!r} wrongly"
        seen.add(m["path"])
    if not isinstance(doc.get("evidence"), list):
        return "evidence is missing"
    from .bundle_chain import manifest_problem

    return manifest_problem(doc.get("previous_submission"))
