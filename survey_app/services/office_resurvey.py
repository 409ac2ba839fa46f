"""Re-surveys: a household disputes its grade (被害認定再調査申請).

request → a 2nd survey (after a 1st) or a re-survey task, assigned to a surveyor → its
judgement → a reissued certificate that refers to the previous number. `history` shows the
whole chain for one building; `reissue_plan` says, before anything is printed, which survey's
judgement a reissue would print.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from survey_app.i18n import tr
from survey_app.services.office import OfficeError, check_date, register_of, today
from survey_app.services.office_issuing import IssueOutcome, judged_survey, reissue_certificate
from survey_app.services.office_tasks import assign_surveys, check_surveyor
from survey_app.services.workspace import Workspace
from survey_app.store.office_resurvey import ResurveyRequests

STAGE_AFTER = {"first": "second", "second": "resurvey", "resurvey": "resurvey"}


def request_resurvey(ws: Workspace, certificate_id: str, *, reason: str,
                     requested_on: str | None = None, surveyor: str = "",
                     stage: str | None = None, actor: str | None = None) -> dict:
    """Record the request and create the new survey task (assigned to `surveyor`)."""
    if not reason.strip():
        raise OfficeError(tr("office.field_missing", field="再調査を求める理由"))
    name = check_surveyor(surveyor) if surveyor.strip() else ""
    entry = _disputable(ws, certificate_id)
    requests = ResurveyRequests(ws.store)
    survey = ws.store.surveys.get(entry["survey_id"])
    with ws.store.atomic():
        request = requests.add(
            previous_survey=survey, stage=stage or STAGE_AFTER[survey["stage"]],
            requested_on=check_date(requested_on or today(), "申請日"), reason=reason.strip(),
            actor=actor or ws.actor, surveyor=name,
            application_id=entry["application_id"], certificate_id=certificate_id)
        if name:  # the home too: the building's assignment decides which laptop receives it
            assign_surveys(ws, survey["disaster_id"], name,
                           survey_ids=[request["new_survey_id"]])
    return request


def _disputable(ws: Workspace, certificate_id: str) -> dict:
    """The certificate, if a re-survey may be requested against it; else OfficeError."""
    entry = register_of(ws).get(certificate_id)
    if entry is None or entry["kind"] != "risai" or not entry["survey_id"]:
        raise OfficeError(tr("office.resurvey_needs_risai"))
    if entry["validity"] != "valid":
        raise OfficeError(tr("office.register_not_reissuable", number=entry["number_text"],
                             validity=entry["validity"]))
    if ResurveyRequests(ws.store).open_for_survey(entry["survey_id"]):
        raise OfficeError(tr("office.resurvey_already_open", number=entry["number_text"]))
    return entry


def resurvey_form(ws: Workspace, certificate_id: str) -> dict:
    """What the counter's request form offers: the disputed certificate and survey, the stage
    the new survey will have, and the surveyor names already known for the disaster."""
    entry = _disputable(ws, certificate_id)
    survey = ws.store.surveys.get(entry["survey_id"])
    return {"certificate": entry, "survey": survey, "stage": STAGE_AFTER[survey["stage"]],
            "surveyors": surveyor_names(ws, entry["disaster_id"]), "today": today()}


def open_request(ws: Workspace, certificate_id: str) -> dict | None:
    """The re-survey request still in progress against this certificate, if any."""
    entry = register_of(ws).get(certificate_id)
    if entry is None or not entry["survey_id"]:
        return None
    return ResurveyRequests(ws.store).open_for_survey(entry["survey_id"])


def surveyor_names(ws: Workspace, disaster_id: str) -> list[str]:
    rows = ws.store.db.execute(
        "SELECT DISTINCT surveyor FROM surveys WHERE disaster_id = ? AND surveyor != ''"
        " ORDER BY 1", [disaster_id])
    return [r[0] for r in rows]


def reissue_after_resurvey(ws: Workspace, request_id: str, *, issued_on: str | None = None,
                           out: Path | None = None, render: bool = True,
                           reason: str | None = None) -> IssueOutcome:
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
    outcome = reissue_certificate(ws, _current_certificate(ws, request), survey_id=survey["id"],
                                  reason=reason or tr("office.reissue_reason_resurvey"),
                                  issued_on=issued_on, out=out, render=render)
    requests.close(request_id, status="reissued", actor=ws.actor,
                   certificate_id=outcome.entry["id"])
    return outcome


def _current_certificate(ws: Workspace, request: dict) -> str:
    """The disputed certificate, or the one that replaced it if it was reissued meanwhile (a
    lost paper while the re-survey was pending): the chain continues from the valid one."""
    register = register_of(ws)
    entry = register.get(request["certificate_id"])
    if entry is not None and entry["validity"] == "superseded":
        valid = [c for c in register.for_application(entry["application_id"])
                 if c["kind"] == "risai" and c["validity"] == "valid"]
        if valid:
            return valid[-1]["id"]
    return request["certificate_id"]


@dataclass(frozen=True)
class ReissuePlan:
    """What a reissue of one certificate would print, said before it is printed."""
    certificate: dict
    survey: dict | None        # whose judgement is printed (None: a 被災証明書)
    request: dict | None       # the open re-survey request this reissue completes
    text: str
    warning: str = ""          # the newest survey of the chain is not completed yet

    @property
    def survey_id(self) -> str | None:
        return self.survey["id"] if self.survey else None


def reissue_plan(ws: Workspace, certificate_id: str) -> ReissuePlan:
    """The latest completed survey of the building is the one a reissue prints; a newer survey
    still in progress is named in a warning, since its result would not be on the paper."""
    entry = register_of(ws).get(certificate_id)
    if entry is None:
        raise OfficeError(tr("office.certificate_unknown", number=certificate_id))
    if entry["kind"] != "risai" or not entry["building_id"]:
        return ReissuePlan(entry, None, None, tr("office.plan_hisai"))
    survey = judged_survey(ws, entry["building_id"]) or ws.store.surveys.get(entry["survey_id"])
    request = next((r for r in ResurveyRequests(ws.store).for_building(entry["building_id"])
                    if r["status"] == "requested" and r["new_survey_id"] == survey["id"]
                    and _current_certificate(ws, r) == certificate_id), None)
    text = tr("office.plan_from_survey", stage=tr(f"office.stage_{survey['stage']}"),
              status=tr(f"office.survey_status_{survey['status']}"),
              surveyor=survey["surveyor"] or "-", grade=survey["grade"] or "-")
    if survey["id"] == entry["survey_id"]:
        text += tr("office.plan_unchanged")
    if request is not None:
        text += tr("office.plan_closes_request", id=request["id"])
    newest = ws.store.surveys.for_building(entry["building_id"])[-1]
    warning = ""
    if newest["id"] != survey["id"] and newest["status"] != "completed":
        warning = tr("office.plan_newest_not_completed",
                     stage=tr(f"office.stage_{newest['stage']}"),
                     status=tr(f"office.survey_status_{newest['status']}"),
                     surveyor=newest["surveyor"] or tr("office.history_unassigned"))
    return ReissuePlan(entry, survey, request, text, warning)


def reissue_latest(ws: Workspace, certificate_id: str, *, reason: str,
                   expect_survey_id: str | None, expect_grade: str | None = None,
                   issued_on: str | None = None, out: Path | None = None) -> IssueOutcome:
    """再交付 as planned by `reissue_plan`: refuses when the plan changed since it was shown
    (another survey completed, a new version), so the paper says what the clerk was told."""
    plan = reissue_plan(ws, certificate_id)
    grade = plan.survey["grade_code"] if plan.survey else None
    if plan.survey_id != expect_survey_id or (expect_grade is not None and grade != expect_grade):
        raise OfficeError(tr("office.plan_changed", plan=plan.text))
    if plan.request is not None:
        return reissue_after_resurvey(ws, plan.request["id"], issued_on=issued_on, out=out,
                                      reason=reason)
    return reissue_certificate(ws, certificate_id, reason=reason, survey_id=plan.survey_id,
                               issued_on=issued_on, out=out)


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
    surveys = _chain(ws.store.surveys.for_building(building_id))
    by_id = {s["id"]: s for s in surveys}
    events = [e for c in certs if not c["survey_id"] for e in _certificate_events(c)]
    for survey in surveys:
        events.append(_survey_event(survey))
        for cert in (c for c in certs if c["survey_id"] == survey["id"]):
            events += _certificate_events(cert)
        for req in (r for r in requests if r["previous_survey_id"] == survey["id"]):
            events.append(_request_event(req, by_id.get(req["new_survey_id"])))
    return events


def request_state(request: dict, new_survey: dict | None) -> str:
    """「受付済み（調査待ち）」→「調査中」→「判定済み（再交付待ち）」→「再交付済み」: an open
    request's state follows the survey it created."""
    if request["status"] == "requested" and new_survey is not None:
        if new_survey["status"] == "completed":
            return tr("office.request_judged")
        if new_survey["status"] == "draft":
            return tr("office.request_surveying")
    return tr(f"office.request_{request['status']}")


def _request_event(req: dict, new_survey: dict | None) -> HistoryEvent:
    stage = tr(f"office.stage_{new_survey['stage']}") if new_survey else "-"
    surveyor = (new_survey or {}).get("surveyor") or tr("office.history_unassigned")
    detail = tr("office.history_request_full", on=req["requested_on"], reason=req["reason"],
                state=request_state(req, new_survey), stage=stage, surveyor=surveyor,
                id=req["id"])
    return HistoryEvent("request", req["created_at"], tr("office.history_request"), detail,
                        req["id"])
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
