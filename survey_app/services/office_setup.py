"""Setting up a disaster at headquarters (災害対策本部): register the disaster, then add a home
the registers lack, by hand. Creating the survey tasks and assigning them to surveyors is in
`office_tasks`.

Every function checks its input first and raises `OfficeError` with a message for the clerk;
nothing is written unless all of it is right. Writes go through the store's managers, so each
is audited and lands in the sync outbox in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from survey_app.domain.observations import STRUCTURES
from survey_app.domain.text import address_key
from survey_app.i18n import tr
from survey_app.services.errors import user_message
from survey_app.services.office import OfficeError, load_settings
from survey_app.services.office_tasks import check_hazard, check_surveyor, disaster_row
from survey_app.services.workspace import Workspace

NAME_LIMIT = 100
ADDRESS_LIMIT = 200
TEXT_LIMIT = 100
# The oldest date a disaster may have: older ones are typing mistakes, not disasters we survey.
OLDEST = dt.date(1990, 1, 1)
_DIGITS = re.compile(r"^\d{5,6}$")


class DuplicateHome(OfficeError):
    """The disaster already has a home at this address; `existing` are those homes."""

    def __init__(self, message: str, existing: list[dict]) -> None:
        super().__init__(message)
        self.existing = existing


@dataclass(frozen=True)
class HomeAdded:
    building_id: str
    survey_id: str | None


def clerk_message(error: BaseException) -> str:
    """What to tell the clerk: an OfficeError says it already; anything else is named by
    its cause (a full disk, a locked store)."""
    return str(error) if isinstance(error, OfficeError) else user_message(error)


# -- the disaster ----------------------------------------------------------------------------

def check_digit(five: str) -> str:
    """The check digit of a 5-digit 全国地方公共団体コード (総務省): weights 6..2, modulus 11,
    the last digit of 11 minus the remainder."""
    total = sum(int(d) * w for d, w in zip(five, (6, 5, 4, 3, 2), strict=True))
    return str((11 - total % 11) % 10)


def municipality_code(text: str) -> str:
    """The 6-digit code, from 6 digits (checked) or the 5 without the check digit (added)."""
    code = unicodedata.normalize("NFKC", text or "").strip()
    if not code:
        raise OfficeError(tr("setup.err.required", field=tr("setup.field.municipality_code")))
    if not _DIGITS.match(code):
        raise OfficeError(tr("setup.err.code_digits", value=code))
    right = code[:5] + check_digit(code[:5])
    if len(code) == 6 and code != right:
        raise OfficeError(tr("setup.err.code_check", value=code, right=right))
    return right


def _text(value: str, field: str, *, required: bool = False, limit: int = TEXT_LIMIT) -> str:
    text = " ".join((value or "").split())  # one line: no tabs or line breaks in a record
    if required and not text:
        raise OfficeError(tr("setup.err.required", field=tr(f"setup.field.{field}")))
    if len(text) > limit:
        raise OfficeError(tr("setup.err.too_long", field=tr(f"setup.field.{field}"),
                             length=len(text), limit=limit))
    return text


def occurred_date(value: str | dt.date, *, today: dt.date | None = None) -> str:
    """An ISO date that is neither in the future nor implausibly old."""
    today = today or dt.date.today()
    if isinstance(value, dt.date):
        day = value
    else:
        text = unicodedata.normalize("NFKC", value or "").strip().replace("/", "-")
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            raise OfficeError(tr("setup.err.date", value=value)) from None
    if day > today:
        raise OfficeError(tr("setup.err.date_future", value=day.isoformat(),
                             today=today.isoformat()))
    if day < OLDEST:
        raise OfficeError(tr("setup.err.date_old", value=day.isoformat(),
                             oldest=OLDEST.isoformat()))
    return day.isoformat()


def create_disaster(ws: Workspace, *, name: str, hazard: str, occurred_on: str | dt.date,
                    municipality_code_text: str, municipality_name: str,
                    today: dt.date | None = None) -> str:
    """Register a disaster; returns its id. The same name on the same day is refused."""
    name = _text(name, "name", required=True, limit=NAME_LIMIT)
    check_hazard(hazard)
    day = occurred_date(occurred_on, today=today)
    code = municipality_code(municipality_code_text)
    town = _text(municipality_name, "municipality_name", required=True)
    for d in ws.store.buildings.disasters():
        if d["name"] == name and d["occurred_on"] == day:
            raise OfficeError(tr("setup.err.disaster_exists", name=name, date=day))
    return ws.store.buildings.create_disaster(
        name=name, hazard=hazard, occurred_on=day, municipality_code=code,
        municipality_name=town, actor=ws.actor)


def municipality_defaults(ws: Workspace) -> dict[str, str]:
    """What the 災害の登録 dialog offers: the last disaster's municipality, else the
    certificate settings' one (a fresh store has neither: both empty)."""
    disasters = sorted(ws.store.buildings.disasters(), key=lambda d: d["created_at"])
    if disasters and disasters[-1]["municipality_code"]:
        last = disasters[-1]
        return {"code": last["municipality_code"], "name": last["municipality_name"]}
    try:
        settings = load_settings(ws)
    except OfficeError:
        return {"code": "", "name": ""}  # a damaged settings file is the certificates' concern
    return {"code": settings.municipality_code, "name": settings.municipality_name}


# -- a home by hand --------------------------------------------------------------------------

def _location(lat: float | None, lon: float | None) -> dict:
    if lat is None and lon is None:
        return {}
    if lat is None or lon is None:
        raise OfficeError(tr("setup.err.latlon_pair"))
    if not (20 <= lat <= 46 and 122 <= lon <= 154):
        # Japan's extent (沖ノ鳥島 … 択捉島, 与那国島 … 南鳥島): anything else is a swap or a typo.
        raise OfficeError(tr("setup.err.latlon_range", lat=lat, lon=lon))
    return {"lat": float(lat), "lon": float(lon), "location_source": "manual",
            "location_accuracy_m": None}


def home_fields(*, address: str, owner_name: str = "", owner_kana: str = "", area: str = "",
                structure: str = "wood", floors: int | None = None, lat: float | None = None,
                lon: float | None = None) -> dict:
    """The checked building fields of a home typed in by the clerk."""
    address = unicodedata.normalize("NFKC", _text(address, "address", required=True,
                                                  limit=ADDRESS_LIMIT))
    if structure not in STRUCTURES:
        raise OfficeError(tr("setup.err.structure", value=structure))
    if floors is not None and not (1 <= floors <= 200):
        raise OfficeError(tr("setup.err.floors", value=floors))
    return {"address": address, "owner_name": _text(owner_name, "owner_name"),
            "owner_kana": _text(owner_kana, "owner_kana"), "area": _text(area, "area"),
            "structure": structure, "floors": floors, **_location(lat, lon)}


def add_home(ws: Workspace, disaster_id: str, *, allow_duplicate: bool = False,
             first_survey: bool = False, surveyor: str = "", **fields: object) -> HomeAdded:
    """Add one home (fields as `home_fields`); with `first_survey` its 1st-survey task too,
    assigned to `surveyor` when one is named. A second home at the same address is refused
    (DuplicateHome) unless `allow_duplicate`: a register row may spell it differently."""
    disaster = disaster_row(ws, disaster_id)
    row = home_fields(**fields)  # type: ignore[arg-type]
    name = check_surveyor(surveyor) if surveyor.strip() else ""
    same = ws.store.buildings.find_by_address(disaster_id, row["address"])
    if same and not allow_duplicate:
        who = "、".join(f"{b['address']}（{b['owner_name'] or '-'}）" for b in same[:3])
        raise DuplicateHome(tr("setup.err.home_exists", homes=who, count=len(same)), same)
    survey_id = None
    with ws.store.atomic():
        bid = ws.store.buildings.add(disaster_id=disaster_id, actor=ws.actor,
                                     assigned_to=name if first_survey else "", **row)
        if first_survey:
            survey_id = ws.store.surveys.create(building_id=bid, stage="first",
                                                hazard=disaster["hazard"], surveyor=name,
                                                actor=ws.actor)
    return HomeAdded(bid, survey_id)


def same_address(ws: Workspace, disaster_id: str, address: str) -> list[dict]:
    """Homes of the disaster whose address reads the same (for the dialog's warning)."""
    if not address_key(address or ""):
        return []
    return ws.store.buildings.find_by_address(disaster_id, address)
