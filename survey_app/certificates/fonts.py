"""Finding and registering the Japanese TrueType fonts embedded in certificates.

Font files are never committed: they come from the OS (Debian `fonts-ipaexfont`; Windows ships
BIZ UD and MS fonts as TrueType collections), from a bundled resources/fonts folder (the
PyInstaller build copies one in), or from a path the user chose. reportlab embeds only the
glyphs used (a subset), and each font is registered once per process.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from survey_app.i18n import tr
from survey_app.paths import resources_dir

ROLES = ("mincho", "gothic")
_LINUX = {
    "mincho": ("/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf",
               "/usr/share/fonts/truetype/ipaexfont-mincho/ipaexm.ttf",
               "/usr/share/fonts/truetype/bizud-mincho/BIZUDMincho-Regular.ttf",
               "/usr/share/fonts/truetype/fonts-japanese-mincho.ttf"),
    "gothic": ("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
               "/usr/share/fonts/truetype/ipaexfont-gothic/ipaexg.ttf",
               "/usr/share/fonts/truetype/bizud-gothic/BIZUDGothic-Regular.ttf",
               "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf"),
}
# Windows 10+: BIZ UD (universal design, usual in municipal documents), then MS fonts.
_WINDOWS = {
    "mincho": ("BIZ-UDMinchoM.ttc", "msmincho.ttc", "ipaexm.ttf"),
    "gothic": ("BIZ-UDGothicR.ttc", "msgothic.ttc", "ipaexg.ttf"),
}
_BUNDLED = {"mincho": ("ipaexm.ttf", "BIZUDMincho-Regular.ttf"),
            "gothic": ("ipaexg.ttf", "BIZUDGothic-Regular.ttf")}
_lock = threading.Lock()
_registered: dict[tuple[str, int], str] = {}


class FontNotFoundError(RuntimeError):
    """No usable Japanese TrueType font: the message says where we looked and how to fix it."""


@dataclass(frozen=True)
class FontPair:
    """The registered reportlab names of the two faces a certificate uses."""

    mincho: str
    gothic: str


def _windows_dirs() -> list[Path]:
    dirs = [Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts"]
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return dirs


def candidates(role: str, override: str = "") -> list[Path]:
    """Where a font for `role` is looked for, in order."""
    if role not in ROLES:
        raise ValueError(f"unknown font role {role!r}")
    env = os.environ.get(f"SURVEY_APP_CERT_FONT_{role.upper()}", "")
    out = [Path(p) for p in (override, env) if p]
    out += [resources_dir() / "fonts" / name for name in _BUNDLED[role]]
    out += [Path(p) for p in _LINUX[role]]
    out += [d / name for d in _windows_dirs() for name in _WINDOWS[role]]
    return out


def register(role: str, override: str = "") -> str:
    """Register the first usable font for `role`; returns its reportlab name (cached)."""
    tried = []
    for path in candidates(role, override):
        if not path.is_file():
            continue
        try:
            return _register_file(path)
        except TTFError as err:
            # e.g. OpenType/CFF (Noto CJK): reportlab cannot embed PostScript outlines.
            tried.append(f"{path}: {err}")
    searched = "\n  ".join(str(p) for p in candidates(role, override))
    raise FontNotFoundError(tr("office.font_not_found", role=role, searched=searched,
                               rejected="\n  ".join(tried) or "-"))


def _register_file(path: Path, index: int = 0) -> str:
    key = (str(path.resolve()), index)
    with _lock:
        name = _registered.get(key)
        if name is None:
            name = f"JP{len(_registered)}-{path.stem}"
            pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=index))
            _registered[key] = name
    return name


def register_pair(mincho: str = "", gothic: str = "") -> FontPair:
    return FontPair(mincho=register("mincho", mincho), gothic=register("gothic", gothic))


def font_path(name: str) -> str:
    return pdfmetrics.getFont(name).face.filename


def missing_glyphs(name: str, text: str) -> list[str]:
    """Characters of `text` the font has no glyph for (in order, once each)."""
    cmap = pdfmetrics.getFont(name).face.charToGlyph
    seen: list[str] = []
    for ch in text:
        if ch not in seen and not ch.isspace() and ord(ch) not in cmap:
            seen.append(ch)
    return seen
