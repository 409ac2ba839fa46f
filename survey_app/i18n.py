"""Qt-free message catalogue: `tr("key", name=...)`, Japanese first, English selectable.

Catalogues are TOML files, one per area and language: resources/i18n/<lang>/<area>.toml, whose
keys are read as "<area>.<key>". Japanese is complete by rule; a test checks that every key in
use exists in every catalogue. The language comes from SURVEY_APP_LANG, then the
saved setting, then Japanese.
"""

from __future__ import annotations

import os
import tomllib
from functools import cache

from survey_app.paths import resources_dir

DEFAULT_LANG = "ja"
LANGUAGES = ("ja", "en")
_current: list[str] = []


@cache
def catalogue(lang: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for path in sorted((resources_dir() / "i18n" / lang).glob("*.toml")):
        with path.open("rb") as fh:
            out.update(_flatten(tomllib.load(fh), path.stem + "."))
    return out


def _flatten(data: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in data.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, full + "."))
        else:
            out[full] = str(value)
    return out


def current_language() -> str:
    if _current:
        return _current[-1]
    lang = os.environ.get("SURVEY_APP_LANG", DEFAULT_LANG)
    return lang if lang in LANGUAGES else DEFAULT_LANG


def set_language(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    _current.append(lang)


def tr(key: str, /, **args: object) -> str:
    """The message for `key` in the current language; the Japanese one if a translation lacks it."""
    lang = current_language()
    text = catalogue(lang).get(key)
    if text is None:
        text = catalogue(DEFAULT_LANG).get(key)
    if text is None:
        raise KeyError(f"message key {key!r} is missing from the catalogue")
    return text.format(**args) if args else text
