"""One rendering for print, PDF and pictures: HTML -> ``QTextDocument`` -> A5 page.

- :func:`export_pdf` writes an A5 PDF (``QPrinter`` in ``PdfFormat``);
- :func:`print_html` asks with ``QPrintDialog`` and prints on the chosen printer (A5);
- :func:`render_page` paints the first page onto a ``QImage`` (screenshots, checks).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QFont, QImage, QPageLayout, QPageSize, QPainter, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

__all__ = ["A5_MM", "build_document", "export_pdf", "make_printer", "print_html", "print_on", "render_page"]

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


def make_printer(pdf_path: Path | None = None) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A5),
                                      QPageLayout.Orientation.Portrait, MARGINS_MM,
                                      QPageLayout.Unit.Millimeter))
    if pdf_path is not None:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(pdf_path))
    return printer


def export_pdf(html: str, path: Path, *, title: str = "") -> Path:
    """Write ``html`` as an A5 PDF at ``path``."""
    printer = make_printer(path)
    if title:
        printer.setDocName(title)
    print_on(html, printer)
    return path


def print_on(html: str, printer: QPrinter) -> None:
    """Lay the document out on ``printer`` itself and print it (no page numbers added)."""
    doc = build_document(html)
    doc.documentLayout().setPaintDevice(printer)
    doc.setPageSize(printer.pageRect(QPrinter.Unit.DevicePixel).size())
    doc.print_(printer)


def print_html(html: str, parent: QWidget | None = None, *, title: str = "") -> bool:
    """Ask for a printer (A5 preset) and print; False if the user cancelled."""
    printer = make_printer()
    if title:
        printer.setDocName(title)
    dialog = QPrintDialog(printer, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    print_on(html, printer)
    return True


def render_page(html: str, dpi: int = 120) -> QImage:
    """The first A5 page as an image (white paper, the same margins as print).

    The document is laid out on the image itself (its DPI set to ``dpi``), as ``print_``
    lays it out on the printer, so point sizes and line breaks match the PDF.
    """
    per_mm = dpi / 25.4
    width, height = round(A5_MM[0] * per_mm), round(A5_MM[1] * per_mm)
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.setDotsPerMeterX(round(dpi / 0.0254))
    image.setDotsPerMeterY(round(dpi / 0.0254))
    image.fill(Qt.GlobalColor.white)
    doc = build_document(html)
    doc.documentLayout().setPaintDevice(image)
    left, top = MARGINS_MM.left() * per_mm, MARGINS_MM.top() * per_mm
    content = QSizeF(width - left - MARGINS_MM.right() * per_mm,
                     height - top - MARGINS_MM.bottom() * per_mm)
    doc.setPageSize(content)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.translate(left, top)
    doc.drawContents(painter, QRectF(0, 0, content.width(), content.height()))
    painter.end()
    return image
