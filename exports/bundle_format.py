"""The ``ccus-attest/bundle/v1`` layout: member names, limits, README text, signature comments.

See docs/bundle-format.md for the full description. Everything here is shared by the
exporter, the verifier and the opener so that they cannot drift apart.
"""

from __future__ import annotations

import hashlib
import re

FORMAT = "ccus-attest/bundle/v1"
FORMAT_PREFIX = "ccus-attest/bundle/"

# --- the outer ZIP (stored, never deflated), in this order ---------------------------
README = "README.txt"
SIGNER_PUB = "signer.pub"
PAYLOAD = "submission.tar.age"
PAYLOAD_SIG = "submission.tar.age.minisig"
ZIP_MEMBERS = (README, SIGNER_PUB, PAYLOAD, PAYLOAD_SIG)

# --- the tar inside submission.tar.age ------------------------------------------------
TEMPLATE = "template.yaml"
ANSWERS = "answers.json"
ACTIVITY_LOG = "activity-log.jsonl"
CHECKLIST = "checklist.xlsx"
REPORT = "report.pdf"
CORRECTIVE_ACTIONS = "corrective-actions.json"   # questionnaire/corrective.py (issue 13 §4)
MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
SUMS_SIG = "SHA256SUMS.minisig"
EVIDENCE_DIR = "evidence"
# Listed in the manifest's "members" (with size and SHA-256):
REQUIRED_CONTENT = (TEMPLATE, ANSWERS, ACTIVITY_LOG)
OPTIONAL_CONTENT = (CHECKLIST, REPORT,   # present once those exports exist (still v1)
                    CORRECTIVE_ACTIONS)  # present when the workspace has corrective actions
# Always last, in this order; they describe the members above:
TRAILER = (MANIFEST, SUMS, SUMS_SIG)
TOP_LEVEL = frozenset(REQUIRED_CONTENT + OPTIONAL_CONTENT + TRAILER)

# --- limits when reading (a bundle is hostile until verified) -------------------------
MAX_README_BYTES = 64 * 1024
MAX_SIGNER_PUB_BYTES = 4 * 1024
MAX_SIG_BYTES = 16 * 1024
MAX_CENTRAL_DIRECTORY_BYTES = 64 * 1024
MAX_MEMBERS = 100_000 + 16          # evidence entries (questionnaire.submission limit) + fixed files
MAX_NAME_BYTES = 4096               # a whole member path, UTF-8
MAX_COMPONENT_BYTES = 255           # one path component, UTF-8 (every common file system)
MAX_EXTENDED_HEADER_BYTES = 1 << 20  # one pax / GNU long-name header
MAX_MEMBER_BYTES = 64 << 30         # one evidence file
MAX_TOTAL_BYTES = 512 << 30         # everything extracted
FREE_SPACE_MARGIN = 64 << 20        # open refuses to fill the disk to the last byte
# Members read into memory to be checked:
MAX_IN_MEMORY = {
    MANIFEST: 64 << 20, ANSWERS: 64 << 20, TEMPLATE: 4 << 20, ACTIVITY_LOG: 64 << 20,
    SUMS: 32 << 20, SUMS_SIG: MAX_SIG_BYTES,
    CHECKLIST: 64 << 20,   # inspected for formulas, links, macros (bundle_documents.py)
    CORRECTIVE_ACTIONS: 32 << 20,  # read strictly (questionnaire/corrective.py from_document)
}

# The fixed untrusted comments: not covered by signatures, so a v1 bundle must carry
# exactly these (any other text means the file was altered).
PAYLOAD_SIG_COMMENT = "signature of submission.tar.age by a CCUS Attest vendor key"
SUMS_SIG_COMMENT = "signature of SHA256SUMS by a CCUS Attest vendor key"

_HEX64 = re.compile(r"[0-9a-f]{64}")
_UUIDISH = re.compile(r"[0-9A-Za-z-]{1,64}")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def payload_trusted_comment(timestamp: int, submission_id: str, readme: bytes) -> str:
    """Signed with submission.tar.age. minisign's own fields first (what ``minisign -V`` shows),
    then ours: the README is bound to the signature through its hash."""
    return (f"timestamp:{timestamp}\tfile:{PAYLOAD}\thashed\tformat:{FORMAT}\t"
            f"submission:{submission_id}\treadme-sha256:{sha256_hex(readme)}")


def sums_trusted_comment(timestamp: int, submission_id: str) -> str:
    return f"timestamp:{timestamp}\tfile:{SUMS}\thashed\tformat:{FORMAT}\tsubmission:{submission_id}"


def valid_submission_id(value: object) -> bool:
    return isinstance(value, str) and bool(_UUIDISH.fullmatch(value))


def valid_sha256(value: object) -> bool:
    return isinstance(value, str) and bool(_HEX64.fullmatch(value))


def render_sums(entries: list[tuple[str, str]]) -> bytes:
    """``sha256sum`` format (text mode: two spaces). Names never hold newlines or backslashes
    (the workspace refuses them), so no escaping is needed."""
    return "".join(f"{digest}  {path}\n" for path, digest in entries).encode("utf-8")


def parse_sums(data: bytes) -> list[tuple[str, str]]:
    """Strict reader of our SHA256SUMS; raises ValueError naming the bad line."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError("not UTF-8 text") from None
    if text and not text.endswith("\n"):
        raise ValueError("the last line has no newline")
    out: list[tuple[str, str]] = []
    for n, line in enumerate(text.split("\n")[:-1], 1):
        digest, sep, path = line.partition("  ")
        if not sep or not _HEX64.fullmatch(digest) or not path or path.startswith("\\"):
            raise ValueError(f"line {n} is not '<sha256>  <path>'")
        out.append((path, digest))
    return out


def readme_text(*, submission_id: str, created_at: str, vendor: str, signer_key_id: str,
                signer_pub_b64: str) -> str:
    """README.txt: how to check and open the bundle with standard tools only (ja + en)."""
    return f"""\
CCUS Attest 提出バンドル / submission bundle
==========================================
形式 / format        : {FORMAT}
提出ID / submission  : {submission_id}
作成日時 / created   : {created_at}
提出者 / vendor      : {vendor}
署名鍵ID / signer key: {signer_key_id}

【日本語】
このZIPファイルは、CCUS 標準API連携認定の調査票・証跡を、審査担当者の age 鍵あてに暗号化し、
提出者の minisign 鍵で署名したものです。CCUS Attest アプリで「検証」「開く」を選ぶのが
最も簡単ですが、次の標準ツールだけでも検証・展開できます（unzip, minisign, age, tar, sha256sum）。

重要: 信頼の根拠は、提出者から別の経路（対面・電話で鍵IDを確認する等）で受け取った公開鍵です。
同梱の signer.pub は参考用であり、それ自体を信頼してはいけません。以下の SIGNER.pub は、
その別経路で受け取った公開鍵ファイルを指します。

  1. 展開:        unzip BUNDLE.zip -d bundle && cd bundle
  2. 外側の署名:  minisign -Vm submission.tar.age -p SIGNER.pub
                  （"Signature and comment signature verified" と表示され、Trusted comment の
                    submission: が上の提出IDと一致すること。readme-sha256: はこのファイルの
                    SHA-256（sha256sum README.txt）と一致すること）
  3. 復号:        age -d -i AUDITOR.age-identity -o submission.tar submission.tar.age
  4. 展開:        mkdir submission && tar -xf submission.tar -C submission && cd submission
  5. 内側の署名:  minisign -Vm SHA256SUMS -p ../SIGNER.pub
  6. 全ファイル:  sha256sum -c SHA256SUMS     （macOS: shasum -a 256 -c SHA256SUMS）
                  すべて "OK" と表示されること。

manifest.json に提出者の申告（テンプレート、完了状態、未完了の項目、証跡の一覧）、
answers.json に回答、evidence/ に証跡、activity-log.jsonl に作業履歴（提出者側の記録）があります。
checklist.xlsx と report.pdf は提出者のアプリが作成した参考資料です。審査には、監査人の
CCUS Attest が検証済みのデータと公式テンプレートから作成するチェックリスト・報告書を使ってください
（ccus-attest checklist / report）。

【English】
This ZIP file holds a CCUS standard-API certification survey and its evidence, encrypted
to the auditor's age key and signed with the vendor's minisign key. The CCUS Attest app
("Verify", "Open") is the easy way; these standard tools alone work too (unzip, minisign,
age, tar, sha256sum).

Important: trust comes from the vendor's public key received by another channel (confirm
the key ID in person or by phone). The enclosed signer.pub is a hint only: never trust it
by itself. SIGNER.pub below means the public key file received by that other channel.

  1. Unpack:          unzip BUNDLE.zip -d bundle && cd bundle
  2. Outer signature: minisign -Vm submission.tar.age -p SIGNER.pub
                      (expect "Signature and comment signature verified"; the trusted
                      comment's submission: must equal the submission ID above, and its
                      readme-sha256: the SHA-256 of this file: sha256sum README.txt)
  3. Decrypt:         age -d -i AUDITOR.age-identity -o submission.tar submission.tar.age
  4. Extract:         mkdir submission && tar -xf submission.tar -C submission && cd submission
  5. Inner signature: minisign -Vm SHA256SUMS -p ../SIGNER.pub
  6. Every file:      sha256sum -c SHA256SUMS     (macOS: shasum -a 256 -c SHA256SUMS)
                      every line must say "OK".

manifest.json holds the vendor's summary (template, completeness, open items, evidence
list); answers.json holds the answers, evidence/ the evidence files, activity-log.jsonl the
work history (the vendor's own record). checklist.xlsx and report.pdf are the vendor app's
renderings, for reference: to review, use the checklist and report the auditor's CCUS Attest
renders from the verified data and the official template (ccus-attest checklist / report).

signer.pub (base64): {signer_pub_b64}
"""
