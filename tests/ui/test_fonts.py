"""Japanese glyphs come from the installed TrueType font, loaded into Qt (no tofu)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFont, QFontMetrics

from survey_app.maps.fonts import find_japanese_font
from survey_app.ui.fonts import install_japanese_font


def test_the_application_font_has_the_grade_glyphs(qapp):
    if find_japanese_font() is None:
        pytest.skip("no Japanese TrueType font installed (./dev setup installs fonts-ipaexfont)")
    before = qapp.font()
    try:
        family = install_japanese_font(qapp)
        assert family
        assert qapp.font().family() == family
        metrics = QFontMetrics(QFont(family))
        assert all(metrics.inFontUcs4(ord(ch)) for ch in "全壊大規模半準一部損調査済下書き")
    finally:
        qapp.setFont(before)
