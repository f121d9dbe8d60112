"""The read-only form (the auditor's view of an opened submission) over the same widgets."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from desktop.forms.models import EvidenceModel
from desktop.forms.section_form import SectionForm
from desktop.submission_source import SubmissionSource
from desktop.ui.evidence_panel import EvidencePanel
from desktop.ui.preview import render
from storage import EvidenceMeta

from .desktop_helpers import make_settings


def test_submission_shows_read_only(qtbot, qtmodeltester, mini_ws, tmp_path):
    mini_ws.set_answer("AGR-01", "yes")
    mini_ws.set_answer("CERT-01", "isms")
    mini_ws.set_answer("CERT-02", "IS 1")
    src = tmp_path / "cert.txt"
    src.write_text("certificate text")
    info = mini_ws.add_evidence("CERT-02", src, EvidenceMeta("certificate", title="登録証"))
    sub = mini_ws.submission()
    folder = tmp_path / "opened"
    target = folder / sub.evidence_path(info)
    target.parent.mkdir(parents=True)
    target.write_text("certificate text")

    source = SubmissionSource(sub, folder)
    form = SectionForm(source)
    qtbot.addWidget(form)
    form.show_section(sub.template.section("CERT"))
    form.show()
    cert1, cert2 = form.widgets["CERT-01"], form.widgets["CERT-02"]
    assert cert1.editor.combo.currentData() == "isms"
    assert not cert1.editor.isEnabled()
    assert cert2.editor.box.isReadOnly() and cert2.editor.box.text() == "IS 1"
    assert not cert2.attach_button.isVisibleTo(form)
    assert cert2.isVisibleTo(form) and form.widgets["CERT-03"].isVisibleTo(form)

    holder = QWidget()
    qtbot.addWidget(holder)
    panel = EvidencePanel(source, make_settings(tmp_path / "s.ini"), holder)
    panel.set_item("CERT-02")
    assert panel.model.rowCount() == 1
    assert not panel.remove_button.isVisibleTo(panel) and not panel.add_button.isVisibleTo(panel)
    model = EvidenceModel(source)
    model.set_item("CERT-02")
    qtmodeltester.check(model)
    preview = render(source.evidence_bytes(info.id), info)
    assert preview.kind == "text" and preview.text == "certificate text"


def test_a_path_leaving_the_folder_is_refused(mini_ws, tmp_path):
    import pytest

    from storage.errors import EvidenceNotFound

    src = tmp_path / "a.txt"
    src.write_text("x")
    info = mini_ws.add_evidence("TEC-04", src, EvidenceMeta("policy"))
    source = SubmissionSource(mini_ws.submission(), tmp_path / "empty")
    with pytest.raises(EvidenceNotFound):
        source.evidence_bytes(info.id)
