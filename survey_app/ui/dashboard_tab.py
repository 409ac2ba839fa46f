"""The dashboard tab: the figures of services.dashboard as Qt Charts, each with its definition.

The tab only draws a Dashboard it is given; computing one reads the whole disaster, so the
caller runs `services.dashboard.build(store, disaster_id)` on its database lane and passes the
result to `show_dashboard` on the GUI thread.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalStackedBarSeries,
    QScatterSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from survey_app.exports.svg_charts import PALETTE
from survey_app.i18n import tr
from survey_app.maps.colours import GRADE_COLOURS

if TYPE_CHECKING:  # the dashboard service (and the export code under it) loads on first use
    from survey_app.services.dashboard import Dashboard


def _t(key: str, **args: object) -> str:
    return tr(f"exports.dashboard.{key}", **args)


def _count_axis(top: float) -> QValueAxis:
    """A 0..top axis ticked at whole numbers (counts have no fractions)."""
    axis = QValueAxis()
    step = max(1, math.ceil(top / 5))
    axis.setRange(0, max(step * math.ceil(top / step), 1))
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(0)
    axis.setTickInterval(step)
    axis.setLabelFormat("%d")
    return axis


def _chart(series, categories: list[str], top: float, *, horizontal: bool = False) -> QChart:
    chart = QChart()
    chart.addSeries(series)
    chart.legend().setVisible(False)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    if categories:
        cat, val = QBarCategoryAxis(), _count_axis(top)
        cat.append(categories)
        chart.addAxis(cat, Qt.AlignmentFlag.AlignLeft if horizontal else Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(val, Qt.AlignmentFlag.AlignBottom if horizontal else Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(cat)
        series.attachAxis(val)
    return chart


def _coloured_bars(items: list[tuple[str, int, str]]) -> QChart:
    """Horizontal bars with a colour each (one stacked set per bar, zero elsewhere), the first
    item at the top."""
    items = items[::-1]       # a category axis runs bottom-up
    series = QHorizontalStackedBarSeries()
    for i, (label, value, colour) in enumerate(items):
        bar = QBarSet(label)
        bar.append([value if j == i else 0 for j in range(len(items))])
        bar.setColor(QColor(colour))
        series.append(bar)
    series.setLabelsVisible(True)
    return _chart(series, [label for label, _, _ in items],
                  max((v for _, v, _ in items), default=0), horizontal=True)


class DashboardTab(QWidget):
    """One section per figure: the chart, then its definition beside it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel()
        self.charts: dict[str, QChartView] = {}
        self.definitions: dict[str, QLabel] = {}
        self.lead_headline = QLabel()
        body = QWidget()
        self._sections = QVBoxLayout(body)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(scroll)

    def _section(self, figure: str, chart: QChart, extra: QLabel | None = None) -> None:
        view = self.charts.get(figure)
        if view is None:
            box = QGroupBox(_t(f"{figure}.title"))
            row = QHBoxLayout(box)
            view = QChartView()
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumSize(560, 300)
            text = QLabel(_t(f"{figure}.definition"))
            text.setWordWrap(True)
            text.setMaximumWidth(360)
            column = QVBoxLayout()
            if extra is not None:
                column.addWidget(extra)
            column.addWidget(text)
            column.addStretch()
            row.addWidget(view, 2)
            row.addLayout(column, 1)
            self._sections.addWidget(box)
            self.charts[figure], self.definitions[figure] = view, text
        old = view.chart()
        view.setChart(chart)
        if old is not None:
            old.deleteLater()

    def show_dashboard(self, d: Dashboard) -> None:
        from survey_app.services.dashboard import BACKLOG_KEYS

        name = d.disaster["name"] if d.disaster else ""
        self.heading.setText(f"{_t('title')} — {name} {_t('as_of', date=d.as_of)}")
        backlog = [(_t(f"backlog.{k}"), d.backlog[k], PALETTE[i % len(PALETTE)])
                   for i, k in enumerate(BACKLOG_KEYS)]
        self._section("backlog", _coloured_bars(backlog))
        self._section("surveys_per_day", self._per_day(d))
        grades = [(g.label, g.count, GRADE_COLOURS.get(g.code, "#777777")) for g in d.grades]
        self._section("grades", _coloured_bars(grades))
        self._section("lead_time", self._lead_time(d), self.lead_headline)
        self._section("grade_map", self._grade_map(d))

    @staticmethod
    def _per_day(d: Dashboard) -> QChart:
        days = sorted({c.day for c in d.per_day})
        counts = {(c.day, c.group): c.count for c in d.per_day}
        series = QStackedBarSeries()
        for k, group in enumerate(sorted({c.group for c in d.per_day})):
            bar = QBarSet(group or _t("grouped_by_" + d.group_by))
            bar.append([counts.get((day, group), 0) for day in days])
            bar.setColor(QColor(PALETTE[k % len(PALETTE)]))
            series.append(bar)
        top = max((sum(counts.get((day, g), 0) for g in {c.group for c in d.per_day})
                   for day in days), default=0)
        chart = _chart(series, [day[5:] for day in days], top)
        chart.legend().setVisible(True)
        return chart

    def _lead_time(self, d: Dashboard) -> QChart:
        from survey_app.services.dashboard import TARGET_DAYS

        lt = d.lead_times
        share = "—" if lt.share_within_target is None else f"{lt.share_within_target:.0%}"
        median = "—" if lt.median_days is None else f"{lt.median_days:g}"
        self.lead_headline.setText(share + " " + _t("lead_time.headline", days=TARGET_DAYS,
                                                    issued=lt.issued, median=median,
                                                    overdue=lt.overdue))
        self.lead_headline.setWordWrap(True)
        series = QBarSeries()
        bar = QBarSet(_t("count"))
        bar.append([n for _, n in lt.buckets])
        series.append(bar)
        series.setLabelsVisible(True)
        return _chart(series, [f"{label} {_t('days')}" for label, _ in lt.buckets],
                      max((n for _, n in lt.buckets), default=0))

    @staticmethod
    def _grade_map(d: Dashboard) -> QChart:
        chart = QChart()
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        labels = {g.code: g.label for g in d.grades}
        x_axis, y_axis = QValueAxis(), QValueAxis()
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        for code, colour in GRADE_COLOURS.items():
            cells = [c for c in d.grade_map if c.grade_code == code]
            if not cells:
                continue
            series = QScatterSeries()
            series.setName(labels.get(code, code))
            series.setColor(QColor(colour))
            series.setMarkerSize(8)
            for cell in cells:
                series.append(cell.lon, cell.lat)
            chart.addSeries(series)
            series.attachAxis(x_axis)
            series.attachAxis(y_axis)
        if d.grade_map:
            lons = [c.lon for c in d.grade_map]
            lats = [c.lat for c in d.grade_map]
            pad = max(max(lons) - min(lons), max(lats) - min(lats), 0.001) * 0.05
            x_axis.setRange(min(lons) - pad, max(lons) + pad)
            y_axis.setRange(min(lats) - pad, max(lats) + pad)
        return chart
