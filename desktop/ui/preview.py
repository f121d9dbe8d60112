"""Preview evidence inside the app, from decrypted bytes held in memory only.

Nothing decrypted is written to disk: the Workspace decrypts into memory
(``evidence_bytes``), images are decoded by Qt from a buffer, and PDFs are rendered
by PDFium through pypdfium2 from the same bytes. (QtPdf is not part of
PySide6-Essentials; pypdfium2 is a few MB where PySide6-Addons is hundreds, and it
is the same PDFium engine QtPdf and Chromium use.) Decrypting and rendering run in
the background task; only the finished QImages reach the UI thread.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QImage, QImageReader, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..tasks import Task
from . import screen_fit

if TYPE_CHECKING:
    from questionnaire import EvidenceInfo

    from ..session import FormSource

MAX_PAGES = 3
PAGE_WIDTH_PX = 900          # rendering width of a PDF page
MAX_IMAGE_PIXELS = 60_000_000  # refuse decompression bombs before decoding
TEXT_PREVIEW_CHARS = 200_000
TEXT_SUFFIXES = (".txt", ".csv", ".log", ".md", ".json", ".xml", ".tsv")
_pdfium_lock = threading.Lock()  # PDFium is not thread-safe


@dataclass
class Preview:
    kind: str                   # "pdf" | "image" | "text" | "none"
    images: list[QImage] = field(default_factory=list)
    pages: int = 0
    text: str = ""


def _is_pdf(data: bytes, info: EvidenceInfo) -> bool:
    return data[:5] == b"%PDF-" or info.media_type == "application/pdf"


def render(data: bytes, info: EvidenceInfo, max_pages: int = MAX_PAGES) -> Preview:
    """Turn decrypted bytes into something to show. Runs in a worker thread (no widgets)."""
    if _is_pdf(data, info):
        return _render_pdf(data, max_pages)
    image = _decode_image(data)
    if image is not None:
        return Preview("image", [image], 1)
    if info.filename.lower().endswith(TEXT_SUFFIXES) or info.media_type.startswith("text/"):
        return Preview("text", text=_decode_text(data[: TEXT_PREVIEW_CHARS * 4]))
    return Preview("none")


def _render_pdf(data: bytes, max_pages: int) -> Preview:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    with _pdfium_lock:
        doc = pdfium.PdfDocument(data)
        try:
            images = []
            for i in range(min(len(doc), max_pages)):
                page = doc[i]
                width, _height = page.get_size()
                bitmap = page.render(scale=PAGE_WIDTH_PX / max(width, 1.0),
                                     force_bitmap_format=pdfium_c.FPDFBitmap_BGRA, rev_byteorder=True)
                image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
                               QImage.Format.Format_RGBA8888).copy()  # owns its pixels: PDFium frees its own
                images.append(image)
                bitmap.close()
                page.close()
            return Preview("pdf", images, len(doc))
        finally:
            doc.close()


def _decode_image(data: bytes) -> QImage | None:
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    if not reader.canRead():
        return None
    size = reader.size()
    if size.isValid() and size.width() * size.height() > MAX_IMAGE_PIXELS:
        return None
    reader.setAutoTransform(True)
    image = reader.read()
    return None if image.isNull() else image


def _decode_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp932"):  # Japanese offices still write Shift_JIS logs
        try:
            return data.decode(encoding)[:TEXT_PREVIEW_CHARS]
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")[:TEXT_PREVIEW_CHARS]


class PreviewDialog(QDialog):
    """Opens at once with a "loading" line; the pages appear when the worker is done."""

    def __init__(self, parent: QWidget | None, source: FormSource, info: EvidenceInfo) -> None:
        super().__init__(parent)
        self.setObjectName("previewDialog")
        self.setWindowTitle(self.tr("プレビュー — {name}").format(name=info.display_title))
        screen_fit.fit(self, QSize(980, 760), QSize(480, 360))
        self.info = info
        self.preview: Preview | None = None
        layout = QVBoxLayout(self)
        self.status = QLabel(self.tr("復号しています…"), self)
        self.status.setObjectName("previewStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.scroll = QScrollArea(self)
        self.scroll.setObjectName("previewScroll")
        self.scroll.setAccessibleName(self.tr("プレビュー"))  # a tab stop: the arrow keys scroll it
        self.scroll.setWidgetResizable(True)
        self.scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.pages = QWidget(self.scroll)
        self.pages.setObjectName("previewPages")
        self.pages_layout = QVBoxLayout(self.pages)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.scroll.setWidget(self.pages)
        layout.addWidget(self.scroll, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self.task = Task(lambda _p, _c: render(source.evidence_bytes(info.id), info))
        self.task.succeeded.connect(self._show)
        self.task.failed.connect(self._failed)

    def start(self) -> PreviewDialog:
        self.show()
        self.task.start()
        return self

    def _show(self, preview: Preview) -> None:
        self.preview = preview
        if preview.kind == "pdf":
            shown = len(preview.images)
            self.status.setText(self.tr("PDF 全 {pages} ページ中、先頭 {shown} ページを表示しています。")
                                .format(pages=preview.pages, shown=shown))
        elif preview.kind == "image":
            image = preview.images[0]
            self.status.setText(self.tr("画像 {w} × {h} ピクセル").format(w=image.width(), h=image.height()))
        elif preview.kind == "text":
            self.status.setText(self.tr("テキストファイルの内容"))
            text = QPlainTextEdit(self.pages)
            text.setObjectName("previewText")
            text.setAccessibleName(self.status.text())  # a screen reader names the text it reads
            text.setReadOnly(True)
            text.setPlainText(preview.text)
            self.pages_layout.addWidget(text)
            # Made after 閉じる, it would come after it on Tab: the text is read first, and it
            # scrolls itself, so the scroll area around it is no longer a stop of its own.
            had_focus = self.scroll.hasFocus()
            self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            QWidget.setTabOrder(self.scroll, text)
            if had_focus:
                text.setFocus()
            return
        else:
            self.status.setText(self.tr(
                "この形式のファイルはアプリ内でプレビューできません。内容を確かめるには"
                "「コピーを保存…」で保存してから開いてください。"))
            return
        width = min(PAGE_WIDTH_PX, max(320, self.scroll.viewport().width() - 30))
        for i, image in enumerate(preview.images):
            label = QLabel(self.pages)
            label.setObjectName(f"previewPage{i + 1}")
            pixmap = QPixmap.fromImage(image)
            if pixmap.width() > width:
                pixmap = pixmap.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
            label.setPixmap(pixmap)
            label.setStyleSheet("border: 1px solid #c7d0da; background: white;")
            self.pages_layout.addWidget(label)

    def _failed(self, exc: BaseException) -> None:
        from ..errors import explain

        explanation = explain(exc)
        self.status.setText(self.tr("プレビューできません: {what}").format(what=explanation.what))
        self.status.setToolTip(explanation.detail)
