"""競合の解決 (office): edits from two laptops to the same judgement, measurement or identity
field are kept side by side; the office chooses which stands. Nothing is decided silently.

Each conflicting field is one row, named as the survey form names it, with values as people
write them (程度Ⅳ 60%, 大規模半壊, なし); a cell too narrow for its text shows it whole as a
tooltip. A choice applies to every field of that home's conflict, so selecting one row selects
them all. Resolving goes to the server through a fresh sync engine on the files lane (never the
background sync's own), then the next sync brings the resolution to every laptop."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
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
from survey_app.services.field_labels import ConflictView, conflict_views
from survey_app.services.sync import resolve_conflict
from survey_app.ui.ops import Ops
from survey_app.ui.sync_controller import SyncController

COLUMNS = ("address", "field", "ours", "theirs")


def _item(text: str, tip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setToolTip(tip or text)
    return item


class ConflictsDialog(QDialog):
    def __init__(self, controller: SyncController, ops: Ops,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller, self.ops = controller, ops
        self.conflicts: list[ConflictView] = []
        self.row_conflict: list[int] = []  # table row → index in self.conflicts
        self.setWindowTitle(tr("ui.conflicts.title"))
        self.resize(1100, 480)
        self._build()
        self.reload()

    def _build(self) -> None:
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([tr(f"ui.conflicts.col_{c}") for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column, mode in enumerate((QHeaderView.ResizeMode.Interactive,
                                       QHeaderView.ResizeMode.Interactive,
                                       QHeaderView.ResizeMode.Stretch,
                                       QHeaderView.ResizeMode.Stretch)):
            header.setSectionResizeMode(column, mode)
        header.resizeSection(0, 260)
        header.resizeSection(1, 240)
        self.table.itemSelectionChanged.connect(self._select_whole_conflict)
        self.hint_label = QLabel(tr("ui.conflicts.applies_to_all"), wordWrap=True)
        self.reason_edit = QLineEdit(placeholderText=tr("ui.conflicts.reason"))
        self.ours_button = QPushButton(tr("ui.conflicts.keep_ours"))
        self.theirs_button = QPushButton(tr("ui.conflicts.take_theirs"))
        self.message_label = QLabel(wordWrap=True)
        self.close_buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_button = self.close_buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setText(tr("ui.common.close"))
        self.close_buttons.rejected.connect(self.reject)
        buttons = QHBoxLayout()
        for b in (self.ours_button, self.theirs_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        for w in (self.table, self.hint_label, self.reason_edit):
            layout.addWidget(w)
        layout.addLayout(buttons)
        layout.addWidget(self.message_label)
        layout.addWidget(self.close_buttons)
        self.ours_button.clicked.connect(lambda: self.resolve("ours"))
        self.theirs_button.clicked.connect(lambda: self.resolve("theirs"))

    def reload(self) -> None:
        self.ops.read(conflict_views, success=self._fill, owner=self,
                      failure=lambda err: self.message_label.setText(user_message(err)))

    def _fill(self, conflicts: list[ConflictView]) -> None:
        self.conflicts = conflicts
        self.row_conflict = [i for i, c in enumerate(conflicts) for _ in (c.rows or [None])]
        self.table.clearSpans()
        self.table.setRowCount(len(self.row_conflict))
        row = 0
        for conflict in conflicts:
            row = self._fill_conflict(row, conflict)
        self.table.resizeRowsToContents()  # before the places: a span would stretch row 1
        row = 0
        for conflict in conflicts:
            row = self._place(row, conflict)
        if conflicts:
            self.table.selectRow(0)
        self.message_label.setText(tr("ui.conflicts.count", count=len(conflicts)))

    def _place(self, row: int, conflict: ConflictView) -> int:
        """Where and whose, in one cell spanning the conflict's rows (the last row grows when
        the rows are shorter than the text). Returns the next conflict's first row."""
        count = max(1, len(conflict.rows))
        place = "\n".join(t for t in (conflict.place, self._who(conflict)) if t)
        self.table.setItem(row, 0, _item(place))
        if count > 1:
            self.table.setSpan(row, 0, count, 1)
        header = self.table.verticalHeader()
        needed = (place.count("\n") + 1) * self.table.fontMetrics().lineSpacing() + 8
        have = sum(header.sectionSize(r) for r in range(row, row + count))
        if have < needed:
            last = row + count - 1
            header.resizeSection(last, header.sectionSize(last) + needed - have)
        return row + count

    def _fill_conflict(self, row: int, conflict: ConflictView) -> int:
        """The conflict's field rows from `row`. Returns the next conflict's first row."""
        count = max(1, len(conflict.rows))
        for offset, field in enumerate(conflict.rows):
            self.table.setItem(row + offset, 1, _item(field.label))
            self.table.setItem(row + offset, 2, _item(field.ours, self._tip(
                field.ours, conflict.ours_by)))
            self.table.setItem(row + offset, 3, _item(field.theirs, self._tip(
                field.theirs, conflict.theirs_by)))
        return row + count

    @staticmethod
    def _who(conflict: ConflictView) -> str:
        if not (conflict.ours_by or conflict.theirs_by):
            return ""
        return tr("ui.conflicts.who", ours=conflict.ours_by or "—",
                  theirs=conflict.theirs_by or "—")

    @staticmethod
    def _tip(value: str, by: str) -> str:
        return tr("ui.conflicts.value_by", value=value, by=by) if by else value

    def _select_whole_conflict(self) -> None:
        """A choice is made for the whole conflict: show every row it applies to selected."""
        rows = {i.row() for i in self.table.selectedIndexes()}
        if not rows or not self.row_conflict:
            return
        index = self.row_conflict[min(rows)]
        wanted = [r for r, c in enumerate(self.row_conflict) if c == index]
        if rows != set(wanted):
            self.table.blockSignals(True)
            self.table.clearSelection()
            selection = self.table.selectionModel()
            for r in wanted:
                selection.select(self.table.model().index(r, 0),
                                 selection.SelectionFlag.Select | selection.SelectionFlag.Rows)
            self.table.blockSignals(False)

    def current_conflict(self) -> ConflictView | None:
        row = self.table.currentRow()
        if row < 0 or row >= len(self.row_conflict):
            return None
        return self.conflicts[self.row_conflict[row]]

    def resolve(self, choice: str) -> None:
        conflict = self.current_conflict()
        if conflict is None:
            return
        if self.controller.make_engine is None:
            self.message_label.setText(tr("ui.conflicts.sign_in_first"))
            return
        conflict_id = conflict.id
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
