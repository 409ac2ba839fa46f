"""The photos of the open survey: a thumbnail strip, import with progress and cancel (folder,
files or drag and drop), a tag per photo, and "use this photo's location"."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QIcon, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from survey_app.i18n import tr
from survey_app.photos.pixels import Pixels, thumbnail_pixels
from survey_app.services import fieldwork_photos as fp
from survey_app.ui.images import to_qimage
from survey_app.ui.ops import Ops, Progress

SHA_ROLE = Qt.ItemDataRole.UserRole
RECORD_ROLE = Qt.ItemDataRole.UserRole + 1


def tag_label(tag: str) -> str:
    return tr(f"ui.tag.{tag}") if tag else tr("ui.tag.none")


def _with_pixels(records: list[dict]) -> list[tuple[dict, Pixels | None]]:
    # Runs on a worker: decoded with Pillow, not Qt (see survey_app.photos.pixels).
    return [(r, thumbnail_pixels(r["thumbnail"])) for r in records]


class PhotoPanel(QWidget):
    photos_changed = Signal(int)  # number of photos shown
    import_finished = Signal(object)  # PhotoImportReport
    location_changed = Signal()
    open_viewer = Signal(str)  # sha256

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.survey_id: str | None = None
        self.building_id: str | None = None
        self.import_progress: Progress | None = None
        self._build()
        self.setAcceptDrops(True)
        self.set_survey(None, None)

    def _build(self) -> None:
        self.strip = QListWidget()
        self.strip.setViewMode(QListView.ViewMode.IconMode)
        self.strip.setIconSize(QSize(128, 128))
        self.strip.setResizeMode(QListView.ResizeMode.Adjust)
        self.strip.setSpacing(6)
        self.strip.setWordWrap(True)
        self.strip.currentItemChanged.connect(self._on_current)
        self.strip.itemDoubleClicked.connect(lambda it: self.open_viewer.emit(it.data(SHA_ROLE)))
        self.import_folder_btn = QPushButton(tr("ui.photos.import_folder"))
        self.import_files_btn = QPushButton(tr("ui.photos.import_files"))
        self.tag_combo = QComboBox()
        for tag in ("", *fp.PHOTO_TAGS):
            self.tag_combo.addItem(tag_label(tag), tag)
        self.use_location_btn = QPushButton(tr("ui.photos.use_location"))
        self.view_btn = QPushButton(tr("ui.photos.view"))
        self.progress_bar = QProgressBar()
        self.cancel_btn = QPushButton(tr("ui.common.cancel"))
        self.message_label = QLabel(tr("ui.photos.drop_hint"))
        self.message_label.setWordWrap(True)
        self.import_folder_btn.clicked.connect(self._choose_folder)
        self.import_files_btn.clicked.connect(self._choose_files)
        self.tag_combo.activated.connect(self._on_tag_chosen)
        self.use_location_btn.clicked.connect(self._use_location)
        self.view_btn.clicked.connect(self._view_current)
        self.cancel_btn.clicked.connect(self.cancel_import)
        self._layout()

    def _layout(self) -> None:
        layout = QVBoxLayout(self)
        buttons = QHBoxLayout()
        for widget in (self.import_folder_btn, self.import_files_btn):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        buttons.addWidget(QLabel(tr("ui.photos.tag")))
        for widget in (self.tag_combo, self.view_btn, self.use_location_btn):
            buttons.addWidget(widget)
        layout.addLayout(buttons)
        layout.addWidget(self.strip, 1)
        progress = QHBoxLayout()
        progress.addWidget(self.progress_bar, 1)
        progress.addWidget(self.cancel_btn)
        layout.addLayout(progress)
        layout.addWidget(self.message_label)
        self._show_progress(False)

    # -- survey ------------------------------------------------------------------------------

    def set_survey(self, survey_id: str | None, building_id: str | None) -> None:
        self.survey_id, self.building_id = survey_id, building_id
        self.strip.clear()
        for widget in (self.import_folder_btn, self.import_files_btn):
            widget.setEnabled(survey_id is not None)
        self._on_current(None, None)
        if survey_id is not None:
            self.reload()

    def reload(self) -> None:
        survey_id = self.survey_id
        self.ops.read(lambda ws: _with_pixels(fp.survey_photos(ws, survey_id)),
                      success=lambda rows: self._show(survey_id, rows), owner=self)

    def _show(self, survey_id: str, rows: list[tuple[dict, Pixels | None]]) -> None:
        if survey_id != self.survey_id:
            return
        current = self.current_sha()
        self.strip.clear()
        for record, pixels in rows:
            item = QListWidgetItem(QIcon(QPixmap.fromImage(to_qimage(pixels))),
                                   self._caption(record))
            item.setData(SHA_ROLE, record["sha256"])
            item.setData(RECORD_ROLE, {k: v for k, v in record.items() if k != "thumbnail"})
            self.strip.addItem(item)
            if record["sha256"] == current:
                self.strip.setCurrentItem(item)
        self.photos_changed.emit(self.strip.count())

    @staticmethod
    def _caption(record: dict) -> str:
        return tag_label(record.get("tag") or "")

    def current_sha(self) -> str | None:
        item = self.strip.currentItem()
        return item.data(SHA_ROLE) if item else None

    def records(self) -> list[dict]:
        return [self.strip.item(i).data(RECORD_ROLE) for i in range(self.strip.count())]

    def _on_current(self, item: QListWidgetItem | None, _previous=None) -> None:
        record = item.data(RECORD_ROLE) if item else None
        for widget in (self.tag_combo, self.view_btn):
            widget.setEnabled(record is not None)
        self.use_location_btn.setEnabled(bool(record and record.get("lat") is not None))
        if record is not None:
            self.tag_combo.setCurrentIndex(max(0, self.tag_combo.findData(record["tag"])))

    # -- tag and location --------------------------------------------------------------------

    def set_tag(self, sha: str, tag: str) -> None:
        survey_id = self.survey_id
        self.ops.write(lambda ws: fp.tag_photo(ws, survey_id, sha, tag),
                       success=lambda _: self.reload(), owner=self)

    def _on_tag_chosen(self, _index: int) -> None:
        sha = self.current_sha()
        if sha is not None:
            self.set_tag(sha, self.tag_combo.currentData())

    def _use_location(self) -> None:
        sha, building_id = self.current_sha(), self.building_id
        if sha is None or building_id is None:
            return
        self.ops.write(lambda ws: fp.locate_from_photo(ws, building_id, sha),
                       success=lambda ok: ok and self.location_changed.emit(), owner=self)

    def _view_current(self) -> None:
        sha = self.current_sha()
        if sha is not None:
            self.open_viewer.emit(sha)

    # -- import ------------------------------------------------------------------------------

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("ui.photos.choose_folder"))
        if folder:
            self.import_paths([Path(folder)])

    def _choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, tr("ui.photos.choose_files"), "",
                                                tr("ui.photos.file_filter"))
        if files:
            self.import_paths([Path(f) for f in files])

    def import_paths(self, paths: list[Path]) -> None:
        if self.survey_id is None or self.import_progress is not None:
            return
        survey_id, tag = self.survey_id, ""
        progress = self.import_progress = Progress(self)
        progress.changed.connect(self._on_progress)
        self._show_progress(True)
        self.message_label.setText(tr("ui.photos.importing"))
        self.ops.write(lambda ws: fp.import_survey_photos(
            ws, survey_id, paths, tag=tag, progress=progress.report,
            cancelled=progress.cancelled), success=self._on_imported,
            failure=self._on_import_failed, owner=self)

    def cancel_import(self) -> None:
        if self.import_progress is not None:
            self.import_progress.cancel()

    def _on_progress(self, done: int, total: int) -> None:
        self.progress_bar.setMaximum(max(total, 1))
        self.progress_bar.setValue(done)

    def _on_imported(self, report: fp.PhotoImportReport) -> None:
        self._finish_import()
        self.message_label.setText(import_summary(report))
        self.reload()
        if report.located_from:
            self.location_changed.emit()
        self.import_finished.emit(report)

    def _on_import_failed(self, error: BaseException) -> None:
        self._finish_import()
        self.message_label.setText(tr("ui.photos.import_failed", reason=str(error)))

    def _finish_import(self) -> None:
        self.import_progress = None
        self._show_progress(False)

    def _show_progress(self, on: bool) -> None:
        self.progress_bar.setVisible(on)
        self.cancel_btn.setVisible(on)
        self.progress_bar.setValue(0)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if self.survey_id is not None and event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)


def import_summary(report: fp.PhotoImportReport) -> str:
    lines = [tr("ui.photos.summary", added=len(report.added), duplicates=len(report.duplicates),
                failed=len(report.failures))]
    if report.cancelled:
        lines.append(tr("ui.photos.cancelled"))
    if report.located_from:
        lines.append(tr("ui.photos.located"))
    lines += [f.message for f in report.failures[:5]]
    return "\n".join(lines)
