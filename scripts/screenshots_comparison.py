"""Screenshots of the comparison with the previous submission (issue 13 §3), from the real app.

    .venv/bin/python scripts/screenshots_comparison.py     # re-runs itself under xvfb-run without $DISPLAY

Two real bundles of the default template (year 1, then year 2 with two answers changed, a
note added and the ISMS certificate renewed) are exported and signed with throw-away keys in a
temporary folder; year 2 is opened in the auditor's window, compared with year 1, and the
window is saved at 1366x768 and 1440x900 in Japanese and English to docs/screenshots/
(comparison-<lang>-<width>.png), plus the 前回との差分 filter (comparison-filter-<lang>.png).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
PASSPHRASE = "demo passphrase for screenshots"
KEY_PASS = "demo signing passphrase"


def build(tmp: Path):
    from exports import keys
    from exports.bundle import export_bundle
    from questionnaire import default_template
    from storage import EvidenceMeta, KdfParams, Workspace

    signing = keys.generate_signing_key(tmp / "vendor", KEY_PASS, opslimit=1 << 20, memlimit=1 << 25)
    key = keys.load_signing_key(signing.secret_path, KEY_PASS)
    auditor = keys.generate_recipient_key(tmp / "auditor")
    fast = KdfParams(memory_kib=8 * 1024, iterations=1, lanes=1)
    template = default_template()
    texts = [i.id for i in template.items if i.kind.value == "text" and i.show_if is None][:6]
    with Workspace.create(tmp / "ws", PASSPHRASE, vendor="株式会社サンプルシステム", kdf=fast) as ws:
        ws.set_answers({**{i: f"2026年度の記載 {n + 1}" for n, i in enumerate(texts)},
                        **{i: "yes" for i in ("AGR-01", "AGR-02", "AGR-03")},
                        "CERT-01": "isms", "CERT-03": "IS 654321"})
        cert = tmp / "ISMS登録証-2026.pdf"
        cert.write_bytes(b"%PDF-1.4 ISMS 2026 " * 200)
        item = "CERT-03"   # the certificate's registration number: shown once CERT-01 is answered
        info = ws.add_evidence(item, cert, EvidenceMeta("certificate", title="ISMS 登録証", issuer="JQA",
                                                        expires=dt.date.today() + dt.timedelta(days=40)))
        export_bundle(ws, tmp / "2026.zip", signing_key=key, recipients=[auditor.recipient],
                      allow_incomplete=True)
        ws.set_answers({"CERT-03": "IS 777777", texts[2]: "責任者を変更（2027年4月）",
                        "AGR-02": {"value": "yes", "note": "2027年版の規約に同意済み"}})
        renewed = tmp / "ISMS登録証-2027.pdf"
        renewed.write_bytes(b"%PDF-1.4 ISMS 2027 renewed " * 200)
        ws.replace_evidence(info.id, renewed, EvidenceMeta("certificate", title="ISMS 登録証", issuer="JQA",
                                                           expires=dt.date.today() + dt.timedelta(days=1100)))
        export_bundle(ws, tmp / "2027.zip", signing_key=key, recipients=[auditor.recipient],
                      allow_incomplete=True)
    return tmp / "2026.zip", tmp / "2027.zip", signing, auditor, "CERT-03"


def shoot() -> None:
    os.environ["CCUS_ATTEST_HOME"] = tempfile.mkdtemp(prefix="ccus-shots-home-")
    from PySide6.QtWidgets import QApplication

    from desktop import i18n
    from desktop.app import make_application
    from desktop.auditor_session import OpenRequest, extract, verify
    from desktop.controller import AppController
    from desktop.forms.filters import FilterMode
    from desktop.settings import AUDITOR_IDENTITY, Settings
    from desktop.ui.compare_previous import PreviousBundlePicker
    from exports.keys import load_public_key

    app = make_application()
    tmp = Path(tempfile.mkdtemp(prefix="ccus-shots-"))
    try:
        old, new, signing, auditor, changed_item = build(tmp)
        OUT.mkdir(parents=True, exist_ok=True)
        for lang in ("ja", "en"):
            i18n.install(lang)
            settings = Settings(tmp / f"settings-{lang}.ini")
            settings.set(AUDITOR_IDENTITY, str(auditor.identity_path))
            controller = AppController(settings)
            request = OpenRequest(new, auditor.identity_path, load_public_key(signing.public_path).base64,
                                  tmp / f"opened-{lang}")
            opened = extract(request, verify(request))
            window = controller.bundle_opened(opened, "")
            PreviousBundlePicker.ask = classmethod(lambda cls, parent, start: old)
            task = window.compare_previous()
            while not task.done:
                app.processEvents()
            for width, height in ((1366, 768), (1440, 900)):
                window.resize(width, height)
                window.go_to_item(changed_item)
                window.select_item(changed_item)
                for _ in range(30):
                    app.processEvents()
                window.form.scroll_to(changed_item, focus=False)
                for _ in range(10):
                    app.processEvents()
                window.grab().save(str(OUT / f"comparison-{lang}-{width}.png"))
            window.filter.setCurrentIndex(window.filter.findData(FilterMode.CHANGED))
            window.apply_filter()
            for _ in range(30):
                app.processEvents()
            window.grab().save(str(OUT / f"comparison-filter-{lang}.png"))
            window.close()
            QApplication.processEvents()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> int:
    if not os.environ.get("DISPLAY") and shutil.which("xvfb-run") and "--no-xvfb" not in sys.argv:
        return subprocess.call(["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", sys.executable, __file__,
                                "--no-xvfb"])
    shoot()
    return 0


if __name__ == "__main__":
    sys.exit(main())
