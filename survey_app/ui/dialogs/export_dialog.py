"""The export dialog: choose what to export and its format, choose the file, then write it on
the read lane (exports only read) with a progress bar and a cancel button. All the writing is
`services.exporting.run_export`; this dialog adds the choosing, the progress and the cancel.

Cancelling: run_export takes no cancel flag, so its progress callback raises a private
exception once the user has asked to stop. The exporters write `.NAME.part` and rename it, but
they report their last progress after that rename, so a stop at that moment would leave a
finished-looking file the user cancelled. The dialog therefore exports to its own hidden file
beside the target and moves it onto the target only when the run was not cancelled: a cancelled
or failed export leaves no file and never replaces an older one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QWidget,
)

from survey_app.i18n import tr
from survey_app.services.errors import error_kind, user_message
from survey_app.services.exporting import FORMATS, ExportError, ExportResult, run_export
from survey_app.ui.dialogs.rows import button_row, stack
from survey_app.ui.ops import Ops, Progress

KINDS = tuple(FORMATS)          # fdma, geojson, kml, csv, ledger, dashboard
SUFFIXES = {"csv": ".csv", "xlsx": ".xlsx", "pdf": ".pdf", "geojson": ".geojson", "kml": ".kml",
            "html": ".html"}


class _Cancelled(Exception):
    """Raised from the progress callback to stop an export the user cancelled."""


def staging_path(out: Path) -> Path:
    """The hidden file the export is written to before it is moved onto `out`."""
    return out.with_name(f".{out.stem}.exporting{out.suffix}")


def export_to(store, kind: str, disaster_id: str, out: Path, fmt: str,
              progress: Progress) -> ExportResult:
    """Write one export to `out` unless cancelled (runs on a worker)."""
    staging = staging_path(out)

    def report(done: int, total: int) -> None:
        progress.report(done, total)
        if progress.cancelled():
            raise _Cancelled

    try:
        result = run_export(store, kind=kind, disaster_ids=[disaster_id], out=staging, fmt=fmt,
                            progress=report)
        if progress.cancelled():     # asked after the last progress report
            raise _Cancelled
        os.replace(staging, out)
    finally:
        # Usually already moved or never made; a failed clean-up must not hide the real error.
        with contextlib.suppress(OSError):
            staging.unlink()
    return replace(result, path=out)


def error_text(error: BaseException) -> str:
    """Plain Japanese for a failed export: the cause (disk full, no permission) when known."""
    if error_kind(error) == "unknown" and isinstance(error, ExportError):
        return str(error)       # already names what is wrong (missing font, unknown disaster)
    return user_message(error)


class ExportDialog(QDialog):
    exported = Signal(object)   # the ExportResult, once the file is in place

    _last_folder: Path | None = None    # shared by the session's dialogs

    def __init__(self, ops: Ops, disaster_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops, self.disaster_id = ops, disaster_id
        self.result: ExportResult | None = None
        self.running = False
        self._out_path: Path | None = None
        self._close_when_done = False
        self.progress = Progress(self)
        self.progress.changed.connect(self._on_progress)
        # Shows a folder in the file manager; tests put a recording function here.
        self.open_url: Callable[[QUrl], object] = QDesktopServices.openUrl
        self.setWindowTitle(tr("exports.ui_dialogs.export_title"))
        self.resize(680, 260)
        self._build()
        self._layout()
        self._on_kind_changed()

    def _build(self) -> None:
        self.kind_combo = QComboBox()
        for kind in KINDS:
            self.kind_combo.addItem(tr(f"exports.ui_dialogs.kind_{kind}"), kind)
        self.about_label = QLabel(wordWrap=True)
        self.format_combo = QComboBox()
        self.out_edit = QLineEdit(readOnly=True,
                                  placeholderText=tr("exports.ui_dialogs.out_none"))
        self.browse_btn = QPushButton(tr("exports.ui_dialogs.browse"))
        self.progress_bar = QProgressBar()
        self.message_label = QLabel(wordWrap=True)
        self.open_folder_btn = QPushButton(tr("exports.ui_dialogs.open_folder"))
        self.open_folder_btn.setEnabled(False)
        self.start_btn = QPushButton(tr("exports.ui_dialogs.start"))
        self.start_btn.setDefault(True)
        self.cancel_btn = QPushButton(tr("exports.ui_dialogs.close"))
        self.kind_combo.currentIndexChanged.connect(self._on_kind_changed)
        self.format_combo.currentIndexChanged.connect(self._on_format_changed)
        self.browse_btn.clicked.connect(self.browse)
        self.start_btn.clicked.connect(self.start)
        self.cancel_btn.clicked.connect(self._on_cancel_clicked)
        self.open_folder_btn.clicked.connect(self.open_folder)

    def _layout(self) -> None:
        out_row = QHBoxLayout()
        out_row.addWidget(self.out_edit, 1)
        out_row.addWidget(self.browse_btn)
        form = QFormLayout()
        form.addRow(tr("exports.ui_dialogs.kind"), self.kind_combo)
        form.addRow("", self.about_label)
        form.addRow(tr("exports.ui_dialogs.format"), self.format_combo)
        form.addRow(tr("exports.ui_dialogs.out"), out_row)
        stack(self, form, self.progress_bar, (self.message_label, 1),
              button_row(self.start_btn, self.cancel_btn, leading=(self.open_folder_btn,)))

    # -- choosing ----------------------------------------------------------------------------

    @property
    def kind(self) -> str:
        return self.kind_combo.currentData()

    @property
    def fmt(self) -> str:
        return self.format_combo.currentData() or FORMATS[self.kind][0]

    @property
    def out_path(self) -> Path | None:
        return self._out_path

    @out_path.setter
    def out_path(self, path: Path | str | None) -> None:
        self._out_path = Path(path) if path is not None else None
        self.out_edit.setText(str(self._out_path) if self._out_path else "")

    def select_kind(self, kind: str, fmt: str | None = None) -> None:
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind))
        if fmt is not None:
            self.format_combo.setCurrentIndex(self.format_combo.findData(fmt))

    def _on_kind_changed(self, _index: int = 0) -> None:
        self.about_label.setText(tr(f"exports.ui_dialogs.about_{self.kind}"))
        self.format_combo.blockSignals(True)
        self.format_combo.clear()
        for fmt in FORMATS[self.kind]:
            self.format_combo.addItem(tr(f"exports.ui_dialogs.fmt_{fmt}"), fmt)
        self.format_combo.blockSignals(False)
        self.format_combo.setEnabled(self.format_combo.count() > 1)
        self._on_format_changed()

    def _on_format_changed(self, _index: int = 0) -> None:
        if self._out_path is not None:
            self.out_path = self._out_path.with_suffix(SUFFIXES[self.fmt])

    def default_name(self) -> str:
        name = tr(f"exports.ui_dialogs.file_{self.kind}")
        return f"{name}_{dt.date.today():%Y%m%d}{SUFFIXES[self.fmt]}"

    def browse(self) -> None:
        folder = (self._out_path.parent if self._out_path else
                  ExportDialog._last_folder or Path.home())
        name = self._out_path.name if self._out_path else self.default_name()
        filters = ";;".join(tr("exports.ui_dialogs.filter", name=tr(f"exports.ui_dialogs.fmt_{f}"),
                               suffix=SUFFIXES[f][1:]) for f in FORMATS[self.kind])
        chosen, _ = QFileDialog.getSaveFileName(self, tr("exports.ui_dialogs.save_as"),
                                                str(folder / name), filters)
        if chosen:
            self.choose_path(Path(chosen))

    def choose_path(self, path: Path) -> None:
        """Take the user's file; its extension picks the format when this kind has it."""
        by_suffix = {s: f for f, s in SUFFIXES.items() if f in FORMATS[self.kind]}
        fmt = by_suffix.get(path.suffix.lower())
        if fmt is None:
            path = path.with_name(path.name + SUFFIXES[self.fmt])
        self.out_path = path
        if fmt is not None and fmt != self.fmt:
            self.format_combo.setCurrentIndex(self.format_combo.findData(fmt))
        ExportDialog._last_folder = path.parent

    # -- running -----------------------------------------------------------------------------

    def start(self) -> None:
        if self.running:
            return
        if self._out_path is None:
            self.browse()
            if self._out_path is None:
                return
        store_op = self._export_op(self.kind, self.fmt, self._out_path)
        self.running, self.result = True, None
        self.progress.cancel_event.clear()
        self.progress_bar.setRange(0, 0)     # busy until the first report (HTML has none)
        self._say(tr("exports.ui_dialogs.running"))
        self._enable()
        self.ops.read(store_op, success=self._on_done, failure=self._on_failed, owner=self)

    def _export_op(self, kind: str, fmt: str, out: Path) -> Callable:
        disaster_id, progress = self.disaster_id, self.progress
        return lambda ws: export_to(ws.store, kind, disaster_id, out, fmt, progress)

    def cancel(self) -> None:
        if self.running:
            self.progress.cancel()
            self._say(tr("exports.ui_dialogs.cancelling"))

    def _on_cancel_clicked(self) -> None:
        if self.running:
            self.cancel()
        else:
            self.reject()

    def reject(self) -> None:
        if self.running:        # never leave a worker writing for a closed dialog
            self._close_when_done = True
            self.cancel()
            return
        super().reject()

    def _on_progress(self, done: int, total: int) -> None:
        if self.running:
            self.progress_bar.setRange(0, max(total, 1))
            self.progress_bar.setValue(min(done, max(total, 1)))

    def _on_done(self, result: ExportResult) -> None:
        self.result = result
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(1)
        self._say(tr("exports.ui_dialogs.done", what=self.kind_combo.currentText(),
                     count=tr(f"exports.ui_dialogs.count_{result.kind}", count=result.count),
                     path=result.path))
        self._finish()
        self.exported.emit(result)

    def _on_failed(self, error: BaseException) -> None:
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(0)
        if isinstance(error, _Cancelled):
            self._say(tr("exports.ui_dialogs.cancelled"))
        else:
            self._say(tr("exports.ui_dialogs.failed", reason=error_text(error)), error=True)
        self._finish()

    def _finish(self) -> None:
        self.running = False
        self._enable()
        if self._close_when_done:
            super().reject()

    def _enable(self) -> None:
        for widget in (self.kind_combo, self.browse_btn, self.start_btn):
            widget.setEnabled(not self.running)
        self.format_combo.setEnabled(not self.running and self.format_combo.count() > 1)
        self.open_folder_btn.setEnabled(not self.running and self.result is not None)
        self.cancel_btn.setText(tr("exports.ui_dialogs.cancel") if self.running
                                else tr("exports.ui_dialogs.close"))

    def _say(self, message: str, *, error: bool = False) -> None:
        self.message_label.setText(message)
        self.message_label.setStyleSheet("color: #b00020" if error else "")

    def open_folder(self) -> None:
        if self.result is not None:
            self.open_url(QUrl.fromLocalFile(str(self.result.path.parent)))
