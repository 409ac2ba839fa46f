"""Any text a user can type survives the CSV: quoted, formula-guarded the same way in SQL as
in Python, and read back by the csv module exactly (NUL aside: SQLite text cannot hold it)."""

from __future__ import annotations

import csv

from hypothesis import given, settings
from hypothesis import strategies as st

from survey_app.exports.csv_export import export_buildings, guard
from survey_app.store.db import open_store

TEXT = st.text(alphabet=st.characters(blacklist_characters="\x00",
                                      blacklist_categories=("Cs",)), max_size=40)


def _store_with(remark: str, owner: str):
    store = open_store(None)
    did = store.buildings.create_disaster(name="d", hazard="earthquake", occurred_on="2024-01-01")
    bid = store.buildings.add(disaster_id=did, address="住所1", owner_name=owner)
    sid = store.surveys.create(building_id=bid, stage="first", hazard="earthquake")
    store.surveys.complete(sid, observations={"remarks": remark}, author="a",
                           judgement={"grade_code": "hankai", "grade": "半壊",
                                      "damage_ratio": 25.0, "rules_version": "r",
                                      "rules_hash": "h", "explanation": []})
    return store, did


@settings(max_examples=80, deadline=None)
@given(remark=TEXT, owner=TEXT)
def test_any_text_round_trips(remark, owner, tmp_path_factory):
    store, did = _store_with(remark, owner)
    out = tmp_path_factory.mktemp("csv") / "b.csv"
    export_buildings(store.db, did, out)
    store.close()
    with out.open(encoding="utf-8-sig", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert row["備考"] == guard(remark)
    assert row["所有者氏名"] == guard(owner)


def test_guard_only_touches_formula_starts():
    assert guard("=1+1") == "'=1+1"
    assert guard("+81 90") == "'+81 90"
    assert guard("@SUM(A1)") == "'@SUM(A1)"
    assert guard("-2+3") == "'-2+3"
    assert guard("- 瓦の落下") == "- 瓦の落下"        # a bullet list stays as typed
    assert guard("全壊") == "全壊" and guard(3) == 3
