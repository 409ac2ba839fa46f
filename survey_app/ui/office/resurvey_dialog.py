"""再調査申請の受付: why the household disputes its grade, who surveys again, and when the
request was made. The office services check every value; this form only collects them."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from survey_app.i18n import tr


class ResurveyRequestDialog(QDialog):
    """`form` is `office_resurvey.resurvey_form`'s answer; `values()` what the clerk entered."""

    def __init__(self, form: dict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("office.ui.resurvey_title"))
        self.resize(520, 360)
        certificate, survey = form["certificate"], form["survey"]
        self.about_label = QLabel(tr(
            "office.ui.resurvey_about", number=certificate["number_text"],
            grade=certificate["grade"] or "—", stage=tr(f"office.stage_{survey['stage']}"),
            new_stage=tr(f"office.stage_{form['stage']}")), wordWrap=True)
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setPlaceholderText(tr("office.ui.resurvey_reason_hint"))
        self.surveyor_combo = QComboBox(editable=True)
        self.surveyor_combo.addItems(form["surveyors"])
        self.surveyor_combo.setCurrentIndex(-1)
        self.surveyor_combo.lineEdit().setPlaceholderText(tr("office.ui.resurvey_surveyor_hint"))
        self.date_edit = QLineEdit(form["today"])
        self.error_label = QLabel(wordWrap=True)
        self.error_label.setStyleSheet("color: #b00020")
        fields = QFormLayout()
        fields.addRow(tr("office.ui.resurvey_reason"), self.reason_edit)
        fields.addRow(tr("office.ui.resurvey_surveyor"), self.surveyor_combo)
        fields.addRow(tr("office.ui.resurvey_requested_on"), self.date_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("office.ui.resurvey_ok"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("ui.common.cancel"))
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.about_label)
        layout.addLayout(fields)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def values(self) -> dict | None:
        """{reason, surveyor, requested_on}, or None (with the reason said) when incomplete."""
        reason = self.reason_edit.toPlainText().strip()
        if not reason:
            self.error_label.setText(tr("office.ui.resurvey_reason_missing"))
            return None
        return {"reason": reason, "surveyor": self.surveyor_combo.currentText().strip(),
                "requested_on": self.date_edit.text().strip()}

    def try_accept(self) -> None:
        if self.values() is not None:
            self.accept()
