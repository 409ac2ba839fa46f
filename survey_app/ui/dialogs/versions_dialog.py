"""Earlier versions of a survey (each completion is an immutable version), read-only.

The input is shown as the form names it (「外壁：損傷程度・面積率: 程度Ⅳ 60%」); the record as
stored (JSON) stays one tick away, for whoever has to compare it with an export or the server."""

from __future__ import annotations

import json

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from survey_app.i18n import tr
from survey_app.services import fieldwork as fw
from survey_app.services.field_labels import local_time, observations_text
from survey_app.ui.ops import Ops
from survey_app.ui.widgets.survey_list import grade_label


def version_title(version: dict) -> str:
    ratio = version.get("damage_ratio")
    return tr("ui.versions.item", no=version["version_no"], at=local_time(version["created_at"]),
              grade=grade_label(version.get("grade_code")),
              ratio="—" if ratio is None else f"{ratio:g}%", author=version.get("author") or "—")


def load_versions(ws, survey_id: str) -> list[dict]:
    """The survey's versions, each with its input as readable text (runs on a worker: naming
    the fields needs the form from the rule book)."""
    return [{**v, "summary": observations_text(v["observations"])}
            for v in fw.survey_versions(ws, survey_id)]


def version_text(version: dict, *, raw: bool = False) -> str:
    lines = [version_title(version), ""]
    if version.get("reason"):
        lines += [tr("ui.versions.reason", reason=version["reason"]), ""]
    lines += [tr("ui.versions.explanation")] + [f"・{line}" for line in version["explanation"]]
    if raw:
        lines += ["", tr("ui.versions.observations_json"),
                  json.dumps(version["observations"], ensure_ascii=False, indent=2)]
    else:
        summary = version.get("summary") or observations_text(version["observations"])
        lines += ["", tr("ui.versions.observations"), summary]
    lines += ["", tr("ui.versions.hash", hash=version["content_hash"])]
    return "\n".join(lines)


class VersionsDialog(QDialog):
    def __init__(self, ops: Ops, survey_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("ui.versions.title"))
        self.resize(900, 560)
        self.versions: list[dict] = []
        self.version_list = QListWidget()
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.raw_checkbox = QCheckBox(tr("ui.versions.show_json"))
        self.raw_checkbox.toggled.connect(lambda _: self._show(self.version_list.currentRow()))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("ui.common.close"))
        self.buttons.rejected.connect(self.reject)
        self.version_list.currentRowChanged.connect(self._show)
        body = QHBoxLayout()
        body.addWidget(self.version_list, 1)
        detail = QVBoxLayout()
        detail.addWidget(self.detail, 1)
        detail.addWidget(self.raw_checkbox)
        body.addLayout(detail, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.buttons)
        self.detail.setPlainText(tr("ui.viewer.loading"))
        ops.read(lambda ws: load_versions(ws, survey_id), success=self._fill, owner=self)

    def _fill(self, versions: list[dict]) -> None:
        self.versions = list(reversed(versions))  # newest first
        self.version_list.clear()
        self.version_list.addItems([version_title(v) for v in self.versions])
        if self.versions:
            self.version_list.setCurrentRow(0)
        else:
            self.detail.setPlainText(tr("ui.versions.none"))

    def _show(self, row: int) -> None:
        if 0 <= row < len(self.versions):
            self.detail.setPlainText(version_text(self.versions[row],
                                                  raw=self.raw_checkbox.isChecked()))
