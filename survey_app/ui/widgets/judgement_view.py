"""The live result beside the form: grade, damage ratio and the engine's explanation."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget, QVBoxLayout, QWidget

from survey_app.i18n import tr
from survey_app.maps.colours import GRADE_COLOURS
from survey_app.ui.widgets.survey_list import grade_label


class JudgementView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grade_label = QLabel()
        self.grade_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # Wrapped rather than one long line, which held the pane at the grade's width (~430 px
        # for "Partial damage (below quasi-half)") and squeezed the form beside it.
        self.grade_label.setWordWrap(True)
        self.ratio_label = QLabel()
        self.ratio_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.explanation = QListWidget()
        self.explanation.setWordWrap(True)
        self.notes_label = QLabel()
        self.notes_label.setWordWrap(True)
        self.notes_label.setStyleSheet("color: #8a6d00;")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("ui.judgement.title")))
        for widget in (self.grade_label, self.ratio_label, self.status_label):
            layout.addWidget(widget)
        layout.addWidget(QLabel(tr("ui.judgement.explanation")))
        layout.addWidget(self.explanation, 1)
        layout.addWidget(self.notes_label)
        self.clear()

    def clear(self, message: str = "") -> None:
        self._grade("", "—")
        self.ratio_label.setText("")
        self.status_label.setText(message)
        self.explanation.clear()
        self.notes_label.setText("")

    def _grade(self, code: str, text: str) -> None:
        colour = GRADE_COLOURS.get(code, "#9e9e9e")
        self.grade_label.setText(text)
        self.grade_label.setStyleSheet(
            f"font-size: 22pt; font-weight: bold; color: white; background: {colour};"
            " border-radius: 6px; padding: 8px;")

    def show_judgement(self, judgement: dict) -> None:
        self._grade(judgement["grade_code"], grade_label(judgement["grade_code"]))
        ratio = judgement.get("damage_ratio_percent")
        self.ratio_label.setText(tr("ui.judgement.no_ratio") if ratio is None else
                                 tr("ui.judgement.ratio", ratio=f"{ratio:g}"))
        self.status_label.setText(tr("ui.judgement.rules", version=judgement["rules_version"]))
        self.explanation.clear()
        self.explanation.addItems(judgement.get("explanation", []))
        notes = judgement.get("unconfirmed") or []
        self.notes_label.setText(
            "\n".join(tr("ui.judgement.unconfirmed", note=n) for n in notes[:3]))

    def show_pending(self, issue_count: int, message: str = "") -> None:
        self.clear(message or tr("ui.judgement.fix_fields", count=issue_count))

    @property
    def grade_text(self) -> str:
        return self.grade_label.text()
