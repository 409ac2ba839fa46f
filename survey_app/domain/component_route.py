"""Judgement by components (部位による判定): Σ component 損害割合 → grade."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from survey_app.domain.judgement import ComponentScore
from survey_app.domain.render import Cut
from survey_app.domain.ruleset import ComponentDef, RuleSet, Scoring
from survey_app.domain.scoring import score_area, score_length
from survey_app.domain.trace import Outcome, Trace


def assess(
    observed: Mapping[str, Any], rules: RuleSet, survey: tuple[str, str, str], added: float, t: Trace
) -> Outcome:
    """Scores the observed components in the order of the survey sheet; `added` comes from 傾斜."""
    cset = rules.component_set(*survey)
    if cset is None:
        raise ValueError("no component set: run check_against_rules first")
    t.flag(cset.note)
    scoring = rules.scoring
    scores = []
    points, continuous = 0, 0.0
    by_code = cset.by_code
    # In the order of the survey sheet, not of the input (the checks made every code known).
    for code in sorted(observed, key=cset.position.__getitem__):
        score = _score(by_code[code], observed[code], scoring, t)
        scores.append(score)
        points += score.points
        continuous += score.continuous_percent
    if added:
        points += added
        continuous += added
        t.say("ratio_added", percent=added)
    binned = scoring.method == "binned"
    ratio = float(min(100, points if binned else continuous))
    continuous = min(100.0, continuous)
    grade = rules.grades.classify(ratio)
    if binned:
        t.say("total_binned", points=ratio, continuous=continuous, grade=grade)
    else:  # cut, not rounded: a value under a band bound must not be shown as reaching it
        t.say("total_continuous", ratio=Cut(ratio), points=points, grade=grade)
    return Outcome(grade, "components", "components", ratio, continuous, tuple(scores))


def _score(comp: ComponentDef, entry: Mapping[str, Any], scoring: Scoring, t: Trace) -> ComponentScore:
    if comp.note is not None:
        t.flag(comp.note)
    if comp.measure == "area":
        score, on_bound = score_area(comp, entry, scoring)
        t.say("component_area", label=comp, weight=comp.weight, rows=score.rows,
              labels=scoring.degree_label_of, rate=score.damage_rate_percent, points=score.points,
              continuous=score.continuous_percent)
    else:
        score, on_bound = score_length(comp, entry, scoring)
        t.say("component_length", label=comp, weight=comp.weight,
              damaged=entry["damaged_length_m"], perimeter=entry["perimeter_m"],
              rate=score.damage_rate_percent, points=score.points,
              continuous=score.continuous_percent)
        if score.points and scoring.method == "binned":
            t.flag(scoring.length_note)
    if scoring.method == "binned":
        _flag_binning(comp, score, on_bound, scoring, t)
    return score


def _flag_binning(
    comp: ComponentDef, score: ComponentScore, on_bound: bool, scoring: Scoring, t: Trace
) -> None:
    """Adds the notes of the unconfirmed binning rules that this component's points relied on."""
    if comp.weight not in scoring.confirmed_weights:
        t.flag(scoring.generated_note)
    if on_bound:  # whether "〜10%" includes 10 % matters only for a share right on a bound
        t.flag(scoring.bin_note)
    if score.capped:
        t.flag(scoring.cap_note)
        t.say("component_capped", label=comp, weight=comp.weight)
