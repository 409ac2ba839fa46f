"""The dashboard tab draws the figures it is given, each beside its definition."""

from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("PySide6.QtCharts")

from survey_app.i18n import tr  # noqa: E402
from survey_app.services import dashboard  # noqa: E402
from survey_app.ui.dashboard_tab import DashboardTab  # noqa: E402


def _bar_values(view) -> dict[str, float]:
    (series,) = view.chart().series()
    return {s.label(): sum(s.at(i) for i in range(s.count())) for s in series.barSets()}


def test_tab_shows_every_figure_with_its_definition(qtbot, ws, data, tmp_path):
    figures = dashboard.build(ws.store, data["E"], as_of=dt.date(2024, 2, 29))
    tab = DashboardTab()
    qtbot.addWidget(tab)
    tab.resize(1100, 900)
    tab.show_dashboard(figures)
    tab.show()
    assert set(tab.charts) == set(dashboard.FIGURES)
    for figure in dashboard.FIGURES:
        assert tab.definitions[figure].text() == tr(f"exports.dashboard.{figure}.definition")
    grades = _bar_values(tab.charts["grades"])
    assert grades == {g.label: g.count for g in figures.grades}
    backlog = _bar_values(tab.charts["backlog"])
    assert backlog[tr("exports.dashboard.backlog.judged")] == 11
    points = sum(s.count() for s in tab.charts["grade_map"].chart().series())
    assert points == len(figures.grade_map)
    assert tab.lead_headline.text().startswith("50%")
    tab.show_dashboard(figures)                      # a refresh replaces, never duplicates
    assert len(tab.charts) == len(dashboard.FIGURES)
    assert not tab.grab().isNull()
