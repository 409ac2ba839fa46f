"""Rule data: loads the versioned rule files, survey forms and local bands of forms/.

Public API:
    Rulebook.load(folder=None) -> Rulebook            (folder defaults to paths.forms_dir())
    load_rulebook(folder=None) -> Rulebook              (the same, as a function)
    default_rulebook() -> Rulebook                      (loaded once per process)
    Rulebook.judge(obs, *, version=None, local=None) -> Judgement
    Rulebook.validate(obs, *, version=None) -> list[ObservationIssue]
    Rulebook.select(date) / Rulebook.get(version) -> RuleSet
    Rulebook.form(hazard, stage, structure, *, version=None, when=None) -> dict
    validate_observations(obs) -> list[ObservationIssue]
    build_rule_set(data) -> RuleSet                     (a rule-file dict, already schema-valid)
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from survey_app.domain.observations import ObservationError, ObservationIssue
from survey_app.rules.build import build_rule_set
from survey_app.rules.errors import RulesError
from survey_app.rules.rulebook import Rulebook


def load_rulebook(folder: Path | None = None) -> Rulebook:
    """Every rule version, form and local band in `folder` (default: the installed forms/)."""
    return Rulebook.load(folder)


@cache
def default_rulebook() -> Rulebook:
    """The installed rulebook, loaded once per process."""
    return Rulebook.load()


def validate_observations(obs: Any) -> list[ObservationIssue]:
    """Every problem with one survey's observations, in the current language (default rulebook)."""
    return default_rulebook().validate(obs)


__all__ = [
    "ObservationError",
    "ObservationIssue",
    "Rulebook",
    "RulesError",
    "build_rule_set",
    "default_rulebook",
    "load_rulebook",
    "validate_observations",
]
