"""Re-surveys: a household disputes its grade (被害認定再調査申請).

request → a 2nd survey (after a 1st) or a re-survey task, assigned to a surveyor → its
judgement → a reissued certificate that refers to the previous number. `history` shows the
whole chain for one building.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from survey_app.i18n import tr
from survey_app.services.office import OfficeError, check_date, register_of, today
from survey_app.services.office_issuing import IssueOutcome, reissue_certificate
from survey_app.services.workspace import Workspace
from survey_app.store.office_resurvey import ResurveyRequests

STAGE_AFTER = {"first": "second", "second": "resurvey", "resurvey": "resurvey"}


def request_resurvey(ws: Workspace, certificate_id: str, *, reason: str,
                     requested_on: str | None = None, surveyor: str = "",
                     stage: str | None = None, actor: str | None = None) -> dict:
    """Record the request and create the new survey task (assigned to `surveyor`)."""
    if not reason.strip():
        raise OfficeError(tr("office.field_missing", field="再調査を求める理由"))
    entry = register_of(ws).get(certificate_id)
    if entry is None or entry["kind"] != "risai" or not entry["survey_id"]:
        raise OfficeError(tr("office.resurvey_needs_risai"))
    if entry["validity"] != "valid":
        raise OfficeError(tr("office.register_not_reissuable", number=entry["number_text"],
                             validity=entry["validity"]))
    requests = ResurveyRequests(ws.store)
    survey = ws.store.surveys.get(entry["survey_id"])
    if requests.open_for_survey(survey["id"]):
        raise OfficeError(tr("office.resurvey_already_open", number=entry["number_text"]))
    return requests.add(
        previous_survey=survey, stage=stage or STAGE_AFTER[survey["stage"]],
        requested_on=check_date(requested_on or today(), "申請日"), reason=reason,
        actor=actor or ws.actor, surveyor=surveyor, application_id=entry["application_id"],
        certificate_id=certificate_id)


def reissue_after_resurvey(ws: Workspace, request_id: str, *, issued_on: str | None = None,
                           out: Path | None = None, render: bool = True) -> IssueOutcome:
    """The new survey's judgement → a reissued certificate; the request is closed."""
    requests = ResurveyRequests(ws.store)
    request = requests.get(request_id)
    if request is None:
        raise OfficeError(tr("office.resurvey_unknown", id=request_id))
    if request["status"] != "requested":
        raise OfficeError(tr("office.resurvey_closed", id=request_id, status=request["status"]))
    survey = ws.store.surveys.get(request["new_survey_id"])
    if survey["status"] != "completed" or survey["grade_code"] is None:
        raise OfficeError(tr("office.resurvey_not_judged", surveyor=survey["surveyor"] or "-"))
    outcome = reissue_certificate(ws, request["certificate_id"], survey_id=survey["id"],
                                  reason=tr("office.reissue_reason_resurvey"),
                                  issued_on=issued_on, out=out, render=render)
    requests.close(request_id, status="reissued", actor=ws.actor,
                   certificate_id=outcome.entry["id"])
    return outcome


@dataclass(frozen=True)
class HistoryEvent:
    kind: str  # survey | certificate | void | request
    at: str
    title: str
    detail: str
    ref_id: str


def history(ws: Workspace, building_id: str) -> list[HistoryEvent]:
    """The building's chain in order: each survey, then the certificates issued from it, then
    any request disputing it; then the next survey of the chain."""
    certs = register_of(ws).for_building(building_id)
    requests = ResurveyRequests(ws.store).for_building(building_id)
    events = [e for c in certs if not c["survey_id"] for e in _certificate_events(c)]
    for survey in _chain(ws.store.surveys.for_building(building_id)):
        events.append(_survey_event(survey))
        for cert in (c for c in certs if c["survey_id"] == survey["id"]):
            events += _certificate_events(cert)
        for req in (r for r in requests if r["previous_survey_id"] == survey["id"]):
            events.append(HistoryEvent("request", req["created_at"],
                                       tr("office.history_request"),
                                       tr("office.history_request_detail",
                                          on=req["requested_on"], reason=req["reason"],
                                          status=tr(f"office.request_{req['status']}")),
                                       req["id"]))
    return events


def _chain(surveys: list[dict]) -> list[dict]:
    """Surveys in chain order: each followed by the ones that re-survey it."""
    children: dict[str | None, list[dict]] = {}
    ids = {s["id"] for s in surveys}
    for s in surveys:
        parent = s["previous_survey_id"] if s["previous_survey_id"] in ids else None
        children.setdefault(parent, []).append(s)
    out: list[dict] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        survey = stack.pop()
        out.append(survey)
        stack.extend(reversed(children.get(survey["id"], [])))
    return out


def _survey_event(survey: dict) -> HistoryEvent:
    grade = survey["grade"] or tr("office.history_no_grade")
    return HistoryEvent("survey", survey["created_at"], tr(f"office.stage_{survey['stage']}"),
                        tr("office.history_survey_detail", status=tr(
                            f"office.survey_status_{survey['status']}"), grade=grade,
                           surveyor=survey["surveyor"] or "-"), survey["id"])


def _certificate_events(cert: dict) -> list[HistoryEvent]:
    title = tr(f"office.history_{cert['event']}_{cert['kind']}", number=cert["number_text"])
    detail = tr("office.history_certificate_detail", on=cert["issued_on"],
                grade=cert["grade"] or "-", by=cert["issued_by"],
                printed=tr(f"office.print_status_{cert['print_status']}"))
    if cert["payload"].get("reissue_of"):
        detail += " " + tr("office.history_replaces", number=cert["payload"]["reissue_of"])
    events = [HistoryEvent("certificate", cert["issued_at"], title, detail, cert["id"])]
    if cert["validity"] == "voided":
        events.append(HistoryEvent("void", cert["voided_at"], tr(
            "office.history_void", number=cert["number_text"]), cert["void_reason"] or "",
            cert["id"]))
    return events
