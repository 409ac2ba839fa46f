from __future__ import annotations

import pytest

from survey_app.store.listing import SurveyFilter
from tests.store.conftest import JUDGED

HOMES = [
    ("熊本県上益城郡益城町宮園一丁目1番", "田中 一郎", "たなか いちろう", "宮園", "hankai"),
    ("熊本県上益城郡益城町宮園二丁目5番", "髙橋 花子", "たかはし はなこ", "宮園", "zenkai"),
    ("熊本県上益城郡益城町木山3番地", "佐藤 次郎", "さとう じろう", "木山", "zenkai"),
    ("熊本県熊本市東区長嶺南4丁目", "鈴木 三郎", "すずき さぶろう", "長嶺", "ichibu"),
]


@pytest.fixture
def homes(store, disaster):
    for address, name, kana, area, grade in HOMES:
        bid = store.buildings.add(disaster_id=disaster, address=address, owner_name=name,
                                  owner_kana=kana, area=area)
        sid = store.surveys.create(building_id=bid, stage="first", hazard="earthquake")
        store.surveys.complete(sid, observations={}, author="a",
                               judgement={**JUDGED, "grade_code": grade})
    return disaster


def addresses(store, flt, **kw):
    return [r["address"] for r in store.listing.page(flt, **kw)]


@pytest.mark.parametrize("text,expected", [
    ("益城町宮園", 2),      # trigram FTS
    ("木山", 1),            # two characters: LIKE fallback
    ("髙", 1),              # one character, outside JIS X 0208
    ("たなか", 1),          # hiragana reading found in katakana
    ("タカハシ", 1),
    ("長嶺南", 1),
    ("存在しない町", 0),
    ('"宮園', 2),           # a stray quote is text, not FTS syntax
])
def test_text_search(store, homes, text, expected):
    assert store.listing.count(SurveyFilter(homes, text=text)) == expected


def test_filter_by_grade_and_sort(store, homes):
    flt = SurveyFilter(homes, grade_codes=("zenkai",))
    assert addresses(store, flt) == ["熊本県上益城郡益城町宮園二丁目5番", "熊本県上益城郡益城町木山3番地"]
    assert addresses(store, flt, descending=True)[0] == "熊本県上益城郡益城町木山3番地"


def test_filter_combines_text_grade_and_area(store, homes):
    flt = SurveyFilter(homes, text="益城町", grade_codes=("zenkai",), areas=("木山",))
    assert addresses(store, flt) == ["熊本県上益城郡益城町木山3番地"]


def test_paging(store, homes):
    flt = SurveyFilter(homes)
    first = addresses(store, flt, limit=2)
    second = addresses(store, flt, limit=2, offset=2)
    assert len(first) == 2 and len(second) == 2 and not set(first) & set(second)


def test_facets(store, homes):
    assert store.listing.facets(homes)["area"] == ["宮園", "木山", "長嶺"]
