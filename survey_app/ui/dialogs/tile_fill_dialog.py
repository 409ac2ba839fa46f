"""Preparing the offline basemap: download 地理院タイル for the disaster's area into the local
tile file, while the laptop is still online. Shows the tile count first, then progress/cancel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QProgressBar,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from survey_app.i18n import tr
from survey_app.maps.mbtiles import count_tiles
from survey_app.maps.tilefill import GSI_LINK, GSI_MAX_ZOOM, TileFillError, fill_area, http_fetch
from survey_app.services.map_data import homes_bbox
from survey_app.ui.ops import Ops, Progress

MIN_WIDTH = 560


def _coordinate_box(minimum: float, maximum: float) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setDecimals(5)
    box.setRange(minimum, maximum)
    box.setSingleStep(0.01)
    return box


class TileFillDialog(QDialog):
    def __init__(self, ops: Ops, tiles_file: Path, disaster_id: str | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.tiles_file = tiles_file
        self.fetch = http_fetch  # the network; tests put a local function here
        self.progress: Progress | None = None
        self.report = None
        self.setWindowTitle(tr("ui.tiles.title"))
        self.setMinimumWidth(MIN_WIDTH)  # the hint names a long file path; wrapped, not cut
        self.south, self.north = _coordinate_box(-85, 85), _coordinate_box(-85, 85)
        self.west, self.east = _coordinate_box(-180, 180), _coordinate_box(-180, 180)
        self.min_zoom, self.max_zoom = QSpinBox(), QSpinBox()
        for box, value in ((self.min_zoom, 10), (self.max_zoom, 16)):
            box.setRange(2, GSI_MAX_ZOOM)
            box.setValue(value)
        self.count_label = QLabel()
        self.attribution_label = QLabel(tr("ui.tiles.source", link=GSI_LINK,
                                           name=tr("maps.gsi_attribution")))
        self.attribution_label.setOpenExternalLinks(True)
        self.progress_bar = QProgressBar()
        self.message_label = QLabel(tr("ui.tiles.hint", path=str(tiles_file)))
        self.message_label.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.start_btn = self.buttons.addButton(tr("ui.tiles.start"),
                                                QDialogButtonBox.ButtonRole.ActionRole)
        self.cancel_btn = self.buttons.addButton(tr("ui.common.cancel"),
                                                 QDialogButtonBox.ButtonRole.RejectRole)
        self.start_btn.clicked.connect(self.start)
        self.cancel_btn.clicked.connect(self._cancel)
        for box in (self.south, self.north, self.west, self.east, self.min_zoom, self.max_zoom):
            box.valueChanged.connect(self._update_count)
        self._layout()
        self.set_bbox((38.20, 140.80, 38.30, 140.95))
        if disaster_id is not None:
            ops.read(lambda ws: homes_bbox(ws, disaster_id), owner=self,
                     success=lambda bbox: bbox and self.set_bbox(bbox))

    def _layout(self) -> None:
        form = QFormLayout()
        form.addRow(tr("ui.tiles.south"), self.south)
        form.addRow(tr("ui.tiles.north"), self.north)
        form.addRow(tr("ui.tiles.west"), self.west)
        form.addRow(tr("ui.tiles.east"), self.east)
        form.addRow(tr("ui.tiles.min_zoom"), self.min_zoom)
        form.addRow(tr("ui.tiles.max_zoom"), self.max_zoom)
        form.addRow(tr("ui.tiles.count"), self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.attribution_label)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.message_label)
        layout.addWidget(self.buttons)

    def set_bbox(self, bbox: tuple[float, float, float, float]) -> None:
        for box, value in zip((self.south, self.west, self.north, self.east), bbox, strict=True):
            box.setValue(value)

    def bbox(self) -> tuple[float, float, float, float]:
        return (self.south.value(), self.west.value(), self.north.value(), self.east.value())

    def zooms(self) -> range:
        return range(self.min_zoom.value(), self.max_zoom.value() + 1)

    def _update_count(self) -> None:
        self.count_label.setText(tr("ui.tiles.count_value", count=count_tiles(self.bbox(),
                                                                              self.zooms())))

    def start(self) -> None:
        if self.progress is not None:
            return
        path, bbox, zooms, fetch = self.tiles_file, self.bbox(), self.zooms(), self.fetch
        progress = self.progress = Progress(self)
        progress.changed.connect(self._on_progress)
        self.start_btn.setEnabled(False)
        self.message_label.setText(tr("ui.tiles.running"))
        self.ops.files(lambda: fill_area(path, bbox, zooms, fetch=fetch, progress=progress.report,
                                         cancelled=progress.cancelled),
                       success=self._on_done, failure=self._on_failed, owner=self)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress_bar.setMaximum(max(total, 1))
        self.progress_bar.setValue(done)

    def _on_done(self, report) -> None:
        self.progress = None
        self.report = report
        self.start_btn.setEnabled(True)
        key = "ui.tiles.cancelled" if report.cancelled else "ui.tiles.done"
        self.message_label.setText(tr(key, fetched=report.fetched, present=report.already_present,
                                      missing=report.missing, failed=report.failed))

    def _on_failed(self, error: BaseException) -> None:
        self.progress = None
        self.start_btn.setEnabled(True)
        reason = str(error) if isinstance(error, TileFillError) else repr(error)
        self.message_label.setText(tr("ui.tiles.failed", reason=reason))

    def _cancel(self) -> None:
        if self.progress is not None:
            self.progress.cancel()
        else:
            self.reject()
