"""The text of the 「凡例・記入方法」 sheet: what each colour and status means, how a reviewer
fills in the yellow columns, what the protection does, and how the sheets print."""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from questionnaire.completeness import OUTCOME_ORDER, Outcome, Tone
from questionnaire.review import MAX_COMMENT_CHARS, Verdict

from . import styles as st
from .rows import VERDICT_TONES

LEGEND_INTRO = ("このブックは CCUS Attest が提出データから作成したものです。"
                "提出者の記入欄は変更しないでください。")

MAX_FINDING_CHARS = MAX_COMMENT_CHARS  # what the importer accepts

OUTCOME_MEANINGS: dict[Outcome, str] = {
    Outcome.CONFORMING: "回答・備考・証跡が基準を満たしている。緑はこの状態だけに使います。",
    Outcome.NEEDS_IMPROVEMENT: (
        "回答済みだが基準を満たしていない。根拠が契約・法令ではない"
        "（規格・ガイドライン・推奨事項）ため、提出は妨げない。"),
    Outcome.NON_CONFORMING: (
        "回答・備考・証跡が、契約書又は法令に基づく基準を満たしていない"
        "（契約書第2条2項：対応状況欄を全て満たすこと）。提出を妨げます。"),
    Outcome.TO_CONFIRM: ("前年度から引き継いだ回答で、今年度の回答として確認されていない"
                         "（確認するか回答を変更するまで完了に数えません）。提出を妨げます。"),
    Outcome.UNANSWERED: "必須の項目に回答がない。提出を妨げます。",
    Outcome.OPTIONAL: "任意の項目で、回答がない。件数の「完了」には数えません。",
    Outcome.HIDDEN: "条件により対象外（表示されない項目）。",
}

VERDICT_MEANINGS: dict[Verdict, str] = {
    Verdict.CONFORMS: "確認した結果、適合している。",
    Verdict.NONCONFORMING: "確認した結果、適合していない（是正が必要）。",
    Verdict.NEEDS_CHECK: "追加の確認・資料が必要。",
    Verdict.NOT_APPLICABLE: "この項目は対象外。",
}

Line = tuple[str, str, Tone | None]   # label, text, tone of the label cell (None: plain)


def legend_sections(printed_columns: int) -> list[tuple[str, list[Line]]]:
    last = get_column_letter(printed_columns)
    return [
        ("「状態」列の色と意味（色だけでなく文字でも示します）", [
            *((o.label.ja, OUTCOME_MEANINGS[o], o.tone) for o in OUTCOME_ORDER),
            ("・で始まる行", "状態の理由（問題）。重要度（提出を妨げる／要改善／注意）は"
                           "「問題一覧」シートにあります。", None),
            ("完了・完了率", "完了＝必須項目のうち提出を妨げる問題がないもの（適合又は要改善）。"
                           "完了率＝完了÷必須項目。件数はどの出力でも同じ一つの集計です"
                           "（status --json と一致）。", None),
        ]),
        ("「判定」列（監査側）", [
            (v.label.ja, VERDICT_MEANINGS[v], VERDICT_TONES[v]) for v in Verdict
        ]),
        ("記入方法（黄色の欄：判定・指摘事項・確認者・確認日）", [
            ("判定", "一覧から選びます（適合・不適合・要確認・該当なし）。空欄のままでも構いません。", None),
            ("指摘事項", f"確認した内容・指摘を記入します（{MAX_FINDING_CHARS}文字以内、改行可）。", None),
            ("確認者", "確認した人の氏名・所属。", None),
            ("確認日", "日付として入力します（例: 2026/12/1）。表示は「2026年12月1日」の形で、"
                      "日付としてフィルタできます。", None),
            ("返送・取込", "記入したブックを提出者に返送すると、提出者はこれを取り込み"
                         "（アプリの「レビュー済みチェックリストを取り込む」、又は import-review）、"
                         "次のチェックリスト・報告書・画面に判定と指摘事項が表示されます。"
                         "記入が一つもないブックは取り込まれません。", None),
        ]),
        ("保護と取込の確認", [
            ("シートの保護", "提出者の記入欄はシート保護（パスワードなし）で保護しています。"
                           "誤って書き換えないためのもので、"
                           "フィルタ・並べ替え・列幅の変更はできます。", None),
            ("改変の検出", "各行は提出内容の照合情報（SHA-256）を隠し列に持っています。"
                         "提出者の欄が変更された行、チェックリスト作成後に回答・証跡が変わった行、"
                         "数式を含む行の判定は取り込まれません。", None),
            ("日付・時刻", "日付はすべて「2026年12月1日」の形、時刻は日本時間（JST）です。", None),
        ]),
        ("印刷", [
            ("用紙・倍率", f"A4、倍率 {st.PRINT_SCALE}%（本文 10pt が紙面で 9pt）。"
                         f"チェックリストは横向きで、印刷範囲は A〜{last} 列（項目ID〜確認日）です。"
                         "区分ごとに改ページし、見出し行を各ページに繰り返します。", None),
            ("画面用の列", "区分・確認項目（英語）・証跡SHA-256（先頭16桁）・根拠の列は画面用で、"
                         "印刷されません。全文は PDF の報告書にあります（証跡の SHA-256 は全桁）。", None),
        ]),
    ]
