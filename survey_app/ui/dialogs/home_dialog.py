"""住家の追加: one home the registers lack, typed in by the clerk (address, owner, area,
structure, floors, and the location when known), optionally with its 1st-survey task assigned
to a surveyor. The dialog stays open for the next home; the area and the surveyor are kept.

A home at an address the disaster already has is not added at once: the dialog names the
homes found there and the button becomes 「重複を承知で追加」, since a register may spell the
same address differently or two households may share a lot.
"""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from survey_app.domain.observations import STRUCTURES
from survey_app.i18n import tr
from survey_app.services.office import OfficeError
from survey_app.services.office_setup import DuplicateHome, HomeAdded, add_home, clerk_message
from survey_app.services.office_tasks import area_rows, known_surveyors
from survey_app.ui.dialogs.rows import button_row, stack
from survey_app.ui.ops import Ops

ERROR_STYLE = "color: #b00020"


def editable_combo(placeholder: str) -> QComboBox:
    combo = QComboBox(editable=True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.lineEdit().setPlaceholderText(placeholder)
    return combo


def _coordinate(text: str, label: str) -> float | None:
    text = unicodedata.normalize("NFKC", text).strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise OfficeError(tr("setup.home.bad_number", field=label, value=text)) from None


class HomeDialog(QDialog):
    added = Signal(str)  # the new building's id

    def __init__(self, ops: Ops, disaster_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops, self.disaster_id = ops, disaster_id
        self.running = False
        self.allow_duplicate = False
        self.last: HomeAdded | None = None
        self.setWindowTitle(tr("setup.home.title"))
        self.resize(620, 520)
        self._build()
        self._layout()
        self.ops.read(lambda ws: ([r.area for r in area_rows(ws, disaster_id) if r.area],
                                  known_surveyors(ws)), success=self._fill_choices, owner=self)

    def _build(self) -> None:
        self.intro_label = QLabel(tr("setup.home.intro"), wordWrap=True)
        self.address_edit = QLineEdit(placeholderText=tr("setup.home.address_hint"))
        self.area_combo = editable_combo(tr("setup.home.area_hint"))
        self.owner_edit = QLineEdit()
        self.kana_edit = QLineEdit(placeholderText=tr("setup.home.kana_hint"))
        self.structure_combo = QComboBox()
        for structure in STRUCTURES:
            self.structure_combo.addItem(tr(f"engine.structure_{structure}"), structure)
        self.floors_spin = QSpinBox(minimum=0, maximum=200)
        self.floors_spin.setSpecialValueText(tr("setup.home.floors_unknown"))
        self.lat_edit = QLineEdit(placeholderText=tr("setup.home.lat_hint"))
        self.lon_edit = QLineEdit(placeholderText=tr("setup.home.lon_hint"))
        self.survey_check = QCheckBox(tr("setup.home.first_survey"), checked=True)
        self.surveyor_combo = editable_combo(tr("setup.tasks.surveyor_hint"))
        self.message_label = QLabel(wordWrap=True)
        self.add_btn = QPushButton(tr("setup.home.add"))
        self.add_btn.setDefault(True)
        self.close_btn = QPushButton(tr("ui.common.close"))
        self.add_btn.clicked.connect(self.add)
        self.close_btn.clicked.connect(self.reject)
        self.address_edit.textChanged.connect(self._address_changed)
        self.survey_check.toggled.connect(self.surveyor_combo.setEnabled)

    def _layout(self) -> None:
        form = QFormLayout()
        form.addRow(tr("setup.field.address"), self.address_edit)
        form.addRow(tr("setup.field.area"), self.area_combo)
        form.addRow(tr("setup.field.owner_name"), self.owner_edit)
        form.addRow(tr("setup.field.owner_kana"), self.kana_edit)
        form.addRow(tr("setup.home.structure"), self.structure_combo)
        form.addRow(tr("setup.home.floors"), self.floors_spin)
        place = QHBoxLayout()
        place.addWidget(self.lat_edit)
        place.addWidget(self.lon_edit)
        form.addRow(tr("setup.home.location"), place)
        form.addRow("", self.survey_check)
        form.addRow(tr("setup.tasks.surveyor"), self.surveyor_combo)
        stack(self, self.intro_label, form, (self.message_label, 1),
              button_row(self.add_btn, self.close_btn))

    def _fill_choices(self, choices: tuple[list[str], list[str]]) -> None:
        areas, surveyors = choices
        for combo, values in ((self.area_combo, areas), (self.surveyor_combo, surveyors)):
            typed = combo.currentText()
            combo.clear()
            combo.addItems(values)
            combo.setEditText(typed)

    def _address_changed(self, _text: str) -> None:
        if self.allow_duplicate:  # another address: the warning was about the old one
            self.allow_duplicate = False
            self.add_btn.setText(tr("setup.home.add"))
            self._say("")

    # -- adding ------------------------------------------------------------------------------

    def fields(self) -> dict:
        """The form as add_home's keyword arguments (raises OfficeError on a bad number)."""
        return {"address": self.address_edit.text(), "area": self.area_combo.currentText(),
                "owner_name": self.owner_edit.text(), "owner_kana": self.kana_edit.text(),
                "structure": self.structure_combo.currentData(),
                "floors": self.floors_spin.value() or None,
                "lat": _coordinate(self.lat_edit.text(), tr("setup.home.lat")),
                "lon": _coordinate(self.lon_edit.text(), tr("setup.home.lon")),
                "first_survey": self.survey_check.isChecked(),
                "surveyor": self.surveyor_combo.currentText()
                if self.survey_check.isChecked() else ""}

    def add(self) -> None:
        if self.running:
            return
        try:
            fields = self.fields()
        except OfficeError as err:
            self._say(tr("setup.home.failed", reason=str(err)), error=True)
            return
        did, allow = self.disaster_id, self.allow_duplicate
        self._busy(True)
        self.ops.write(lambda ws: add_home(ws, did, allow_duplicate=allow, **fields),
                       success=lambda added: self._on_added(added, fields),
                       failure=self._on_failed, owner=self)

    def _on_added(self, added: HomeAdded, fields: dict) -> None:
        self._busy(False)
        self.last = added
        address = " ".join(fields["address"].split())
        if added.survey_id and fields["surveyor"].strip():
            text = tr("setup.home.added_assigned", address=address,
                      surveyor=fields["surveyor"].strip())
        elif added.survey_id:
            text = tr("setup.home.added_survey", address=address)
        else:
            text = tr("setup.home.added", address=address)
        for edit in (self.address_edit, self.owner_edit, self.kana_edit, self.lat_edit,
                     self.lon_edit):
            edit.clear()  # ready for the next home; area, structure and surveyor stay
        self.floors_spin.setValue(0)
        self._say(text)
        self.address_edit.setFocus()
        self.added.emit(added.building_id)

    def _on_failed(self, error: BaseException) -> None:
        self._busy(False)
        if isinstance(error, DuplicateHome):
            self.allow_duplicate = True
            self.add_btn.setText(tr("setup.home.add_anyway"))
            self._say(f"{error}\n{tr('setup.home.duplicate_hint')}", error=True)
            return
        self._say(tr("setup.home.failed", reason=clerk_message(error)), error=True)

    def _busy(self, running: bool) -> None:
        self.running = running
        self.add_btn.setEnabled(not running)
        self.close_btn.setEnabled(not running)

    def reject(self) -> None:
        if not self.running:
            super().reject()

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet(ERROR_STYLE if error else "")
