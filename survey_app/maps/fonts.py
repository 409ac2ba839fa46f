"""Finding a Japanese TrueType font at run time (never committed; installed as an OS package).

Widgets and the map page both need one: Chromium does not see fonts added to Qt, so the page
gets the same file through CSS @font-face.
"""

from __future__ import annotations

import os
from pathlib import Path

from survey_app.paths import resources_dir

# Most specific first: IPAex (Debian fonts-ipaexfont), BIZ UD (OFL), then Windows' own.
_CANDIDATES = (
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
    "/usr/share/fonts/truetype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/truetype/bizud-gothic/BIZUDGothic-Regular.ttf",
    "/usr/share/fonts/truetype/bizud-gothic/BIZUDPGothic-Regular.ttf",
    "/Library/Fonts/ipaexg.ttf",
    "C:/Windows/Fonts/ipaexg.ttf",
)


def find_japanese_font() -> Path | None:
    """SURVEY_APP_FONT, a font bundled under resources/fonts, or a known system path."""
    override = os.environ.get("SURVEY_APP_FONT")
    candidates = [Path(override)] if override else []
    candidates += sorted((resources_dir() / "fonts").glob("*.ttf"))
    candidates += [Path(p) for p in _CANDIDATES]
    for path in candidates:
        if path.is_file():
            return path
    return None
