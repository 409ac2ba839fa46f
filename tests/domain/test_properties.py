"""Properties: more damage never gives a lower grade; grades change exactly at band edges."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from survey_app.rules import Rulebook
from tests.domain.helpers import FORMS, survey

BOOK = Rulebook.load(FORMS)
DEGREES = (0, "I", "II", "III", "IV", "V")
WOOD_SECOND = ("roof", "columns", "floors", "exterior_wall", "interior_wall", "ceilings",
               "fittings", "services")
VERSIONS = [r.version for r in BOOK.rule_sets]
shares = st.integers(min_value=0, max_value=100) | st.floats(min_value=0, max_value=100)


def severity(obs) -> int:
    j = BOOK.judge(obs)
    return BOOK.get(j.rules_version).grades.get(j.grade_code).severity


@st.composite
def grids(draw):
    """A second-survey wood component set: {code: (degree index, share)} with one row each."""
    codes = draw(st.lists(st.sampled_from(WOOD_SECOND), min_size=1, max_size=8, unique=True))
    return {c: (draw(st.integers(0, 5)), draw(shares)) for c in codes}


def to_obs(cells, version, foundation=None):
    comps = {c: {"degrees": [{"degree": DEGREES[d], "area_percent": a}]} for c, (d, a) in cells.items()}
    if foundation is not None:
        comps["foundation"] = {"damaged_length_m": foundation, "perimeter_m": 40}
    return survey(stage="second", rules_version=version, components=comps)


@settings(max_examples=150, deadline=None)
@given(grids(), st.sampled_from(VERSIONS), st.data())
def test_higher_degree_never_lowers_the_grade(cells, version, data):
    code = data.draw(st.sampled_from(sorted(cells)))
    degree, share = cells[code]
    worse = dict(cells, **{code: (data.draw(st.integers(degree, 5)), share)})
    assert severity(to_obs(worse, version)) >= severity(to_obs(cells, version))


@settings(max_examples=150, deadline=None)
@given(grids(), st.sampled_from(VERSIONS), st.data())
def test_larger_area_never_lowers_the_grade(cells, version, data):
    code = data.draw(st.sampled_from(sorted(cells)))
    degree, share = cells[code]
    larger = dict(cells, **{code: (degree, data.draw(st.floats(min_value=share, max_value=100)))})
    assert severity(to_obs(larger, version)) >= severity(to_obs(cells, version))


@settings(max_examples=100, deadline=None)
@given(grids(), st.floats(0, 40), st.floats(0, 40), st.sampled_from(VERSIONS))
def test_longer_foundation_damage_never_lowers_the_grade(cells, a, b, version):
    low, high = sorted((a, b))
    assert severity(to_obs(cells, version, high)) >= severity(to_obs(cells, version, low))


@settings(max_examples=200, deadline=None)
@given(st.floats(0.01, 2000), st.floats(0.01, 2000), st.booleans(),
       st.sampled_from(["2019-07-01", "2021-08-14", "2024-08-01", "2025-09-01"]))
def test_deeper_water_never_lowers_the_grade(a, b, external, date):
    if date < "2024-05-31":
        external = True
    low, high = sorted((a, b))

    def obs(depth):
        return survey(hazard="flood", disaster_date=date,
                      flood={"external_force": external, "depth_above_floor_cm": depth})

    assert severity(obs(high)) >= severity(obs(low))
    below = survey(hazard="flood", disaster_date=date,
                   flood={"external_force": external, "below_floor_only": True})
    assert severity(obs(low)) >= severity(below)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.floats(0, 60), min_size=4, max_size=4), st.floats(0, 20),
       st.sampled_from(["first", "second"]), st.sampled_from(VERSIONS))
def test_larger_inclination_never_lowers_the_grade(offsets, extra, stage, version):
    roof = {"roof": {"degrees": [{"degree": "II", "area_percent": 30}]}}

    def obs(values):
        return survey(stage=stage, rules_version=version, components=roof,
                      inclination={"offsets_cm": values})

    more = [min(60.0, o + extra) for o in offsets]
    assert severity(obs(more)) >= severity(obs(offsets))


@settings(max_examples=100, deadline=None)
@given(st.floats(0, 60), st.floats(0, 60), st.sampled_from(["none", "foundation_25cm", "floor"]))
def test_liquefaction_inclination_never_lowers_the_grade(a, b, sinking):
    low, high = sorted((a, b))

    def obs(offset):
        return survey(hazard="liquefaction", liquefaction={"sinking": sinking},
                      inclination={"offsets_cm": [offset] * 4})

    assert severity(obs(high)) >= severity(obs(low))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(VERSIONS), st.data())
def test_grade_changes_exactly_at_each_ratio_bound(version, data):
    rules = BOOK.get(version)
    grades = list(rules.grades)
    i = data.draw(st.integers(0, len(grades) - 2))
    bound = grades[i].min_ratio
    below = data.draw(st.floats(min_value=grades[i + 1].min_ratio, max_value=bound,
                                exclude_max=True))
    if bound - below < 1e-6:  # inside the float tolerance a value counts as the bound itself
        below = bound - 1e-6
    assert rules.grades.classify(bound).code == grades[i].code
    assert rules.grades.classify(below).code == grades[i + 1].code


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(VERSIONS), st.integers(0, 100))
def test_floor_area_grade_never_falls_with_a_larger_lost_share(version, lost):
    def obs(value):
        return survey(rules_version=version, floor_area={"lost_m2": value, "total_m2": 100})

    assert severity(obs(min(100, lost + 1))) >= severity(obs(lost))
