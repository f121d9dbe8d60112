"""Screenshots of the yearly cycle (issue 13): next year's dashboard (carried answers to confirm,
deadlines, corrective actions) and the 是正処置 view, in Japanese and English, at 1366x768.

    .venv/bin/python scripts/cycle_screenshots.py      # re-runs itself under xvfb-run if no $DISPLAY

Builds last year's workspace from the default template in a temporary folder, imports a review
with three findings, carries it forward and opens next year's in the real main window.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
PASSPHRASE = "demo passphrase for screenshots"
SIZE = (1366, 768)


def build(tmp: Path) -> Path:
    from questionnaire.review import Finding, Review, Verdict
    from storage import EvidenceMeta, KdfParams, Workspace
    from storage.actions import actions, update_action
    from storage.cycle import carry_forward
    from storage.reviews import save_review

    sys.path.insert(0, str(ROOT / "scripts"))
    from screenshots import build_demo

    old = tmp / "2026年度申請"
    build_demo(old)
    today = dt.date.today()
    with Workspace.open(old, PASSPHRASE) as ws:
        ws.set_contract_date(today - dt.timedelta(days=300))
        t = ws.template
        ids = [i.id for i in t.items]
        pick = [ids[5], ids[20], ids[40]]
        save_review(ws, Review(ws.id, t.id, t.version, t.digest, "2026-12-01T00:00:00Z", findings=(
            Finding(pick[0], Verdict.NONCONFORMING, "委託先の監督記録が一部確認できない。", "監査 一郎",
                    today),
            Finding(pick[1], Verdict.NEEDS_CHECK, "ログの保存期間の根拠を示すこと。", "監査 一郎", today),
            Finding(pick[2], Verdict.NONCONFORMING, "脆弱性診断の是正が未完了。", "監査 一郎", today))))
        found = actions(ws)
        src = tmp / "監督記録.pdf"
        src.write_bytes(b"%PDF-1.4 demo")
        info = ws.add_evidence(found[0].item_id, src, EvidenceMeta("record", title="委託先監督記録"))
        update_action(ws, found[0].id, status="done", add_evidence=[info.id], owner="総務部",
                      root_cause="記録様式がなかった", plan="様式を定め、全委託先の記録を整備した")
        update_action(ws, found[1].id, status="in_progress", due=today - dt.timedelta(days=5),
                      owner="情報システム部", plan="保存期間の規程を改訂する")
        update_action(ws, found[2].id, due=today + dt.timedelta(days=40), owner="開発部")
    new, _report = carry_forward(old, PASSPHRASE, tmp / "2027年度申請", PASSPHRASE,
                                 kdf=KdfParams(memory_kib=8 * 1024, iterations=1, lanes=1))
    new.close()
    return tmp / "2027年度申請"


def shoot() -> None:
    from desktop.app import make_application
    from desktop.controller import AppController
    from desktop.settings import AUTO_LOCK_SECONDS, LANGUAGE, Settings
    from desktop.ui.actions_view import ActionsDialog
    from storage import Workspace

    tmp = Path(tempfile.mkdtemp(prefix="ccus-cycle-shots-"))
    os.environ["CCUS_ATTEST_HOME"] = str(tmp / "home")
    folder = build(tmp)
    app = make_application([sys.argv[0]])
    settings = Settings(tmp / "settings.ini")
    settings.set(LANGUAGE, "ja")
    settings.set(AUTO_LOCK_SECONDS, 0)
    controller = AppController(settings)
    controller.start()
    OUT.mkdir(parents=True, exist_ok=True)

    def settle(rounds: int = 30) -> None:
        for _ in range(rounds):
            app.processEvents()

    controller.workspace_opened(Workspace.open(folder, PASSPHRASE))
    for lang in ("ja", "en"):
        if lang == "en":
            controller.set_language("en")
        main = controller.main
        main.resize(*SIZE)
        main.show_dashboard()
        settle()
        main.grab().save(str(OUT / f"cycle-dashboard.{lang}.png"))
        dialog = ActionsDialog(main.session, main)
        dialog.resize(SIZE[0] - 120, SIZE[1] - 120)
        dialog.show()
        settle()
        dialog.view.setCurrentIndex(dialog.proxy.index(0, 0))
        settle()
        dialog.grab().save(str(OUT / f"corrective-actions.{lang}.png"))
        dialog.close()
    controller.main.close()
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"screenshots written to {OUT.relative_to(ROOT)}")


def main() -> int:
    from screenshots import run_on_a_screen  # the same Xvfb re-run as the README's screenshots

    return run_on_a_screen(__file__, shoot, SIZE[0], SIZE[1], dpi=120)


if __name__ == "__main__":
    sys.exit(main())
