"""A realistic, filled-in submission of the default template, built as a vendor would.

Used by the checklist/report tests and to look at the documents: most items answered
はい with evidence, a few 一部 with remediation notes, one いいえ, one expired and one
soon-expiring certificate, one long note, and items left open so blockers show.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from questionnaire import AnswerKind
from storage import EvidenceMeta, Workspace

ON = dt.date(2026, 11, 25)

TEXT_ANSWERS = {
    "CERT-03": "IS 712345",
    "CERT-04": "一般財団法人日本品質保証機構（JQA）",
    "GOV-03": "情報セキュリティ責任者：取締役CTO 山田太郎／個人情報保護管理者：管理部長 佐藤花子",
    "PHY-02": ("Amazon Web Services（AWS）アジアパシフィック（東京）リージョン、"
               "さくらインターネット石狩データセンター"),
    "TEC-04": "インフラ部長（鍵管理責任者）。取扱者は運用チームの指名者3名に限定",
    "API-02": "就業履歴データ登録標準API 仕様書 第2.3版",
    "API-13": ("現場の入退場記録から就業履歴を自動登録できるため、"
               "技能者のキャリア蓄積と元請・下請双方の事務負担の軽減につながる。"),
    "PI-07": "管理部 個人情報相談窓口（privacy@example.co.jp／03-1234-5678）",
    "INC-08": ("2024年6月、委託先の誤送信により取引先1社の担当者名簿（12名分）が別の取引先に送付された。"
               "同日回収・削除を確認し、個人情報保護委員会へ速報・確報を提出。"
               "送信前の宛先ダブルチェックを義務化した。"),
}
NOTES = {
    "TEC-05": ("partial", "管理者アカウントは多要素認証済み。"
                          "外部からのリモートアクセス（VPN）は2027年3月末までに多要素認証へ移行予定"
                          "（担当：インフラ部、進捗は月次の情報セキュリティ委員会で確認）。"),
    "GOV-08": ("partial", "2026年度の内部監査は開発部門のみ完了。運用部門は2027年1月に実施予定。"),
    "INC-05": ("no", "訓練は未実施。2027年2月に机上訓練を計画中。"),
    "PHY-08": ("yes", "ノートPCはBitLockerで暗号化し、MDM（Microsoft Intune）でリモートワイプ可能。"
                      "スマートフォンは会社貸与端末に限定し、持出し申請を必須としている。"
                      "私物端末（BYOD）からのCCUSデータへのアクセスは禁止しており、条件付きアクセスで技術的にも遮断している。"),
}
LEFT_OPEN = {"AGR-07", "CHG-03"}  # unanswered: blockers for the report
EVIDENCE_FILES = {
    "certificate": ("ISMS認証登録証_IS712345.pdf", "ISMS認証登録証", "JQA", "IS 712345"),
    "policy": ("情報セキュリティ基本方針_第4版.pdf", "情報セキュリティ基本方針", "自社", "ISP-004"),
    "design": ("システム設計書_第3版.pdf", "システム設計書", "自社", "DS-003"),
    "record": ("運用記録_2026年度.xlsx", "運用記録", "自社", ""),
    "log": ("api_exchange_log_sample_2026-10.csv", "API連携ログ抜粋", "自社", ""),
    "report": ("脆弱性診断報告書_2026年9月.pdf", "Webアプリケーション脆弱性診断報告書",
               "株式会社セキュア診断", "SR-2026-0917"),
    "screenshot": ("設定画面_多要素認証.png", "多要素認証の設定画面", "自社", ""),
    "contract": ("秘密保持誓約書_雛形.docx", "秘密保持誓約書（雛形）", "自社", ""),
    "other": ("補足資料.pdf", "補足資料", "自社", ""),
}


def _value_for(item):
    if item.id in TEXT_ANSWERS:
        return TEXT_ANSWERS[item.id]
    match item.kind:
        case AnswerKind.STATUS:
            return "yes"
        case AnswerKind.SINGLE:
            return (item.expected or item.choice_values)[0]
        case AnswerKind.MULTI:
            return list(item.choice_values[:2])
        case AnswerKind.DATE:
            return "2026-09-30"
        case AnswerKind.NUMBER:
            spec = item.number
            low = spec.minimum if spec and spec.minimum is not None else 0
            high = spec.maximum if spec and spec.maximum is not None else 400
            return int(low + (high - low) * 0.4) if spec and spec.integer else 96.5
        case AnswerKind.TEXT:
            return "社内規程に基づき対応済み（詳細は添付資料を参照）"
    raise AssertionError(item.kind)


def fill_default(ws: Workspace, scratch: Path, *, evidence: bool = True) -> None:
    """Answer every item of the default template in ``ws`` realistically."""
    updates: dict[str, object] = {}
    for item in ws.template.items:
        if item.id in LEFT_OPEN:
            continue
        value = _value_for(item)
        if item.id in NOTES:
            value, note = NOTES[item.id]
            updates[item.id] = {"value": value, "note": note}
        else:
            updates[item.id] = value
    updates["PHY-01"] = ["domestic_cloud", "domestic_dc"]
    if ws.template.has_item("INC-07"):  # 1.1.0: one incident, reported (INC-08 describes it)
        updates["INC-07"] = "occurred"
    updates["CERT-05"] = "2027-03-31"
    ws.set_answers(updates)
    # leave items hidden by a condition unanswered, as the form would
    hidden = [i for i, st in ws.assess(ON).items.items() if not st.visible and st.answered]
    ws.set_answers({i: None for i in hidden})
    if not evidence:
        return
    scratch.mkdir(parents=True, exist_ok=True)
    n = 0
    for item in ws.template.items:
        rule = item.evidence
        if rule is None or not rule.required or item.id in LEFT_OPEN or item.id in hidden:
            continue
        kind = rule.kinds[0]
        name, title, issuer, number = EVIDENCE_FILES[kind]
        n += 1
        folder = scratch / f"{n:03d}"
        folder.mkdir()
        path = folder / name
        path.write_bytes(f"{item.id} {name} {n}".encode())
        issued = dt.date(2025, 4, 1)
        expires = dt.date(2028, 3, 31) if kind == "certificate" else None
        if item.id == "CERT-03":
            expires = dt.date(2026, 10, 31)     # the certificate itself expired: a blocker (Art. 3(2))
        if item.id == "CERT-08":
            expires = dt.date(2027, 1, 15)      # expires within 90 days: a warning
        ws.add_evidence(item.id, path, EvidenceMeta(kind, title=title, issuer=issuer, number=number,
                                                    issued=issued, expires=expires))
    # a second file on one item, to show several files per row
    extra = scratch / "extra"
    extra.mkdir()
    (extra / "ISMS適用範囲_附属書.pdf").write_bytes(b"scope appendix")
    # the appendix expires with its certificate, so CERT-03 has no valid certificate left
    ws.add_evidence("CERT-03", extra / "ISMS適用範囲_附属書.pdf",
                    EvidenceMeta("certificate", title="適用範囲（附属書）", issuer="JQA",
                                 issued=dt.date(2025, 4, 1), expires=dt.date(2026, 10, 31)))


# --- helpers for the checklist / report / review tests ------------------------------------

VENDOR = "株式会社サンプル建設システムズ"
SIGNER = "0123456789ABCDEF"


def filled_submission(root: Path):
    """The submission of a filled default-template workspace made under ``root``, as the
    documents see it (the checklist, report and review tests share it)."""
    from .conftest import PASSPHRASE

    path = make_filled_workspace(root / "ws", root / "scratch")
    with Workspace.open(path, PASSPHRASE) as ws:
        return ws.submission(created_at="2026-11-25T09:00:00Z")


def make_filled_workspace(path: Path, scratch: Path, *, kdf=None, evidence: bool = True) -> Path:
    """Create a default-template workspace at ``path``, fill it, close it; returns the path."""
    from .conftest import FAST_KDF, PASSPHRASE

    with Workspace.create(path, PASSPHRASE, vendor=VENDOR, kdf=kdf or FAST_KDF) as ws:
        fill_default(ws, scratch, evidence=evidence)
    return path


def write_opened_folder(sub, folder: Path, *, signer: str | None = SIGNER) -> Path:
    """Lay out what `open` extracts from a bundle (the parts the checklist and report read)."""
    import json

    from questionnaire.submission import ANSWERS_FILE, TEMPLATE_FILE

    folder.mkdir(parents=True, exist_ok=True)
    (folder / ANSWERS_FILE).write_text(json.dumps(sub.to_document(), ensure_ascii=False), "utf-8")
    (folder / TEMPLATE_FILE).write_text(sub.template.source_text, "utf-8")
    if signer is not None:
        manifest = {"format": "ccus-attest/bundle/v1", "submission_id": sub.submission_id,
                    "signer_key_id": signer, "vendor": sub.vendor, "complete": False, "blockers": []}
        (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")
    return folder


def sheet_columns(sheet) -> dict[str, int]:
    """Column key → 1-based column of a checklist sheet, read from its header row as the importer
    reads it (a workbook an older version wrote lacks the columns added since, e.g. 等級)."""
    from exports.checklist_columns import COLUMNS, HEADER_ROW, Role

    names = {(c.ja if c.role is not Role.HIDDEN else c.key): c.key for c in COLUMNS}
    found = {}
    for cell in sheet[HEADER_ROW]:
        if isinstance(cell.value, str) and cell.value.split("\n", 1)[0] in names:
            found[names[cell.value.split("\n", 1)[0]]] = cell.column
    return found


def item_rows(sheet) -> dict[str, int]:
    """Item ID → worksheet row of a checklist sheet opened with openpyxl."""
    from exports.checklist_columns import FIRST_DATA_ROW

    key_col = sheet_columns(sheet)["_key"]
    return {sheet.cell(r, key_col).value: r for r in range(FIRST_DATA_ROW, sheet.max_row + 1)
            if sheet.cell(r, key_col).value and ":" not in sheet.cell(r, key_col).value}


def fill_review(src: Path, dest: Path, entries: dict[str, dict], edit=None) -> Path:
    """Fill the reviewer columns as an auditor would in Excel: ``entries`` maps an item ID to
    {"verdict", "finding", "reviewer", "reviewed_on"} values; ``edit(sheet, rows)`` may change more."""
    import openpyxl

    from exports.checklist_columns import SHEET_CHECKLIST

    wb = openpyxl.load_workbook(src)
    sheet = wb[SHEET_CHECKLIST]
    rows = item_rows(sheet)
    columns = sheet_columns(sheet)
    for item_id, values in entries.items():
        for key, value in values.items():
            sheet.cell(rows[item_id], columns[key]).value = value
    if edit is not None:
        edit(sheet, rows)
    wb.save(dest)
    return dest
