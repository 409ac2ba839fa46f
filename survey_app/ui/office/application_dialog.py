"""Registering an application (罹災証明書交付申請書, the unified form) at the counter.

Every check and message comes from the office services: the form is checked on the writer
(`check_application`) and each problem is shown under the field it names; applications
already on file for the same home or household are shown and must be confirmed before the
application is saved (`register_application`). Nothing runs on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from survey_app.i18n import tr
from survey_app.services.office import OfficeError, default_cause
from survey_app.services.office_applications import (
    METHODS,
    REQUIRED,
    ApplicationCheck,
    ApplicationForm,
    RegisteredApplication,
    check_application,
    register_application,
)
from survey_app.ui.ops import Ops

ERROR_STYLE = "color: #b00020"
MEMBER_KEYS = ("name", "relation", "birth_date")
REQUIRED_FIELDS = {attr for attr, _ in REQUIRED}


class ApplicationDialog(QDialog):
    """Emits `registered(application_id)` after each application is saved."""

    registered = Signal(str)

    def __init__(self, ops: Ops, disaster_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops, self.disaster_id = ops, disaster_id
        self.result_application: RegisteredApplication | None = None
        # Shows the possible duplicates and asks whether to save anyway (tests replace it).
        self.confirm: Callable[[list[str]], bool] = self._confirm
        self.errors: dict[str, QLabel] = {}
        self.setWindowTitle(tr("office.ui_apply.title"))
        self.resize(760, 720)
        self._build()
        self.ops.read(lambda ws: default_cause(ws.store.buildings.disaster(disaster_id)),
                      success=self._prefill_cause, owner=self)

    # -- construction ----------------------------------------------------------------------

    def _build(self) -> None:
        self.number_edit = QLineEdit(placeholderText=tr("office.ui_apply.number_hint"))
        self.date_edit = QDateEdit(QDate.currentDate(), calendarPopup=True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.name_edit = QLineEdit(placeholderText=tr("office.ui_apply.name_hint"))
        self.kana_edit = QLineEdit(placeholderText=tr("office.ui_apply.kana_hint"))
        self.household_edit = QLineEdit(placeholderText=tr("office.ui_apply.address_hint"))
        self.damaged_edit = QLineEdit(placeholderText=tr("office.ui_apply.address_hint"))
        self.same_checkbox = QCheckBox(tr("office.ui_apply.same_as_above"))
        self.same_checkbox.toggled.connect(self._same_toggled)
        self.household_edit.textChanged.connect(self._copy_household)
        self.contact_edit = QLineEdit(placeholderText=tr("office.ui_apply.contact_hint"))
        self.cause_edit = QLineEdit()
        self.method_combo = QComboBox()
        self.method_combo.addItem(tr("office.ui_apply.method_none"), "")
        for wording in METHODS.values():
            self.method_combo.addItem(wording, wording)  # the form's own wording, as stored
        self._build_members()
        self.message_label = QLabel(wordWrap=True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_button = QPushButton(tr("office.ui_apply.save"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.close_button = QPushButton(tr("office.ui_apply.close"))
        self.close_button.clicked.connect(self.reject)
        self._lay_out()

    def _build_members(self) -> None:
        self.members_table = QTableWidget(1, len(MEMBER_KEYS))
        self.members_table.setHorizontalHeaderLabels(
            [tr("office.ui_apply.member_name"), tr("office.ui_apply.member_relation"),
             tr("office.ui_apply.member_birth")])
        self.members_table.horizontalHeaderItem(2).setToolTip(
            tr("office.ui_apply.member_birth_hint"))
        header = self.members_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.members_table.verticalHeader().setDefaultSectionSize(26)
        # Room for a usual household (about six rows); more rows scroll.
        self.members_table.setFixedHeight(190)
        self.add_member_button = QPushButton(tr("office.ui_apply.member_add"))
        self.add_member_button.clicked.connect(self.add_member_row)
        self.remove_member_button = QPushButton(tr("office.ui_apply.member_remove"))
        self.remove_member_button.clicked.connect(self._remove_member_rows)

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        damaged = QHBoxLayout()
        damaged.addWidget(self.damaged_edit, 1)
        damaged.addWidget(self.same_checkbox)
        members = QVBoxLayout()
        members.addWidget(self.members_table)
        member_buttons = QHBoxLayout()
        member_buttons.addWidget(self.add_member_button)
        member_buttons.addWidget(self.remove_member_button)
        member_buttons.addStretch(1)
        members.addLayout(member_buttons)
        for attr, label, field in (
                ("application_no", tr("office.ui_apply.label_number"), self.number_edit),
                ("received_on", tr("office.ui_apply.label_received"), self.date_edit),
                ("applicant_name", tr("office.ui_apply.label_name"), self.name_edit),
                ("applicant_kana", tr("office.ui_apply.label_kana"), self.kana_edit),
                ("household_address", tr("office.ui_apply.label_household"),
                 self.household_edit),
                ("damaged_address", tr("office.ui_apply.label_damaged"), damaged),
                ("members", tr("office.ui_apply.label_members"), members),
                ("contact", tr("office.ui_apply.label_contact"), self.contact_edit),
                ("cause", tr("office.ui_apply.label_cause"), self.cause_edit),
                ("requested_method", tr("office.ui_apply.label_method"), self.method_combo)):
            form.addRow(self._label(attr, label), self._with_error(attr, field))
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel(tr("office.ui_apply.required_note")))
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message_label)
        layout.addStretch(1)
        layout.addLayout(buttons)

    def _label(self, attr: str, text: str) -> QLabel:
        if attr in REQUIRED_FIELDS:  # the service's list decides what is required
            text += f' <span style="{ERROR_STYLE}">*</span>'
        return QLabel(text)

    def _with_error(self, attr: str, field: QWidget | QLayout) -> QWidget:
        """The input with its message line underneath, hidden while there is nothing to say."""
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        if isinstance(field, QLayout):
            column.addLayout(field)
        else:
            column.addWidget(field)
        error = QLabel(wordWrap=True)
        error.setStyleSheet(ERROR_STYLE)
        error.hide()
        column.addWidget(error)
        self.errors[attr] = error
        return box

    # -- the form --------------------------------------------------------------------------

    def _prefill_cause(self, cause: str) -> None:
        if not self.cause_edit.text():  # never overwrite what the clerk already typed
            self.cause_edit.setText(cause)

    def _same_toggled(self, checked: bool) -> None:
        self.damaged_edit.setReadOnly(checked)
        self.damaged_edit.setEnabled(not checked)
        if checked:
            self.damaged_edit.setText(self.household_edit.text())

    def _copy_household(self, text: str) -> None:
        if self.same_checkbox.isChecked():
            self.damaged_edit.setText(text)

    def add_member_row(self) -> None:
        self.members_table.insertRow(self.members_table.rowCount())

    def _remove_member_rows(self) -> None:
        for row in sorted({i.row() for i in self.members_table.selectedIndexes()}, reverse=True):
            self.members_table.removeRow(row)

    def set_member(self, row: int, name: str, relation: str = "", birth_date: str = "") -> None:
        """Fill one row of the members table (adding rows as needed)."""
        while self.members_table.rowCount() <= row:
            self.add_member_row()
        for col, value in enumerate((name, relation, birth_date)):
            self.members_table.setItem(row, col, QTableWidgetItem(value))

    def members(self) -> list[dict]:
        """The table's rows; wholly empty rows are left out (spare rows are normal)."""
        out = []
        for row in range(self.members_table.rowCount()):
            cells = [self.members_table.item(row, col) for col in range(len(MEMBER_KEYS))]
            values = [c.text().strip() if c is not None else "" for c in cells]
            if any(values):
                out.append(dict(zip(MEMBER_KEYS, values, strict=True)))
        return out

    def form(self) -> ApplicationForm:
        household = self.household_edit.text()
        return ApplicationForm(
            disaster_id=self.disaster_id, application_no=self.number_edit.text(),
            applicant_name=self.name_edit.text(), applicant_kana=self.kana_edit.text(),
            household_address=household,
            damaged_address=household if self.same_checkbox.isChecked()
            else self.damaged_edit.text(),
            members=self.members(), contact=self.contact_edit.text(),
            cause=self.cause_edit.text(), requested_method=self.method_combo.currentData(),
            received_on=self.date_edit.date().toString(Qt.DateFormat.ISODate))

    # -- saving ----------------------------------------------------------------------------

    def save(self) -> None:
        form = self.form()
        self._clear_errors()
        self._busy(True)
        self._say(tr("office.ui_apply.checking"))
        self.ops.write(lambda ws: check_application(ws, form),
                       success=lambda check: self._checked(form, check),
                       failure=self._failed, owner=self)

    def _checked(self, form: ApplicationForm, check: ApplicationCheck) -> None:
        if check.problems:
            unplaced = [message for attr, message in check.problems
                        if not self._show_error(attr, message)]
            self._busy(False)
            self._say("\n".join([tr("office.ui_apply.fix_fields", count=len(check.problems)),
                                 *unplaced]), error=True)
            return
        warnings = check.warnings()
        if warnings:
            self._say("\n".join(warnings), error=True)
            if not self.confirm(warnings):
                self._busy(False)
                self._say(tr("office.ui_apply.not_saved") + "\n" + "\n".join(warnings),
                          error=True)
                return
        self.ops.write(lambda ws: register_application(ws, form), success=self._saved,
                       failure=self._failed, owner=self)

    def _saved(self, result: RegisteredApplication) -> None:
        self.result_application = result
        self._busy(False)
        self._clear_form()
        lines = [tr("office.ui_apply.saved", no=result.application_no), *result.warnings()]
        self._say("\n".join(lines))
        self.message_label.setStyleSheet("font-weight: bold")
        self.registered.emit(result.id)

    def _clear_form(self) -> None:
        """Ready for the next household in the queue; the day, cause and method stay."""
        for edit in (self.number_edit, self.name_edit, self.kana_edit, self.household_edit,
                     self.damaged_edit, self.contact_edit):
            edit.clear()
        self.same_checkbox.setChecked(False)
        self.members_table.clearContents()
        self.members_table.setRowCount(1)
        self.name_edit.setFocus()

    def _show_error(self, attr: str, message: str) -> bool:
        """Show the message under its field; False for a field without a line of its own."""
        label = self.errors.get(attr)
        if label is None:
            return False
        label.setText(f"{label.text()}\n{message}" if label.text() else message)
        label.show()
        return True

    def _clear_errors(self) -> None:
        for label in self.errors.values():
            label.clear()
            label.hide()

    def _busy(self, busy: bool) -> None:
        self.save_button.setEnabled(not busy)

    def _say(self, message: str, *, error: bool = False) -> None:
        self.message_label.setText(message)
        self.message_label.setStyleSheet(ERROR_STYLE if error else "")

    def _failed(self, error: BaseException) -> None:
        self._busy(False)
        self._say(str(error) if isinstance(error, OfficeError)
                  else tr("office.ui_apply.unexpected", error=error), error=True)

    def _confirm(self, warnings: list[str]) -> bool:
        text = tr("office.ui_apply.duplicates_question", warnings="\n".join(warnings))
        answer = QMessageBox.question(self, tr("office.ui_apply.duplicates_title"), text,
                                      QMessageBox.StandardButton.Save
                                      | QMessageBox.StandardButton.Cancel,
                                      QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Save
