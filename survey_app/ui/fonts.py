"""The Japanese UI font: the installed TrueType file, loaded into Qt so widgets never show tofu
even where fontconfig knows no Japanese font (a bare Windows image, a minimal container)."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from survey_app.maps.fonts import find_japanese_font

_loaded: dict[str, str] = {}


def install_japanese_font(app: QApplication, point_size: int = 10) -> str | None:
    """Load the font once and make it the application font; returns its family or None."""
    path = find_japanese_font()
    if path is None:
        return None
    family = _loaded.get(str(path))
    if family is None:
        font_id = QFontDatabase.addApplicationFont(str(path))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if not families:
            return None
        family = families[0]
        _loaded[str(path)] = family
    app.setFont(QFont(family, point_size))
    return family
