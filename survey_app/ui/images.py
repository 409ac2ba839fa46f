"""Decoded pixels (survey_app.photos.pixels) into a QImage, on the GUI thread."""

from __future__ import annotations

from PySide6.QtGui import QImage

from survey_app.photos.pixels import Pixels


def to_qimage(pixels: Pixels | None) -> QImage:
    """A null QImage for None (nothing could be decoded)."""
    if pixels is None:
        return QImage()
    image = QImage(pixels.rgb, pixels.width, pixels.height, 3 * pixels.width,
                   QImage.Format.Format_RGB888)
    return image.copy()  # its own buffer: `pixels` may go away
