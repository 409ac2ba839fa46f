"""The damage-judgement engine: observations + RuleSet → Judgement. Pure and deterministic.

Order of the survey (運用指針): 外観 short-cuts end the survey; then 傾斜 (which may end it);
then every route the observations allow (部位, 浸水深, 床面積, 地盤) and the most severe wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from survey_app.domain import component_route, flood, inclination, liquefaction
from survey_app.domain.judgement import Judgement
from survey_app.domain.local_bands import LocalBands, apply_local_bands
from survey_app.domain.messages import Label, Messages
from survey_app.domain.observations import ObservationError, ObservationIssue
from survey_app.domain.render import Cut
from survey_app.domain.rule_checks import check_against_rules
from survey_app.domain.ruleset import RuleSet
from survey_app.domain.trace import Outcome, Trace
from survey_app.domain.validation import check_observations


class Engine:
    """Judges surveys; `templates` are the message templates (see messages.MESSAGE_KEYS)."""

    def __init__(self, templates: Mapping[str, str]) -> None:
        self.messages = Messages(templates)

    def validate(self, obs: Any, rules: RuleSet | None = None) -> list[ObservationIssue]:
        """Every problem with `obs`; with `rules`, also whether those rules can judge it."""
        issues = check_observations(obs, self.messages)
        if not issues and rules is not None:
            issues = check_against_rules(obs, rules, self.messages)
            if not issues and not _has_route(obs):
                # Only a short-cut could decide: find out by judging (cheap without components).
                try:
                    self._judge(obs, rules, ())
                except ObservationError as err:
                    issues = err.issues
        return issues

    def judge(
        self,
        obs: Any,
        rules: RuleSet,
        *,
        local: LocalBands | None = None,
        notes: tuple[str, ...] = (),
        prechecked: bool = False,
    ) -> Judgement:
        """Raises ObservationError (naming each field and why) when `obs` cannot be judged.

        `notes`: unconfirmed notes of how `rules` was chosen, listed first in the result.
        `prechecked`: the caller already ran check_observations on `obs` (saves the time).
        """
        issues = (
            check_against_rules(obs, rules, self.messages) if prechecked else self.validate(obs, rules)
        )
        if issues:
            raise ObservationError(issues)
        judgement = self._judge(obs, rules, notes)
        return apply_local_bands(judgement, local) if local else judgement

    def _judge(self, obs: Mapping[str, Any], rules: RuleSet, notes: tuple[str, ...]) -> Judgement:
        m = self.messages
        survey = (obs["hazard"], obs["stage"], obs["structure"])
        t = Trace(m)
        for note in notes:
            t.flag(note)
        if rules.content_note is not None:
            t.flag(rules.content_note)
        t.say("header", version=rules.version, title=Label(rules.title, rules.title_en), hazard=survey[0],
              stage=survey[1], structure=survey[2])
        decided = _appearance(obs.get("appearance"), rules, survey[0], t)
        added, ratio = 0.0, None
        if decided is None and "inclination" in obs:
            decided, added, ratio = inclination.assess(obs["inclination"], rules, survey, t)
        if decided is not None:
            return self._result(obs, rules, decided, None, t)
        outcomes = self._routes(obs, rules, survey, added, ratio, t)
        if not outcomes:
            raise ObservationError([ObservationIssue("", "no_route", m.text("v_no_route"))])
        best = outcomes[0]
        for outcome in outcomes[1:]:
            if outcome.grade.severity > best.grade.severity:
                best = outcome
        if len(outcomes) > 1:
            t.say("decided", route=best.route, grade=best.grade)
        scored = next((o for o in outcomes if o.route == "components"), None)
        return self._result(obs, rules, best, scored, t)

    def _routes(
        self, obs: Mapping[str, Any], rules: RuleSet, survey: tuple[str, str, str],
        added: float, ratio: float | None, t: Trace,
    ) -> list[Outcome]:
        outcomes = []
        if survey[0] == "flood" and flood.has_depth(obs.get("flood") or {}):
            outcomes.append(flood.assess(obs["flood"], rules, survey[1], survey[2], t))
        if survey[0] == "liquefaction":
            found = liquefaction.assess(obs.get("liquefaction"), ratio, rules, t)
            if found is not None:
                outcomes.append(found)
        if obs.get("components"):
            outcomes.append(component_route.assess(obs["components"], rules, survey, added, t))
        if "floor_area" in obs:
            outcomes.append(_floor_area(obs["floor_area"], rules, t))
        return outcomes

    def _result(
        self, obs: Mapping[str, Any], rules: RuleSet, decided: Outcome, scored: Outcome | None, t: Trace
    ) -> Judgement:
        t.flag(decided.grade.note)
        return Judgement(
            grade=decided.grade.label,
            grade_code=decided.grade.code,
            damage_ratio_percent=scored.ratio if scored else None,
            continuous_ratio_percent=scored.continuous if scored else None,
            scoring_method=rules.scoring.method,
            rules_version=rules.version,
            rules_hash=rules.sha256,
            decided_by=decided.decided_by,
            hazard=obs["hazard"],
            stage=obs["stage"],
            structure=obs["structure"],
            entries=tuple(t.lines),
            messages=self.messages,
            components=scored.components if scored else (),
            unconfirmed=tuple(t.flags),
        )


def _has_route(obs: Mapping[str, Any]) -> bool:
    """Whether the observations hold something besides 外観/傾斜 short-cuts that gives a grade."""
    if obs.get("components") or "floor_area" in obs:
        return True
    if obs["hazard"] == "flood":
        return flood.has_depth(obs.get("flood") or {})
    if obs["hazard"] == "liquefaction":
        return "sinking" in (obs.get("liquefaction") or {}) or "inclination" in obs
    return False


def _appearance(seen: Mapping[str, bool] | None, rules: RuleSet, hazard: str, t: Trace) -> Outcome | None:
    if not seen:
        return None
    for shortcut in rules.shortcuts:
        if seen.get(shortcut.field) is True and hazard in shortcut.hazards:
            t.flag(shortcut.note)
            t.say("shortcut", label=shortcut, grade=shortcut.grade)
            return Outcome(shortcut.grade, f"appearance:{shortcut.id}", "appearance")
    return None


def _floor_area(area: Mapping[str, float], rules: RuleSet, t: Trace) -> Outcome:
    share = area["lost_m2"] * 100 / area["total_m2"]
    step = rules.floor_area.find(share)
    grade = step.grade if step else rules.grades.lowest
    if step:
        t.flag(step.note)
    t.say("floor_area", lost=area["lost_m2"], total=area["total_m2"], percent=Cut(share),
          grade=grade)
    return Outcome(grade, "floor_area", "floor_area")
