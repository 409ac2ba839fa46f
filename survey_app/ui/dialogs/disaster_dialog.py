"""災害の登録: the first thing headquarters does after a disaster. Name, kind of hazard, the day
it happened and the municipality (offered from the last disaster or the certificate settings).
The checks and their messages are the service's (`office_setup.create_disaster`); the write
runs on the write lane. On success `created(disaster_id)` is emitted and the dialog closes.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from survey_app.domain.observations import HAZARDS
from survey_app.i18n import tr
from survey_app.services.office_setup import clerk_message, create_disaster, municipality_defaults
from survey_app.ui.dialogs.rows import button_row, stack
from survey_app.ui.ops import Ops

ERROR_STYLE = "color: #b00020"


class DisasterDialog(QDialog):
    created = Signal(str)

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.disaster_id: str | None = None
        self.running = False
        self.setWindowTitle(tr("setup.disaster.title"))
        self.resize(560, 340)
        self._build()
        self._layout()
        self.ops.read(municipality_defaults, success=self._prefill, owner=self)

    def _build(self) -> None:
        self.intro_label = QLabel(tr("setup.disaster.intro"), wordWrap=True)
        self.name_edit = QLineEdit(placeholderText=tr("setup.disaster.name_hint"))
        self.hazard_combo = QComboBox()
        for hazard in HAZARDS:
            self.hazard_combo.addItem(tr(f"ui.hazard.{hazard}"), hazard)
        today = QDate.currentDate()
        self.date_edit = QDateEdit(today, calendarPopup=True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setMaximumDate(today)  # the service refuses a future day as well
        self.code_edit = QLineEdit(placeholderText=tr("setup.disaster.code_hint"))
        self.code_edit.setMaxLength(6)
        self.town_edit = QLineEdit(placeholderText=tr("setup.disaster.town_hint"))
        self.message_label = QLabel(wordWrap=True)
        self.save_btn = QPushButton(tr("setup.disaster.save"))
        self.save_btn.setDefault(True)
        self.close_btn = QPushButton(tr("ui.common.close"))
        self.save_btn.clicked.connect(self.save)
        self.close_btn.clicked.connect(self.reject)

    def _layout(self) -> None:
        form = QFormLayout()
        form.addRow(tr("setup.field.name"), self.name_edit)
        form.addRow(tr("setup.disaster.hazard"), self.hazard_combo)
        form.addRow(tr("setup.disaster.occurred_on"), self.date_edit)
        form.addRow(tr("setup.field.municipality_code"), self.code_edit)
        form.addRow(tr("setup.field.municipality_name"), self.town_edit)
        stack(self, self.intro_label, form, (self.message_label, 1),
              button_row(self.save_btn, self.close_btn))

    def _prefill(self, defaults: dict[str, str]) -> None:
        if not self.code_edit.text():
            self.code_edit.setText(defaults["code"])
        if not self.town_edit.text():
            self.town_edit.setText(defaults["name"])

    def set_hazard(self, hazard: str) -> None:
        self.hazard_combo.setCurrentIndex(self.hazard_combo.findData(hazard))

    def save(self) -> None:
        if self.running:
            return
        values = {"name": self.name_edit.text(), "hazard": self.hazard_combo.currentData(),
                  "occurred_on": self.date_edit.date().toString("yyyy-MM-dd"),
                  "municipality_code_text": self.code_edit.text(),
                  "municipality_name": self.town_edit.text()}
        self._busy(True)
        self._say(tr("setup.disaster.saving"))
        self.ops.write(lambda ws: create_disaster(ws, **values),
                       success=self._on_saved, failure=self._on_failed, owner=self)

    def _on_saved(self, disaster_id: str) -> None:
        self._busy(False)
        self.disaster_id = disaster_id
        self._say(tr("setup.disaster.saved", name=self.name_edit.text().strip()))
        self.created.emit(disaster_id)
        self.accept()

    def _on_failed(self, error: BaseException) -> None:
        self._busy(False)
        self._say(tr("setup.disaster.failed", reason=clerk_message(error)), error=True)

    def _busy(self, running: bool) -> None:
        self.running = running
        for widget in (self.save_btn, self.close_btn, self.name_edit, self.hazard_combo,
                       self.date_edit, self.code_edit, self.town_edit):
            widget.setEnabled(not running)

    def reject(self) -> None:
        if not self.running:
            super().reject()

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet(ERROR_STYLE if error else "")
