"""The per-field 3-way merge, by property: one-sided edits always merge, both-sided edits of
the same field always conflict, and the result never depends on who pushed first."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from survey_app.sync.merge import MISSING, flatten, merge_versions, unflatten

leaf = st.one_of(st.integers(-5, 5), st.text(max_size=3), st.booleans(), st.none(),
                 st.lists(st.integers(0, 3), max_size=2))
keys = st.sampled_from(["外壁", "屋根", "基礎", "床", "柱", "a.b"])
docs = st.recursive(st.dictionaries(keys, leaf, max_size=4),
                    lambda inner: st.dictionaries(keys, st.one_of(leaf, inner), max_size=4),
                    max_leaves=12)
JUDGED = {"grade_code": "hankai", "damage_ratio": 25.0}


def v(obs: dict, judgement: dict | None = None) -> dict:
    return {"observations": obs, "judgement": judgement or JUDGED, "explanation": ["x"]}


@given(docs)
def test_flatten_round_trips(doc):
    assert unflatten(flatten(doc)) == _without_empty(doc)


def _without_empty(doc: dict) -> dict:
    return doc  # empty objects are leaves in flatten, so they survive unchanged


@given(docs, docs)
def test_an_edit_on_one_side_only_always_merges_to_that_side(base, edited):
    for ours, theirs in ((base, edited), (edited, base)):
        result = merge_versions(v(base), v(ours), v(theirs))
        assert result.clean
        assert flatten(result.observations) == flatten(edited)


@given(docs, docs, docs)
def test_the_merge_does_not_depend_on_the_order_of_arrival(base, ours, theirs):
    a = merge_versions(v(base), v(ours), v(theirs))
    b = merge_versions(v(base), v(theirs), v(ours))
    assert a.clean == b.clean
    assert {c.path for c in a.conflicts} == {c.path for c in b.conflicts}
    if a.clean:
        assert a.observations == b.observations


@given(docs, docs, docs)
def test_a_clean_merge_keeps_every_change_of_both_sides(base, ours, theirs):
    result = merge_versions(v(base), v(ours), v(theirs))
    if not result.clean:
        return
    fb, fo, ft = (flatten(d) for d in (base, ours, theirs))
    for path in set(fo) | set(ft) | set(fb):
        for side in (fo, ft):
            if side.get(path, MISSING) != fb.get(path, MISSING):
                deeper = any(p[:len(path)] == path and p != path for p in side)
                _holds(result.observations, path, {} if deeper else side.get(path, MISSING))


def _holds(doc: dict, path: tuple, value: object) -> None:
    """`doc` has `value` at `path` (an empty object there: an object, maybe filled since)."""
    node: object = doc
    for key in path:
        node = node.get(key, MISSING) if isinstance(node, dict) else MISSING
    if value == {}:
        assert isinstance(node, dict)
    else:
        assert node == value


def test_same_field_changed_differently_is_a_conflict_with_both_values():
    base = {"外壁": {"損傷率": 30}, "備考": ""}
    result = merge_versions(v(base), v({**base, "外壁": {"損傷率": 40}}),
                            v({**base, "外壁": {"損傷率": 50}}))
    [conflict] = result.conflicts
    assert (conflict.path, conflict.base, conflict.ours, conflict.theirs) == (
        "observations.外壁.損傷率", 30, 40, 50)


def test_two_different_judgements_never_mix():
    base = {"外壁": 1}
    ours = v({"外壁": 2}, {"grade_code": "hankai", "damage_ratio": 30.0})
    theirs = v({"屋根": 1, "外壁": 1}, {"grade_code": "zenkai", "damage_ratio": 55.0})
    result = merge_versions(v(base), ours, theirs)
    assert {c.path for c in result.conflicts} == {"judgement.grade_code",
                                                  "judgement.damage_ratio"}


def test_the_judgement_comes_from_the_side_that_changed_it():
    base = v({"外壁": 1})
    theirs = v({"外壁": 1, "屋根": 2}, {"grade_code": "zenkai", "damage_ratio": 55.0})
    theirs["explanation"] = ["全壊の理由"]
    result = merge_versions(base, v({"外壁": 3}), theirs)
    assert result.clean and result.judgement_from == "theirs"
    assert result.judgement["grade_code"] == "zenkai"
    assert result.explanation == ["全壊の理由"]
    assert result.observations == {"外壁": 3, "屋根": 2}
