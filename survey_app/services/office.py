"""Office work shared by the application, issuing and re-survey services.

`OfficeError` carries a message for the clerk (Japanese by default); the CLI prints it as one
line and the UI shows it in a dialog. Certificate settings live in <home>/office/.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

from survey_app.certificates.dates import print_date
from survey_app.certificates.settings import CertificateSettings, SettingsError
from survey_app.i18n import tr
from survey_app.services.workspace import Workspace
from survey_app.store.certificates import CertificateRegister

SETTINGS_FILE = "certificate_settings.json"
_NUMBER = re.compile(r"^\s*第?\s*0*(\d+)\s*号?\s*$")


class OfficeError(Exception):
    """A problem the clerk can fix; str() is the message to show."""


def settings_path(ws: Workspace) -> Path:
    return ws.home / "office" / SETTINGS_FILE


def load_settings(ws: Workspace, disaster: dict | None = None) -> CertificateSettings:
    """The saved settings, with the municipality filled from the disaster when left blank."""
    path = settings_path(ws)
    try:
        settings = CertificateSettings.load(path) if path.exists() else CertificateSettings()
    except SettingsError as err:
        raise OfficeError(str(err)) from err
    if disaster is not None:
        settings.municipality_name = settings.municipality_name or disaster["municipality_name"]
        settings.municipality_code = settings.municipality_code or disaster["municipality_code"]
    return settings


def save_settings(ws: Workspace, settings: CertificateSettings) -> Path:
    problems = settings.problems()
    if problems:
        raise OfficeError(" / ".join(problems))
    path = settings_path(ws)
    settings.save(path)
    return path


def certificates_dir(ws: Workspace) -> Path:
    return ws.home / "certificates"


def register_of(ws: Workspace) -> CertificateRegister:
    return CertificateRegister(ws.store)


def resolve_disaster(ws: Workspace, disaster_id: str | None) -> dict:
    """The disaster named, or the only one in the store."""
    disasters = ws.store.buildings.disasters()
    if disaster_id:
        for d in disasters:
            if d["id"] == disaster_id or d["name"] == disaster_id:
                return d
        raise OfficeError(tr("office.disaster_unknown", disaster=disaster_id))
    if len(disasters) == 1:
        return disasters[0]
    raise OfficeError(tr("office.disaster_ambiguous", count=len(disasters)))


def municipality_code(disaster: dict, settings: CertificateSettings) -> str:
    """Numbering is per municipality: the disaster's code, else the configured one."""
    return disaster["municipality_code"] or settings.municipality_code or "000000"


def default_cause(disaster: dict, *, era: bool = True) -> str:
    """「令和6年1月1日の令和6年能登半島地震による」: a prefill for the 罹災原因 field."""
    return f"{print_date(disaster['occurred_on'], era=era)}の{disaster['name']}による"


def parse_number(text: str | int) -> int:
    """A certificate number as typed: 12, 「第12号」, 「第０１２号」."""
    if isinstance(text, int):
        return text
    match = _NUMBER.match(unicodedata.normalize("NFKC", str(text)))
    if not match:
        raise OfficeError(tr("office.number_invalid", value=text))
    return int(match.group(1))


def entry_by_number(ws: Workspace, disaster: dict, number: str | int) -> dict:
    entry = register_of(ws).by_number(disaster["id"], parse_number(number))
    if entry is None:
        raise OfficeError(tr("office.certificate_unknown", number=number))
    return entry


def today() -> str:
    return dt.date.today().isoformat()


def check_date(value: str, field: str) -> str:
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError as err:
        raise OfficeError(tr("office.date_invalid", field=field, value=value)) from err
