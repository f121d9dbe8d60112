"""Take the README's screenshots from the real app, under a virtual X screen.

    .venv/bin/python scripts/screenshots.py            # re-runs itself under xvfb-run if no $DISPLAY

It builds a demo workspace from the default template in a temporary folder (nothing
of the user's is touched), opens it in the real main window, and writes PNGs to
docs/screenshots/.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
PASSPHRASE = "demo passphrase for screenshots"
SIZE = (1440, 900)

TEXTS = {
    "CERT-03": "IS 654321",
    "CERT-04": "一般財団法人日本品質保証機構（JQA）",
    "GOV-03": "情報セキュリティ責任者: 取締役 技術本部長 山田太郎／個人情報保護管理者: 総務部長 佐藤花子",
    "PHY-02": "Amazon Web Services（東京リージョン ap-northeast-1）、株式会社サンプルデータセンター（大阪）",
    "TEC-04": "情報システム部長が管理責任者。鍵情報を扱えるのは運用チームの指名者3名に限定。",
    "API-02": "標準API仕様書 第2.1版",
    "API-13": ("現場の入退場記録が自動でCCUSの就業履歴に登録され、"
               "技能者のカードタッチ漏れによる登録不足が解消される。"),
    "PI-07": "株式会社サンプルシステム 情報セキュリティ室（03-0000-0000、security@example.co.jp）",
}
PARTIAL = {
    "HR-05": "委託先要員への教育記録が一部未整備。2027年3月末までに整備する。",
    "TEC-07": "管理者アカウントの多要素認証を2027年6月までに全面導入予定。",
}
UNANSWERED_SECTIONS = ("LOG", "INC", "PI", "CHG")


def value_for(item):
    from questionnaire import AnswerKind

    if item.id in TEXTS:
        return TEXTS[item.id]
    match item.kind:
        case AnswerKind.STATUS:
            return "partial" if item.id in PARTIAL else "yes"
        case AnswerKind.SINGLE:
            allowed = item.expected or item.choice_values
            return allowed[0]
        case AnswerKind.MULTI:
            return [item.choice_values[0]]
        case AnswerKind.DATE:
            if item.id == "CERT-05":  # a certificate expiring soon, to show the warning colours
                return (dt.date.today() + dt.timedelta(days=60)).isoformat()
            return "2026-03-15"
        case AnswerKind.NUMBER:
            spec = item.number
            return 12 if spec.maximum is None or spec.maximum >= 12 else spec.maximum
        case AnswerKind.TEXT:
            return "記入例"
    return None


def build_demo(folder: Path):
    from questionnaire.completeness import effective_values, is_visible
    from storage import EvidenceMeta, KdfParams, Workspace

    ws = Workspace.create(folder, PASSPHRASE, vendor="株式会社サンプルシステム",
                          kdf=KdfParams(memory_kib=8 * 1024, iterations=1, lanes=1))
    answers = {}
    for section in ws.template.sections:
        for item in section.items:
            if section.id in UNANSWERED_SECTIONS and item.id[-2:] not in ("01", "02"):
                continue
            values = effective_values(ws.template, {k: _answer(v) for k, v in answers.items()})
            if not is_visible(item, values):
                continue
            answers[item.id] = value_for(item)
    ws.set_answers({k: ({"value": v, "note": PARTIAL[k]} if k in PARTIAL else v) for k, v in answers.items()})
    certificate = folder.parent / "ISMS登録証.pdf"
    certificate.write_bytes(_certificate_pdf())
    ws.add_evidence("CERT-01", certificate, EvidenceMeta(
        "certificate", title="ISMS 認証登録証", issuer="JQA", number="IS 654321",
        issued=dt.date(2024, 4, 1), expires=dt.date.today() + dt.timedelta(days=60)))
    policy = folder.parent / "情報セキュリティ基本方針.pdf"
    policy.write_bytes(_certificate_pdf("情報セキュリティ基本方針"))
    ws.add_evidence("CERT-01", policy, EvidenceMeta("policy", title="情報セキュリティ基本方針",
                                                    issued=dt.date(2025, 4, 1)))
    ws.close()


def _answer(value):
    from questionnaire import Answer

    return Answer(value)


def _certificate_pdf(title: str = "ISMS 認証登録証") -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    c.setFont("HeiseiKakuGo-W5", 28)
    c.drawCentredString(A4[0] / 2, 700, title)
    c.setFont("HeiseiKakuGo-W5", 14)
    c.drawCentredString(A4[0] / 2, 640, "株式会社サンプルシステム 殿")
    c.showPage()
    c.save()
    return buffer.getvalue()


def shoot() -> None:
    from PySide6.QtWidgets import QApplication

    from desktop import i18n
    from desktop.app import make_application
    from desktop.controller import AppController
    from desktop.settings import AUTO_LOCK_SECONDS, LANGUAGE, Settings
    from storage import Workspace

    tmp = Path(tempfile.mkdtemp(prefix="ccus-shots-"))
    os.environ["CCUS_ATTEST_HOME"] = str(tmp / "home")
    folder = tmp / "demo" / "2026年度申請"
    folder.parent.mkdir(parents=True)
    build_demo(folder)
    app = make_application([sys.argv[0]])
    settings = Settings(tmp / "settings.ini")
    settings.set(LANGUAGE, "ja")
    settings.set(AUTO_LOCK_SECONDS, 0)
    settings.remember_workspace(folder)
    controller = AppController(settings)
    controller.start()
    OUT.mkdir(parents=True, exist_ok=True)

    def settle(rounds: int = 20) -> None:
        for _ in range(rounds):
            app.processEvents()

    controller.welcome.resize(900, 560)
    settle()
    controller.welcome.grab().save(str(OUT / "welcome.ja.png"))
    main = controller.workspace_opened(Workspace.open(folder, PASSPHRASE))
    main.resize(*SIZE)
    settle()
    main.go_to_section("CERT")
    main.select_item("CERT-01")
    main.evidence.table.selectRow(0)
    settle()
    main.grab().save(str(OUT / "main-window.ja.png"))
    main.go_to_section("HR")
    settle()
    main.form.scroll_to("HR-05", focus=False)
    settle()
    main.grab().save(str(OUT / "form-partial.ja.png"))
    main.show_dashboard()
    settle()
    main.grab().save(str(OUT / "dashboard.ja.png"))
    from desktop.ui.activity_dialog import ActivityDialog

    history = ActivityDialog(main.session, main)
    history.resize(1100, 560)
    history.show()
    wait_for(app, lambda: history.problems is not None)
    history.grab().save(str(OUT / "activity.ja.png"))
    history.close()
    main.lock()
    settle()
    main.grab().save(str(OUT / "locked.ja.png"))
    main._unlocked(Workspace.open(folder, PASSPHRASE))
    settle()
    bundle, keys = shoot_export(app, main, tmp)
    shoot_auditor(app, controller, bundle, keys, tmp)
    controller.set_language("en")
    main = controller.main
    main.resize(*SIZE)
    main.go_to_section("CERT")
    main.select_item("CERT-01")
    settle()
    main.grab().save(str(OUT / "main-window.en.png"))
    main.close()
    i18n.install("ja")
    QApplication.processEvents()
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"screenshots written to {OUT.relative_to(ROOT)}")


def wait_for(app, condition, timeout: float = 120.0) -> None:
    import time

    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("the app did not get there in time")
        app.processEvents()
        time.sleep(0.02)
    for _ in range(20):
        app.processEvents()


def shoot_export(app, main, tmp: Path):
    """The export wizard: its first page (blockers) and its summary, with real keys."""
    from desktop.ui.export_wizard import PAGE_RECIPIENTS, PAGE_SUMMARY
    from exports.keys import generate_recipient_key, generate_signing_key

    (tmp / "keys").mkdir()
    signing = generate_signing_key(tmp / "keys" / "sample-system-2026", PASSPHRASE)
    recipient = generate_recipient_key(tmp / "keys" / "auditor")
    (tmp / "out").mkdir()
    wizard = main.exports.export_bundle()
    wizard.resize(860, 620)
    wait_for(app, lambda: wizard.isVisible())
    wizard.grab().save(str(OUT / "export-check.ja.png"))
    wizard.check_page.anyway.setChecked(True)
    wizard.next()
    wizard.key_page.path.setText(str(signing.secret_path))
    wizard.key_page.passphrase.setText(PASSPHRASE)
    wizard.next()
    wait_for(app, lambda: wizard.currentId() == PAGE_RECIPIENTS)
    wizard.recipients_page.add(recipient.recipient)
    wizard.next()
    wizard.output_page.path.setText(str(tmp / "out" / "株式会社サンプルシステム_提出バンドル_2026.zip"))
    wizard.next()
    wait_for(app, lambda: wizard.currentId() == PAGE_SUMMARY)
    wizard.grab().save(str(OUT / "export-wizard.ja.png"))
    bundle = wizard.result.path
    wizard.accept()
    return bundle, (signing, recipient)


def shoot_auditor(app, controller, bundle: Path, keys, tmp: Path) -> None:
    """The auditor: a verified bundle (green banner, read-only form) and a tampered one (red)."""
    from PySide6.QtWidgets import QDialog

    from desktop.ui.auditor_open import FROM_FILE, OpenBundleDialog
    from questionnaire.review import Verdict

    signing, recipient = keys

    def open_dialog(path: Path) -> OpenBundleDialog:
        dialog = OpenBundleDialog(None, controller.settings)
        dialog.resize(820, 560)
        dialog.show()
        dialog.bundle.setText(str(path))
        dialog.identity.setText(str(recipient.identity_path))
        dialog.signer.setCurrentIndex(dialog.signer.findData(FROM_FILE))
        dialog.signer_file.setText(str(signing.public_path))
        dialog.start()
        wait_for(app, lambda: dialog.task is None and (dialog.result() == QDialog.DialogCode.Accepted
                                                       or dialog.banner.isVisible()))
        return dialog

    data = bytearray(bundle.read_bytes())
    data[len(data) // 2] ^= 1
    tampered = tmp / "out" / "tampered.zip"
    tampered.write_bytes(bytes(data))
    dialog = open_dialog(tampered)
    dialog.grab().save(str(OUT / "auditor-tampered.ja.png"))
    dialog.close()
    dialog = open_dialog(bundle)
    window = controller.bundle_opened(dialog.opened, dialog.note)
    window.resize(*SIZE)
    window.go_to_section("CERT")
    window.select_item("CERT-01")
    window.review.reviewer.setText("監査 花子")
    window.session.set_finding("CERT-01", Verdict.CONFORMS, "登録証の写しと有効期限を確認した。", "監査 花子",
                               dt.date.today())
    window.review.show_item("CERT-01")
    window.evidence.table.selectRow(0)
    wait_for(app, lambda: window.isVisible())
    window.grab().save(str(OUT / "auditor-view.ja.png"))
    window.close()


def run_on_a_screen(script: str, shoot, width: int, height: int, dpi: int = 96) -> int:
    """Run ``shoot`` on the X display there is, or re-run ``script`` under xvfb-run (one virtual
    screen of ``width`` x ``height``) when there is none: shared by every screenshot script."""
    if not os.environ.get("DISPLAY") and os.environ.get("QT_QPA_PLATFORM") != "offscreen":
        xvfb = shutil.which("xvfb-run")
        if not xvfb:
            print("needs an X display or xvfb-run (apt-get install xvfb xauth)", file=sys.stderr)
            return 1
        return subprocess.call([xvfb, "-a", "-s", f"-screen 0 {width}x{height}x24 -dpi {dpi}",
                                sys.executable, script])
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    shoot()
    return 0


def main() -> int:
    return run_on_a_screen(__file__, shoot, SIZE[0] + 100, SIZE[1] + 100)


if __name__ == "__main__":
    sys.exit(main())
