"""A small horizontal stacked-bar chart drawn with QPainter (PySide6-Essentials has no QtCharts).

One bar per row: its label on the left, the bar as 100% of the row's total split into coloured
segments (on time / late, checked in / missed), and on the right the rate (``85,3%`` in
Vietnamese) and the counts. A legend names the series. Rows with nothing to judge show an empty
outline and "—". The same drawing code paints the widget and :meth:`BarChart.render_image`, a
``QImage`` for tests, screenshots and exports::

    chart.set_data([Bar("Trần Văn Bình", (41, 7), 41 / 48)],
                   [Series("On time", QColor("#2e7d32")), Series("Late", QColor("#c62828"))])
    image = chart.render_image(640)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QLineF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from wfh_client.ui.head.common import format_rate
from wfh_client.ui.i18n import format_number

__all__ = ["GOOD", "BAD", "NEUTRAL", "Bar", "BarChart", "Series"]

GOOD, BAD, NEUTRAL = QColor("#2e7d32"), QColor("#c62828"), QColor("#9e9e9e")
_TEXT, _GRID = QColor("#202124"), QColor("#dadce0")
_MARGIN, _BAR_H, _GAP, _LEGEND_H = 10, 20, 8, 26
_LABEL_MAX = 240  # pixels; longer labels are elided


@dataclass(frozen=True)
class Series:
    name: str
    color: QColor


@dataclass(frozen=True)
class Bar:
    label: str
    values: tuple[int, ...]  # one per series
    rate: float | None  # shown on the right; None -> "—"

    @property
    def total(self) -> int:
        return sum(self.values)


class BarChart(QWidget):
    """See the module docstring."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("barChart")
        self.bars: list[Bar] = []
        self.series: list[Series] = []
        self.title = ""
        self.empty_text = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumHeight(self._height_for(3))

    def set_data(self, bars: Sequence[Bar], series: Sequence[Series], *, title: str = "",
                 empty_text: str = "") -> None:
        self.bars, self.series, self.title = list(bars), list(series), title
        self.empty_text = empty_text
        self.setMinimumHeight(self._height_for(len(self.bars)))
        self.updateGeometry()
        self.update()

    def _height_for(self, rows: int) -> int:
        title = 24 if self.title else 0
        return _MARGIN * 2 + title + _LEGEND_H + max(rows, 1) * (_BAR_H + _GAP)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(640, self._height_for(len(self.bars)))

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        try:
            self.paint(painter, QRectF(self.rect()))
        finally:
            painter.end()

    def render_image(self, width: int = 720, height: int | None = None) -> QImage:
        """The chart as an image (white background), at ``width`` x its natural height."""
        h = height or self._height_for(len(self.bars))
        image = QImage(width, h, QImage.Format.Format_ARGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        try:
            painter.setFont(self.font())
            self.paint(painter, QRectF(0, 0, width, h))
        finally:
            painter.end()
        return image

    # ----------------------------------------------------------------------- drawing
    def paint(self, p: QPainter, rect: QRectF) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.fillRect(rect, QColor("white"))
        fm = QFontMetrics(p.font())
        y = rect.top() + _MARGIN
        left, right = rect.left() + _MARGIN, rect.right() - _MARGIN
        if self.title:
            normal = QFont(p.font())
            bold = QFont(normal)
            bold.setBold(True)
            p.setFont(bold)
            p.setPen(_TEXT)
            p.drawText(QRectF(left, y, right - left, 20),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.title)
            p.setFont(normal)
            y += 24
        y = self._legend(p, fm, left, y)
        if not self.bars:
            p.setPen(NEUTRAL)
            p.drawText(QRectF(left, y, right - left, _BAR_H * 2),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                       self.empty_text)
            return
        label_w = min(_LABEL_MAX, max(fm.horizontalAdvance(b.label) for b in self.bars) + 12)
        counts = [self._counts(b) for b in self.bars]
        value_w = max(fm.horizontalAdvance("100,0%") + 12,
                      max(fm.horizontalAdvance(c) for c in counts) + 12)
        bar_left, bar_right = left + label_w, right - value_w
        width = max(bar_right - bar_left, 20.0)
        p.setPen(QPen(_GRID, 1, Qt.PenStyle.DashLine))
        for q in (0.25, 0.5, 0.75, 1.0):
            x = bar_left + width * q
            p.drawLine(QLineF(x, y - 2, x, y + len(self.bars) * (_BAR_H + _GAP) - _GAP + 2))
        for bar, count in zip(self.bars, counts, strict=True):
            self._bar(p, fm, bar, count, left, label_w, bar_left, width, y)
            y += _BAR_H + _GAP

    def _legend(self, p: QPainter, fm: QFontMetrics, x: float, y: float) -> float:
        for s in self.series:
            p.fillRect(QRectF(x, y + 5, 12, 12), s.color)
            p.setPen(_TEXT)
            p.drawText(QRectF(x + 16, y, fm.horizontalAdvance(s.name) + 4, 22),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, s.name)
            x += 16 + fm.horizontalAdvance(s.name) + 18
        return y + _LEGEND_H

    @staticmethod
    def _counts(bar: Bar) -> str:
        rate = format_rate(bar.rate)
        return f"{rate}  ({format_number(bar.values[0] if bar.values else 0)}/" \
               f"{format_number(bar.total)})"

    def _bar(self, p: QPainter, fm: QFontMetrics, bar: Bar, count: str, left: float,
             label_w: float, bar_left: float, width: float, y: float) -> None:
        p.setPen(_TEXT)
        label = fm.elidedText(bar.label, Qt.TextElideMode.ElideRight, int(label_w - 10))
        p.drawText(QRectF(left, y, label_w - 8, _BAR_H),
                   Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
        x = bar_left
        total = bar.total
        if total > 0:
            for value, series in zip(bar.values, self.series, strict=False):
                w = width * value / total
                if w > 0:
                    p.fillRect(QRectF(x, y, w, _BAR_H), series.color)
                x += w
        p.setPen(QPen(_GRID, 1))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(QRectF(bar_left, y, width, _BAR_H))
        p.setPen(_TEXT)
        p.drawText(QRectF(bar_left + width + 8, y, fm.horizontalAdvance(count) + 8, _BAR_H),
                   Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, count)
