"""The field app's own settings (language, last disaster, surveyor name, tile file), as JSON
under the workspace home. Qt-free, so the command line and tests read the same file.

A damaged file never stops the app: unreadable or unknown values fall back to the defaults.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from survey_app.i18n import LANGUAGES

FILE_NAME = "settings.json"


@dataclass
class AppSettings:
    language: str = "ja"
    disaster_id: str = ""
    surveyor: str = ""
    tiles_path: str = ""  # empty: <home>/tiles/basemap.mbtiles
    sync_server: str = ""  # the shared server's address; the password is never saved
    sync_user: str = ""

    def tiles_file(self, home: Path) -> Path:
        return Path(self.tiles_path) if self.tiles_path else home / "tiles" / "basemap.mbtiles"


def load_settings(home: Path) -> AppSettings:
    try:
        data = json.loads((Path(home) / FILE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return AppSettings()
    if not isinstance(data, dict):
        return AppSettings()
    known = {f.name for f in fields(AppSettings)}
    values = {k: str(v) for k, v in data.items() if k in known and isinstance(v, str)}
    settings = AppSettings(**values)
    if settings.language not in LANGUAGES:
        settings.language = AppSettings.language
    return settings


def save_settings(home: Path, settings: AppSettings) -> None:
    """Write through a temp file and rename, so a crash never leaves half a file."""
    path = Path(home) / FILE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(FILE_NAME + ".tmp")
    temp.write_text(json.dumps(asdict(settings), ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(temp, path)
