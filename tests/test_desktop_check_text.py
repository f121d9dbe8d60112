"""The desktop's check table says each check in the UI language: the Japanese line a check
carries (exports/bundle_report.py ``Check.ja``), the English one in the English UI."""

from __future__ import annotations

from desktop import i18n
from desktop.ui.verify_banner import CheckColumn, CheckModel
from exports.bundle_report import EXPORT_TIME, Check, VerifyReport


def test_the_check_table_shows_the_detail_in_the_ui_language(qtbot):
    ja = "書き出し日時が 2099年1月1日 09:00 JST で、このコンピューターの時計では未来です"
    report = VerifyReport(ok=False, signer_key_id="0123456789ABCDEF", checks=[
        Check(EXPORT_TIME, False, "exported at 2099-01-01 09:00 JST, in the future", ja)])
    model = CheckModel()
    model.set_report(report)
    detail = model.index(0, CheckColumn.DETAIL)
    assert i18n.current() == "ja"
    assert model.data(detail) == ja
