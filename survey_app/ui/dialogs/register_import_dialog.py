"""The register import dialog: a 家屋課税台帳 or 住民基本台帳 CSV extract into the disaster.

Choose the kind and the file; the dialog shows the file's first rows and a column mapping, one
row per field of `register_mapping.FIELDS` with a combo of the file's columns, pre-filled with
`registers.preview`'s suggestion (the mapping used last time, when the file has its columns).
The import runs on the write lane with a progress bar; afterwards the counts and every bad row
with its line number and reasons. Importing the same file again changes nothing (the service
keys every row), and the dialog then says so.
"""

from __future__ import annotations

from itertools import islice
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from survey_app.i18n import tr
from survey_app.services.errors import user_message
from survey_app.services.register_mapping import FIELDS, KINDS, RecordFile
from survey_app.services.registers import ImportReport, RegisterFileError, import_register, preview
from survey_app.ui.dialogs.rows import button_row, stack
from survey_app.ui.ops import Ops, Progress

PREVIEW_ROWS = 5


def read_preview(ws, kind: str, path: Path) -> tuple[list[str], dict[str, str],
                                                     list[tuple[int, list[str]]]]:
    """The header, the suggested mapping and the first records with their lines (on a worker)."""
    header, mapping = preview(ws, kind, path)
    with RecordFile(path) as records:
        rows = list(islice(records, PREVIEW_ROWS))
    return header, mapping, rows


def error_text(error: BaseException) -> str:
    # A RegisterFileError already names the file and what is wrong with it.
    return str(error) if isinstance(error, RegisterFileError) else user_message(error)


def _table(columns: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return table


class RegisterImportDialog(QDialog):
    previewed = Signal(list)    # the file's header, once its rows and the mapping are shown
    imported = Signal(object)   # the ImportReport

    def __init__(self, ops: Ops, disaster_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops, self.disaster_id = ops, disaster_id
        self.path: Path | None = None
        self.header: list[str] = []
        self.report: ImportReport | None = None
        self.running = False
        self.mapping_combos: dict[str, QComboBox] = {}
        self.progress = Progress(self)
        self.progress.changed.connect(self._on_progress)
        self.setWindowTitle(tr("exports.ui_dialogs.import_title"))
        self.resize(1000, 720)
        self._build()
        self._layout()
        self._fill_mapping({})

    def _build(self) -> None:
        self.kind_combo = QComboBox()
        for kind in KINDS:
            self.kind_combo.addItem(tr(f"exports.ui_dialogs.register_{kind}"), kind)
        self.file_edit = QLineEdit(readOnly=True,
                                   placeholderText=tr("exports.ui_dialogs.file_none"))
        self.browse_btn = QPushButton(tr("exports.ui_dialogs.browse"))
        self.preview_label = QLabel(tr("exports.ui_dialogs.preview_head", rows=PREVIEW_ROWS))
        self.preview_table = _table([])
        self.preview_table.setWordWrap(False)
        self.mapping_label = QLabel(tr("exports.ui_dialogs.mapping_head"))
        self.mapping_table = _table([tr("exports.ui_dialogs.col_field"),
                                     tr("exports.ui_dialogs.col_column")])
        self.mapping_table.verticalHeader().setVisible(False)
        self.mapping_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.mapping_table.setColumnWidth(0, 180)
        self.bad_label = QLabel(tr("exports.ui_dialogs.bad_head"))
        self.bad_table = _table([tr("exports.ui_dialogs.col_line"),
                                 tr("exports.ui_dialogs.col_reasons")])
        self.bad_table.verticalHeader().setVisible(False)
        self.bad_table.setColumnWidth(0, 60)
        self.progress_bar = QProgressBar()
        self.summary_label = QLabel(wordWrap=True)
        self.import_btn = QPushButton(tr("exports.ui_dialogs.import"))
        self.import_btn.setEnabled(False)
        self.close_btn = QPushButton(tr("exports.ui_dialogs.close"))
        self.kind_combo.currentIndexChanged.connect(self._on_kind_changed)
        self.browse_btn.clicked.connect(self.browse)
        self.import_btn.clicked.connect(self.start_import)
        self.close_btn.clicked.connect(self.reject)

    def _layout(self) -> None:
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.browse_btn)
        form = QFormLayout()
        form.addRow(tr("exports.ui_dialogs.register"), self.kind_combo)
        form.addRow(tr("exports.ui_dialogs.file"), file_row)
        lower = QHBoxLayout()
        for label, table, stretch in ((self.mapping_label, self.mapping_table, 2),
                                      (self.bad_label, self.bad_table, 3)):
            column = QVBoxLayout()
            column.addWidget(label)
            column.addWidget(table, 1)
            lower.addLayout(column, stretch)
        stack(self, form, self.preview_label, (self.preview_table, 2), (lower, 3),
              self.progress_bar, self.summary_label,
              button_row(self.import_btn, self.close_btn))

    # -- the file and its mapping ------------------------------------------------------------

    @property
    def kind(self) -> str:
        return self.kind_combo.currentData()

    def select_kind(self, kind: str) -> None:
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind))

    def browse(self) -> None:
        folder = str(self.path.parent) if self.path else ""
        chosen, _ = QFileDialog.getOpenFileName(self, tr("exports.ui_dialogs.open_csv"), folder,
                                                tr("exports.ui_dialogs.csv_filter"))
        if chosen:
            self.load_file(Path(chosen))

    def load_file(self, path: Path | str) -> None:
        """Show the file's first rows and the suggested mapping (read on a worker)."""
        self.path = Path(path)
        self.file_edit.setText(str(self.path))
        self._reload()

    def _on_kind_changed(self, _index: int) -> None:
        if self.path is None:
            self._fill_mapping({})
        else:
            self._reload()

    def _reload(self) -> None:
        kind, path = self.kind, self.path
        self.import_btn.setEnabled(False)
        self._say(tr("exports.ui_dialogs.reading"))
        self.ops.read(lambda ws: read_preview(ws, kind, path),
                      success=lambda found: self._show_preview(kind, path, *found),
                      failure=self._on_preview_failed, owner=self)

    def _show_preview(self, kind: str, path: Path, header: list[str], mapping: dict[str, str],
                      rows: list[tuple[int, list[str]]]) -> None:
        if (kind, path) != (self.kind, self.path):
            return          # the user chose again meanwhile; that preview is on its way
        self.header = header
        width = max([len(header), *(len(cells) for _, cells in rows)])
        self.preview_table.clear()
        self.preview_table.setColumnCount(width)
        self.preview_table.setHorizontalHeaderLabels(header + [""] * (width - len(header)))
        self.preview_table.setRowCount(len(rows))
        self.preview_table.setVerticalHeaderLabels([str(line) for line, _ in rows])
        for r, (_line, cells) in enumerate(rows):
            for c, value in enumerate(cells):
                self.preview_table.setItem(r, c, QTableWidgetItem(value))
        self.preview_table.resizeColumnsToContents()
        for c in range(width):      # a long address must not push the other columns away
            self.preview_table.setColumnWidth(c, min(self.preview_table.columnWidth(c), 280))
        self._fill_mapping(mapping)
        self._say("")
        self.import_btn.setEnabled(not self.running)
        self.import_btn.setFocus()
        self.previewed.emit(header)

    def _fill_mapping(self, mapping: dict[str, str]) -> None:
        fields = FIELDS[self.kind]
        self.mapping_combos = {}
        self.mapping_table.setRowCount(len(fields))
        for row, field in enumerate(fields):
            label = tr(f"exports.ui_dialogs.field.{self.kind}.{field.key}")
            if field.required:
                label = tr("exports.ui_dialogs.required", label=label)
            self.mapping_table.setItem(row, 0, QTableWidgetItem(label))
            combo = QComboBox()
            combo.addItem(tr("exports.ui_dialogs.unmapped"), "")
            for column in self.header:
                combo.addItem(column, column)
            combo.setCurrentIndex(max(combo.findData(mapping.get(field.key, "")), 0))
            self.mapping_table.setCellWidget(row, 1, combo)
            self.mapping_combos[field.key] = combo

    def mapping(self) -> dict[str, str]:
        """{field: the file's column}, "" where the user left a field unmapped."""
        return {key: combo.currentData() or "" for key, combo in self.mapping_combos.items()}

    def set_mapping(self, mapping: dict[str, str]) -> None:
        for key, combo in self.mapping_combos.items():
            combo.setCurrentIndex(max(combo.findData(mapping.get(key, "")), 0))

    def _on_preview_failed(self, error: BaseException) -> None:
        self.header = []
        self.preview_table.clear()
        self.preview_table.setRowCount(0)
        self.preview_table.setColumnCount(0)
        self._fill_mapping({})
        self._say(error_text(error), error=True)

    # -- importing ---------------------------------------------------------------------------

    def start_import(self) -> None:
        if self.running or self.path is None or not self.header:
            return
        kind, path, did, mapping = self.kind, self.path, self.disaster_id, self.mapping()
        report = self.progress.report
        self.running, self.report = True, None
        self._enable()
        self.progress_bar.setRange(0, 0)
        self._say(tr("exports.ui_dialogs.importing"))
        self.ops.write(lambda ws: import_register(ws, kind, path, disaster_id=did,
                                                  mapping=mapping, progress=report),
                       success=self._on_imported, failure=self._on_import_failed, owner=self)

    def _on_progress(self, done: int, total: int) -> None:
        if self.running:
            self.progress_bar.setRange(0, max(total, 1))
            self.progress_bar.setValue(done)

    def _on_imported(self, report: ImportReport) -> None:
        self.report = report
        self.running = False
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(1)
        lines = [tr("exports.ui_dialogs.summary", file=report.file, read=report.rows_read,
                    added=report.added, updated=report.updated, unchanged=report.unchanged,
                    bad=len(report.bad))]
        if not report.changed:
            lines.append(tr("exports.ui_dialogs.nothing_changed"))
        if report.kind == "residents":
            lines.append(tr("exports.ui_dialogs.linked", linked=report.linked,
                            unlinked=report.unlinked))
        self._say("\n".join(lines))
        self._show_bad(report)
        self._enable()
        self.close_btn.setFocus()
        self.imported.emit(report)

    def _show_bad(self, report: ImportReport) -> None:
        self.bad_table.setRowCount(len(report.bad))
        for row, bad in enumerate(report.bad):
            self.bad_table.setItem(row, 0, QTableWidgetItem(str(bad.line)))
            self.bad_table.setItem(row, 1, QTableWidgetItem(" / ".join(bad.reasons)))

    def _on_import_failed(self, error: BaseException) -> None:
        self.running = False
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(0)
        self._say(tr("exports.ui_dialogs.import_failed", reason=error_text(error)), error=True)
        self._enable()

    def _enable(self) -> None:
        for widget in (self.kind_combo, self.browse_btn, self.close_btn):
            widget.setEnabled(not self.running)
        self.import_btn.setEnabled(not self.running and bool(self.header))
        self.mapping_table.setEnabled(not self.running)

    def reject(self) -> None:
        if not self.running:    # the import commits in chunks; its result must be seen
            super().reject()

    def _say(self, message: str, *, error: bool = False) -> None:
        self.summary_label.setText(message)
        self.summary_label.setStyleSheet("color: #b00020" if error else "")
