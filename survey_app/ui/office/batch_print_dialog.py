"""Batch printing at the office: pick certificates from the issuance register (those still
waiting for their PDF, or all), print them into one PDF or one PDF per household, and issue
every judged application at once. Rendering runs on the writer (it marks entries printed)
with a progress bar and a cancel button; the PDFs and the register come from the office
services, so a cancelled batch leaves the unprinted entries waiting, as after a crash.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from survey_app.i18n import tr
from survey_app.services.office import OfficeError, register_of
from survey_app.services.office_issuing import BatchOutcome, issue_all_judged
from survey_app.services.office_printing import PrintOutcome, pending, print_entries
from survey_app.ui.office.certificate_table import COLUMNS, CertificateTableModel
from survey_app.ui.ops import Ops, Progress

ERROR_STYLE = "color: #b00020"
ALL_LIMIT = 1_000_000


def load_entries(ws, disaster_id: str, only_pending: bool) -> list[dict]:
    """The register entries to list (runs on a worker)."""
    if only_pending:
        return pending(ws, disaster_id)
    return register_of(ws).entries(disaster_id, limit=ALL_LIMIT)


def print_ids(ws, ids: list[str], out: Path | None, single_file: bool,
              progress: Progress) -> PrintOutcome:
    """Print the entries by id (runs on the writer). They are read again here: an entry
    voided since the list was loaded prints as what the register now says."""
    register = register_of(ws)
    entries = [e for e in (register.get(i) for i in ids) if e is not None]
    return print_entries(ws, entries, out=out, single_file=single_file,
                         progress=progress.report, cancel=progress.cancelled)


class BatchPrintDialog(QDialog):
    """Emits `printed(count)` after each batch (pages printed, 0 when nothing was)."""

    printed = Signal(int)

    def __init__(self, ops: Ops, disaster_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops, self.disaster_id = ops, disaster_id
        self._output_path: Path | None = None
        self.last_outcome: PrintOutcome | BatchOutcome | None = None
        self.last_folder: Path | None = None
        self.running = False
        self.progress = Progress(self)
        self.progress.changed.connect(self._progress_changed)
        # Asks before numbers are given out (they are never taken back); tests replace it.
        self.confirm: Callable[[str], bool] = self._confirm
        self.setWindowTitle(tr("office.ui_batch.title"))
        self.resize(1040, 680)
        self._build()
        self.reload()

    # -- construction ----------------------------------------------------------------------

    def _build(self) -> None:
        self.filter_combo = QComboBox()
        self.filter_combo.addItem(tr("office.ui_batch.filter_pending"), True)
        self.filter_combo.addItem(tr("office.ui_batch.filter_all"), False)
        self.filter_combo.currentIndexChanged.connect(self.reload)
        self.model = CertificateTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLUMNS.index("damaged_address"),
                                    QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._count_selection)
        self.select_all_button = QPushButton(tr("office.ui_batch.select_all"))
        self.select_all_button.clicked.connect(self.table.selectAll)
        self.count_label = QLabel()
        self._build_output()
        self._build_run()

    def _build_output(self) -> None:
        self.single_radio = QRadioButton(tr("office.ui_batch.single_file"))
        self.per_household_radio = QRadioButton(tr("office.ui_batch.per_household"))
        self.single_radio.setChecked(True)
        self.mode_group = QButtonGroup(self)
        self.mode_group.addButton(self.single_radio)
        self.mode_group.addButton(self.per_household_radio)
        self.single_radio.toggled.connect(self._mode_changed)
        self.output_edit = QLineEdit(readOnly=True)
        self.output_edit.setPlaceholderText(tr("office.ui_batch.output_default"))
        self.browse_button = QPushButton(tr("office.ui_batch.browse"))
        self.browse_button.clicked.connect(self.choose_output)

    def _build_run(self) -> None:
        self.print_button = QPushButton(tr("office.ui_batch.print"))
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self.print_selected)
        self.issue_button = QPushButton(tr("office.ui_batch.issue_judged"))
        self.issue_button.clicked.connect(self.issue_judged)
        self.progress_bar = QProgressBar()
        self.progress_bar.setFormat(tr("office.ui_batch.progress_format"))
        self.progress_bar.setValue(0)
        self.cancel_button = QPushButton(tr("office.ui_batch.cancel"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.message_label = QLabel(wordWrap=True)
        self.open_folder_button = QPushButton(tr("office.ui_batch.open_folder"))
        self.open_folder_button.setEnabled(False)
        self.open_folder_button.clicked.connect(self.open_folder)
        self.close_button = QPushButton(tr("office.ui_batch.close"))
        self.close_button.clicked.connect(self.reject)
        self._lay_out()

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("office.ui_batch.filter")))
        top.addWidget(self.filter_combo)
        top.addStretch(1)
        top.addWidget(self.count_label)
        top.addWidget(self.select_all_button)
        output = QHBoxLayout()
        output.addWidget(self.single_radio)
        output.addWidget(self.per_household_radio)
        output.addSpacing(16)
        output.addWidget(QLabel(tr("office.ui_batch.output")))
        output.addWidget(self.output_edit, 1)
        output.addWidget(self.browse_button)
        run = QHBoxLayout()
        run.addWidget(self.print_button)
        run.addWidget(self.issue_button)
        run.addWidget(self.progress_bar, 1)
        run.addWidget(self.cancel_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message_label, 1)
        bottom.addWidget(self.open_folder_button)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(output)
        layout.addLayout(run)
        layout.addLayout(bottom)

    # -- the list --------------------------------------------------------------------------

    def reload(self) -> None:
        did, only_pending = self.disaster_id, bool(self.filter_combo.currentData())
        self.ops.read(lambda ws: load_entries(ws, did, only_pending), success=self._fill,
                      failure=self._failed, owner=self)

    def _fill(self, entries: list[dict]) -> None:
        self.model.set_entries(entries)
        self._count_selection()

    def selected_ids(self) -> list[str]:
        rows = sorted(i.row() for i in self.table.selectionModel().selectedRows())
        return [self.model.entries[r]["id"] for r in rows]

    def _count_selection(self) -> None:
        selected = len(self.table.selectionModel().selectedRows())
        self.count_label.setText(tr("office.ui_batch.count", selected=selected,
                                    total=self.model.rowCount()))
        self.print_button.setEnabled(bool(selected) and not self.running)

    # -- output ----------------------------------------------------------------------------

    @property
    def output_path(self) -> Path | None:
        """Where to print: a .pdf file (one PDF) or a folder (one per household); None is the
        service's default place under the data folder. Tests set it directly."""
        return self._output_path

    @output_path.setter
    def output_path(self, path: Path | None) -> None:
        self._output_path = Path(path) if path is not None else None
        self.output_edit.setText(str(path) if path is not None else "")

    def _mode_changed(self) -> None:
        # A file suits one mode and a folder the other: start again from the default place.
        self.output_path = None

    def choose_output(self) -> None:
        if self.single_radio.isChecked():
            path, _ = QFileDialog.getSaveFileName(self, tr("office.ui_batch.choose_file"),
                                                  "", tr("office.ui_batch.pdf_filter"))
            if path and not path.lower().endswith(".pdf"):
                path += ".pdf"
        else:
            path = QFileDialog.getExistingDirectory(self, tr("office.ui_batch.choose_folder"))
        if path:
            self.output_path = Path(path)

    # -- running ---------------------------------------------------------------------------

    def print_selected(self) -> None:
        ids = self.selected_ids()
        if not ids or self.running:
            return
        out, single, progress = self.output_path, self.single_radio.isChecked(), self.progress
        self._start(len(ids))
        self.ops.write(lambda ws: print_ids(ws, ids, out, single, progress),
                       success=self._printed, failure=self._failed, owner=self)

    def issue_judged(self) -> None:
        if self.running or not self.confirm(tr("office.ui_batch.issue_question")):
            return
        did, out, single = self.disaster_id, self.output_path, self.single_radio.isChecked()
        progress = self.progress
        self._start(0)
        self.ops.write(lambda ws: issue_all_judged(ws, did, out=out, single_file=single,
                                                   progress=progress.report,
                                                   cancel=progress.cancelled),
                       success=self._issued, failure=self._failed, owner=self)

    def cancel(self) -> None:
        self.progress.cancel()
        self.cancel_button.setEnabled(False)
        self._say(tr("office.ui_batch.cancelling"))

    def reject(self) -> None:
        if self.running:  # closing the window stops the batch at the next page
            self.progress.cancel()
        super().reject()

    def _start(self, total: int) -> None:
        self.running = True
        self.progress.cancel_event.clear()
        self.last_outcome, self.last_folder = None, None
        self.progress_bar.setRange(0, total)  # 0..0: busy until the first page is counted
        self.progress_bar.setValue(0)
        for widget in (self.print_button, self.issue_button, self.filter_combo,
                       self.browse_button, self.single_radio, self.per_household_radio,
                       self.open_folder_button):
            widget.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self._say(tr("office.ui_batch.working"))

    def _progress_changed(self, done: int, total: int) -> None:
        self.progress_bar.setRange(0, total)
        self.progress_bar.setValue(done)

    def _finish(self) -> None:
        self.running = False
        self.cancel_button.setEnabled(False)
        for widget in (self.issue_button, self.filter_combo, self.browse_button,
                       self.single_radio, self.per_household_radio):
            widget.setEnabled(True)
        if self.progress_bar.maximum() == 0:  # nothing was counted: leave no busy bar
            self.progress_bar.setRange(0, 1)
        self.reload()

    def _printed(self, outcome: PrintOutcome) -> None:
        self.last_outcome = outcome
        self._finish()
        self._say(self._print_summary(outcome))
        self.printed.emit(outcome.printed)

    def _issued(self, batch: BatchOutcome) -> None:
        self.last_outcome = batch
        self._finish()
        lines = [tr("office.ui_batch.issued", issued=len(batch.issued),
                    skipped=len(batch.skipped))]
        if batch.printed is not None:
            lines.append(self._print_summary(batch.printed))
        self._say("\n".join(lines))
        self.printed.emit(batch.printed.printed if batch.printed else 0)

    def _print_summary(self, outcome: PrintOutcome) -> str:
        if outcome.files:
            self.last_folder = outcome.files[0].parent
            self.open_folder_button.setEnabled(True)
        where = (str(outcome.files[0]) if len(outcome.files) == 1
                 else str(self.last_folder or ""))
        if outcome.cancelled:
            text = tr("office.ui_batch.cancelled", printed=outcome.printed)
        else:
            text = tr("office.ui_batch.done", printed=outcome.printed, files=len(outcome.files),
                      where=where)
        return "\n".join([text, *outcome.warnings])

    def _failed(self, error: BaseException) -> None:
        if self.running:
            self._finish()
        self._say(str(error) if isinstance(error, OfficeError)
                  else tr("office.ui_batch.unexpected", error=error), error=True)

    def _say(self, message: str, *, error: bool = False) -> None:
        self.message_label.setText(message)
        self.message_label.setStyleSheet(ERROR_STYLE if error else "")

    def open_folder(self) -> None:
        if self.last_folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_folder)))

    def _confirm(self, question: str) -> bool:
        answer = QMessageBox.question(self, tr("office.ui_batch.title"), question)
        return answer == QMessageBox.StandardButton.Yes
