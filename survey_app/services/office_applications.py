"""Applications for a certificate (罹災証明書交付申請書, the unified national form).

Registering checks the form (every problem named at once, in Japanese), numbers it when no
number was written, ties it to the surveyed building at the same address, and flags an
application for a home or household already on file. Flags never refuse: two households can
live in one home, and staff decide.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from survey_app.domain.office_address import home_key, name_key
from survey_app.domain.text import to_katakana
from survey_app.i18n import tr
from survey_app.services.office import OfficeError, parse_number, register_of, today
from survey_app.services.register_values import date as parse_date
from survey_app.services.workspace import Workspace
from survey_app.store.certificates import APPLICATION_SERIES, next_number
from survey_app.store.office_applications import ApplicationIndex

REQUIRED = (("applicant_name", "世帯主氏名"), ("household_address", "世帯主住所"),
            ("damaged_address", "被災住家の所在地"), ("cause", "罹災原因"))
# 希望する調査方法: stored as the form's wording; the short codes are accepted for typing.
METHODS = {"site": "現地調査", "self": "自己判定方式", "photo": "写真による判定"}
SAME_AS_ABOVE = ("同上", "上記に同じ", "同じ")
MAX_CHARS = 2000
_KANA = re.compile(r"^[\u30A0-\u30FF\s]*$")


@dataclass
class ApplicationForm:
    disaster_id: str
    applicant_name: str = ""
    household_address: str = ""
    damaged_address: str = ""
    cause: str = ""
    applicant_kana: str = ""
    received_on: str = ""
    members: list[dict] = field(default_factory=list)
    contact: str = ""
    requested_method: str = ""
    application_no: str = ""
    building_id: str | None = None

    def normalised(self) -> ApplicationForm:
        """Trimmed text; 「同上」 as the damaged address means the household's address."""
        out = ApplicationForm(**{k: (v.strip() if isinstance(v, str) else v)
                                 for k, v in self.__dict__.items()})
        if out.damaged_address in SAME_AS_ABOVE:
            out.damaged_address = out.household_address
        out.received_on = out.received_on or today()
        out.requested_method = METHODS.get(out.requested_method, out.requested_method)
        out.members = [_normalised_member(m) for m in out.members]
        return out


def _normalised_member(member: dict) -> dict:
    """Birth dates as written at the counter (昭和50年1月2日, S50.1.2) become ISO dates; an
    unreadable one is kept as written for `field_problems` to name."""
    out = {k: (v.strip() if isinstance(v, str) else v) for k, v in member.items()}
    if out.get("birth_date"):
        with contextlib.suppress(ValueError):
            out["birth_date"] = parse_date("", out["birth_date"])
    return out


@dataclass
class RegisteredApplication:
    id: str
    application_no: str
    building_id: str | None
    same_home: list[dict]
    same_household: list[dict]

    def warnings(self) -> list[str]:
        return duplicate_warnings(self.same_home, self.same_household)


def duplicate_warnings(same_home: list[dict], same_household: list[dict]) -> list[str]:
    out = [tr("office.duplicate_household", no=a["application_no"],
              name=a["applicant_name"]) for a in same_household]
    seen = {a["id"] for a in same_household}
    out += [tr("office.duplicate_home", no=a["application_no"], name=a["applicant_name"],
               address=a["damaged_address"]) for a in same_home if a["id"] not in seen]
    return out


def field_problems(form: ApplicationForm) -> list[tuple[str, str]]:
    """Every problem with the form as (field, message): the field is the ApplicationForm
    attribute the message is about, so a form on screen can show it next to its input."""
    out = [(attr, tr("office.field_missing", field=label)) for attr, label in REQUIRED
           if not getattr(form, attr)]
    for attr, label in (*REQUIRED, ("contact", "連絡先")):
        if len(getattr(form, attr)) > MAX_CHARS:
            out.append((attr, tr("office.field_too_long", field=label,
                                 length=len(getattr(form, attr)), limit=MAX_CHARS)))
    if form.applicant_kana and not _KANA.match(to_katakana(form.applicant_kana)):
        out.append(("applicant_kana", tr("office.kana_invalid", value=form.applicant_kana)))
    try:
        dt.date.fromisoformat(form.received_on)
    except ValueError:
        out.append(("received_on", tr("office.date_invalid", field="受付日",
                                      value=form.received_on)))
    if form.requested_method and form.requested_method not in METHODS.values():
        out.append(("requested_method", tr(
            "office.method_invalid", value=form.requested_method,
            choices=", ".join(f"{k} ({v})" for k, v in METHODS.items()))))
    return out + _member_problems(form.members)


def _member_problems(members: list[dict]) -> list[tuple[str, str]]:
    out = []
    for i, member in enumerate(members, start=1):
        if not str(member.get("name", "")).strip():
            out.append(("members", tr("office.member_name_missing", index=i)))
        try:
            parse_date(f"世帯構成員 {i} 人目の生年月日", str(member.get("birth_date") or ""))
        except ValueError as err:
            out.append(("members", str(err)))
    return out


def problems(form: ApplicationForm) -> list[str]:
    """Every problem with the form, each naming its field."""
    return [message for _, message in field_problems(form)]


@dataclass
class ApplicationCheck:
    """What registering a form would meet, found before anything is saved."""
    problems: list[tuple[str, str]]
    same_home: list[dict]
    same_household: list[dict]

    def warnings(self) -> list[str]:
        return duplicate_warnings(self.same_home, self.same_household)


def check_application(ws: Workspace, form: ApplicationForm) -> ApplicationCheck:
    """The form's problems and the applications already on file for the same home or
    household, so staff can look before saving. Run it on the writer: keying applications
    that came in by import or sync writes their keys."""
    form = form.normalised()
    found = field_problems(form)
    if form.application_no and _number_taken(ws, form.disaster_id, form.application_no):
        found.append(("application_no", tr("office.application_no_taken",
                                           no=form.application_no)))
    if found:
        return ApplicationCheck(found, [], [])
    index = ApplicationIndex(ws.store)
    index.ensure_keys(form.disaster_id)
    matches = index.matches(form.disaster_id, {"id": "", **form.__dict__})
    get = ws.store.applications.get
    return ApplicationCheck([], [get(i) for i in matches["same_home"]],
                            [get(i) for i in matches["same_household"]])


def _number_taken(ws: Workspace, disaster_id: str, number: str) -> bool:
    return bool(list(ws.store.db.query(
        "SELECT 1 FROM applications WHERE disaster_id = ? AND application_no = ?",
        [disaster_id, number])))


def register_application(ws: Workspace, form: ApplicationForm, *,
                         actor: str | None = None) -> RegisteredApplication:
    """Validate, number, link and flag; all in one transaction with its audit entries."""
    form = form.normalised()
    found = problems(form)
    if found:
        raise OfficeError("\n".join(found))
    store, index = ws.store, ApplicationIndex(ws.store)
    actor = actor or ws.actor
    index.ensure_keys(form.disaster_id)
    with store.atomic():
        number = form.application_no or _next_application_no(ws, form.disaster_id)
        if _number_taken(ws, form.disaster_id, number):
            raise OfficeError(tr("office.application_no_taken", no=number))
        building_id = form.building_id or _building_at(ws, form)
        app_id = store.applications.add(
            disaster_id=form.disaster_id, application_no=number,
            applicant_name=form.applicant_name, household_address=form.household_address,
            damaged_address=form.damaged_address, received_on=form.received_on,
            members=form.members, building_id=building_id,
            applicant_kana=form.applicant_kana, contact=form.contact, cause=form.cause,
            requested_method=form.requested_method, actor=actor)
        application = store.applications.get(app_id)
        matches = index.matches(form.disaster_id, application)
        index.index(application)
        for flag, ids in matches.items():
            for other in ids:
                index.add_flag(app_id, flag, other)
    get = store.applications.get
    return RegisteredApplication(app_id, number, building_id,
                                 [get(i) for i in matches["same_home"]],
                                 [get(i) for i in matches["same_household"]])


def _next_application_no(ws: Workspace, disaster_id: str) -> str:
    disaster = ws.store.buildings.disaster(disaster_id)
    n = next_number(ws.store, APPLICATION_SERIES, disaster["municipality_code"], disaster_id)
    return f"A-{n:05d}"


def _building_at(ws: Workspace, form: ApplicationForm) -> str | None:
    """The surveyed building at the damaged address, when exactly one matches."""
    found = ApplicationIndex(ws.store).buildings_at(form.disaster_id, form.damaged_address)
    return found[0] if len(found) == 1 else None


def search_applications(ws: Workspace, disaster_id: str, text: str,
                        limit: int = 100) -> list[dict]:
    """By name (kanji, or kana in either script), address (however written), application
    number or certificate number; best matches first, each application once."""
    text = unicodedata.normalize("NFKC", text).strip()
    if not text:
        return []
    store, index = ws.store, ApplicationIndex(ws.store)
    index.ensure_keys(disaster_id)
    ids: list[str] = []
    ids += _by_certificate_number(ws, disaster_id, text)
    ids += index.by_home_key(disaster_id, home_key(text))
    ids += index.by_name_key(disaster_id, name_key(text))
    for query in dict.fromkeys((text, to_katakana(text))):
        ids += [r["id"] for r in store.applications.search(disaster_id, query, limit=limit)]
    unique = list(dict.fromkeys(ids))[:limit]
    return [store.applications.get(i) for i in unique]


def _by_certificate_number(ws: Workspace, disaster_id: str, text: str) -> list[str]:
    try:
        number = parse_number(text)
    except OfficeError:
        return []
    entry = register_of(ws).by_number(disaster_id, number)
    return [entry["application_id"]] if entry and entry["application_id"] else []


def application_flags(ws: Workspace, application_id: str) -> list[dict]:
    return ApplicationIndex(ws.store).flags(application_id)
