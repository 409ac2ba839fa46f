"""Any JSON-like input gets issues or a judgement, never a crash; explanations outlive the input."""

from __future__ import annotations

import copy

from hypothesis import given, settings
from hypothesis import strategies as st

from survey_app.domain.observations import ObservationError
from survey_app.rules import Rulebook
from tests.domain.helpers import FORMS, grid, survey

BOOK = Rulebook.load(FORMS)
SEEDS = [
    survey(stage="second", inclination={"offsets_cm": [1, 2, 3, 4], "plumb_cm": 120},
           components={"roof": grid(("III", 40)), "foundation": {"damaged_length_m": 3, "perimeter_m": 30},
                       "fittings": {"total_units": 10, "degrees": [{"degree": "I", "units": 3}]}},
           floor_area={"lost_m2": 10, "total_m2": 80}),
    survey(hazard="flood", flood={"external_force": False, "depth_above_floor_cm": 50},
           appearance={"washed_away": False}),
    survey(hazard="liquefaction", liquefaction={"sinking": "floor"}, inclination={"offsets_cm": [1] * 4}),
]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=True)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=8,
)


def paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from paths(item, (*prefix, i))


def replaced(obs, path, new):
    obs = copy.deepcopy(obs)
    if not path:
        return new
    target = obs
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = new
    return obs


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(SEEDS), st.data(), json_values)
def test_mutated_input_gets_issues_or_a_judgement(seed, data, new):
    path = data.draw(st.sampled_from(list(paths(seed))))
    obs = replaced(seed, path, new)
    issues = BOOK.validate(obs)
    if issues:
        assert all(i.message for i in issues)
        return
    judgement = BOOK.judge(obs)
    assert judgement.grade and judgement.explanation


def test_judge_raises_observation_error_not_anything_else():
    try:
        BOOK.judge({"hazard": []})
    except ObservationError as err:
        assert err.issues
    else:
        raise AssertionError("expected ObservationError")


def test_explanation_does_not_change_when_the_input_is_edited_later():
    obs = survey(inclination={"offsets_cm": [1, 2, 3, 4]}, components={"roof": grid(("I", 10))})
    judgement = BOOK.judge(obs)
    obs["inclination"]["offsets_cm"][0] = 50
    obs["components"]["roof"]["degrees"][0]["area_percent"] = 90
    assert "水平距離 1, 2, 3, 4 cm" in judgement.explanation[1]
    assert "10%" in judgement.explanation[3]
