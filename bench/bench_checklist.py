"""Checklist (xlsx) and report (PDF) for a template scaled to 1,000 items with 3,000 evidence files.

Baselines, measured in the same run: openpyxl writing an equally sized plain table
(same cells, no styles, validation or formatting), and reportlab writing an equally
sized plain table (a LongTable of the same strings in the same embedded font).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import itertools

import yaml

from questionnaire import Answer, AnswerKind, EvidenceInfo, default_template, load_template_text
from questionnaire.submission import Submission

from .harness import Row, best_of, run_child

ON = dt.date(2026, 11, 25)
FULL = (1000, 3000)
QUICK = (100, 300)
SECTION_SIZE = 50


def scaled_template_text(n_items: int) -> str:
    """A template of ``n_items`` items whose wording, kinds and sources are the default template's."""
    base = default_template()
    source = yaml.safe_load(base.source_text)
    nodes = [dict(node) for s in source["sections"] for node in s["items"]]
    sections = []
    cycle = itertools.cycle(nodes)
    for s_index in range((n_items + SECTION_SIZE - 1) // SECTION_SIZE):
        sid = "S" + "".join(chr(65 + (s_index // 26 ** k) % 26) for k in (2, 1, 0))
        items = []
        for i in range(min(SECTION_SIZE, n_items - s_index * SECTION_SIZE)):
            node = {k: v for k, v in next(cycle).items()
                    if k not in ("show_if", "required_if", "evidence", "help")}
            node["id"] = f"{sid}-{i + 1:02d}"
            node["evidence"] = {"required": False, "kinds": ["certificate", "policy", "report"]}
            items.append(node)
        sections.append({"id": sid, "title": {"ja": f"区分{s_index + 1}：情報セキュリティ管理",
                                              "en": f"Section {s_index + 1}: security management"},
                         "items": items})
    source["sections"] = sections
    source["id"] = "scaled-bench"
    return yaml.dump(source, Dumper=_NoAliases, allow_unicode=True, sort_keys=False)


class _NoAliases(yaml.SafeDumper):
    """Templates refuse YAML aliases, and the cycled items share their text objects."""

    def ignore_aliases(self, data) -> bool:
        return True


def scaled_submission(n_items: int, n_evidence: int) -> Submission:
    template = load_template_text(scaled_template_text(n_items), "scaled.yaml")
    answers = {}
    for n, item in enumerate(template.items):
        match item.kind:
            case AnswerKind.STATUS:
                value = "partial" if n % 7 == 0 else "yes"
            case AnswerKind.SINGLE:
                value = item.choice_values[0]
            case AnswerKind.MULTI:
                value = list(item.choice_values[:2])
            case AnswerKind.DATE:
                value = "2026-09-30"
            case AnswerKind.NUMBER:
                value = 12
            case _:
                value = "社内規程（情報セキュリティ管理規程 第12条）に基づき運用し、年1回見直している。"
        note = ("外部からのリモートアクセスは2027年3月末までに多要素認証へ移行予定"
                "（担当：インフラ部、進捗は月次の情報セキュリティ委員会で確認）。") if n % 7 == 0 else None
        answers[item.id] = Answer(value, note, "2026-11-01T00:00:00.000Z")
    evidence = []
    items = template.items
    for n in range(n_evidence):
        item = items[n % len(items)]
        evidence.append(EvidenceInfo(
            id=f"{n:032x}", item_id=item.id, kind=("certificate", "policy", "report")[n % 3],
            filename=f"証跡_{item.id}_{n // len(items) + 1}_情報セキュリティ基本方針.pdf",
            size=100_000 + n, sha256=hashlib.sha256(str(n).encode()).hexdigest(),
            title="情報セキュリティ基本方針", issuer="自社", number=f"DOC-{n:05d}",
            issued=dt.date(2025, 4, 1), expires=dt.date(2027, 3, 31) if n % 3 == 0 else None,
            added_at="2026-11-01T00:00:00.000Z", media_type="application/pdf",
        ))
    return Submission(template=template, vendor="株式会社ベンチマーク建設システムズ", answers=answers,
                      evidence=tuple(evidence), submission_id="bench-submission",
                      created_at="2026-11-25T00:00:00Z")


def _plain_cells(sub: Submission) -> tuple[list[list[str]], list[list[object]]]:
    """The same text the checklist holds, as plain rows (the baselines' input)."""
    from exports.checklist_columns import cells_fingerprint, vendor_cells
    from exports.rows import build_rows

    item_rows = []
    for block in build_rows(sub, sub.assess(ON)):
        for row in block.rows:
            cells = vendor_cells(row, ON)
            item_rows.append([*cells, "", "", "", "", row.item.id, row.fingerprint, cells_fingerprint(cells)])
    ev_rows = [[n, e.item_id, e.kind, e.filename, e.title, e.issuer, e.number, e.issued, e.expires, "有効",
                e.size, e.sha256, sub.evidence_path(e)] for n, e in enumerate(sub.evidence, 1)]
    return item_rows, ev_rows


def baseline_xlsx(item_rows, ev_rows) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in item_rows:
        ws.append(row)
    ws2 = wb.create_sheet("evidence")
    for row in ev_rows:
        ws2.append(row)
    wb.save(io.BytesIO())


def baseline_read(data: bytes) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True)
    for _row in wb.worksheets[0].iter_rows(values_only=True):
        pass
    wb.close()


def baseline_pdf(item_rows, ev_rows) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import LongTable, SimpleDocTemplate

    from exports.fonts import report_font

    font = report_font().name
    # the same strings, clipped to one line each: a plain table does not wrap
    data = [[str(c).replace("\n", " ")[:18] for c in row[:6]] for row in item_rows]
    data += [[str(c)[:18] for c in row[:6]] for row in ev_rows]
    table = LongTable(data, colWidths=[85] * 6)
    table.setStyle([("FONT", (0, 0), (-1, -1), font, 7)])
    SimpleDocTemplate(io.BytesIO(), pagesize=A4).build([table])


_CHILD = """
import io, time, datetime as dt
from bench.bench_checklist import scaled_submission, ON
from exports.checklist import write_checklist
from exports.report import write_report
sub = scaled_submission({n_items}, {n_evidence})
write_{what}(sub, io.BytesIO(), on=ON)
"""


def run(quick: bool) -> list[Row]:
    from exports.checklist import write_checklist
    from exports.fonts import report_font
    from exports.report import write_report
    from exports.review import read_review

    n_items, n_evidence = QUICK if quick else FULL
    sub = scaled_submission(n_items, n_evidence)
    item_rows, ev_rows = _plain_cells(sub)
    report_font()  # font discovery is paid once per process, not per report
    repeat = 1 if quick else 3
    size = f"{len(sub.template.items)} items, {len(sub.evidence)} evidence"

    xlsx = best_of(lambda: write_checklist(sub, io.BytesIO(), on=ON), repeat)
    xlsx_base = best_of(lambda: baseline_xlsx(item_rows, ev_rows), repeat)
    pdf = best_of(lambda: write_report(sub, io.BytesIO(), on=ON), repeat)
    pdf_base = best_of(lambda: baseline_pdf(item_rows, ev_rows), repeat)
    workbook = io.BytesIO()
    write_checklist(sub, workbook, on=ON)
    data = workbook.getvalue()
    read = best_of(lambda: read_review(sub, io.BytesIO(data)), repeat)
    read_base = best_of(lambda: baseline_read(data), repeat)

    peaks = {}
    for what in ("checklist", "report"):
        _, peak, _ = run_child(_CHILD.format(n_items=n_items, n_evidence=n_evidence, what=what))
        peaks[what] = peak

    out = [
        Row(f"checklist.xlsx ({size})", xlsx, xlsx_base, "openpyxl, same cells unstyled",
            target_s=None if quick else 3.0, peak_mib=peaks["checklist"],
            note="3 sheets, styles, validation, conditional formatting, protection, row heights"),
        Row(f"report.pdf ({size})", pdf, pdf_base, "reportlab LongTable, same strings",
            target_s=None if quick else 5.0, peak_mib=peaks["report"],
            note="cover, summary, one table per item with wrapped Japanese text, n / N page numbers"),
        Row(f"import-review ({size})", read, read_base, "openpyxl read-only, iterate the same sheet",
            note="ZIP checks, binding, per-row fingerprints and re-rendered vendor cells compared"),
    ]
    for row in out:
        print(f"   {row.name}: {row.ours_s:.3f}s vs baseline {row.baseline_s:.3f}s "
              f"= {row.ratio:.2f}x", flush=True)
    return out
