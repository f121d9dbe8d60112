"""The PDF report: cover, summary per section, the problems by severity, the reviewer's
findings when a review is shown, then every item with its answer, note, evidence and
finding, and an appendix with the full SHA-256 of every evidence file. A4, Japanese text
in an embedded font (see fonts.py), searchable; every count comes from the assessment's
one tally, every date and time in one Japanese form (questionnaire.datefmt).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from functools import partial

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from questionnaire.basis import basis_text
from questionnaire.completeness import OUTCOME_ORDER, Assessment, Outcome, Tone
from questionnaire.datefmt import jp_date, jp_datetime, now_utc
from questionnaire.evidence import Expiry
from questionnaire.review import Finding, Review
from questionnaire.submission import Submission

from . import pdf_layout as lay
from .fonts import report_font
from .output import Output, output_stream
from .rows import (
    EXPIRY_LABELS,
    VERDICT_TONES,
    ItemRow,
    SectionRows,
    build_rows,
    condition_text,
    counts_text,
    expiry_text,
    finding_lines,
    human_size,
    kind_label,
    marker,
    overall_outcome,
    problem_text,
    ready_text,
    safe_text,
    short_hash,
)

APPENDIX_ROWS = 30  # rows of the SHA-256 appendix per table: about a page
CHUNK_CHARS = 600  # long answers and notes go into several table rows, so no row outgrows a page
STATE_COLOURS = {o: lay.TONES[o.tone] for o in Outcome}
# item tables: label | file name | kind | expiry | SHA-256
ITEM_COLS = [18 * mm, 60 * mm, 26 * mm, 35 * mm, lay.FRAME_WIDTH - 139 * mm]
ITEM_FONT_SIZE = 8
CELL_PAD = 4


def write_report(sub: Submission, out: Output, *, on: dt.date | None = None,
                 review: Review | None = None, reviews: Mapping[str, Finding] | None = None) -> None:
    """Write the PDF report for ``sub`` to ``out`` (a path or a binary file object).

    ``review`` (or just its ``reviews``, item ID → Finding) adds the reviewer's verdict and
    finding to every reviewed item, and a list of them after the summary.
    """
    on = on or dt.date.today()
    font = report_font()
    styles = lay.Styles(font.name)
    assessment = sub.assess(on)
    sections = build_rows(sub, assessment)
    made_at = now_utc()
    t = sub.template
    findings = dict(review.findings_by_item() if review is not None else reviews or {})

    story: list = []
    story += _cover(sub, assessment, styles, on, made_at, review, findings)
    story.append(PageBreak())
    story += _summary(sub, assessment, sections, styles)
    if findings:
        story += _review_list(sections, findings, review, styles)
    story.append(PageBreak())
    if sub.corrective_actions:
        story += _corrective_actions(sub, styles, on)
        story.append(PageBreak())
    story += _details(sub, sections, styles, on, findings)
    story += _hash_appendix(sub, styles)

    with output_stream(out) as fh:
        doc = SimpleDocTemplate(
            fh, pagesize=lay.PAGE, leftMargin=lay.MARGIN_X, rightMargin=lay.MARGIN_X,
            topMargin=lay.MARGIN_TOP, bottomMargin=lay.MARGIN_BOTTOM,
            title=f"{t.title.ja} 回答報告書", author=safe_text(sub.vendor) or "CCUS Attest",
            subject=safe_text(f"{t.id} {t.version} / 提出ID {sub.submission_id}"), creator="CCUS Attest",
            keywords="CCUS, 個人情報, 機密情報, 調査票, report", lang="ja-JP",
            # the canvas's first font is written into every page: ours, not the standard
            # Helvetica, which no PDF embeds (pdffonts would list it)
            initialFontName=font.name, initialFontSize=9,
        )
        canvasmaker = partial(
            lay.NumberedCanvas, font=font.name,
            header_left=f"{_short_title(t.title.ja)}　回答報告書",
            header_right=sub.vendor, footer_left=f"提出ID {sub.submission_id}",
        )
        doc.build(story, canvasmaker=canvasmaker)


def _short_title(title: str) -> str:
    return title.split("（", 1)[0]


def _title_parts(title: str) -> list[str]:
    """「調査票（建設キャリアアップシステム…）」 → the name, and its parenthesis on a line of its own."""
    name, paren, rest = title.partition("（")
    return [name, paren + rest] if paren and name else [title]


def _table(data: list[list], **kw) -> Table:
    """A Table whose plain-string cells are made safe (outside text may hold control characters)."""
    return Table([[safe_text(c) if isinstance(c, str) else c for c in row] for row in data], **kw)


def _p(text: str, style) -> Paragraph:
    return Paragraph(lay.para_text(text), style)


def _chunks(text: str, limit: int = CHUNK_CHARS) -> list[str]:
    """Split long text at line breaks (or hard, if a line is itself too long)."""
    if len(text) <= limit:
        return [text]
    out: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                out.append(current)
                current = ""
            out.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            out.append(current)
            current = line
        else:
            current = candidate
    if current:
        out.append(current)
    return out


class _Bar(Flowable):
    """A completion bar drawn straight on the canvas (a reportlab Drawing would set the
    standard, never embedded, Helvetica as its initial font)."""

    def __init__(self, ratio: float, fill, width: float, height: float) -> None:
        super().__init__()
        self.ratio, self.fill, self.width, self.height = max(0.0, min(1.0, ratio)), fill, width, height

    def wrap(self, *_args):
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.setFillColor(colors.HexColor("#E7E6E6"))
        c.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        c.setFillColor(self.fill)
        c.rect(0, 0, self.width * self.ratio, self.height, stroke=0, fill=1)


def _bar(ratio: float, outcome: Outcome, width: float = 30 * mm, height: float = 3 * mm) -> Flowable:
    """A completion bar in the colour of the group's outcome: green only when all conform."""
    return _Bar(ratio, lay.TONES[outcome.tone][1], width, height)


def _kv_table(rows: Iterable[tuple[str, object]], styles: lay.Styles, label_width: float) -> Table:
    data = [[_p(label, styles.label), value if not isinstance(value, str) else _p(value, styles.body)]
            for label, value in rows]
    table = _table(data, colWidths=[label_width, lay.FRAME_WIDTH - label_width])
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), styles.font, 9),  # else a cell is set in Helvetica, not embedded
        ("GRID", (0, 0), (-1, -1), 0.4, lay.RULE),
        ("BACKGROUND", (0, 0), (0, -1), lay.LABEL_BG),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    return table


# --- cover -----------------------------------------------------------------------------------


def _cover(sub: Submission, a: Assessment, s: lay.Styles, on: dt.date, made_at: dt.datetime,
           review: Review | None, findings: Mapping[str, Finding]) -> list:
    t = sub.template
    total = a.total
    ready = ready_text(a, "「提出を妨げる問題」")
    signer = sub.signer_key_id or "—（署名前：ワークスペースから作成した下書き）"
    total_size = sum(e.size for e in sub.evidence)
    worst = overall_outcome(total)
    completion = [
        _p(f"{total.ratio:.1%}　（必須 {total.required} 項目中 {total.complete} 項目が完了）", s.body),
        Spacer(1, 1.5 * mm), _bar(total.ratio, worst, 80 * mm, 4 * mm), Spacer(1, 1.5 * mm),
        _p(f"項目の状態：{counts_text(total)}（対象外 {total.count(Outcome.HIDDEN)}）", s.small),
    ]
    info = [
        ("提出者\nVendor", sub.vendor or "（未設定）"),
        ("テンプレート\nTemplate", f"{t.id}　版 {t.version}"),
        ("テンプレートSHA-256", t.digest),
        ("提出ID\nSubmission ID", sub.submission_id),
        ("署名鍵ID\nSigner key ID", signer),
        ("提出データ作成\nCreated", jp_datetime(sub.created_at)),
        ("基準日\nAssessed on", f"{jp_date(on)}（有効期限・完了状況の判定日）"),
        ("完了率\nCompletion", completion),
        ("提出可否\nReady to submit", ready),
        ("証跡\nEvidence", f"{len(sub.evidence)} 件（合計 {human_size(total_size)}、"
                          "SHA-256 の全桁は巻末の付録）"),
    ]
    if findings:
        source = (f"{jp_datetime(review.imported_at)} に取り込んだ確認結果（提出ID {review.submission_id}）"
                  if review is not None else "確認結果")
        info.append(("監査側の確認\nReview", f"{source}：指摘 {len(findings)} 件"))
    info.append(("報告書作成\nReport made", jp_datetime(made_at)))
    ready_row = 8
    table = _kv_table(info, s, 38 * mm)
    table.setStyle(TableStyle([("BACKGROUND", (1, ready_row), (1, ready_row), lay.TONES[worst.tone][0])]))
    return [
        Spacer(1, 14 * mm),
        _p("CCUS 就業履歴データ登録標準API連携認定　提出資料", s.center),
        Spacer(1, 8 * mm),
        *[_p(part, style) for part, style in zip(_title_parts(t.title.ja), (s.cover_title, s.cover_paren),
                                                 strict=False)],
        Spacer(1, 4 * mm),
        _p("回答報告書", s.cover_sub),
        Spacer(1, 3 * mm),
        _p(f"{t.title.en} — Report of answers", s.cover_en),
        *_unofficial_banner(sub, s),
        table,
        Spacer(1, 8 * mm),
        _p("本報告書は CCUS Attest が提出データ（answers.json）から作成したもので、回答・備考・証跡の内容は"
           "同梱のチェックリスト（checklist.xlsx）と同一です。証跡ファイルの真正性は、提出バンドルの署名と"
           "各ファイルの SHA-256（巻末の付録に全桁）で確認できます。日時は日本時間（JST）です。", s.muted),
        _p("This report was generated by CCUS Attest from the submission data; the evidence files can be "
           "verified with the bundle signature and their SHA-256 digests (in full in the appendix). "
           "Times are Japan Standard Time.", s.english),
    ]


def _unofficial_banner(sub: Submission, s: lay.Styles) -> list:
    """A bundle judged against a template the auditor supplied says so on the cover, in words
    and in both languages (the colour only repeats it)."""
    notice = sub.unofficial_notice()
    if notice is None:
        return [Spacer(1, 10 * mm)]
    box = _table([[_p(notice.ja, s.body)], [_p(notice.en, s.english)]], colWidths=[lay.FRAME_WIDTH])
    box.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), s.font, 9),
        ("BACKGROUND", (0, 0), (-1, -1), lay.TONES[Tone.BAD][0]),
        ("BOX", (0, 0), (-1, -1), 1.2, lay.TONES[Tone.BAD][1]),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return [Spacer(1, 4 * mm), box, Spacer(1, 4 * mm)]


# --- summary ---------------------------------------------------------------------------------


def _summary(sub: Submission, a: Assessment, sections: list[SectionRows], s: lay.Styles) -> list:
    out: list = [_p("サマリー", s.h1), _p("Summary", s.h2_en)]
    out.append(_p("区分別の状態", s.h3))
    head = [_p(h, s.label) for h in ("区分", "区分名", "表示", *(o.label.ja for o in SECTION_OUTCOMES),
                                     "必須", "完了", "完了率・状態")]
    data = [head]
    for block in sections:
        title = _p(block.section.title.ja, s.cell)
        data.append(_tally_cells(block.section.id, title, block.progress.tally, s))
    data.append(_tally_cells("", _p("合計", s.cell), a.total, s))
    widths = [13 * mm, 46 * mm, 10 * mm, *([11 * mm] * len(SECTION_OUTCOMES)), 11 * mm, 11 * mm]
    widths.append(lay.FRAME_WIDTH - sum(widths))
    table = _table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), s.font, 8.5),
        ("GRID", (0, 0), (-1, -1), 0.4, lay.RULE),
        ("BACKGROUND", (0, 0), (-1, 0), lay.LABEL_BG),
        ("BACKGROUND", (0, -1), (-1, -1), lay.LABEL_BG),
        ("ALIGN", (2, 1), (-2, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    out.append(table)
    out.append(_p("完了＝必須項目のうち提出を妨げる問題がないもの（適合又は要改善）。状態＝区分で最も重い項目の状態"
                  "（緑は表示される項目がすべて適合のときだけ）。", s.muted))

    counts = a.status_counts()
    out.append(_p("回答と状態の内訳", s.h3))
    labels = [("yes", "はい"), ("partial", "一部"), ("no", "いいえ"), ("na", "該当なし"), ("", "未回答")]
    count_table = Table(
        [[_p(label, s.label) for _, label in labels] + [_p(o.label.ja, s.label) for o in OUTCOME_ORDER],
         [str(counts.get(code, 0)) for code, _ in labels] + [str(a.count(o)) for o in OUTCOME_ORDER]],
        colWidths=[lay.FRAME_WIDTH / (len(labels) + len(OUTCOME_ORDER))]
        * (len(labels) + len(OUTCOME_ORDER)))
    count_table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), s.font, 9), ("GRID", (0, 0), (-1, -1), 0.4, lay.RULE),
        ("BACKGROUND", (0, 0), (-1, 0), lay.LABEL_BG), ("ALIGN", (0, 1), (-1, 1), "CENTER"),
        ("LINEBEFORE", (5, 0), (5, -1), 1.2, lay.NAVY),
    ]))
    caption = f"左{len(labels)}列：はい／いいえ形式の回答、右{len(OUTCOME_ORDER)}列：全項目の状態"
    out += [count_table, _p(caption, s.muted)]

    out.append(_p("提出を妨げる問題", s.h3))
    if a.blockers:
        data = [[_p("項目ID", s.label), _p("内容", s.label)]]
        data += [[p.item_id, _p(problem_text(p), s.cell)] for p in a.blockers]
        out.append(_list_table(data, [22 * mm, lay.FRAME_WIDTH - 22 * mm], s, lay.BAD[0]))
    else:
        out.append(_p("ありません。", s.body))

    if a.improvements:
        out.append(_p("要改善の事項（契約上の要件ではないため提出は妨げない）", s.h3))
        data = [[_p("項目ID", s.label), _p("内容", s.label)]]
        data += [[p.item_id, _p(problem_text(p), s.cell)] for p in a.improvements]
        out.append(_list_table(data, [22 * mm, lay.FRAME_WIDTH - 22 * mm], s, lay.NEUTRAL[0]))

    if a.warnings:
        out.append(_p("注意事項（提出は妨げない）", s.h3))
        data = [[_p("項目ID", s.label), _p("内容", s.label)]]
        data += [[p.item_id, _p(problem_text(p), s.cell)] for p in a.warnings]
        out.append(_list_table(data, [22 * mm, lay.FRAME_WIDTH - 22 * mm], s, lay.NEUTRAL[0]))

    flagged = sorted((e for e in sub.evidence if e.expiry(a.on) in (Expiry.EXPIRED, Expiry.EXPIRING)),
                     key=lambda e: (e.expires, e.item_id))
    out.append(_p("期限切れ・期限間近の証跡", s.h3))
    if flagged:
        data = [[_p(h, s.label) for h in ("項目ID", "ファイル名", "種類", "有効期限", "状態")]]
        data += [[e.item_id, _p(e.filename, s.cell), _p(kind_label(sub.template, e.kind), s.cell),
                  jp_date(e.expires), _p(EXPIRY_LABELS[e.expiry(a.on)].ja, s.cell)] for e in flagged]
        out.append(_list_table(data, [22 * mm, 70 * mm, 32 * mm, 26 * mm, lay.FRAME_WIDTH - 150 * mm], s))
    else:
        out.append(_p("ありません（期限切れ、又は90日以内に期限を迎える証跡はありません）。", s.body))
    return out


def _corrective_actions(sub: Submission, s: lay.Styles, on: dt.date) -> list:
    """The auditor's earlier findings and what the vendor did: one row each, overdue first;
    overdue is computed on ``on`` and said in words (the row is tinted as well)."""
    from questionnaire.corrective import VERDICT_TEXT, grade_label, sort_by_due, tally

    counts = tally(sub.corrective_actions, on)
    out: list = [_p("是正処置", s.h1), _p("Corrective actions", s.h2_en),
                 _p(f"監査人の指摘（不適合・要確認）{counts.total} 件：未完了 {counts.open} 件、"
                    f"うち期限切れ {counts.overdue} 件（{on.isoformat()} 現在）。「完了」は提出者の申告で、"
                    "「検証済み」は監査人が次の審査で確認したものです。", s.body)]
    files = {e.id: e.filename for e in sub.evidence}
    head = [_p(h, s.label) for h in ("処置ID／項目", "指摘（判定・区分）", "原因と処置", "担当・期日", "状態",
                                     "是正の証跡")]
    data = [head]
    tints = []
    for n, a in enumerate(sort_by_due(sub.corrective_actions, on), 1):
        state = a.status.label.ja + ("\n期限切れ" if a.overdue(on) else "")
        if a.closed_on:
            state += f"\n完了 {a.closed_on.isoformat()}"
        if a.verified_on:
            state += f"\n検証 {a.verified_on.isoformat()}"
        cause = "\n".join(x for x in (f"原因: {a.root_cause}" if a.root_cause else "",
                                      f"処置: {a.plan}" if a.plan else "", a.note) if x)
        data.append([
            _p(f"{a.id}\n{a.item_id}", s.cell),
            _p(f"{VERDICT_TEXT[a.verdict].ja}・{grade_label(sub.template, a.grade).ja}\n{a.finding}", s.cell),
            _p(cause or "（未記入）", s.cell),
            _p(f"{a.owner or '（未定）'}\n{a.due.isoformat() if a.due else '期日なし'}", s.cell),
            _p(state, s.cell),
            _p("\n".join(files.get(e, e) for e in a.evidence_ids) or "なし", s.cell)])
        if a.overdue(on):
            tints.append(("BACKGROUND", (4, n), (4, n), lay.BAD[0]))
    widths = [lay.FRAME_WIDTH * f for f in (0.12, 0.25, 0.24, 0.14, 0.12)]  # the page's width, any size
    widths.append(lay.FRAME_WIDTH - sum(widths))
    table = _list_table(data, widths, s)
    if tints:
        table.setStyle(TableStyle(tints))
    out.append(table)
    return out


SECTION_OUTCOMES = (Outcome.CONFORMING, Outcome.NEEDS_IMPROVEMENT, Outcome.NON_CONFORMING,
                    Outcome.UNANSWERED, Outcome.OPTIONAL)


def _tally_cells(section_id: str, title, tally, s: lay.Styles) -> list:
    outcome = overall_outcome(tally)
    return [section_id, title, str(tally.shown), *(str(tally.count(o)) for o in SECTION_OUTCOMES),
            str(tally.required), str(tally.complete),
            [_p(f"{tally.ratio:.0%}　{outcome.label.ja}", s.small), _bar(tally.ratio, outcome, 24 * mm)]]


def _review_list(sections: list[SectionRows], findings: Mapping[str, Finding], review: Review | None,
                 s: lay.Styles) -> list:
    out: list = [_p("監査側の確認結果（判定・指摘事項）", s.h3)]
    if review is not None:
        out.append(_p(f"{jp_datetime(review.imported_at)} に取り込み（確認した提出ID {review.submission_id}"
                      + (f"、ファイル {review.source_name}" if review.source_name else "") + "）", s.muted))
    data = [[_p(h, s.label) for h in ("項目ID", "判定", "指摘事項")]]
    tints = []
    for block in sections:
        for row in block.rows:
            finding = findings.get(row.item.id)
            if finding is None:
                continue
            verdict, text = finding_lines(finding, row.changed_since(finding))
            tone = VERDICT_TONES[finding.verdict] if finding.verdict else Tone.NEUTRAL
            tints.append(("BACKGROUND", (1, len(data)), (1, len(data)), lay.TONES[tone][0]))
            data.append([row.item.id, _p(verdict, s.cell), _p(text, s.cell)])
    table = _list_table(data, [22 * mm, 18 * mm, lay.FRAME_WIDTH - 40 * mm], s)
    table.setStyle(TableStyle(tints))
    out.append(table)
    return out


def _hash_appendix(sub: Submission, s: lay.Styles) -> list:
    """Every evidence file with its full SHA-256, as the cover promises."""
    out: list = [PageBreak(), _p("付録　証跡ファイルの SHA-256", s.h1),
                 _p("Appendix — SHA-256 of every evidence file", s.h2_en)]
    if not sub.evidence:
        return [*out, _p("証跡は添付されていません。", s.body)]
    out.append(_p("提出バンドルの各証跡ファイル（格納場所）の SHA-256 を全桁で示します。"
                  "sha256sum 等で計算した値と一致すれば、ファイルは提出時のままです。", s.muted))
    data = [[_p(h, s.label) for h in ("No.", "項目ID", "格納場所・ファイル名", "SHA-256")]]
    width = lay.FRAME_WIDTH - 90 * mm
    for n, e in enumerate(sub.evidence, 1):
        path = sub.evidence_path(e)
        # plain strings where they fit (many times cheaper than a Paragraph); a digest in halves
        digest = e.sha256 if _fits(e.sha256, s.hash, width) else f"{e.sha256[:32]}\n{e.sha256[32:]}"
        data.append([str(n), e.item_id, path if _fits(path, s.small, 62 * mm) else _p(path, s.small), digest])
    # in tables of a page's length: reportlab splits one long table again on every page
    header, rows = data[0], data[1:]
    widths = [10 * mm, 18 * mm, 62 * mm, width]
    for start in range(0, len(rows), APPENDIX_ROWS):
        table = _list_table([header, *rows[start:start + APPENDIX_ROWS]], widths, s)
        table.setStyle(TableStyle([("FONTSIZE", (2, 1), (-1, -1), 8), ("LEADING", (2, 1), (-1, -1), 10)]))
        out.append(table)
    return out


def _list_table(data: list, widths: list[float], s: lay.Styles, tint=None) -> Table:
    table = _table(data, colWidths=widths, repeatRows=1)
    style = [("FONT", (0, 0), (-1, -1), s.font, 8.5), ("GRID", (0, 0), (-1, -1), 0.4, lay.RULE),
             ("BACKGROUND", (0, 0), (-1, 0), lay.LABEL_BG), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    if tint is not None:
        style.append(("BACKGROUND", (0, 1), (0, -1), tint))
    table.setStyle(TableStyle(style))
    return table


# --- every item ------------------------------------------------------------------------------


def _details(sub: Submission, sections: list[SectionRows], s: lay.Styles, on: dt.date,
             findings: Mapping[str, Finding]) -> list:
    out: list = [_p("回答の詳細", s.h1), _p("Answers in detail", s.h2_en)]
    for n, block in enumerate(sections, 1):
        p = block.progress
        out.append(CondPageBreak(50 * mm))
        out.append(_p(f"{n}. {block.section.title.ja}（{block.section.id}）", s.h2))
        out.append(_p(f"{block.section.title.en} — 完了 {p.complete} / 必須 {p.required}　"
                      f"{counts_text(p.tally)}", s.h2_en))
        for row in block.rows:
            out.append(CondPageBreak(30 * mm))
            out.append(_item_table(sub, row, s, on, findings.get(row.item.id)))
            out.append(Spacer(1, 2.5 * mm))
    return out


def _fits(text: str, style, width: float) -> bool:
    """Whether text fits on one line of a cell: then it is drawn as a plain string, which is
    many times cheaper than a Paragraph (a 1,000-item report has tens of thousands of cells)."""
    return "\n" not in text and stringWidth(text, style.fontName, style.fontSize) <= width - 2 * CELL_PAD


def _item_table(sub: Submission, row: ItemRow, s: lay.Styles, on: dt.date, finding: Finding | None) -> Table:
    item = row.item
    bg, fg = STATE_COLOURS[row.outcome]
    question = [_p(item.text.ja, s.cell), Paragraph(lay.para_text(item.text.en), s.english)]
    data: list[list] = [[item.id, question, "", "", row.outcome.label.ja]]
    style: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), s.font, ITEM_FONT_SIZE),
        ("TEXTCOLOR", (0, 0), (0, -1), lay.MUTED),
        ("FONTSIZE", (0, 0), (0, 0), 9), ("TEXTCOLOR", (0, 0), (0, 0), lay.NAVY),
        ("SPAN", (1, 0), (3, 0)),
        ("BACKGROUND", (4, 0), (4, 0), bg), ("TEXTCOLOR", (4, 0), (4, 0), fg),
        ("FONTSIZE", (4, 0), (4, 0), 8.5), ("ALIGN", (4, 0), (4, 0), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("VALIGN", (4, 0), (4, 0), "MIDDLE"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, lay.NAVY),
        ("GRID", (0, 0), (-1, -1), 0.4, lay.RULE),
        ("BACKGROUND", (0, 0), (0, -1), lay.LABEL_BG),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD), ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
    ]
    wide = sum(ITEM_COLS[1:])

    def wide_row(label: str, text: str, para_style, *, muted: bool = False) -> None:
        for i, chunk in enumerate(_chunks(text)):
            r = len(data)
            content = chunk if _fits(chunk, para_style, wide) else _p(chunk, para_style)
            data.append([label if i == 0 else "", content, "", "", ""])
            style.append(("SPAN", (1, r), (4, r)))
            if i:  # a continuation of the same text: no rule between the pieces
                style.extend([("LINEABOVE", (0, r), (0, r), 0.6, lay.LABEL_BG),
                              ("LINEABOVE", (1, r), (4, r), 0.6, colors.white)])
            if isinstance(content, str):
                style.append(("FONTSIZE", (1, r), (1, r), para_style.fontSize))
                if muted:
                    style.append(("TEXTCOLOR", (1, r), (1, r), lay.MUTED))

    if not row.state.visible:
        cond = condition_text(sub.template, item)
        wide_row("回答", f"（対象外：{cond}）" if cond else "（対象外）", s.muted, muted=True)
    elif row.answer_text:
        wide_row("回答", row.answer_text, s.cell)
    else:
        wide_row("回答", "（未回答）", s.muted, muted=True)
    if row.note:
        wide_row("備考", row.note, s.cell)
    if row.evidence:
        r = len(data)
        data.append(["証跡", "ファイル名", "種類", "有効期限", "SHA-256（先頭16桁）"])
        style += [("TEXTCOLOR", (1, r), (4, r), lay.MUTED), ("LINEBELOW", (1, r), (4, r), 0.3, lay.RULE)]
        for i, e in enumerate(row.evidence, 1):
            r = len(data)
            name = f"{marker(i)} {e.filename}"
            expiry = expiry_text(e, on)
            kind = kind_label(sub.template, e.kind)
            data.append(["", name if _fits(name, s.small, ITEM_COLS[1]) else _p(name, s.small),
                         kind if _fits(kind, s.small, ITEM_COLS[2]) else _p(kind, s.small),
                         expiry if _fits(expiry, s.small, ITEM_COLS[3]) else _p(expiry, s.small),
                         short_hash(e.sha256)])
            state = e.expiry(on)
            if state is Expiry.EXPIRED:
                style.append(("BACKGROUND", (3, r), (3, r), lay.BAD[0]))
            elif state is Expiry.EXPIRING:
                style.append(("BACKGROUND", (3, r), (3, r), lay.NEUTRAL[0]))
    if row.problems:
        wide_row("確認事項", "\n".join(f"・{problem_text(p)}" for p in row.problems), s.cell)
        style.append(("BACKGROUND", (1, len(data) - 1), (4, len(data) - 1),
                      bg if row.outcome in (Outcome.NON_CONFORMING, Outcome.NEEDS_IMPROVEMENT)
                      else lay.NEUTRAL[0]))
    wide_row("根拠", basis_text(item, "ja"), s.muted, muted=True)
    if finding is not None:
        verdict, text = finding_lines(finding, row.changed_since(finding))
        tone = VERDICT_TONES[finding.verdict] if finding.verdict else Tone.NEUTRAL
        wide_row("判定", verdict, s.cell)
        style.append(("BACKGROUND", (1, len(data) - 1), (4, len(data) - 1), lay.TONES[tone][0]))
        wide_row("指摘事項", text, s.cell)
    table = _table(data, colWidths=ITEM_COLS, repeatRows=1)
    table.setStyle(TableStyle(style))
    return table
