"""The map's private browser profile: nothing leaves the machine.

An interceptor blocks (and counts) every http/https/ws request, so a missing local asset shows up
as a count in tests instead of a silent download in the field.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWebEngineCore import (
    QWebEngineProfile,
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
)

from survey_app.ui.web.scheme import SCHEME, TileSchemeHandler

NETWORK_SCHEMES = frozenset({"http", "https", "ws", "wss", "ftp"})


class OfflineInterceptor(QWebEngineUrlRequestInterceptor):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.blocked: list[str] = []

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:  # noqa: N802
        url = info.requestUrl()
        if url.scheme().lower() in NETWORK_SCHEMES:
            info.block(True)
            self.blocked.append(url.toString())


class OfflineProfile(QObject):
    """One off-the-record profile for every map view, with the interceptor and tile handler."""

    _instance: OfflineProfile | None = None

    def __init__(self) -> None:
        # Owned by the application, so it outlives every map page (Qt warns otherwise).
        super().__init__(QCoreApplication.instance())
        self.profile = QWebEngineProfile(self)  # off the record: no cache or cookies on disk
        self.interceptor = OfflineInterceptor(self)
        self.tiles = TileSchemeHandler(self)
        self.profile.setUrlRequestInterceptor(self.interceptor)
        self.profile.installUrlSchemeHandler(SCHEME, self.tiles)

    @classmethod
    def get(cls) -> OfflineProfile:
        if cls._instance is None:
            cls._instance = cls()
        return cls._instance
