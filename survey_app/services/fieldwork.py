"""Surveying one home: open it for editing, autosave the draft, judge live, complete it.

Qt-free; the desktop app calls these on its worker threads, a test or a script calls them
directly. The observations are the engine's format (forms/schema/observations.schema.json).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

from survey_app.domain.observations import ObservationError, ObservationIssue
from survey_app.i18n import current_language, tr
from survey_app.rules import Rulebook, default_rulebook
from survey_app.rules.templates import engine_templates
from survey_app.services.judging import judgement_record
from survey_app.store.surveys import KEEP_BASE, StaleVersionError

if TYPE_CHECKING:
    from survey_app.domain.judgement import Judgement
    from survey_app.services.workspace import Workspace


class CompletionError(Exception):
    """The survey cannot be completed; `issues` (if any) say which fields, in plain Japanese."""

    def __init__(self, message: str, issues: list[ObservationIssue] | None = None) -> None:
        super().__init__(message)
        self.issues = list(issues or [])


class StaleDraftError(CompletionError):
    """Another version arrived (a pull) since the draft began: merge it in
    (services.fieldwork_rebase) before completing."""


@dataclass
class EditSession:
    survey: dict
    building: dict
    disaster: dict
    form: dict  # Rulebook.form(...): sections, fields and components for this survey
    observations: dict
    base_version_id: str | None  # the head the edit started from (None: first version)
    from_draft: bool
    rulebook: Rulebook = field(repr=False)

    @property
    def stale(self) -> bool:
        """A version arrived (a sync pull) after the draft's edit began."""
        return self.base_version_id != self.survey["head_version_id"]


@dataclass(frozen=True)
class LiveResult:
    issues: list[ObservationIssue]
    judgement: Judgement | None


@cache
def _rulebook(lang: str) -> Rulebook:
    """The rule book with the engine's messages in `lang`: the shared one keeps the language it
    was loaded in, and the app can switch language without a restart."""
    base = default_rulebook()
    return Rulebook(base.rule_sets, forms=base.forms, local_bands=base.local_bands,
                    templates=engine_templates())


def fresh_observations(survey: dict, building: dict, disaster: dict) -> dict:
    return {"hazard": survey["hazard"], "stage": survey["stage"],
            "structure": building.get("structure") or "wood",
            "disaster_date": disaster["occurred_on"][:10]}


def open_for_editing(ws: Workspace, survey_id: str) -> EditSession:
    """The survey as it was left: its draft if one exists, else its latest version, else new."""
    store = ws.store
    survey = store.surveys.get(survey_id)
    building = store.buildings.get(survey["building_id"])
    disaster = store.buildings.disaster(survey["disaster_id"])
    draft = store.surveys.draft(survey_id)
    base_version_id = survey["head_version_id"]
    if draft is not None:
        # The draft's own base, not the head: a pull may have moved the head under it.
        observations, base_version_id = draft["observations"], draft["base_version_id"]
    elif survey["head_version_id"]:
        observations = store.surveys.version(survey["head_version_id"])["observations"]
    else:
        observations = fresh_observations(survey, building, disaster)
    rulebook = _rulebook(current_language())
    when = date.fromisoformat(observations.get("disaster_date") or disaster["occurred_on"][:10])
    form = rulebook.form(observations["hazard"], observations["stage"],
                         observations.get("structure") or "wood",
                         version=observations.get("rules_version"), when=when)
    return EditSession(survey=survey, building=building, disaster=disaster, form=form,
                       observations=observations, base_version_id=base_version_id,
                       from_draft=draft is not None, rulebook=rulebook)


def save_draft(ws: Workspace, survey_id: str, observations: dict, *,
               base_version_id: Any = KEEP_BASE) -> None:
    """Autosave: one small transaction, so a killed process loses at most the field being typed.
    Pass the session's base_version_id: the version the edit started from."""
    ws.store.surveys.save_draft(survey_id, observations, base_version_id=base_version_id)


def judge_live(rulebook: Rulebook, observations: dict) -> LiveResult:
    """Issues (each with its field path) and, when there are none, the judgement."""
    issues = rulebook.validate(observations)
    if issues:
        return LiveResult(issues, None)
    try:
        return LiveResult([], rulebook.judge(observations))
    except ObservationError as err:
        return LiveResult(err.issues, None)


def form_hash(form: dict) -> str:
    text = json.dumps(form, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def complete_survey(ws: Workspace, session: EditSession, observations: dict, *,
                    reason: str = "") -> str:
    """Judge and record a new version; returns its id. Raises CompletionError."""
    result = judge_live(session.rulebook, observations)
    if result.judgement is None:
        raise CompletionError(tr("fieldwork.cannot_complete", count=len(result.issues)),
                              result.issues)
    judgement = judgement_record(result.judgement)
    try:
        return ws.store.surveys.complete(
            session.survey["id"], observations=observations, judgement=judgement,
            author=ws.actor, base_version_id=session.base_version_id, reason=reason,
            form_hash=form_hash(session.form))
    except StaleVersionError:
        raise StaleDraftError(tr("fieldwork.stale_merge")) from None


def survey_versions(ws: Workspace, survey_id: str) -> list[dict[str, Any]]:
    return ws.store.surveys.versions(survey_id)
