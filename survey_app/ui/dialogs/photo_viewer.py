"""One photo, upright and large, with its EXIF details and its tag; previous / next."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from survey_app.i18n import tr
from survey_app.photos.pixels import photo_pixels
from survey_app.services import fieldwork_photos as fp
from survey_app.ui.images import to_qimage
from survey_app.ui.ops import Ops
from survey_app.ui.widgets.photo_panel import tag_label

DISPLAY_PX = 1600
DETAIL_FIELDS = ("original_name", "taken_at", "camera", "size_px", "lat", "lon", "altitude",
                 "direction", "file_size", "sha256")


def detail_text(record: dict, key: str) -> str:
    if key == "size_px":
        return f"{record.get('width') or '?'} × {record.get('height') or '?'}"
    if key == "file_size":
        return tr("ui.viewer.bytes", size=f"{record.get('size') or 0:,}")
    if key in ("lat", "lon") and record.get(key) is not None:
        return f"{record[key]:.6f}"
    if key == "altitude" and record.get(key) is not None:
        return f"{record[key]:.1f} m"
    if key == "taken_at" and record.get(key):
        return str(record[key]).replace("T", " ")
    if key == "direction" and record.get(key) is not None:
        return f"{record[key]:.0f}°"
    value = record.get(key)
    return tr("ui.viewer.none") if value in (None, "") else str(value)


class PhotoViewer(QDialog):
    tag_changed = Signal(str, str)  # sha256, tag

    def __init__(self, ops: Ops, survey_id: str, records: list[dict], sha: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.survey_id = survey_id
        self.records = records
        self.index = next((i for i, r in enumerate(records) if r["sha256"] == sha), 0)
        self.setWindowTitle(tr("ui.viewer.title"))
        self.resize(1100, 720)
        self.image_label = QLabel()
        self.image_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image_label.setMinimumSize(480, 360)
        self.image_label.setSizePolicy(QSizePolicy.Policy.Expanding,
                                       QSizePolicy.Policy.Expanding)
        self.image: QImage | None = None
        self.tag_combo = QComboBox()
        for tag in ("", *fp.PHOTO_TAGS):
            self.tag_combo.addItem(tag_label(tag), tag)
        self.detail_labels = {key: QLabel() for key in DETAIL_FIELDS}
        self.prev_btn = QPushButton(tr("ui.viewer.previous"))
        self.next_btn = QPushButton(tr("ui.viewer.next"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("ui.common.close"))
        self.buttons.rejected.connect(self.reject)
        self.prev_btn.clicked.connect(lambda: self.show_index(self.index - 1))
        self.next_btn.clicked.connect(lambda: self.show_index(self.index + 1))
        self.tag_combo.activated.connect(self._on_tag)
        self._layout()
        self.show_index(self.index)

    def _layout(self) -> None:
        details = QFormLayout()
        details.addRow(tr("ui.photos.tag"), self.tag_combo)
        for key, label in self.detail_labels.items():
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
            details.addRow(tr(f"ui.viewer.{key}"), label)
        side = QWidget()
        side.setLayout(details)
        side.setFixedWidth(340)
        top = QHBoxLayout()
        top.addWidget(self.image_label, 1)
        top.addWidget(side)
        nav = QHBoxLayout()
        nav.addWidget(self.prev_btn)
        nav.addWidget(self.next_btn)
        nav.addStretch(1)
        nav.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addLayout(nav)

    @property
    def record(self) -> dict:
        return self.records[self.index]

    def show_index(self, index: int) -> None:
        self.index = max(0, min(index, len(self.records) - 1))
        record = self.record
        self.prev_btn.setEnabled(self.index > 0)
        self.next_btn.setEnabled(self.index < len(self.records) - 1)
        self.tag_combo.setCurrentIndex(max(0, self.tag_combo.findData(record.get("tag") or "")))
        for key, label in self.detail_labels.items():
            label.setText(detail_text({**record, "file_size": record.get("size")}, key))
        self.image = None
        self.image_label.setText(tr("ui.viewer.loading"))
        sha = record["sha256"]
        self.ops.read(lambda ws: fp.photo_file(ws, sha), owner=self,
                      success=lambda path: self.ops.files(
                          lambda: photo_pixels(path, DISPLAY_PX), owner=self,
                          success=lambda px: self._show_image(sha, to_qimage(px))))

    def _show_image(self, sha: str, image: QImage) -> None:
        if sha != self.record["sha256"]:
            return
        if image.isNull():
            self.image_label.setText(tr("ui.viewer.unreadable"))
            return
        self.image = image
        self._fit()

    def _fit(self) -> None:
        if self.image is not None:
            pixmap = QPixmap.fromImage(self.image).scaled(
                self.image_label.size(), Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation)
            self.image_label.setPixmap(pixmap)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit()

    def _on_tag(self, _index: int) -> None:
        tag = self.tag_combo.currentData()
        survey_id, sha = self.survey_id, self.record["sha256"]
        self.records[self.index] = {**self.record, "tag": tag}
        self.ops.write(lambda ws: fp.tag_photo(ws, survey_id, sha, tag), owner=self,
                       success=lambda _: self.tag_changed.emit(sha, tag))
