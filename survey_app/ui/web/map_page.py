"""The map's web page: reads the page's console bridge and keeps navigation on the map."""

from __future__ import annotations

import json

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineSettings

from survey_app.maps.script import BRIDGE_PREFIX
from survey_app.ui.web.offline import OfflineProfile


class MapPage(QWebEnginePage):
    message = Signal(str, dict)  # kind ("ready", "open", "pick"), payload

    def __init__(self, parent=None) -> None:
        super().__init__(OfflineProfile.get().profile, parent)
        self.console_errors: list[str] = []
        # Let remote URLs reach the network layer, where the interceptor blocks and counts them:
        # otherwise Chromium drops them silently and a CDN link in the page would go unnoticed.
        # Allowing remote URLs turns file access off unless it is set again explicitly.
        attribute = QWebEngineSettings.WebAttribute
        self.settings().setAttribute(attribute.LocalContentCanAccessRemoteUrls, True)
        self.settings().setAttribute(attribute.LocalContentCanAccessFileUrls, True)

    def javaScriptConsoleMessage(self, level, text: str, line: int, source: str) -> None:  # noqa: N802
        if text.startswith(BRIDGE_PREFIX):
            try:
                data = json.loads(text[len(BRIDGE_PREFIX):])
            except ValueError:
                return
            self.message.emit(str(data.get("kind", "")), dict(data.get("payload") or {}))
        elif level == QWebEnginePage.JavaScriptConsoleMessageLevel.ErrorMessageLevel:
            self.console_errors.append(f"{source}:{line}: {text}")

    def acceptNavigationRequest(self, url: QUrl, nav_type, is_main_frame: bool) -> bool:  # noqa: N802
        # A clicked link (the tile attribution) opens in the system browser, never in the map.
        if nav_type == QWebEnginePage.NavigationType.NavigationTypeLinkClicked:
            QDesktopServices.openUrl(url)
            return False
        return super().acceptNavigationRequest(url, nav_type, is_main_frame)
