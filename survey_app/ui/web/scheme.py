"""`mbtiles://local/{z}/{x}/{y}.png`: basemap tiles served from the local MBTiles file.

The scheme is registered before QApplication (Qt requires it) with LocalScheme, without which a
file:// page silently cannot load its images.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtWebEngineCore import (
    QWebEngineUrlRequestJob,
    QWebEngineUrlScheme,
    QWebEngineUrlSchemeHandler,
)

from survey_app.maps.mbtiles import MBTiles

SCHEME = b"mbtiles"
_PATH = re.compile(r"^/(\d+)/(\d+)/(\d+)\.(png|jpg|jpeg|webp)$")
_registered: list[bool] = []


def register_schemes() -> None:
    if _registered:
        return
    scheme = QWebEngineUrlScheme(SCHEME)
    scheme.setSyntax(QWebEngineUrlScheme.Syntax.Host)
    flag = QWebEngineUrlScheme.Flag
    scheme.setFlags(flag.LocalScheme | flag.LocalAccessAllowed | flag.CorsEnabled
                    | flag.FetchApiAllowed)
    QWebEngineUrlScheme.registerScheme(scheme)
    _registered.append(True)


class TileSchemeHandler(QWebEngineUrlSchemeHandler):
    """Answers tile requests from the current tile file; an absent tile is a plain 404."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._tiles: MBTiles | None = None
        self.served = 0

    def set_file(self, path: Path | None) -> None:
        if self._tiles is not None:
            self._tiles.close()
        self._tiles = MBTiles(path) if path is not None and Path(path).is_file() else None

    def requestStarted(self, job: QWebEngineUrlRequestJob) -> None:  # noqa: N802 (Qt name)
        match = _PATH.match(job.requestUrl().path())
        if self._tiles is None or match is None:
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        z, x, y = (int(v) for v in match.groups()[:3])
        # An indexed read of one ~20 KB row takes well under a millisecond, and Chromium is
        # waiting for exactly this answer, so it is read here rather than on a worker.
        data = self._tiles.tile(z, x, y)
        if data is None:
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        buffer = QBuffer(parent=job)
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.served += 1
        job.reply(b"image/png" if data[:4] == b"\x89PNG" else b"image/jpeg", buffer)
