"""One rendering for print, PDF and pictures: HTML -> ``QTextDocument`` -> A5 page.

- :func:`export_pdf` writes an A5 PDF (``QPrinter`` in ``PdfFormat``);
- :func:`print_html` asks with ``QPrintDialog`` and prints on the chosen printer (A5);
- :func:`render_page` paints the first page onto a ``QImage`` (screenshots, checks).

A slip may be given as a function ``rows_moved -> html`` instead of HTML: when its signature
block (the last table) would start a page alone, the last rows of the table before it are moved
to that page with it (:func:`lay_out`): a signature must sign something on its own page.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QFont,
    QImage,
    QPageLayout,
    QPageSize,
    QPaintDevice,
    QPainter,
    QTextDocument,
    QTextTable,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

__all__ = ["A5_MM", "SlipSource", "build_document", "export_pdf", "lay_out", "make_printer",
           "print_html", "print_on", "render_page", "signature_alone"]

#: HTML, or a function giving the HTML with ``n`` last rows moved to the signatures' page
SlipSource = str | Callable[[int], str]
MAX_ROWS_MOVED = 4

A5_MM = (148.0, 210.0)
MARGINS_MM = QMarginsF(14, 12, 12, 12)  # left, top, right, bottom (binding side wider)
FONT_FAMILIES = ["Times New Roman", "Liberation Serif", "DejaVu Serif"]


def build_document(html: str) -> QTextDocument:
    doc = QTextDocument()
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSizeF(10)
    doc.setDefaultFont(font)
    doc.setDocumentMargin(0)
    doc.setHtml(html)
    return doc


def signature_alone(doc: QTextDocument) -> bool:
    """Whether the last table (the signatures) starts a page the table before it never
    reaches (the document laid out with its page size)."""
    tables = [f for f in doc.rootFrame().childFrames() if isinstance(f, QTextTable)]
    page = doc.pageSize().height()
    if len(tables) < 2 or page <= 0:
        return False
    layout = doc.documentLayout()
    signatures, before = layout.frameBoundingRect(tables[-1]), layout.frameBoundingRect(tables[-2])
    return int(signatures.top() // page) > int((before.bottom() - 1) // page)


def lay_out(source: SlipSource, device: QPaintDevice, page: QSizeF) -> QTextDocument:
    """The document laid out on ``device`` in pages of ``page``, with the signatures never
    alone on a page (see the module docstring)."""
    def build(html: str) -> QTextDocument:
        doc = build_document(html)
        doc.documentLayout().setPaintDevice(device)
        doc.setPageSize(page)
        return doc

    if isinstance(source, str):
        return build(source)
    doc = build(source(0))
    moved = 0
    while signature_alone(doc) and moved < MAX_ROWS_MOVED:
        moved += 1
        doc = build(source(moved))
    return doc


def make_printer(pdf_path: Path | None = None) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A5),
                                      QPageLayout.Orientation.Portrait, MARGINS_MM,
                                      QPageLayout.Unit.Millimeter))
    if pdf_path is not None:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(pdf_path))
    return printer


def export_pdf(html: SlipSource, path: Path, *, title: str = "") -> Path:
    """Write ``html`` as an A5 PDF at ``path``."""
    printer = make_printer(path)
    if title:
        printer.setDocName(title)
    print_on(html, printer)
    return path


def print_on(html: SlipSource, printer: QPrinter) -> None:
    """Lay the document out on ``printer`` itself and print it (no page numbers added)."""
    doc = lay_out(html, printer, printer.pageRect(QPrinter.Unit.DevicePixel).size())
    doc.print_(printer)


def print_html(html: SlipSource, parent: QWidget | None = None, *, title: str = "") -> bool:
    """Ask for a printer (A5 preset) and print; False if the user cancelled."""
    printer = make_printer()
    if title:
        printer.setDocName(title)
    dialog = QPrintDialog(printer, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    print_on(html, printer)
    return True


def render_page(html: SlipSource, dpi: int = 120, page_number: int = 0) -> QImage:
    """Page ``page_number`` (the first: 0) as an A5 image (white paper, print's margins).

    The document is laid out on the image itself (its DPI set to ``dpi``), as ``print_``
    lays it out on the printer, so point sizes and line breaks match the PDF.
    """
    per_mm = dpi / 25.4
    width, height = round(A5_MM[0] * per_mm), round(A5_MM[1] * per_mm)
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.setDotsPerMeterX(round(dpi / 0.0254))
    image.setDotsPerMeterY(round(dpi / 0.0254))
    image.fill(Qt.GlobalColor.white)
    left, top = MARGINS_MM.left() * per_mm, MARGINS_MM.top() * per_mm
    content = QSizeF(width - left - MARGINS_MM.right() * per_mm,
                     height - top - MARGINS_MM.bottom() * per_mm)
    doc = lay_out(html, image, content)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.translate(left, top - page_number * content.height())
    doc.drawContents(painter, QRectF(0, page_number * content.height(), content.width(),
                                     content.height()))
    painter.end()
    return image
