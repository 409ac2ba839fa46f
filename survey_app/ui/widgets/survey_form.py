"""The survey form, generated from the resolved forms/ definition of the survey's hazard, stage
and structure (Rulebook.form). It turns widgets into observations and back, and puts each
validation message next to the field it is about."""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from survey_app.i18n import current_language, tr
from survey_app.ui.widgets.component_grid import ComponentGrid, LengthComponents
from survey_app.ui.widgets.form_fields import (
    CIRCLED,
    ERROR_STYLE,
    FIELD_TYPES,
    FormField,
    NumberField,
    label_of,
)


def _get(obs: dict, path: str) -> Any:
    node: Any = obs
    for part in path.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def _put(obs: dict, path: str, value: Any) -> None:
    *parents, last = path.split(".")
    node = obs
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value


def _parent_path(path: str) -> str:
    cut = max(path.rfind("."), path.rfind("["))
    return path[:cut] if cut > 0 else ""


class SurveyForm(QScrollArea):
    changed = Signal()

    def __init__(self, form: dict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = form
        self.fields: dict[str, FormField] = {}
        self.grid: ComponentGrid | None = None
        self.lengths: LengthComponents | None = None
        self.groups: dict[str, QGroupBox] = {}
        self._base: dict = {}
        self.general_error = QLabel()
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.setWordWrap(True)
        body = QWidget()
        layout = QVBoxLayout(body)
        for section in form["sections"]:
            layout.addWidget(self._section(section))
        layout.addWidget(self.general_error)
        layout.addStretch(1)
        self.setWidget(body)
        self.setWidgetResizable(True)

    # -- building ----------------------------------------------------------------------------

    def _section(self, section: dict) -> QGroupBox:
        box = QGroupBox(label_of(section))
        self.groups[section["id"]] = box
        layout = QVBoxLayout(box)
        description = label_of(section, "description")
        if description and (current_language() == "ja" or section.get("description_en")):
            note = QLabel(description)
            note.setWordWrap(True)
            note.setStyleSheet("color: #555;")
            layout.addWidget(note)
        if section.get("kind") == "components":
            self._components(section, layout)
        else:
            layout.addLayout(self._fields(section["fields"]))
        return box

    def _fields(self, specs: list[dict]) -> QFormLayout:
        form = QFormLayout()
        for spec in specs:
            field = FIELD_TYPES[spec["type"]](spec, self)
            field.changed.connect(self.changed)
            self.fields[spec["path"]] = field
            row = QVBoxLayout()
            row.addWidget(field.widget)
            row.addWidget(field.error_label)
            if spec["type"] == "boolean":
                form.addRow(row)
            else:
                form.addRow(label_of(spec), row)
        return form

    def _components(self, section: dict, layout: QVBoxLayout) -> None:
        components = section.get("components", [])
        area = [c for c in components if c["measure"] == "area"]
        length = [c for c in components if c["measure"] == "length"]
        if area:
            self.grid = ComponentGrid(area, self)
            self.grid.changed.connect(self.changed)
            layout.addWidget(self.grid)
            # The row's own cell may be too narrow for the whole message: repeat it in full.
            self.grid_error = QLabel()
            self.grid_error.setStyleSheet(ERROR_STYLE)
            self.grid_error.setWordWrap(True)
            layout.addWidget(self.grid_error)
        if length:
            self.lengths = LengthComponents(length, self)
            self.lengths.changed.connect(self.changed)
            layout.addWidget(self.lengths)

    # -- values ------------------------------------------------------------------------------

    def set_observations(self, obs: dict) -> None:
        """Show `obs`; keys the form does not edit (meta, rules_version…) are kept as they are."""
        self._base = copy.deepcopy(obs)
        for widget in self._parts():
            widget.blockSignals(True)
        for path, field in self.fields.items():
            field.set_value(_get(obs, path))
        components = obs.get("components") or {}
        for part in (self.grid, self.lengths):
            if part is not None:
                part.set_value(components)
        for widget in self._parts():
            widget.blockSignals(False)

    def _parts(self) -> list:
        parts: list = list(self.fields.values())
        return parts + [p for p in (self.grid, self.lengths) if p is not None]

    def observations(self) -> dict:
        obs = copy.deepcopy(self._base)
        for top in {p.split(".")[0] for p in self.fields} | {"components"}:
            obs.pop(top, None)
        for path, field in self.fields.items():
            value = field.value()
            if value is not None and value is not False:
                _put(obs, path, value)
        self._keep_required_flags(obs)
        components: dict = {}
        for part in (self.grid, self.lengths):
            if part is not None:
                components.update(part.value())
        if components:
            obs["components"] = components
        return obs

    def _keep_required_flags(self, obs: dict) -> None:
        # A required yes/no (外力の有無) is recorded even when "no"; other flags only when set.
        for path, field in self.fields.items():
            if field.spec.get("required") and field.spec["type"] == "boolean":
                _put(obs, path, field.value())

    # -- messages ----------------------------------------------------------------------------

    def show_issues(self, issues: list) -> None:
        messages: dict[str, list[str]] = {}
        for issue in issues:
            target = self._target(issue.path)
            text = self._message(issue, target)
            if text not in messages.setdefault(target, []):
                messages[target].append(text)
        for path, field in self.fields.items():
            field.show_error("\n".join(messages.pop(path, [])))
        rows = {}
        for key in [k for k in messages if k.startswith("components.")]:
            rows[key.split(".", 1)[1]] = "\n".join(messages.pop(key))
        for part in (self.grid, self.lengths):
            if part is not None:
                part.show_errors(rows)
        if self.grid is not None:
            self.grid_error.setText("\n".join(f"{self.grid.titles[c]}: {m}"
                                              for c, m in rows.items() if c in self.grid.titles))
        general = [m for msgs in messages.values() for m in msgs]
        self.general_error.setText("\n".join(general))

    def _message(self, issue, target: str) -> str:
        """The issue's text, with the corner (①…) it is about; blank corners of a row that is
        being filled in get one "fill in all four" instead of one message each."""
        rest = issue.path[len(target):]
        field = self.fields.get(target)
        if not (rest.startswith("[") and isinstance(field, NumberField)):
            return issue.message
        index = int(rest[1:rest.index("]")])
        if issue.code == "not_number" and not field.edits[index].text().strip():
            return tr("ui.form.fill_all", count=field.count)
        return f"{CIRCLED[index]} {issue.message}"

    def _target(self, path: str) -> str:
        codes = set(self.grid.codes if self.grid else []) | set(
            self.lengths.codes if self.lengths else [])
        while path:
            if path in self.fields:
                return path
            parts = path.split(".")
            if len(parts) == 2 and parts[0] == "components" and parts[1] in codes:
                return path
            path = _parent_path(path)
        return ""

    def show_scores(self, scores: dict[str, int]) -> None:
        for part in (self.grid, self.lengths):
            if part is not None:
                part.show_scores(scores)
