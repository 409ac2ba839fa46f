"""Search box and filters above the survey list. Typing is debounced (200 ms) so the list
queries once per pause, not once per keystroke."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from survey_app.i18n import tr
from survey_app.store.listing import SurveyFilter
from survey_app.store.surveys import STATUSES
from survey_app.ui.widgets.survey_list import grade_label, status_label

GRADE_CODES = ("zenkai", "daikibo", "chukibo", "hankai", "junhankai", "ichibu")
DEBOUNCE_MS = 200


class FilterBar(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(tr("ui.filter.search_placeholder"))
        self.search_edit.setClearButtonEnabled(True)
        self.status_combo = self._combo(tr("ui.filter.all_statuses"),
                                        [(status_label(s), s) for s in STATUSES])
        self.grade_combo = self._combo(tr("ui.filter.all_grades"),
                                       [(grade_label(g), g) for g in GRADE_CODES])
        self.area_combo = self._combo(tr("ui.filter.all_areas"), [])
        self.surveyor_combo = self._combo(tr("ui.filter.all_surveyors"), [])
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self.changed)
        self.search_edit.textChanged.connect(self.debounce.start)
        self._layout()

    def _combo(self, all_label: str, items: list[tuple[str, str]]) -> QComboBox:
        combo = QComboBox()
        combo.addItem(all_label, "")
        for label, value in items:
            combo.addItem(label, value)
        combo.currentIndexChanged.connect(self.changed)
        return combo

    def _layout(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search_edit)
        row = QHBoxLayout()
        for combo in (self.status_combo, self.grade_combo, self.area_combo,
                      self.surveyor_combo):
            row.addWidget(combo, 1)
        layout.addLayout(row)

    def set_facets(self, facets: dict[str, list[str]]) -> None:
        """Offer the disaster's areas and surveyors; the current choice is kept if still there."""
        for combo, key in ((self.area_combo, "area"), (self.surveyor_combo, "surveyor")):
            current = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for value in facets.get(key, []):
                combo.addItem(value, value)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)

    def current_filter(self, disaster_id: str) -> SurveyFilter:
        def one(combo: QComboBox) -> tuple[str, ...]:
            value = combo.currentData()
            return (value,) if value else ()

        return SurveyFilter(disaster_id=disaster_id, text=self.search_edit.text().strip(),
                            statuses=one(self.status_combo), grade_codes=one(self.grade_combo),
                            areas=one(self.area_combo),
                            surveyor=self.surveyor_combo.currentData() or "")
