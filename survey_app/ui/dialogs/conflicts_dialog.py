"""競合の解決 (office): edits from two laptops to the same judgement, measurement or identity
field are kept side by side; the office chooses which stands. Nothing is decided silently.

Resolving goes to the server through a fresh sync engine on the files lane (never the
background sync's own), then the next sync brings the resolution to every laptop."""

from __future__ import annotations

import json

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from survey_app.i18n import tr
from survey_app.services.errors import user_message
from survey_app.services.sync import resolve_conflict
from survey_app.ui.ops import Ops
from survey_app.ui.sync_controller import SyncController

_OPEN = ("SELECT c.id, c.kind, c.fields, s.address FROM sync_conflicts c LEFT JOIN surveys s"
         " ON s.id = c.survey_id WHERE c.status = 'open' ORDER BY c.updated_at")


def describe(fields_json: str) -> tuple[str, str, str]:
    """(項目, サーバ側, 送信側) texts from a conflict's field list."""
    try:
        fields = json.loads(fields_json)
    except ValueError:
        return fields_json, "", ""
    rows = fields if isinstance(fields, list) else [fields]
    paths = "、".join(str(f.get("path", "")) for f in rows if isinstance(f, dict))
    ours = "、".join(json.dumps(f.get("ours"), ensure_ascii=False) for f in rows
                    if isinstance(f, dict))
    theirs = "、".join(json.dumps(f.get("theirs"), ensure_ascii=False) for f in rows
                      if isinstance(f, dict))
    return paths, ours, theirs


class ConflictsDialog(QDialog):
    def __init__(self, controller: SyncController, ops: Ops,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller, self.ops = controller, ops
        self.conflicts: list[dict] = []
        self.setWindowTitle(tr("ui.conflicts.title"))
        self.resize(900, 420)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([tr(f"ui.conflicts.col_{c}") for c in
                                              ("address", "field", "ours", "theirs")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.reason_edit = QLineEdit(placeholderText=tr("ui.conflicts.reason"))
        self.ours_button = QPushButton(tr("ui.conflicts.keep_ours"))
        self.theirs_button = QPushButton(tr("ui.conflicts.take_theirs"))
        self.message_label = QLabel(wordWrap=True)
        buttons = QHBoxLayout()
        for b in (self.ours_button, self.theirs_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        for w in (self.table, self.reason_edit):
            layout.addWidget(w)
        layout.addLayout(buttons)
        layout.addWidget(self.message_label)
        self.ours_button.clicked.connect(lambda: self.resolve("ours"))
        self.theirs_button.clicked.connect(lambda: self.resolve("theirs"))
        self.reload()

    def reload(self) -> None:
        self.ops.read(lambda ws: list(ws.store.db.query(_OPEN)), success=self._fill, owner=self)

    def _fill(self, rows: list[dict]) -> None:
        self.conflicts = rows
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            texts = (row["address"] or row["kind"], *describe(row["fields"]))
            for c, text in enumerate(texts):
                self.table.setItem(r, c, QTableWidgetItem(text))
        if rows:
            self.table.selectRow(0)
        self.message_label.setText(tr("ui.conflicts.count", count=len(rows)))

    def resolve(self, choice: str) -> None:
        row = self.table.currentRow()
        if row < 0 or row >= len(self.conflicts):
            return
        if self.controller.make_engine is None:
            self.message_label.setText(tr("ui.conflicts.sign_in_first"))
            return
        conflict_id = self.conflicts[row]["id"]
        reason = self.reason_edit.text().strip() or tr("ui.conflicts.default_reason")
        make = self.controller.make_engine

        def work():
            engine = make()
            try:
                return resolve_conflict(engine, conflict_id, choice, reason=reason)
            finally:
                engine.close()
                engine.ws.close()

        self.message_label.setText(tr("ui.conflicts.working"))
        self.ops.files(work, success=self._done, owner=self,
                       failure=lambda err: self.message_label.setText(user_message(err)))

    def _done(self, report) -> None:
        self.message_label.setText(report.message)
        self.reload()
