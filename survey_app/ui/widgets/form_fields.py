"""The input widgets a survey form is built from, one class per field type of forms/.

Each field reads and writes its value at its observations path, says when it changed, and has a
label next to it for validation messages. Numbers are typed as text (full-width digits are
accepted) so that an impossible value like 300 cm can be entered and then explained, instead of
being silently clipped by a spin box.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from survey_app.i18n import current_language, tr

CIRCLED = "①②③④⑤⑥⑦⑧"
ERROR_STYLE = "color: #c62828;"


def label_of(entry: dict, key: str = "label") -> str:
    """The form definition's label in the current language (forms/ carries both)."""
    if current_language() == "en" and entry.get(f"{key}_en"):
        return str(entry[f"{key}_en"])
    return str(entry.get(key, ""))


def parse_number(text: str) -> float | int | str | None:
    """None if blank; a number if it reads as one (１２０ and 1,5 too); else the text itself,
    so that validation can say "数値で指定してください" next to the field."""
    clean = unicodedata.normalize("NFKC", text).strip().replace(",", ".").replace("−", "-")
    if not clean:
        return None
    try:
        value = float(clean)
    except ValueError:
        return text.strip()
    return int(value) if value.is_integer() and "." not in clean else value


def format_number(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class FormField(QObject):
    """Base: `widget` goes into the form, `error_label` next to it."""

    changed = Signal()

    def __init__(self, spec: dict, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.path: str = spec["path"]
        self.error_label = QLabel()
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.widget: QWidget

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))


class CheckField(FormField):
    def __init__(self, spec: dict, parent: QObject | None = None) -> None:
        super().__init__(spec, parent)
        self.widget = self.check = QCheckBox(label_of(spec))
        self.check.toggled.connect(self.changed)

    def value(self) -> bool:
        return self.check.isChecked()

    def set_value(self, value: Any) -> None:
        self.check.setChecked(bool(value))


class NumberField(FormField):
    """One number, or `count` numbers in a row (the four inclination offsets)."""

    def __init__(self, spec: dict, parent: QObject | None = None) -> None:
        super().__init__(spec, parent)
        self.count = int(spec.get("count", 1))
        self.widget = QWidget()
        row = QHBoxLayout(self.widget)
        row.setContentsMargins(0, 0, 0, 0)
        self.edits: list[QLineEdit] = []
        for i in range(self.count):
            edit = QLineEdit()
            edit.setMaximumWidth(90)
            if self.count > 1:
                edit.setPlaceholderText(CIRCLED[i])
            elif spec.get("default") is not None:
                edit.setPlaceholderText(format_number(spec["default"]))
            edit.textChanged.connect(self.changed)
            row.addWidget(edit)
            self.edits.append(edit)
        if spec.get("unit"):
            row.addWidget(QLabel(spec["unit"]))
        row.addStretch(1)

    def value(self) -> Any:
        values = [parse_number(e.text()) for e in self.edits]
        if self.count == 1:
            return values[0]
        return None if all(v is None for v in values) else values

    def set_value(self, value: Any) -> None:
        values = value if isinstance(value, list) else [value]
        for edit, item in zip(self.edits, values + [None] * self.count, strict=False):
            edit.setText(format_number(item))


class ChoiceField(FormField):
    def __init__(self, spec: dict, parent: QObject | None = None) -> None:
        super().__init__(spec, parent)
        self.widget = self.combo = QComboBox()
        self.combo.addItem(tr("ui.form.not_chosen"), None)
        for option in spec.get("options", []):
            self.combo.addItem(label_of(option), option["value"])
        self.combo.currentIndexChanged.connect(self.changed)

    def value(self) -> Any:
        return self.combo.currentData()

    def set_value(self, value: Any) -> None:
        self.combo.setCurrentIndex(max(0, self.combo.findData(value)))


class TextField(FormField):
    def __init__(self, spec: dict, parent: QObject | None = None) -> None:
        super().__init__(spec, parent)
        self.widget = self.edit = QPlainTextEdit()
        self.edit.setFixedHeight(80)
        self.edit.textChanged.connect(self.changed)

    def value(self) -> str | None:
        return self.edit.toPlainText() or None

    def set_value(self, value: Any) -> None:
        if self.edit.toPlainText() != (value or ""):
            self.edit.setPlainText(value or "")


FIELD_TYPES = {"boolean": CheckField, "number": NumberField, "choice": ChoiceField,
               "text": TextField}
