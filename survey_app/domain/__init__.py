"""Pure domain: damage-judgement rules and engine. Standard library only.

Public API (rule sets are built from forms/ by survey_app.rules):
    Engine(templates).judge(obs, rules, *, local=None) -> Judgement
    Engine(templates).validate(obs, rules=None) -> list[ObservationIssue]
    ObservationError, ObservationIssue, Judgement, ComponentScore, RuleSet
"""

from survey_app.domain.engine import Engine
from survey_app.domain.judgement import ComponentScore, DegreeRow, Judgement
from survey_app.domain.observations import ObservationError, ObservationIssue
from survey_app.domain.ruleset import RuleSet

__all__ = [
    "ComponentScore",
    "DegreeRow",
    "Engine",
    "Judgement",
    "ObservationError",
    "ObservationIssue",
    "RuleSet",
]
