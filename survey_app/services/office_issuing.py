"""Issuing, reissuing (再交付) and voiding (取消) certificates.

Order of work, for crash safety: (1) take the number and write the register entry, in one
transaction; (2) render the PDF to a temporary file and rename it into place; (3) mark the
entry printed. A crash after (1) leaves an `allocated` entry that `print_pending` finishes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from survey_app.certificates.model import GRADE_LABELS, HISAI_DEFAULT_DAMAGE
from survey_app.i18n import tr
from survey_app.services.office import (
    OfficeError,
    check_date,
    load_settings,
    municipality_code,
    register_of,
    today,
)
from survey_app.services.office_printing import PrintOutcome, print_entries
from survey_app.services.workspace import Workspace
from survey_app.store.certificates import RegisterError
from survey_app.store.office_applications import ApplicationIndex

JUDGED_STATUSES = ("completed", "resurvey_requested")
ALLOCATE_CHUNK = 200


@dataclass
class IssueOutcome:
    entry: dict
    pdf_path: Path | None = None
    warnings: list[str] = field(default_factory=list)


def judged_survey(ws: Workspace, building_id: str) -> dict | None:
    """The building's latest survey with a judged grade (a re-survey beats the first one)."""
    rows = ws.store.db.query(
        "SELECT * FROM surveys WHERE building_id = ? AND head_version_id IS NOT NULL"
        " AND grade_code IS NOT NULL AND status IN ('completed', 'resurvey_requested')"
        " ORDER BY created_at DESC, id DESC LIMIT 1", [building_id])
    return next(iter(rows), None)


def _survey_basis(ws: Workspace, application: dict, survey_id: str | None) -> dict:
    """The survey and head version a 罹災証明書 certifies; refuses when there is no grade."""
    survey = ws.store.surveys.get(survey_id) if survey_id else None
    if survey is None and application.get("building_id"):
        survey = judged_survey(ws, application["building_id"])
    if survey is None or survey["grade_code"] is None or survey["head_version_id"] is None:
        raise OfficeError(tr("office.no_grade", no=application["application_no"],
                             name=application["applicant_name"]))
    if survey["grade_code"] not in GRADE_LABELS:
        raise OfficeError(tr("office.grade_unknown", grade=survey["grade_code"]))
    version = ws.store.surveys.version(survey["head_version_id"])
    return {"survey_id": survey["id"], "survey_version_id": version["id"],
            "survey_content_hash": version["content_hash"], "building_id": survey["building_id"],
            "grade_code": survey["grade_code"], "grade": GRADE_LABELS[survey["grade_code"]]}


def members_text(members: list[dict]) -> str:
    """追加記載事項① text: 「世帯構成員　髙﨑 太郎（世帯主）、髙﨑 花子（妻）」."""
    names = [f"{m['name']}（{m['relation']}）" if m.get("relation") else m["name"]
             for m in members if m.get("name")]
    return "世帯構成員　" + "、".join(names) if names else ""


def _payload(application: dict, settings, *, extras, reported_damage: str,
             kind: str) -> dict:
    if extras is None:
        first = members_text(application["members"]) if settings.members_in_extra1 else ""
        extras = (first, "", "")
    extras = tuple(extras)
    if len(extras) != 3:
        raise ValueError("extras must be three texts (①, ②, ③)")
    return {"household_name": application["applicant_name"],
            "household_address": application["household_address"],
            "damaged_address": application["damaged_address"],
            "cause": application["cause"], "issuer": settings.issuer(),
            "municipality_name": settings.municipality_name, "extras": list(extras),
            "reported_damage": (reported_damage or HISAI_DEFAULT_DAMAGE) if kind == "hisai"
            else "", "number_format": settings.number_format}


def _link_building(ws: Workspace, application: dict, actor: str) -> dict:
    if application.get("building_id"):
        return application
    index = ApplicationIndex(ws.store)
    found = index.buildings_at(application["disaster_id"], application["damaged_address"])
    if len(found) == 1:
        index.link_building(application["id"], found[0], actor=actor)
        return ws.store.applications.get(application["id"])
    return application


def allocate(ws: Workspace, application_id: str, *, kind: str = "risai",
             survey_id: str | None = None, extras=None, reported_damage: str = "",
             issued_on: str | None = None, actor: str | None = None) -> dict:
    """Step 1 of issuing: the number and the register entry, nothing printed yet."""
    actor = actor or ws.actor
    application = _link_building(ws, ws.store.applications.get(application_id), actor)
    disaster = ws.store.buildings.disaster(application["disaster_id"])
    settings = load_settings(ws, disaster)
    if kind == "risai":
        links = _survey_basis(ws, application, survey_id)
    elif kind == "hisai":
        links = {"building_id": application.get("building_id")}
    else:
        raise OfficeError(tr("office.kind_invalid", kind=kind))
    payload = _payload(application, settings, extras=extras, reported_damage=reported_damage,
                       kind=kind)
    try:
        return register_of(ws).allocate(
            disaster_id=disaster["id"], municipality_code=municipality_code(disaster, settings),
            kind=kind, event="issue", payload=payload, number_format=settings.number_format,
            issued_on=check_date(issued_on or today(), "交付日"), actor=actor,
            application_id=application_id, **links)
    except RegisterError as err:
        raise _register_message(err) from err


def _register_message(err: RegisterError) -> OfficeError:
    entry = err.entry or {}
    return OfficeError(tr(f"office.register_{err.code}", number=entry.get("number_text", "?"),
                          validity=entry.get("validity", "?")))


def issue_certificate(ws: Workspace, application_id: str, *, out: Path | None = None,
                      **options) -> IssueOutcome:
    """Allocate, render and mark printed. `options` as for `allocate`."""
    entry = allocate(ws, application_id, **options)
    return _print_one(ws, entry, out)


def _print_one(ws: Workspace, entry: dict, out: Path | None) -> IssueOutcome:
    result = print_entries(ws, [entry], out=out, single_file=True)
    return IssueOutcome(register_of(ws).get(entry["id"]),
                        result.files[0] if result.files else None, result.warnings)


def issue_for_survey(ws: Workspace, survey_id: str, *, out: Path | None = None,
                     **options) -> list[IssueOutcome]:
    """A certificate for each household that applied for the surveyed building."""
    survey = ws.store.surveys.get(survey_id)
    applications = ws.store.applications.for_building(survey["building_id"])
    if not applications:
        raise OfficeError(tr("office.no_application", address=survey["address"]))
    kind = options.get("kind", "risai")
    register = register_of(ws)
    waiting = [a for a in applications if not any(
        c["kind"] == kind and c["validity"] == "valid" for c in register.for_application(a["id"]))]
    if not waiting:  # every household already holds one: say so for the first
        waiting = applications[:1]
    return [issue_certificate(ws, a["id"], survey_id=survey_id, out=out, **options)
            for a in waiting]


@dataclass
class BatchOutcome:
    issued: list[dict]
    skipped: list[tuple[dict, str]]
    printed: PrintOutcome | None


def issue_all_judged(ws: Workspace, disaster_id: str, *, out: Path | None = None,
                     single_file: bool = True, issued_on: str | None = None,
                     progress=None, cancel=None, render: bool = True) -> BatchOutcome:
    """Every application whose building has a judged grade and no valid 罹災証明書 yet."""
    rows = ws.store.db.query(
        "SELECT a.id FROM applications a WHERE a.disaster_id = ? AND NOT EXISTS"
        " (SELECT 1 FROM certificates c WHERE c.application_id = a.id AND c.kind = 'risai'"
        " AND c.validity = 'valid') ORDER BY a.received_on, a.application_no", [disaster_id])
    ids = [r["id"] for r in rows]
    issued, skipped = [], []
    # Chunks of allocations share a transaction (one disk sync each, not one per number);
    # a refused application rolls back only its own savepoint.
    for start in range(0, len(ids), ALLOCATE_CHUNK):
        with ws.store.atomic():
            for app_id in ids[start:start + ALLOCATE_CHUNK]:
                try:
                    issued.append(allocate(ws, app_id, issued_on=issued_on))
                except OfficeError as err:
                    skipped.append((ws.store.applications.get(app_id), str(err)))
    printed = None
    if render and issued:
        printed = print_entries(ws, issued, out=out, single_file=single_file,
                                progress=progress, cancel=cancel)
    return BatchOutcome(issued, skipped, printed)


def reissue_certificate(ws: Workspace, entry_id: str, *, reason: str,
                        survey_id: str | None = None, extras=None,
                        issued_on: str | None = None, out: Path | None = None,
                        actor: str | None = None, render: bool = True) -> IssueOutcome:
    """再交付: a new number that refers to the old one; the old entry becomes superseded.
    With `survey_id` (a re-survey) the grade is taken from that survey's judgement."""
    if not reason.strip():
        raise OfficeError(tr("office.field_missing", field="再交付の理由"))
    register, actor = register_of(ws), actor or ws.actor
    previous = register.get(entry_id)
    if previous is None:
        raise OfficeError(tr("office.certificate_unknown", number=entry_id))
    disaster = ws.store.buildings.disaster(previous["disaster_id"])
    settings = load_settings(ws, disaster)
    links = {k: previous[k] for k in ("building_id", "application_id", "survey_id",
                                      "survey_version_id", "survey_content_hash",
                                      "grade_code", "grade")}
    if survey_id:
        if previous["kind"] != "risai":
            raise OfficeError(tr("office.reissue_hisai_with_survey", number=previous["number_text"]))
        application = ws.store.applications.get(previous["application_id"])
        links.update(_survey_basis(ws, application, survey_id))
    payload = {**previous["payload"], "issuer": settings.issuer(),
               "reissue_of": previous["number_text"], "reissue_reason": reason}
    if extras is not None:
        payload["extras"] = list(extras)
    try:
        entry = register.allocate(
            disaster_id=previous["disaster_id"], municipality_code=previous["municipality_code"],
            kind=previous["kind"], event="reissue", payload=payload,
            number_format=settings.number_format, actor=actor, previous_id=entry_id,
            issued_on=check_date(issued_on or today(), "交付日"), reason=reason, **links)
    except RegisterError as err:
        raise _register_message(err) from err
    return _print_one(ws, entry, out) if render else IssueOutcome(entry)


def void_certificate(ws: Workspace, entry_id: str, *, reason: str, actor: str | None = None,
                     out: Path | None = None, print_copy: bool = False) -> IssueOutcome:
    """取消: the entry stays in the register, marked voided with who, when and why. With
    `print_copy`, a copy stamped 「取消」 is printed for the file."""
    if not reason.strip():
        raise OfficeError(tr("office.field_missing", field="取消の理由"))
    try:
        entry = register_of(ws).void(entry_id, reason=reason, actor=actor or ws.actor)
    except RegisterError as err:
        raise _register_message(err) from err
    if not print_copy:
        return IssueOutcome(entry)
    return _print_one(ws, entry, out)
