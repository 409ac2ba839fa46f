"""The map tab: the offline Leaflet page in a web view, or, without QtWebEngine, a button that
opens the same page in the system browser.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QLabel, QPushButton, QStackedLayout, QVBoxLayout, QWidget

from survey_app.i18n import tr
from survey_app.ui import web


def click_accuracy_m(lat: float, zoom: int, pixels: float = 4.0) -> float:
    """How far off a click can be: a few screen pixels at this zoom (Web Mercator scale)."""
    return round(156543.03392 * math.cos(math.radians(lat)) / (2 ** zoom) * pixels, 1)


class MapView(QWidget):
    survey_clicked = Signal(str)
    location_picked = Signal(float, float, float)  # lat, lon, accuracy in metres
    page_ready = Signal(int)  # number of homes on the page

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.page_path: Path | None = None
        self.ready = False
        self.web = None
        self.page = None
        self.open_url = QDesktopServices.openUrl  # how the fallback opens a browser
        self._stack = QStackedLayout(self)
        self.status_label = QLabel(tr("ui.map.building"))
        self.status_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._stack.addWidget(self.status_label)
        self.fallback = self._make_fallback()
        self._stack.addWidget(self.fallback)
        # The web view (and Chromium behind it) is created on the first page, not at start-up.
        self.web_enabled = web.available()

    def _make_web_view(self) -> None:
        from PySide6.QtWebEngineWidgets import QWebEngineView

        from survey_app.ui.web.map_page import MapPage

        self.web = QWebEngineView(self)
        self.page = MapPage(self.web)
        self.web.setPage(self.page)
        self.page.message.connect(self._on_message)
        self._stack.addWidget(self.web)

    def _make_fallback(self) -> QWidget:
        box = QWidget(self)
        layout = QVBoxLayout(box)
        self.fallback_label = QLabel(tr("ui.map.no_webengine"))
        self.fallback_label.setWordWrap(True)
        self.open_browser_btn = QPushButton(tr("ui.map.open_in_browser"))
        self.open_browser_btn.setEnabled(False)
        self.open_browser_btn.clicked.connect(self.open_in_browser)
        layout.addStretch(1)
        layout.addWidget(self.fallback_label)
        layout.addWidget(self.open_browser_btn, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(1)
        return box

    @property
    def has_web_view(self) -> bool:
        return self.web_enabled

    def show_building(self) -> None:
        self.ready = False
        self.status_label.setText(tr("ui.map.building"))
        self._stack.setCurrentWidget(self.status_label)

    def show_error(self, message: str) -> None:
        self.status_label.setText(tr("ui.map.failed", reason=message))
        self._stack.setCurrentWidget(self.status_label)

    def load_page(self, html: Path, tiles_file: Path | None = None) -> None:
        """Show the page; `tiles_file` is the MBTiles its mbtiles:// basemap is served from."""
        self.page_path = Path(html)
        self.ready = False
        if self.web is None and self.web_enabled:
            self._make_web_view()
        if self.web is not None:
            from survey_app.ui.web.offline import OfflineProfile

            OfflineProfile.get().tiles.set_file(tiles_file)
        if self.web is None:
            self.open_browser_btn.setEnabled(True)
            self._stack.setCurrentWidget(self.fallback)
            return
        self._stack.setCurrentWidget(self.web)
        self.web.load(QUrl.fromLocalFile(str(self.page_path)))

    def open_in_browser(self) -> None:
        if self.page_path is not None:
            self.open_url(QUrl.fromLocalFile(str(self.page_path)))

    def highlight(self, survey_id: str | None, *, pan: bool = True) -> None:
        self._run(f"window.surveyApp && window.surveyApp.highlight({json.dumps(survey_id)},"
                  f" {json.dumps(pan)});")

    def set_picking(self, on: bool) -> None:
        self._run(f"window.surveyApp && window.surveyApp.setPicking({json.dumps(on)});")

    def run_js(self, script: str, callback=None) -> None:
        if self.page is not None:
            if callback is None:
                self.page.runJavaScript(script)
            else:
                self.page.runJavaScript(script, 0, callback)

    def _run(self, script: str) -> None:
        if self.ready:
            self.run_js(script)

    def _on_message(self, kind: str, payload: dict) -> None:
        if kind == "ready":
            self.ready = True
            self.page_ready.emit(int(payload.get("count", 0)))
        elif kind == "open" and payload.get("id"):
            self.survey_clicked.emit(str(payload["id"]))
        elif kind == "pick":
            lat, lon = float(payload["lat"]), float(payload["lon"])
            self.location_picked.emit(lat, lon, click_accuracy_m(lat, int(payload["zoom"])))
