from __future__ import annotations

import pytest

from survey_app.store.db import open_store

JUDGED = {"grade_code": "hankai", "grade": "半壊", "damage_ratio": 25.0,
          "rules_version": "2024-05-31", "rules_hash": "abc", "explanation": ["部位合計 25%"]}


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "survey.db")
    yield s
    s.close()


@pytest.fixture
def disaster(store) -> str:
    return store.buildings.create_disaster(name="令和6年能登半島地震", hazard="earthquake",
                                           occurred_on="2024-01-01", municipality_code="172049",
                                           municipality_name="輪島市")


@pytest.fixture
def survey(store, disaster) -> str:
    bid = store.buildings.add(disaster_id=disaster, address="石川県輪島市河井町一丁目2番地3号",
                              owner_name="山田 太郎", owner_kana="やまだ たろう", area="河井町")
    return store.surveys.create(building_id=bid, stage="first", hazard="earthquake",
                                surveyor="佐藤")
