"""QtWebEngine glue for the map: optional, since PySide6-Essentials alone has no WebEngine.

Everything here imports QtWebEngine lazily; `available()` says whether it can be used.
SURVEY_APP_NO_WEBENGINE=1 makes the app behave as if it were missing (tests, weak laptops).
"""

from __future__ import annotations

import os
from functools import cache
from importlib.util import find_spec


@cache
def available() -> bool:
    if os.environ.get("SURVEY_APP_NO_WEBENGINE") == "1":
        return False
    # find_spec, not import: importing QtWebEngineWidgets costs ~0.3 s of start-up.
    return all(find_spec(name) is not None
               for name in ("PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets"))


def chromium_flags() -> None:
    """Chromium refuses to run as root with its sandbox; only then is the sandbox turned off."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
        if "--no-sandbox" not in flags:
            os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = (flags + " --no-sandbox").strip()


def prepare_before_qapplication() -> bool:
    """Flags and the tile URL scheme; must run before QApplication exists. True if usable."""
    if not available():
        return False
    chromium_flags()
    from survey_app.ui.web.scheme import register_schemes

    register_schemes()
    return True
